"""What the workflow pages share: finding sentences, and file responses that a browser never
sniffs or renders as a page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from content.check_text import finding_message

# Media a draft preview shows in the page; anything else is only offered as a download.
INLINE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/webp", "image/gif", "video/mp4", "video/quicktime"}
)


def findings_shown(findings: Iterable[Mapping[str, str]] | None) -> list[dict[str, str]]:
    """Stored findings with the sentence a person reads (the exact rule and tag or word)."""
    return [
        {"rule": str(f.get("rule", "")), "detail": str(f.get("detail", "")),
         "message": finding_message(f)}
        for f in findings or ()
    ]


def file_response(data: Any, *, content_type: str, name: str, inline: bool) -> HttpResponse:
    """A stored file, shown in the page only when asked and of a media type a browser renders
    as media (never as a page), else a download."""
    shown = inline and content_type in INLINE_TYPES
    response = HttpResponse(bytes(data), content_type=content_type or "application/octet-stream")
    disposition = content_disposition_header(not shown, name or "file")
    response["Content-Disposition"] = disposition or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
