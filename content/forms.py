"""Forms of the team's workflow pages: the brief (a new version per save), its attachments and
sends, deliverables, linking a live post, and the review of a draft. They validate input and
offer only the campaign's or partnership's own records; writes go through
``content.services``."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.widgets import LocalDateInput
from campaigns.models import Campaign, Partnership, Post
from content.models import BriefVersion, Deliverable, DeliverableStatus, ReviewDecision
from content.services.briefs import stage_goal
from content.services.deliverables import NEXT

# The service refuses more; the form says so before the upload is read into memory twice.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_LIST_ITEMS = 30
MAX_ITEM_LENGTH = 60
LIST_SPLIT = re.compile(r"[\n,;]+")
# Letters of any script; a Persian tag may carry a zero-width non-joiner inside.
TAG_BODY = re.compile(r"^\w[\w.\-\u200c]*$")
LIST_FIELDS = ("disclosure_tags", "required_hashtags", "required_mentions", "forbidden_words")
TEXT_FIELDS = ("goal", "key_messages", "dos", "donts", "links_and_codes")


class WideTextarea(forms.Textarea):
    """A textarea the shared field layout (includes/form_fields.html) spans the whole row."""

    input_type = "textarea"


def split_list(text: str) -> list[str]:
    """Items typed one per line or separated by commas: trimmed, blanks dropped, each once
    (the first spelling kept, compared without case)."""
    items: list[str] = []
    seen: set[str] = set()
    for raw in LIST_SPLIT.split(text or ""):
        item = " ".join(raw.split())
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            items.append(item)
    return items


class ListField(forms.CharField):
    """A list typed in a textarea. ``prefix`` ("#", "@") is added where it was left out and
    the rest must then be one tag or handle, with no spaces."""

    def __init__(self, *, prefix: str = "", **kwargs: Any) -> None:
        self.prefix = prefix
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        items = split_list(text or "")
        if len(items) > MAX_LIST_ITEMS:
            raise ValidationError(
                _("At most %(count)d items.") % {"count": MAX_LIST_ITEMS}, code="too_many"
            )
        cleaned = []
        for item in items:
            if len(item) > MAX_ITEM_LENGTH:
                raise ValidationError(
                    _("“%(item)s” is longer than %(max)d characters.")
                    % {"item": item[:MAX_ITEM_LENGTH] + "…", "max": MAX_ITEM_LENGTH},
                    code="too_long",
                )
            if self.prefix:
                body = item.removeprefix(self.prefix)
                if not TAG_BODY.match(body):
                    message = (
                        _("“%(item)s” is not a single hashtag (no spaces or punctuation).")
                        if self.prefix == "#" else
                        _("“%(item)s” is not a single mention (no spaces or punctuation).")
                    )
                    raise ValidationError(message % {"item": item}, code="invalid_tag")
                item = self.prefix + body
            cleaned.append(item)
        return cleaned

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class BriefVersionForm(forms.Form):
    """The brief's text; saving makes a new version (what was sent stays as it was)."""

    goal = forms.CharField(
        label=gettext_lazy("Goal"), widget=WideTextarea(attrs={"rows": 2}), max_length=2000,
        required=False,
        help_text=gettext_lazy("What the campaign is for. Empty: from the campaign's stage."),
    )
    key_messages = forms.CharField(
        label=gettext_lazy("Key messages"), required=False, max_length=5000,
        widget=WideTextarea(attrs={"rows": 3}),
    )
    dos = forms.CharField(
        label=gettext_lazy("Do"), required=False, max_length=5000,
        widget=WideTextarea(attrs={"rows": 3}),
    )
    donts = forms.CharField(
        label=gettext_lazy("Don't"), required=False, max_length=5000,
        widget=WideTextarea(attrs={"rows": 3}),
    )
    disclosure_tags = ListField(
        label=gettext_lazy("Disclosure wording"),
        help_text=gettext_lazy(
            "One per line or comma-separated; any one of them near the start of the caption. "
            "Empty: the organisation's default set (#ad, #sponsored, …)."
        ),
    )
    required_hashtags = ListField(
        prefix="#", label=gettext_lazy("Required hashtags"),
        help_text=gettext_lazy("One per line or comma-separated, e.g. #glowup."),
    )
    required_mentions = ListField(
        prefix="@", label=gettext_lazy("Required mentions"),
        help_text=gettext_lazy("One per line or comma-separated, e.g. @glowskin."),
    )
    forbidden_words = ListField(
        label=gettext_lazy("Forbidden words"),
        help_text=gettext_lazy("One per line or comma-separated; none may appear."),
    )
    links_and_codes = forms.CharField(
        label=gettext_lazy("Links and codes"), required=False, max_length=5000,
        widget=WideTextarea(attrs={"rows": 3}),
        help_text=gettext_lazy("How to use the creator's codes and links (each creator sees their own)."),
    )

    @classmethod
    def initial_from(cls, version: BriefVersion | None, campaign: Campaign) -> dict[str, Any]:
        if version is None:
            return {"goal": stage_goal(campaign.stage)}
        return {name: getattr(version, name) for name in (*TEXT_FIELDS, *LIST_FIELDS)}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Attachment"),
        help_text=gettext_lazy("PDF, image, MP4 or DOCX; up to 10 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size),
                   "limit": filesizeformat(MAX_ATTACHMENT_BYTES)},
                code="too_large",
            )
        return upload


