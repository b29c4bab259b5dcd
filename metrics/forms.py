"""Forms for entering post metrics, follower counts and comments by hand, and CSV uploads.
They offer only the organization's records; writes go through ``metrics.services.ingestion``.
The forms parse the fields; what a valid entry is comes from ``metrics.validation``, shown as
field errors (the service checks the same rules again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import Access, visible
from accounts.widgets import LocalDateInput, LocalDateTimeInput
from campaigns.models import BrandAccount, Post
from config.validation import Errors, Item
from influencers.models import SocialAccount
from metrics.models import COUNTERS
from metrics.validation import (
    MAX_COMMENT_LENGTH,
    MAX_COUNT,
    TOO_LARGE,
    comment_errors,
    follower_snapshot_errors,
    post_metrics_errors,
)

# The counters' labels on the entry form ("Link clicks").
COUNTER_LABELS = {
    "impressions": gettext_lazy("Impressions"),
    "reach": gettext_lazy("Reach"),
    "views": gettext_lazy("Views"),
    "likes": gettext_lazy("Likes"),
    "comments": gettext_lazy("Comments"),
    "shares": gettext_lazy("Shares"),
    "saves": gettext_lazy("Saves"),
    "mentions": gettext_lazy("Mentions"),
    "link_clicks": gettext_lazy("Link clicks"),
}
DATETIME = LocalDateTimeInput()
DATE = LocalDateInput()


def _post_label(post: Post) -> str:
    when = f"{post.published_at:%Y-%m-%d}" if post.published_at else _("unpublished")
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


def add_domain_errors(
    form: forms.Form, errors_of: Callable[[Item], Errors], data: dict[str, Any]
) -> None:
    """The kind's rules on the parsed fields, each error on its field (or above the form).
    A field that already failed to parse keeps its own error instead of "required"."""
    for name, messages in errors_of(data).items():
        if name in form.errors:
            continue
        if name in form.fields and name not in data:
            continue  # it failed to parse; the field shows why
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class PostMetricsForm(forms.Form):
    post = PostChoiceField(queryset=Post.objects.none(), label=gettext_lazy("Post"))
    captured_at = forms.DateTimeField(
        widget=DATETIME, label=gettext_lazy("Captured at"),
        help_text=gettext_lazy("When these totals were read."),
    )

    def __init__(self, *args: Any, access: Access, zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = _posts(access)  # type: ignore[attr-defined]
        if zone:
            self.fields["captured_at"].help_text = _(
                "When these totals were read, in %(zone)s."
            ) % {"zone": zone}
        for name in COUNTERS:
            self.fields[name] = forms.IntegerField(
                required=False, min_value=0, max_value=MAX_COUNT,
                error_messages={"max_value": TOO_LARGE},
                label=COUNTER_LABELS.get(name, name.replace("_", " ").capitalize()),
                help_text=_("Leave empty if the platform does not report it."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        add_domain_errors(self, post_metrics_errors, data)
        return data


class FollowerCountForm(forms.Form):
    brand_account = forms.ModelChoiceField(
        queryset=BrandAccount.objects.none(), required=False,
        label=gettext_lazy("Brand account"),
    )
    social_account = forms.ModelChoiceField(
        queryset=SocialAccount.objects.none(), required=False,
        label=gettext_lazy("Creator account"),
    )
    date = forms.DateField(widget=DATE, label=gettext_lazy("Date"))
    followers = forms.IntegerField(
        min_value=0, max_value=MAX_COUNT, error_messages={"max_value": TOO_LARGE},
        label=gettext_lazy("Followers"),
    )

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
        add_domain_errors(self, follower_snapshot_errors, data)
        return data


class CommentForm(forms.Form):
    post = PostChoiceField(queryset=Post.objects.none(), label=gettext_lazy("Post"))
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_COMMENT_LENGTH,
        label=gettext_lazy("Text"),
    )
    posted_at = forms.DateTimeField(widget=DATETIME, label=gettext_lazy("Posted at"))
    external_id = forms.CharField(
        required=False, max_length=100, label=gettext_lazy("Platform comment id"),
        help_text=gettext_lazy(
            "Optional; re-entering the same id updates the comment instead of adding one."
        ),
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = _posts(access)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The id is optional here (the view makes one up), so it is not checked on the form.
        add_domain_errors(
            self, comment_errors, {**data, "external_id": data.get("external_id") or "manual"}
        )
        return data


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, comma-separated, header row first."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.CSV_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
                    "size": f"{upload.size / 1_048_576:.1f}", "limit": f"{limit / 1_048_576:.0f}",
                }
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError(_("Upload a .csv file."))
        return upload
