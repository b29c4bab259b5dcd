"""Share links: made and revoked by admins (page and API), opening one campaign's read-only
report for whoever holds the token — nothing else, nothing after revocation or expiry."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.keys import hash_key
from metrics.models import KpiScope, KpiSnapshot
from reports.models import ShareLink, ShareLinkView
from reports.services.share_links import share_link_issue
from tests import factories as f
from tests.campaigns.pages_support import campaign_with_report

TOKEN_IN_URL = re.compile(r"/s/([A-Za-z0-9_-]{43})")


@pytest.fixture
def campaign(team):
    return campaign_with_report(
        brand=f.BrandFactory(organization=team.organization), partnerships=3,
        name="Spring glow", budget="12345.00",
    )


def _open(token: str, **query: str):
    return Client().get(reverse("shared_report", args=[token]), query)


def test_an_admin_makes_a_link_on_the_page_and_sees_it_once(team, client_for, campaign):
    client = client_for(team.admin)
    response = client.post(
        reverse("share_links", args=[campaign.pk]), {"label": "Client review", "expires_in": "30"}
    )
    assert response.status_code == 200
    token = TOKEN_IN_URL.search(response.context["new_url"]).group(1)
    link = ShareLink.objects.get(campaign=campaign)
    assert link.label == "Client review" and not link.show_costs
    assert link.token_hash == hash_key(token) and token not in link.token_hash
    assert link.expires_at > timezone.now() + dt.timedelta(days=29)
    # Listed afterwards without the secret.
    listing = client.get(reverse("share_links", args=[campaign.pk])).content.decode()
    assert "Client review" in listing and token not in listing
    assert _open(token).status_code == 200


def test_the_public_page_shows_its_own_campaign_only(team, campaign):
    other = campaign_with_report(
        brand=campaign.brand, partnerships=1, name="Other campaign secret",
    )
    total = KpiSnapshot.objects.get(campaign=other, scope=KpiScope.TOTAL)
    total.data["awareness"]["impressions"] = 987654
    total.save()
    _, token = share_link_issue(campaign=campaign)
    response = _open(token)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Spring glow" in html and "250,000" in html
    assert "Other campaign secret" not in html and "987,654" not in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_public_page_has_no_navigation_edit_controls_or_inline_code(team, campaign):
    _, token = share_link_issue(campaign=campaign)
    html = _open(token).content.decode()
    assert "<form" not in html and "csrfmiddlewaretoken" not in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert all(h.startswith(("/static/", f"/s/{token}", "#", "?")) for h in hrefs), hrefs
    assert "style=" not in html and " onclick=" not in html
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head
    assert "What changed" in html


def test_costs_fees_and_roi_are_hidden_unless_the_link_allows_them(team, campaign):
    _, hidden = share_link_issue(campaign=campaign)
    response = _open(hidden)
    html = response.content.decode()
    assert [c.group for c in response.context["cards"]].count("roi") == 0
    assert len(response.context["cards"]) == 8
    for cost_text in ("3,000.00", "35.71", "12,345.00", "Return on investment", ">ROI<", ">CPA<"):
        assert cost_text not in html, cost_text
    _, shown = share_link_issue(campaign=campaign, show_costs=True)
    html = _open(shown).content.decode()
    assert "3,000.00" in html and "12,345.00" in html and ">ROI<" in html


def test_a_revoked_expired_unknown_or_malformed_link_opens_nothing(team, client_for, campaign):
    link, token = share_link_issue(campaign=campaign)
    assert _open(token).status_code == 200
    client_for(team.admin).post(reverse("share_link_revoke", args=[link.pk]))
    assert _open(token).status_code == 404
    expiring, expiring_token = share_link_issue(
        campaign=campaign, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert _open(expiring_token).status_code == 200
    ShareLink.objects.filter(pk=expiring.pk).update(expires_at=timezone.now())
    assert _open(expiring_token).status_code == 404
    assert _open("A" * 43).status_code == 404
    for bad in ("short", "x" * 200, "%00" + "A" * 40):
        assert Client().get(f"/s/{bad}").status_code == 404
    assert Client().get(reverse("shared_brand_css", args=[token])).status_code == 404


def test_every_opening_is_counted_without_who(team, campaign):
    link, token = share_link_issue(campaign=campaign)
    for _ in range(3):
        _open(token)
    views = ShareLinkView.objects.filter(share_link=link)
    assert views.count() == 3
    assert {v.kind for v in views} == {ShareLinkView.Kind.PAGE}
    assert [f.name for f in ShareLinkView._meta.fields] == ["id", "share_link", "kind", "viewed_at"]


def test_the_brand_css_carries_the_organisations_accent(team, campaign):
    team.organization.accent_color = "#0a7d5a"
    team.organization.save()
    _, token = share_link_issue(campaign=campaign)
    css = Client().get(reverse("shared_brand_css", args=[token]))
    assert css["Content-Type"].startswith("text/css")
    assert "--accent: #0a7d5a" in css.content.decode()


def test_the_sharing_page_is_for_admins_and_owners(team, client_for, campaign):
    url = reverse("share_links", args=[campaign.pk])
    for role in ("owner", "admin"):
        assert client_for(team.user(role)).get(url).status_code == 200
    for role in ("manager", "viewer"):
        assert client_for(team.user(role)).get(url).status_code == 403
        assert client_for(team.user(role)).post(url, {"label": "x"}).status_code == 403
    assert not ShareLink.objects.exists()


def test_an_outsider_gets_404_for_the_sharing_page_and_revoke(outsider, client_for, campaign):
    link, token = share_link_issue(campaign=campaign)
    client = client_for(outsider)
    assert client.get(reverse("share_links", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("share_links", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("share_link_revoke", args=[link.pk])).status_code == 404
    assert _open(token).status_code == 200  # still live


def test_a_bad_expiry_is_a_form_error_not_a_500(team, client_for, campaign):
    response = client_for(team.admin).post(
        reverse("share_links", args=[campaign.pk]), {"expires_in": "soon"}
    )
    assert response.status_code == 400
    assert "expires_in" in response.context["form"].errors
    assert not ShareLink.objects.exists()


# --- API -------------------------------------------------------------------------------------
def test_the_api_makes_lists_and_revokes_links(team, api_client_for, campaign):
    api = api_client_for(team.organization, "admin")
    url = f"/api/v1/campaigns/{campaign.pk}/share-links/"
    expires = (timezone.now() + dt.timedelta(days=7)).isoformat()
    created = api.post(url, {"label": "Board", "expires_at": expires}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert {"id", "url", "label", "expires_at", "show_costs", "created_at"} <= body.keys()
    assert body["show_costs"] is False and body["label"] == "Board"
    token = TOKEN_IN_URL.search(body["url"]).group(1)
    assert _open(token).status_code == 200
    listed = api.get(url).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [body["id"]] and rows[0]["url"] is None
    assert rows[0]["views"] == 1
    assert api.delete(f"/api/v1/share-links/{body['id']}/").status_code == 204
    assert _open(token).status_code == 404
    assert api.get(f"/api/v1/share-links/{body['id']}/").json()["revoked_at"]


def test_the_api_refuses_lower_roles_and_bad_input(team, api_client_for, campaign):
    url = f"/api/v1/campaigns/{campaign.pk}/share-links/"
    for role in ("manager", "viewer"):
        assert api_client_for(team.organization, role).post(url, {}, format="json").status_code == 403
        assert api_client_for(team.organization, role).get(url).status_code == 403
    api = api_client_for(team.organization, "admin")
    past = api.post(url, {"expires_at": "2020-01-01T00:00:00Z"}, format="json")
    assert past.status_code == 400 and "expires_at" in past.json()
    assert api.post(url, {"expires_at": "tomorrow"}, format="json").status_code == 400
    assert api.post(url, {"label": "x" * 500}, format="json").status_code == 400
    assert not ShareLink.objects.exists()


def test_an_outsider_gets_404_through_the_api(outsider_team, api_client_for, campaign):
    link, _ = share_link_issue(campaign=campaign)
    api = api_client_for(outsider_team.organization)
    assert api.get(f"/api/v1/campaigns/{campaign.pk}/share-links/").status_code == 404
    assert api.post(f"/api/v1/campaigns/{campaign.pk}/share-links/", {}, format="json"
                    ).status_code == 404
    assert api.get(f"/api/v1/share-links/{link.pk}/").status_code == 404
    assert api.delete(f"/api/v1/share-links/{link.pk}/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_admin_audits_making_and_revoking(team, client_for, campaign):
    from accounts.models import AuditEntry

    client = client_for(team.owner)
    client.post(reverse("share_links", args=[campaign.pk]), {"label": "Audit me"})
    link = ShareLink.objects.get()
    client.post(reverse("share_link_revoke", args=[link.pk]))
    actions = list(AuditEntry.objects.filter(object_type="ShareLink").values_list(
        "action", flat=True).order_by("pk"))
    assert actions == ["share_link.created", "share_link.revoked"]
