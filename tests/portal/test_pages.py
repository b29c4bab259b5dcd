"""The portal's pages as a creator reads them: their own partnerships, brief, deliverables,
drafts, codes, links, KPIs and earnings — and nothing of anyone else's."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from metrics.selectors.snapshots import partnership_document
from tests.portal.conftest import CAMPAIGN_COST, OTHER_FEE, OWN_FEE, PDF, PNG, portal_urls


def test_home_lists_only_their_own_partnerships_deliverables_drafts_and_earnings(
    client_for, portal, django_assert_max_num_queries
):
    client = client_for(portal.priya.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vitamin C launch" in body and "Glow" in body
    assert reverse("portal:partnership", args=[portal.priya.partnership.pk]) in body
    # Due next: both open deliverables, the late one flagged.
    due = re.search(r'<ul class="code-list" id="due-list">(.*?)</ul>', body, re.S)
    assert due is not None
    assert due.group(1).count("<li>") == 2 and "Late" in due.group(1)
    # The draft waiting for changes.
    assert reverse("portal:deliverable", args=[portal.priya["late"].pk]) in body
    assert "Changes requested" in body
    # Earnings: the approved fee share line.
    assert "150.00 USD" in body
    assert "SHORTLIST" not in body  # a prospect partnership is the team's, not hers yet
    assert reverse("portal:partnership", args=[portal.maya.partnership.pk]) not in body


def test_the_partnership_page_shows_her_brief_codes_links_kpis_and_earnings(
    client_for, portal
):
    client = client_for(portal.priya.user)
    response = client.get(portal_urls(portal.priya)["partnership"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sent-to-Priya goal" in body and "moodboard.pdf" in body
    assert "MAYAONLY" not in body and "mayaonly.pdf" not in body  # a version not sent to her
    assert "PRIYA15" in body and "MAYA15" not in body
    assert f"/r/{portal.priya['link'].slug}" in body
    assert f"/r/{portal.maya['link'].slug}" not in body
    assert reverse("portal:link_qr", args=[portal.priya["link"].pk]) in body
    # Her KPIs: clicks and impressions as the engine computed them for her partnership.
    assert 'data-kpi="ctr.clicks"' in body and 'data-kpi="conversion.revenue"' in body
    kpis = {k.path: k.value for k in response.context["kpis"]}
    document = partnership_document(portal.priya.partnership.campaign_id,
                                    portal.priya.partnership.pk)
    assert document is not None
    assert kpis["ctr.clicks"] == document["ctr"]["clicks"] == 3
    assert kpis["awareness.impressions"] == 12_345
    assert "12,345" in body
    assert "PRIYA fee share" in body and "MAYA fee share" not in body


def test_the_brief_attachment_downloads_through_the_checkpoint(client_for, portal):
    response = client_for(portal.priya.user).get(portal_urls(portal.priya)["attachment"])
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The version sent to Maya only: not Priya's to open.
    theirs = portal.v2.attachments.get()
    url = reverse("portal:attachment", args=[theirs.pk])
    assert client_for(portal.priya.user).get(url).status_code == 404
    assert client_for(portal.maya.user).get(url).status_code == 200


def test_draft_media_and_qr_code_are_served_to_her(client_for, portal):
    client = client_for(portal.priya.user)
    urls = portal_urls(portal.priya)
    media = client.get(urls["draft_media"])
    assert media.status_code == 200 and media.content == PNG
    assert media["Content-Disposition"].startswith("attachment")
    assert media["X-Content-Type-Options"] == "nosniff"
    qr = client.get(urls["link_qr"])
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<?xml") or b"<svg" in qr.content[:200]
    download = client.get(urls["link_qr"], {"download": "1"})
    assert download["Content-Disposition"] == (
        f'attachment; filename="qr-{portal.priya["link"].slug}.svg"'
    )


def test_the_deliverable_page_shows_the_history_reviews_and_findings(client_for, portal):
    response = client_for(portal.priya.user).get(portal_urls(portal.priya)["deliverable"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "PRIYA first take" in body
    assert "PRIYA please add #ad at the start" in body
    assert 'data-rule="disclosure_missing"' in body and "#ad" in body
    assert 'id="draft-form"' in body  # changes requested: a new draft is welcome
    assert "Late" in body


@pytest.mark.parametrize("who", ["maya", "rival"])
def test_another_creator_gets_404_on_every_portal_url_with_her_ids(client_for, portal, who):
    client = client_for(getattr(portal, who).user)
    for name, url in portal_urls(portal.priya).items():
        assert client.get(url).status_code == 404, name
    assert client.post(portal_urls(portal.priya)["deliverable"],
                       {"caption": "x", "link": "https://example.com/x"}).status_code == 404


def test_a_prospect_partnership_is_not_in_the_portal(client_for, portal):
    url = reverse("portal:partnership", args=[portal.prospect.pk])
    assert client_for(portal.priya.user).get(url).status_code == 404


@pytest.mark.parametrize("role", ["owner", "admin", "manager", "viewer"])
def test_team_members_get_404_on_portal_pages(client_for, team, portal, role):
    client = client_for(team.user(role))
    assert client.get(reverse("portal:home")).status_code == 404
    for name, url in portal_urls(portal.priya).items():
        assert client.get(url).status_code == 404, name


def test_signed_out_visitors_are_sent_to_sign_in(client, portal):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_team_home_sends_a_creator_to_the_portal_and_the_nav_is_the_portals(
    client_for, portal
):
    client = client_for(portal.priya.user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    body = client.get(reverse("portal:home")).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', body, re.S)
    assert nav is not None
    assert reverse("portal:home") in nav.group(0)
    for team_page in (reverse("dashboard"), reverse("influencers:list"), reverse("brand_list")):
        assert f'href="{team_page}"' not in nav.group(0)


def _money(value) -> list[str]:
    return [f"{value:,.2f}", f"{value:.2f}"]


def test_no_cost_fee_roi_or_other_creator_appears_on_any_portal_page(client_for, portal):
    client = client_for(portal.priya.user)
    urls = [reverse("portal:home"), *(
        url for name, url in portal_urls(portal.priya).items()
        if name in {"partnership", "deliverable", "upcoming"}
    )]
    document = partnership_document(portal.priya.partnership.campaign_id,
                                    portal.priya.partnership.pk)
    assert document is not None and document["roi"]["total_cost"] is not None
    forbidden = [*_money(CAMPAIGN_COST), *_money(OTHER_FEE), *_money(OWN_FEE),
                 "Maya Chen", "MAYA", "Rival", "RIVAL", "Studio hire"]
    for name, value in document["roi"].items():
        if name in {"revenue", "cost_breakdown"} or value in (None, 0, "0", "0.00"):
            continue
        forbidden.append(str(value))
        if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value):
            forbidden += _money(Decimal(value))
    for url in urls:
        body = client.get(url).content.decode()
        main = body[body.index('<main'):]
        leaked = [text for text in forbidden if text in main]
        assert not leaked, f"{url} shows {leaked}"
        for label in ("ROI", "ROAS", "CPA", "CPM", "Total cost", "Cost breakdown"):
            assert not re.search(rf"\b{label}\b", main), f"{url} shows {label}"


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_query_count_does_not_grow_with_rows(client_for, portal):
    from content.models import Deliverable, Draft, DraftReview
    from payouts.models import PayoutLine
    from tests import factories as f

    client = client_for(portal.priya.user)
    partnership = portal.priya.partnership
    urls = [reverse("portal:home"), portal_urls(portal.priya)["partnership"],
            portal_urls(portal.priya)["deliverable"]]
    before = [_queries(client, url) for url in urls]
    late = portal.priya["late"]
    for n in range(2, 6):
        draft = Draft.objects.create(deliverable=late, number=n, caption=f"take {n}",
                                     findings=[{"rule": "hashtag_missing", "detail": "#glowup"}])
        DraftReview.objects.create(draft=draft, decision="request_changes", comment="again")
        Deliverable.objects.create(partnership=partnership, platform="instagram",
                                   format="story", due_date=late.due_date)
        f.PromoCodeFactory(partnership=partnership)
        f.TrackingLinkFactory(partnership=partnership)
        PayoutLine.objects.create(partnership=partnership, kind="fee", amount="10.00",
                                  currency="USD")
    assert [_queries(client, url) for url in urls] == before
