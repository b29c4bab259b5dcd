"""The campaign's digest page: managers read it, admins and owners change it (a manager's POST
is a 403, another organisation's campaign a 404), bad input is a form error, and the log of
sends reads in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reports.digest_email import unsubscribe_token
from reports.models import DeliveryStatus, DigestDelivery, DigestRecipient, DigestSchedule
from reports.services.digests import digest_send_now, digest_unsubscribe
from tests.reports.digest_support import (  # noqa: F401 (the fixture)
    campaign_fixture,
    local,
    weekly_digest,
)

CLIENT = "ceo@client.example"


def _schedule_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "schedule-frequency": "monthly", "schedule-weekday": "2",
        "schedule-day_of_month": "15", "schedule-hour": "7", "schedule-is_active": "on",
    }
    data.update({f"schedule-{k}": v for k, v in overrides.items()})
    return data


def test_an_admin_sets_the_schedule_and_sees_the_next_send_in_local_time(
    team, campaign, client_for,
):
    client = client_for(team.admin)
    url = reverse("digest", args=[campaign.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _schedule_post())
    assert response.status_code == 302
    schedule = DigestSchedule.objects.get(campaign=campaign)
    assert (schedule.frequency, schedule.day_of_month, schedule.hour) == ("monthly", 15, 7)
    page = client.get(url).content.decode()
    assert "Monthly on day 15 at 07:00" in page and "07:00 E" in page  # EST/EDT, not UTC


@pytest.mark.parametrize(
    "bad", [{"hour": "24"}, {"day_of_month": "29"}, {"weekday": "x"}, {"frequency": "daily"}],
)
def test_bad_schedule_input_is_a_form_error(team, campaign, client_for, bad):
    response = client_for(team.admin).post(reverse("digest", args=[campaign.pk]),
                                           _schedule_post(**bad))
    assert response.status_code == 400 and b"Nothing was saved" in response.content
    assert not DigestSchedule.objects.exists()


def test_recipients_are_added_from_outside_and_checked(team, campaign, client_for):
    weekly_digest(team, campaign, created=local(2026, 12, 1, 12))
    client = client_for(team.admin)
    add = reverse("digest_recipient_add", args=[campaign.pk])
    assert client.post(add, {"recipient-email": CLIENT}).status_code == 302
    again = client.post(add, {"recipient-email": CLIENT.upper()})
    assert again.status_code == 400 and b"already receives" in again.content
    assert client.post(add, {"recipient-email": "not an address"}).status_code == 400
    assert list(DigestRecipient.objects.values_list("email", flat=True)) == [CLIENT]


def test_an_unsubscribed_address_is_kept_and_cannot_be_added_back(team, campaign, client_for):
    weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 1, 12))
    recipient = DigestRecipient.objects.get()
    digest_unsubscribe(recipient=recipient)
    client = client_for(team.admin)
    response = client.post(reverse("digest_recipient_add", args=[campaign.pk]),
                           {"recipient-email": CLIENT})
    assert response.status_code == 400 and b"only they can subscribe" in response.content
    client.post(reverse("digest_recipient_remove", args=[recipient.pk]))
    assert DigestRecipient.objects.filter(pk=recipient.pk).exists()


def test_an_admin_removes_a_recipient(team, campaign, client_for):
    weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 1, 12))
    recipient = DigestRecipient.objects.get()
    response = client_for(team.admin).post(reverse("digest_recipient_remove", args=[recipient.pk]))
    assert response.status_code == 302 and not DigestRecipient.objects.exists()


def test_a_manager_reads_the_page_but_changes_nothing(team, campaign, client_for):
    weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 1, 12))
    client = client_for(team.manager)
    page = client.get(reverse("digest", args=[campaign.pk]))
    assert page.status_code == 200 and b"Weekly on Monday at 09:00" in page.content
    assert b"Send now" not in page.content and b"Save schedule" not in page.content
    recipient = DigestRecipient.objects.get()
    for url, data in [
        (reverse("digest", args=[campaign.pk]), _schedule_post()),
        (reverse("digest_recipient_add", args=[campaign.pk]), {"recipient-email": "x@y.example"}),
        (reverse("digest_send_now", args=[campaign.pk]), {}),
        (reverse("digest_recipient_remove", args=[recipient.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert DigestSchedule.objects.get().frequency == "weekly"
    assert DigestRecipient.objects.count() == 1


def test_a_viewer_may_not_see_the_digest(team, campaign, client_for):
    assert client_for(team.viewer).get(reverse("digest", args=[campaign.pk])).status_code == 403


def test_outsider_gets_404(team, campaign, outsider, client_for):
    weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 1, 12))
    client = client_for(outsider)
    recipient = DigestRecipient.objects.get()
    assert client.get(reverse("digest", args=[campaign.pk])).status_code == 404
    for url in [reverse("digest", args=[campaign.pk]),
                reverse("digest_recipient_add", args=[campaign.pk]),
                reverse("digest_send_now", args=[campaign.pk]),
                reverse("digest_recipient_remove", args=[recipient.pk])]:
        assert client.post(url, {"recipient-email": "x@y.example"}).status_code == 404, url
    assert DigestRecipient.objects.count() == 1


def test_send_now_without_recipients_says_why(team, campaign, client_for):
    weekly_digest(team, campaign, created=local(2026, 12, 1, 12))
    client = client_for(team.admin)
    response = client.post(reverse("digest_send_now", args=[campaign.pk]), follow=True)
    assert b"Add a recipient first" in response.content


def test_the_log_reads_in_a_fixed_number_of_queries(
    team, campaign, client_for, django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    weekly_digest(team, campaign, CLIENT, "b@client.example", created=local(2026, 12, 1, 12))
    client = client_for(team.manager)
    url = reverse("digest", args=[campaign.pk])
    client.get(url)  # warm the session and organisation reads
    for _ in range(6):
        with django_capture_on_commit_callbacks(execute=False):
            send = digest_send_now(access=team.access("admin"), campaign=campaign)
        DigestDelivery.objects.filter(send=send).update(status=DeliveryStatus.FAILED,
                                                        last_error="550 nope")
        send.status = DeliveryStatus.FAILED
        send.save()
    with django_assert_max_num_queries(16):
        page = client.get(url)
    assert page.content.decode().count("550 nope") == 12


def test_the_recipient_can_subscribe_again_from_their_link(team, campaign):
    weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 1, 12))
    recipient = DigestRecipient.objects.get()
    digest_unsubscribe(recipient=recipient)
    path = reverse("digest_unsubscribe", args=[unsubscribe_token(recipient.pk)])
    page = Client().get(path)
    assert b"Subscribe again" in page.content
    response = Client(enforce_csrf_checks=True).post(path, {"action": "resubscribe"})
    assert response.status_code == 200 and b"Subscribed again" in response.content
    recipient.refresh_from_db()
    assert recipient.unsubscribed_at is None


def test_an_unknown_or_forged_unsubscribe_token_is_a_404(team, campaign):
    weekly_digest(team, campaign, CLIENT, created=local(2026, 12, 1, 12))
    recipient = DigestRecipient.objects.get()
    forged = unsubscribe_token(recipient.pk).replace(":", ":x", 1)
    for token in [forged, "nothing", unsubscribe_token(recipient.pk + 100)]:
        response = Client().post(reverse("digest_unsubscribe", args=[token]))
        assert response.status_code == 404
    assert DigestRecipient.objects.get().unsubscribed_at is None
