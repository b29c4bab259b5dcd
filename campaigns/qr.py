"""QR codes of short links, as SVG (no image library needed, crisp at any size)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> bytes:
    """An SVG QR code of ``data`` with a white quiet zone, sized by its viewBox."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    return image.to_string(encoding="utf-8")
