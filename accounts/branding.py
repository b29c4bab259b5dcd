"""An organisation's report branding: the logo check and the accent colour (pure, no Django
models). Share pages, PDFs and e-mails show the logo inline (a data: URI), so a logo is only
ever a PNG or an SVG that cannot run anything: an SVG is parsed and refused unless every
element and attribute is on a list of drawing-only names."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from typing import Any

from django.utils.translation import gettext as _

MAX_LOGO_BYTES = 256 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ACCENT_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_ACCENT = "#4f46e5"

_SVG_NS = "{http://www.w3.org/2000/svg}"
SVG_ELEMENTS = frozenset(
    "svg g path rect circle ellipse line polyline polygon text tspan title desc defs "
    "lineargradient radialgradient stop clippath mask symbol use".split()
)
SVG_ATTRIBUTES = frozenset(
    "id class viewbox width height x y x1 y1 x2 y2 cx cy r rx ry d points fill stroke "
    "stroke-width stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray "
    "stroke-opacity fill-opacity fill-rule clip-rule opacity transform offset stop-color "
    "stop-opacity gradientunits gradienttransform spreadmethod fx fy clip-path mask "
    "font-family font-size font-weight text-anchor dominant-baseline letter-spacing "
    "preserveaspectratio version href xmlns style".split()
)
# Inside a style attribute, anything that could fetch or run something is refused.
_STYLE_FORBIDDEN = re.compile(r"url\s*\(|expression|@import|javascript:", re.IGNORECASE)


class LogoError(ValueError):
    """Why an uploaded logo was refused, in words for the form."""


def logo_content_type(data: bytes) -> str:
    """``image/png`` or ``image/svg+xml`` for an acceptable logo; ``LogoError`` otherwise."""
    if not data:
        raise LogoError(_("The file is empty."))
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(_("The logo is larger than %(size)s KB.") % {"size": MAX_LOGO_BYTES // 1024})
    if data.startswith(PNG_MAGIC):
        return "image/png"
    _check_svg(data)
    return "image/svg+xml"


def _check_svg(data: bytes) -> None:
    head = data[:2048].lower()
    if b"<svg" not in data.lower():
        raise LogoError(_("Upload a PNG or an SVG image."))
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise LogoError(_("SVG files with a DOCTYPE or entities are refused."))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LogoError(_("The SVG could not be read (%(error)s).") % {"error": exc}) from exc
    if _local(root.tag) != "svg":
        raise LogoError(_("The file's root element is not <svg>."))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        name = _local(element.tag)
        if element.tag.startswith("{") and not element.tag.startswith(_SVG_NS):
            raise LogoError(
                _("The SVG element <%(name)s> is not a drawing element; refused.") % {"name": name}
            )
        if name not in SVG_ELEMENTS:
            raise LogoError(
                _("The SVG element <%(name)s> is not allowed in a logo.") % {"name": name}
            )
        for attribute, value in element.attrib.items():
            local = _local(attribute)
            if local.lower() not in SVG_ATTRIBUTES:
                raise LogoError(
                    _("The SVG attribute %(name)s is not allowed in a logo.")
                    % {"name": repr(local)}
                )
            if local == "href" and not value.startswith("#"):
                raise LogoError(_("An SVG logo may only link to its own parts (href=\"#…\")."))
            if local == "style" and _STYLE_FORBIDDEN.search(value):
                raise LogoError(
                    _("The SVG's style attribute loads or runs something; refused.")
                )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def logo_data_uri(data: bytes | None, content_type: str) -> str:
    """The logo inline, for pages, PDFs and e-mails; "" when there is none."""
    if not data:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(bytes(data)).decode()}"


def accent_or_default(value: str) -> str:
    return value if ACCENT_PATTERN.fullmatch(value or "") else DEFAULT_ACCENT


def organization_branding(organization: Any) -> dict[str, Any]:
    """What client reports (share page, PDF, digest) show of an organisation: its name (the
    object), logo as a data: URI, accent colour and footer line."""
    return {
        "organization": organization,
        "logo_uri": logo_data_uri(organization.logo, organization.logo_content_type),
        "accent": accent_or_default(organization.accent_color),
        "footer": organization.report_footer,
    }
