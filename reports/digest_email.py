"""One digest e-mail to one recipient, and the signed unsubscribe links.

Every recipient gets a message of their own — never a shared To: — so each carries its own
unsubscribe link, in the body and in the ``List-Unsubscribe`` headers (RFC 2369 / RFC 8058
one-click). The unsubscribe token is the recipient's id signed with a salt of its own: it
cannot be forged or reused for anything else, and it does not expire (an old digest's link
must still work).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext as _

UNSUBSCRIBE_SALT = "reports.digest-unsubscribe"


def unsubscribe_token(recipient_id: int) -> str:
    return signing.dumps(recipient_id, salt=UNSUBSCRIBE_SALT, compress=False)


def recipient_id_from(token: str) -> int | None:
    """The recipient id a token was signed for; None when it was tampered with."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def unsubscribe_url(recipient_id: int) -> str:
    path = reverse("digest_unsubscribe", args=[unsubscribe_token(recipient_id)])
    return settings.FUNNELBOARD_BASE_URL.rstrip("/") + path


@dataclass(frozen=True)
class DigestContent:
    """What every recipient of one digest reads; only the unsubscribe link differs."""

    subject: str
    campaign_name: str
    frequency: str
    local_date: date
    kpis: list[dict[str, Any]]
    narrative: list[str]
    top: list[dict[str, Any]]
    share_url: str
    branding: dict[str, Any] = field(default_factory=dict)
    pdf: bytes = b""
    pdf_filename: str = "report.pdf"


def subject_for(campaign_name: str, frequency_label: str, day: date) -> str:
    """"Spring launch: weekly report, 7 Dec 2026" (no platform-dependent ``%-d``), in the
    active language (the month's name too)."""
    return _("%(campaign)s: %(frequency)s report, %(date)s") % {
        "campaign": campaign_name, "frequency": frequency_label.lower(),
        "date": dateformat.format(day, "j M Y"),
    }


def digest_message(
    content: DigestContent, *, to: str, recipient_id: int, connection: BaseEmailBackend,
) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(recipient_id)
    context = {**content.branding, "content": content, "unsubscribe_url": unsubscribe,
               "to": to}
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=render_to_string("reports/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Out-of-office replies to a scheduled report help nobody.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("reports/email/digest.html", context),
                               "text/html")
    if content.pdf:
        message.attach(content.pdf_filename, content.pdf, "application/pdf")
    return message
