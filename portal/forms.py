"""The creator portal's one form: a draft of a deliverable (a caption with a media file, or a
link). What is accepted — the file's kind and size, a caption with the media — the service
decides (``content.services.drafts.draft_submit``); its errors land on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content.services.drafts import MEDIA_LIMIT_MB


class DraftForm(forms.Form):
    caption = forms.CharField(
        label=_("Caption"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The caption exactly as it will be posted, with its hashtags and mentions."),
    )
    # Named as the service's argument and error key (a form's ``media`` property is unused).
    media = forms.FileField(  # type: ignore[assignment]
        label=_("Photo or video"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,video/mp4,video/quicktime"}),
    )
    link = forms.URLField(
        label=_("Or a link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("A link to the draft (a shared folder, a private post preview)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["media"].help_text = gettext(
            "PNG, JPEG, WebP, GIF, MP4 or MOV, at most %(size)d MB."
        ) % {"size": MEDIA_LIMIT_MB}
