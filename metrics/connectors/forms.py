from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metrics.connectors.csv_exports import SUPPORTED_EXPORTS

PLATFORM_LABELS = {"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube Studio"}


class CsvExportForm(forms.Form):
    platform = forms.ChoiceField(
        choices=[(p, PLATFORM_LABELS.get(p, p)) for p in SUPPORTED_EXPORTS],
        label=gettext_lazy("Platform"),
        help_text=gettext_lazy("Which platform's analytics export the file is."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("The CSV file exactly as the platform exported it."),
    )
    captured_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        label=gettext_lazy("Captured at"),
        help_text=gettext_lazy(
            "When the export was taken (default: now). The numbers are stored as of then."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > settings.CSV_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "utf-16", "cp1252"):
            try:
                return str(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file is not readable text (save it as CSV UTF-8)."))