class BriefSendForm(forms.Form):
    partnerships = forms.ModelMultipleChoiceField(
        queryset=Partnership.objects.none(), widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Creators"),
        error_messages={"required": gettext_lazy("Choose at least one creator.")},
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partnerships"]
        field.queryset = (  # type: ignore[attr-defined]
            Partnership.objects.filter(campaign=campaign).select_related("influencer")
            .order_by("influencer__name")
        )
        field.label_from_instance = lambda p: p.influencer.name  # type: ignore[attr-defined]


class DeliverableForm(forms.ModelForm):
    """A deliverable; its fee share only for those who see compensation, its status only when
    editing (drafts and live posts move it otherwise)."""

    class Meta:
        model = Deliverable
        fields = ["platform", "format", "quantity", "due_date", "fee_share", "pay_on", "status"]
        widgets = {"due_date": LocalDateInput()}
        labels = {
            "platform": gettext_lazy("Platform"), "format": gettext_lazy("Format"),
            "quantity": gettext_lazy("Quantity"), "due_date": gettext_lazy("Due date"),
            "fee_share": gettext_lazy("Fee share"), "pay_on": gettext_lazy("Fee owed"),
            "status": gettext_lazy("Status"),
        }

    def __init__(
        self, *args: Any, with_fee: bool, creating: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"].widget.attrs.update({"min": 1, "max": 100})
        self.fields["quantity"].validators.append(_at_most_100)
        if "fee_share" in self.fields:
            self.fields["fee_share"].widget.attrs["min"] = 0
        if not with_fee:
            del self.fields["fee_share"]
            del self.fields["pay_on"]
        if creating:
            del self.fields["status"]
        else:
            # The current status and the steps it may take from here.
            current = self.instance.status
            allowed = (current, *NEXT.get(current, ()))
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in DeliverableStatus.choices if value in allowed
            ]

    def clean_fee_share(self) -> Any:
        value = self.cleaned_data.get("fee_share")
        if value is not None and value < 0:
            raise ValidationError(_("The fee share cannot be negative."), code="negative")
        return value

    def _post_clean(self) -> None:
        # The service validates and saves the record; the form only checks the input.
        pass


def _at_most_100(value: int) -> None:
    if value > 100:
        raise ValidationError(_("At most 100."), code="max_value")


class LinkPostForm(forms.Form):
    post = forms.ModelChoiceField(
        queryset=Post.objects.none(), label=gettext_lazy("Live post"),
        empty_label=gettext_lazy("Choose a post"),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["post"]
        field.queryset = Post.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        field.label_from_instance = _post_label  # type: ignore[attr-defined]


def _post_label(post: Post) -> str:
    caption = " ".join((post.caption or "").split())
    text = caption[:50] + ("…" if len(caption) > 50 else "")
    when = post.published_at.date().isoformat() if post.published_at else ""
    return " · ".join(part for part in (str(post), when, text) if part)


class ReviewForm(forms.Form):
    """Approve, or request changes (which needs a comment the creator reads)."""

    decision = forms.ChoiceField(choices=ReviewDecision.choices, label=gettext_lazy("Decision"))
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == ReviewDecision.REQUEST_CHANGES and not (data.get("comment") or "").strip():
            self.add_error(
                "comment", _("Say what should change: a comment is required to request changes.")
            )
        return data
