"""The public client-report endpoints against a stranger: share pages and PDFs (a token in the
path) and the digest's unsubscribe link (a signed token). Whatever the path holds, the answer
is a 404 or the page of that one token — never a 500, never a write beyond its own view count
or its own recipient."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.digest_email import unsubscribe_token
from reports.models import DigestRecipient, DigestSchedule, ShareLink, ShareLinkView
from reports.services.share_links import share_link_issue
from tests import factories as f

PATHS = ("/s/{}", "/s/{}/report.pdf", "/s/{}/brand.css", "/digests/unsubscribe/{}/")


@pytest.fixture
def link(db):
    link, token = share_link_issue(campaign=f.CampaignFactory())
    link.token = token  # type: ignore[attr-defined]
    return link


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=120))
def test_any_token_is_a_404_never_a_500_and_writes_nothing(link, token: str) -> None:
    client = Client(raise_request_exception=False)
    for template in PATHS:
        path = template.format(token.replace("/", "").replace("?", "").replace("#", ""))
        for method in ("get", "post"):
            status = getattr(client, method)(path).status_code
            assert status in (404, 405, 301), (method, path, status)
    assert not ShareLinkView.objects.exists()
    assert ShareLink.objects.filter(revoked_at__isnull=True).count() == 1


def test_a_share_link_answers_only_reads(link) -> None:
    client = Client()
    for path in (reverse("shared_report", args=[link.token]),
                 reverse("shared_brand_css", args=[link.token])):
        assert client.post(path).status_code == 405
        assert client.delete(path).status_code == 405
    link.refresh_from_db()
    assert link.revoked_at is None


def test_one_recipients_link_unsubscribes_only_them(db) -> None:
    schedule = DigestSchedule.objects.create(campaign=f.CampaignFactory())
    mine = DigestRecipient.objects.create(schedule=schedule, email="me@client.example")
    other = DigestRecipient.objects.create(schedule=schedule, email="boss@client.example")
    token = unsubscribe_token(mine.pk)
    assert Client().post(reverse("digest_unsubscribe", args=[token])).status_code == 200
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.unsubscribed_at is not None and other.unsubscribed_at is None
    # The signature covers the id: another recipient's id under my signature is nobody.
    other_id, _ = unsubscribe_token(other.pk).split(":", 1)
    _, my_signature = token.split(":", 1)
    forged = f"{other_id}:{my_signature}"
    assert forged != unsubscribe_token(other.pk)
    assert Client().post(reverse("digest_unsubscribe", args=[forged])).status_code == 404
    other.refresh_from_db()
    assert other.unsubscribed_at is None
