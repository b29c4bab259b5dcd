"""Scheduled digests end to end: a real SMTP server (aiosmtpd), the beat at the organisation's
local hour (time-machine), the PDF attached, the share and unsubscribe links working, exactly
one digest per slot however many beats run, and failures retried, kept and shown."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from config.celery import app as celery_app
from metrics.models import KpiScope, KpiSnapshot
from reports.models import DeliveryStatus, DigestDelivery, DigestSend, DigestTrigger
from reports.services.digest_delivery import digest_deliver
from reports.services.digests import digest_send_now, digest_slot_claim, digests_due
from reports.tasks import MAX_RETRIES, backoff_seconds, deliver_digest
from tests.reports.digest_support import (  # noqa: F401 (the fixtures)
    SHARE_URL,
    UNSUBSCRIBE_URL,
    beat,
    body_of,
    campaign_fixture,
    fake_pdf_fixture,
    free_port,
    local,
    pdf_of,
    smtp_fixture,
    weekly_digest,
)

CLIENT = "ceo@client.example"  # outside the organisation: allowed
BRAND_MANAGER = "brand.manager@brand.example"


def test_a_digest_reaches_the_smtp_server_once_at_the_local_hour_with_the_pdf(
    team, campaign, smtp, django_capture_on_commit_callbacks,
):
    weekly_digest(team, campaign, CLIENT, BRAND_MANAGER, created=local(2026, 12, 1, 12))

    # 08:58 in New York on Monday 7 Dec 2026 (13:58 UTC): nothing is due yet.
    assert beat(django_capture_on_commit_callbacks, local(2026, 12, 7, 8, 58)) == 0
    assert smtp.messages == []
    # 09:02: the digest goes out — and a second beat, at once or later, sends nothing more.
    assert beat(django_capture_on_commit_callbacks, local(2026, 12, 7, 9, 2)) == 1
    assert beat(django_capture_on_commit_callbacks, local(2026, 12, 7, 9, 2)) == 0
    assert beat(django_capture_on_commit_callbacks, local(2026, 12, 7, 9, 7)) == 0

    assert sorted(m["To"] for m in smtp.messages) == sorted([CLIENT, BRAND_MANAGER])
    send = DigestSend.objects.get()
    assert send.trigger == DigestTrigger.SCHEDULE and send.status == DeliveryStatus.SENT
    assert send.slot == dt.datetime(2026, 12, 7, 14, tzinfo=dt.UTC)
    message = smtp.to(CLIENT)[0]
    assert message["Subject"] == "Glow launch: weekly report, 7 Dec 2026"
    filename, pdf = pdf_of(message)
    assert filename == "glow-launch-2026-12-07.pdf" and pdf.startswith(b"%PDF")
    html, text = body_of(message), body_of(message, "plain")
    assert "Headline KPIs" in html and "Top creators" in html and "Acme Agency" in html
    assert 'src="data:image/png;base64,' in html and "#0f766e" in html  # the branding
    assert send.figures["narrative"][0] in text and len(send.figures["narrative"]) == 3
    assert len(send.figures["top"]) == 5

    # The share link opens the client's report (no costs), labelled after the digest.
    token = SHARE_URL.search(html).group(1)
    assert SHARE_URL.search(text).group(1) == token
    assert Client().get(reverse("shared_report", args=[token])).status_code == 200
    assert send.share_link.label == "Digest 2026-12-07" and not send.share_link.show_costs
    # Each recipient has their own unsubscribe link, in the body and the headers.
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    links = {UNSUBSCRIBE_URL.search(m["List-Unsubscribe"]).group(1) for m in smtp.messages}
    assert len(links) == 2 and UNSUBSCRIBE_URL.search(html).group(1) in links


def test_an_unsubscribed_address_gets_nothing_more(
    team, campaign, smtp, fake_pdf, django_capture_on_commit_callbacks,
):
    weekly_digest(team, campaign, CLIENT, BRAND_MANAGER, created=local(2026, 12, 1, 12))
    beat(django_capture_on_commit_callbacks, local(2026, 12, 7, 9, 1))
    path = UNSUBSCRIBE_URL.search(body_of(smtp.to(CLIENT)[0])).group(1)

    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(path)  # a link scanner's GET changes nothing
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    assert campaign.digest_schedule.recipients.get(email=CLIENT).unsubscribed_at is None
    done = visitor.post(path, {"action": "unsubscribe"})
    assert done.status_code == 200 and b"no longer receives" in done.content

    smtp.messages.clear()
    beat(django_capture_on_commit_callbacks, local(2026, 12, 14, 9, 1))
    assert [m["To"] for m in smtp.messages] == [BRAND_MANAGER]


def test_the_one_click_post_of_rfc_8058_unsubscribes(
    team, campaign, smtp, fake_pdf, django_capture_on_commit_callbacks,
):
    weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 1, 12))
    beat(django_capture_on_commit_callbacks, local(2026, 12, 7, 9, 1))
    path = UNSUBSCRIBE_URL.search(smtp.messages[0]["List-Unsubscribe"]).group(1)
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert campaign.digest_schedule.recipients.get().unsubscribed_at is not None
    assert Client().get(path[:-5] + "xxxx/").status_code == 404  # a forged token


def test_two_beats_racing_for_one_slot_claim_it_once(team, campaign):
    schedule = weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 1, 12))
    slot = dt.datetime(2026, 12, 7, 14, tzinfo=dt.UTC)
    first = digest_slot_claim(schedule, slot)
    # The second insert hits the unique constraint (what a concurrent beat would do).
    assert first is not None and digest_slot_claim(schedule, slot) is None
    assert DigestSend.objects.count() == 1 and first.deliveries.count() == 1


def test_a_new_or_changed_schedule_starts_with_its_next_slot(team, campaign):
    # Made at 10:00 on a Monday: that Monday's 09:00 is not sent late.
    weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 7, 10))
    assert digests_due(local(2026, 12, 7, 10, 5)) == []
    assert len(digests_due(local(2026, 12, 14, 9, 0))) == 1
    # A slot missed by more than a day (a beat down all week) is skipped, not sent stale.
    assert digests_due(local(2026, 12, 22, 9, 30)) == []


def test_change_since_the_last_digest(
    team, campaign, smtp, fake_pdf, django_capture_on_commit_callbacks,
):
    weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 1, 12))
    beat(django_capture_on_commit_callbacks, local(2026, 12, 7, 9, 1))
    total = KpiSnapshot.objects.get(campaign=campaign, scope=KpiScope.TOTAL)
    total.data["conversion"]["conversions"] = 105  # was 84
    total.save()
    beat(django_capture_on_commit_callbacks, local(2026, 12, 14, 9, 1))
    first, second = smtp.messages
    assert "+21 (+25.0%)" not in body_of(first, "plain")
    assert "+21 (+25.0%)" in body_of(second, "plain")


def test_a_bounce_fails_one_address_and_a_deferral_is_retried_alone(
    team, campaign, smtp, fake_pdf, client_for, django_capture_on_commit_callbacks,
):
    weekly_digest(team, campaign, CLIENT, BRAND_MANAGER, "gone@client.example",
                  created=local(2026, 12, 1, 12))
    smtp.refuse.add("gone@client.example")
    smtp.defer.add(BRAND_MANAGER)
    with django_capture_on_commit_callbacks(execute=False):  # the test runs the attempts
        send = digest_send_now(access=team.access("admin"), campaign=campaign)

    assert digest_deliver(send.pk).status == DeliveryStatus.RETRYING
    outcome = {d.email: d for d in DigestDelivery.objects.filter(send=send)}
    assert outcome[CLIENT].status == DeliveryStatus.SENT
    assert outcome["gone@client.example"].status == DeliveryStatus.FAILED
    assert "550" in outcome["gone@client.example"].last_error
    assert outcome[BRAND_MANAGER].status == DeliveryStatus.RETRYING
    assert "451" in outcome[BRAND_MANAGER].last_error
    page = client_for(team.manager).get(reverse("digest", args=[campaign.pk])).content.decode()
    assert "550 5.1.1 No such user here" in page and "451 4.3.0" in page and "Retrying" in page

    # The retry sends only the missing one; the bounced address is not tried again.
    assert digest_deliver(send.pk).status == DeliveryStatus.FAILED  # one address bounced
    assert len(smtp.to(CLIENT)) == 1 and len(smtp.to(BRAND_MANAGER)) == 1
    retried = DigestDelivery.objects.get(send=send, email=BRAND_MANAGER)
    assert retried.status == DeliveryStatus.SENT and retried.attempts == 2
    assert DigestDelivery.objects.get(send=send, email="gone@client.example").attempts == 1


def test_an_unreachable_server_is_retried_then_the_rest_is_sent(
    team, campaign, smtp, fake_pdf, settings, client_for, django_capture_on_commit_callbacks,
):
    weekly_digest(team, campaign, CLIENT, BRAND_MANAGER, created=local(2026, 12, 1, 12))
    with django_capture_on_commit_callbacks(execute=False):
        send = digest_send_now(access=team.access("admin"), campaign=campaign)
    live_port, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()  # nothing listens there

    assert digest_deliver(send.pk).status == DeliveryStatus.RETRYING
    errors = set(DigestDelivery.objects.values_list("status", "last_error"))
    assert {status for status, _ in errors} == {DeliveryStatus.RETRYING}
    assert all("ConnectionRefusedError" in error for _, error in errors)
    page = client_for(team.admin).get(reverse("digest", args=[campaign.pk])).content.decode()
    assert "ConnectionRefusedError" in page
    link = DigestSend.objects.get().share_link

    settings.EMAIL_PORT = live_port
    assert digest_deliver(send.pk).status == DeliveryStatus.SENT
    assert sorted(m["To"] for m in smtp.messages) == sorted([CLIENT, BRAND_MANAGER])
    # The retry reused the digest's share link rather than issuing another.
    assert DigestSend.objects.get().share_link == link
    assert SHARE_URL.search(body_of(smtp.messages[0])).group(1) == \
        SHARE_URL.search(body_of(smtp.messages[1])).group(1)


def test_after_the_last_retry_the_deliveries_are_failed_with_the_error_kept(
    team, campaign, fake_pdf, settings, monkeypatch, django_capture_on_commit_callbacks,
):
    weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 1, 12))
    for name, value in {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": free_port()}.items():
        setattr(settings, name, value)
    with django_capture_on_commit_callbacks(execute=False):
        send = digest_send_now(access=team.access("admin"), campaign=campaign)
    waits: list[int] = []
    monkeypatch.setattr("reports.tasks.backoff_seconds",
                        lambda attempt: waits.append(attempt) or 60.0 * 2**attempt)
    # Eager Celery that does not propagate runs each retry at once (the countdown is ignored),
    # as a worker would run them later, up to MAX_RETRIES.
    monkeypatch.setitem(celery_app.conf, "CELERY_TASK_EAGER_PROPAGATES", False)
    assert deliver_digest.delay(send.pk).get() == DeliveryStatus.FAILED
    assert waits == list(range(MAX_RETRIES))
    delivery = DigestDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == MAX_RETRIES + 1
    assert "ConnectionRefusedError" in delivery.last_error
    send.refresh_from_db()
    assert send.status == DeliveryStatus.FAILED and send.finished_at is not None


def test_backoff_grows_exponentially_with_jitter() -> None:
    for attempt in range(MAX_RETRIES):
        delays = {backoff_seconds(attempt) for _ in range(20)}
        ceiling = 60 * 2**attempt
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(delays) > 1


def test_send_now_mails_each_recipient_separately(
    team, campaign, client_for, fake_pdf, mailoutbox, django_capture_on_commit_callbacks,
):
    weekly_digest(team, campaign, CLIENT, BRAND_MANAGER, created=local(2026, 12, 1, 12))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(team.admin).post(reverse("digest_send_now", args=[campaign.pk]))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted([CLIENT, BRAND_MANAGER])
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    assert DigestSend.objects.get().trigger == DigestTrigger.MANUAL
    # A double click while it is sending does not mail everyone twice.
    DigestSend.objects.update(status=DeliveryStatus.RETRYING)
    client_for(team.admin).post(reverse("digest_send_now", args=[campaign.pk]))
    assert DigestSend.objects.count() == 1
