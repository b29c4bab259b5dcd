"""A digest whose retry was lost (a broker flushed, a worker killed between attempts) does not
stay "retrying" for ever: the beat gives it one last attempt two hours on."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from reports.models import DeliveryStatus, DigestDelivery, DigestSend, DigestTrigger
from reports.services.digests import STALLED_AFTER, digests_stalled
from reports.tasks import send_due_digests
from tests.reports.digest_support import (  # noqa: F401 (the fixtures)
    campaign_fixture,
    fake_pdf_fixture,
    weekly_digest,
)


def _open_send(team, campaign, created_ago: timedelta) -> DigestSend:
    schedule = weekly_digest(team, campaign, "cfo@client.example",
                             created=timezone.now() - timedelta(days=30))
    send = DigestSend.objects.create(
        schedule=schedule, trigger=DigestTrigger.MANUAL, slot=timezone.now() - created_ago,
        status=DeliveryStatus.RETRYING,
    )
    DigestSend.objects.filter(pk=send.pk).update(created_at=timezone.now() - created_ago)
    DigestDelivery.objects.create(
        send=send, recipient=schedule.recipients.get(), email="cfo@client.example",
        status=DeliveryStatus.RETRYING, attempts=2, last_error="451 try later",
    )
    return send


def test_a_lost_retry_is_finished_by_the_beat(team, campaign, fake_pdf, settings,
                                               django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send = _open_send(team, campaign, STALLED_AFTER + timedelta(minutes=5))
    assert digests_stalled(timezone.now()) == [send.pk]
    with django_capture_on_commit_callbacks(execute=True):
        send_due_digests()
    send.refresh_from_db()
    assert send.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["cfo@client.example"]]
    assert digests_stalled(timezone.now()) == []


def test_a_send_still_inside_its_retries_is_left_to_them(team, campaign):
    _open_send(team, campaign, timedelta(minutes=20))
    assert digests_stalled(timezone.now()) == []
