"""Forms for entering post metrics, follower counts and comments by hand, and CSV uploads.
They offer only the organization's records; writes go through ``metrics.services.ingestion``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.selectors import Access, visible
from campaigns.models import BrandAccount, Post
from influencers.models import SocialAccount
from metrics.models import COUNTERS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _post_label(post: Post) -> str:
    when = f"{post.published_at:%Y-%m-%d}" if post.published_at else "unpublished"
    return (
        f"{post.partnership.influencer.name} · {post.partnership.campaign.name} · "
        f"{post.get_platform_display()} {post.get_post_type_display()} ({when}) #{post.pk}"
    )


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _post_label(obj)


def _posts(access: Access) -> Any:
    return visible(access, Post).select_related(
        "partnership__influencer", "partnership__campaign"
    ).order_by("-published_at", "-pk")


# The database's largest integer; anything above is a typo, not a count.
MAX_COUNT = 2**63 - 1


class PostMetricsForm(forms.Form):
    post = PostChoiceField(queryset=Post.objects.none())
    captured_at = forms.DateTimeField(
        widget=DATETIME, label="Captured at", help_text="When these totals were read."
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = _posts(access)  # type: ignore[attr-defined]
        for name in COUNTERS:
            self.fields[name] = forms.IntegerField(
                required=False, min_value=0, max_value=MAX_COUNT,
                label=name.replace("_", " ").capitalize(),
                help_text="Leave empty if the platform does not report it.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(name) is None for name in COUNTERS):
            raise ValidationError("Enter at least one metric.")
        return data


class FollowerCountForm(forms.Form):
    brand_account = forms.ModelChoiceField(
        queryset=BrandAccount.objects.none(), required=False, label="Brand account"
    )
    social_account = forms.ModelChoiceField(
        queryset=SocialAccount.objects.none(), required=False, label="Creator account"
    )
    date = forms.DateField(widget=DATE)
    followers = forms.IntegerField(min_value=0, max_value=MAX_COUNT)

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand_account"].queryset = visible(access, BrandAccount).select_related(  # type: ignore[attr-defined]
            "brand"
        )
        self.fields["social_account"].queryset = visible(access, SocialAccount).select_related(  # type: ignore[attr-defined]
            "influencer"
        ).order_by("influencer__name", "platform")
        self.fields["social_account"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.influencer.name} — {a.get_platform_display()} @{a.handle}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("brand_account")) == bool(data.get("social_account")):
            raise ValidationError("Choose either a brand account or a creator account.")
        return data


class CommentForm(forms.Form):
    post = PostChoiceField(queryset=Post.objects.none())
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)
    posted_at = forms.DateTimeField(widget=DATETIME, label="Posted at")
    external_id = forms.CharField(
        required=False, max_length=100, label="Platform comment id",
        help_text="Optional; re-entering the same id updates the comment instead of adding one.",
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = _posts(access)  # type: ignore[attr-defined]


class CsvUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, comma-separated, header row first.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.CSV_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB."
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError("Upload a .csv file.")
        return upload
