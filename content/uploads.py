"""Files handed to the workflow, known by their first bytes (never by the name or the type the
browser claims): brief attachments and draft media."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
VIDEO_TYPES = ("video/mp4", "video/quicktime")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KIND_NAMES = {
    "image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP", "image/gif": "GIF",
    "video/mp4": "MP4", "video/quicktime": "MOV", "application/pdf": "PDF", DOCX: "DOCX",
}


def sniff(data: bytes) -> str | None:
    """The content type ``data`` really is, of those the workflow accepts; None otherwise."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[4:8] == b"ftyp":
        return "video/quicktime" if data[8:10] == b"qt" else "video/mp4"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return DOCX
    return None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def read_upload(
    upload: Any, *, field: str, limit_mb: int, allowed: Iterable[str]
) -> tuple[bytes, str, str]:
    """``(data, content type, file name)`` of an uploaded file, or a ValidationError on
    ``field``: too large, or not one of the ``allowed`` types by its content."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit_mb * MB:
        raise ValidationError(
            {field: _("The file is larger than %(limit)d MB.") % {"limit": limit_mb}}
        )
    data = upload.read(limit_mb * MB + 1)
    if len(data) > limit_mb * MB:
        raise ValidationError(
            {field: _("The file is larger than %(limit)d MB.") % {"limit": limit_mb}}
        )
    if not data:
        raise ValidationError({field: _("The file is empty.")})
    content_type = sniff(data)
    accepted = list(allowed)
    if content_type is None or content_type not in accepted:
        kinds = ", ".join(KIND_NAMES.get(kind, kind) for kind in accepted)
        raise ValidationError(
            {field: _("This kind of file is not accepted here; upload one of: %(kinds)s.")
             % {"kinds": kinds}}
        )
    name = str(getattr(upload, "name", "") or "file").replace("\\", "/").rsplit("/", 1)[-1]
    return data, content_type, name[:200] or "file"
