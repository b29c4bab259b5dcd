"""Forms of the creator pages; writes go through ``influencers.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.iso import COUNTRY_CHOICES, COUNTRY_ERROR
from influencers.models import Influencer, Platform, SocialAccount
from influencers.quality import PostStats

MAX_CALCULATOR_POSTS = 50


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label=gettext_lazy("Search"), widget=forms.TextInput(
        attrs={"placeholder": gettext_lazy("Name, e-mail or @handle"), "type": "search"}))
    platform = forms.ChoiceField(
        required=False, label=gettext_lazy("Platform"),
        choices=[("", gettext_lazy("Any platform")), *Platform.choices],
    )
    min_followers = forms.IntegerField(
        required=False, min_value=0, label=gettext_lazy("Followers from")
    )
    max_followers = forms.IntegerField(
        required=False, min_value=0, label=gettext_lazy("Followers up to")
    )
    min_engagement = forms.FloatField(
        required=False, min_value=0, label=gettext_lazy("Engagement rate ≥ (%)"),
    )
    country = forms.CharField(
        required=False, max_length=2, label=gettext_lazy("Country (ISO code)")
    )
    tag = forms.CharField(required=False, max_length=50, label=gettext_lazy("Tag"))


class CountryField(forms.ChoiceField):
    """An ISO 3166-1 alpha-2 country, by name in the list; "si" is read as SI."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid_choice": COUNTRY_ERROR})
        kwargs.setdefault("label", gettext_lazy("Country"))
        super().__init__(choices=[("", gettext_lazy("Unknown")), *COUNTRY_CHOICES], **kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()


class InfluencerForm(forms.ModelForm):
    tags = forms.CharField(
        required=False, label=gettext_lazy("Tags"),
        help_text=gettext_lazy("Comma-separated, e.g. beauty, vegan."),
    )
    country = CountryField(required=False)

    class Meta:
        model = Influencer
        fields = ["name", "email", "country", "tags", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"name": gettext_lazy("Name"), "email": gettext_lazy("Email"),
                  "notes": gettext_lazy("Notes")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(self.instance.tags or [])

    def _post_clean(self) -> None:
        pass


class SocialAccountForm(forms.ModelForm):
    url = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label=gettext_lazy("Profile URL")
    )

    class Meta:
        model = SocialAccount
        fields = ["platform", "handle", "url", "followers"]
        labels = {"platform": gettext_lazy("Platform"), "handle": gettext_lazy("Handle"),
                  "followers": gettext_lazy("Followers")}

    def _post_clean(self) -> None:
        pass


class CalculatorForm(forms.Form):
    """A prospect's handle, followers and recent posts' likes and comments."""

    handle = forms.CharField(max_length=150, required=False, label=gettext_lazy("Handle"))
    followers = forms.IntegerField(min_value=1, label=gettext_lazy("Followers"))
    posts = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "1200, 45\n980, 30\n1530, 61"}),
        label=gettext_lazy("Recent posts (likes, comments — one post a line)"),
    )

    def clean_posts(self) -> list[PostStats]:
        lines = [line.strip() for line in self.cleaned_data["posts"].splitlines() if line.strip()]
        if not lines:
            raise ValidationError(_("Enter at least one post."))
        if len(lines) > MAX_CALCULATOR_POSTS:
            raise ValidationError(
                _("Enter at most %(count)s posts.") % {"count": MAX_CALCULATOR_POSTS}
            )
        posts = []
        for number, line in enumerate(lines, start=1):
            parts = [p.strip().replace("_", "") for p in line.replace(";", ",").split(",")]
            if len(parts) != 2 or not all(p.isdigit() for p in parts):
                raise ValidationError(
                    _("Line %(number)s: write the likes and the comments as two whole numbers, "
                      "e.g. “1200, 45”.") % {"number": number}
                )
            label = _("Post %(number)s") % {"number": number}
            posts.append(PostStats(likes=int(parts[0]), comments=int(parts[1]), label=label))
        return posts
