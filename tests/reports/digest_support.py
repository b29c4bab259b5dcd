"""Shared pieces of the digest tests: a real SMTP server (aiosmtpd) on a free local port, the
settings that point Django at it, and a campaign in New York with a weekly schedule.

The fixtures are named with ``name=``: a test module imports ``smtp_fixture`` and so on, and
its tests ask for ``smtp`` without shadowing the import."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller

from accounts.models import Role
from reports.services.digests import digest_recipient_add, digest_schedule_save
from reports.tasks import send_due_digests
from tests import factories as f
from tests.campaigns.pages_support import campaign_with_report

NEW_YORK = ZoneInfo("America/New_York")
# A 1×1 transparent PNG.
PNG_LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000152eaa3c1c20000000049454e44ae426082"
)
SHARE_URL = re.compile(r"https?://[^\s\"<>]+/s/([A-Za-z0-9_-]{43})")
UNSUBSCRIBE_URL = re.compile(r"https?://[^\s\"<>]+(/digests/unsubscribe/[^\s\"<>/]+/)")
SMTP_SETTINGS = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1", "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
    "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False, "EMAIL_TIMEOUT": 5,
}


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@dataclass
class Inbox:
    """An aiosmtpd handler: keeps what it accepts; answers 550 at RCPT for ``refuse`` and 451
    at DATA, once each, for ``defer``."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    defer: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        deferred = self.defer & set(envelope.rcpt_tos)
        if deferred:
            self.defer -= deferred
            return "451 4.3.0 Mailbox busy, try again later"
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture(name="smtp")
def smtp_fixture(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in SMTP_SETTINGS.items():
        setattr(settings, name, value)
    settings.EMAIL_PORT = port
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(name="fake_pdf")
def fake_pdf_fixture(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """A stand-in for WeasyPrint where the PDF's content is not the point (it takes seconds)."""
    content = b"%PDF-1.7\n% stand-in\n%%EOF\n"
    monkeypatch.setattr("reports.pdf.campaign_pdf_for_client", lambda *a, **k: content)
    return content


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=NEW_YORK)


@pytest.fixture(name="campaign")
def campaign_fixture(team: Any) -> Any:
    team.organization.time_zone = "America/New_York"
    team.organization.report_footer = "Acme Agency · 1 Main St"
    team.organization.accent_color = "#0f766e"
    team.organization.logo = PNG_LOGO
    team.organization.logo_content_type = "image/png"
    team.organization.save()
    return campaign_with_report(
        brand=f.BrandFactory(organization=team.organization), partnerships=6, name="Glow launch",
    )


def weekly_digest(team: Any, campaign: Any, *emails: str, created: datetime) -> Any:
    """Monday 09:00 New York, made at ``created``, with ``emails`` as recipients."""
    access = team.access(Role.ADMIN)
    with time_machine.travel(created, tick=False):
        schedule = digest_schedule_save(
            access=access, campaign=campaign, frequency="weekly", weekday=0, day_of_month=1, hour=9,
            is_active=True,
        )
        for address in emails:
            digest_recipient_add(access=access, campaign=campaign, email=address)
    return schedule


def beat(capture: Any, at: datetime) -> int:
    """One run of the beat task at ``at``, its on-commit enqueues run (eagerly, in tests)."""
    with time_machine.travel(at), capture(execute=True):
        count: int = send_due_digests()
    return count


def body_of(message: EmailMessage, subtype: str = "html") -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    return str(part.get_content())


def pdf_of(message: EmailMessage) -> tuple[str, bytes]:
    for part in message.iter_attachments():
        if part.get_content_type() == "application/pdf":
            return str(part.get_filename()), bytes(part.get_content())
    raise AssertionError("no PDF attached")
