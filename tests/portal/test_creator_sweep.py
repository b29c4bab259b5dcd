"""A creator reaches the portal, their own account and public pages — nothing else. Every other
page route of the site is tried with ids of the creator's own records (so a 404 cannot come from
a record being someone else's) and must answer 404; the team's home sends them to the portal."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from accounts.models import Membership, Role
from campaigns.models import Partnership
from content.models import BriefAttachment, BriefVersion, Deliverable, Draft
from influencers.models import Influencer
from payouts.models import PayoutLine
from tests import factories as f
from tests.portal.conftest import PNG
from tests.security.test_isolation import PAGE_PARAMS, _page_routes, _params
from tests.security.world import build_world

# What a creator may open outside the portal: their own account, and pages for everyone.
ACCOUNT_PAGES = {
    "accounts:login", "accounts:logout", "accounts:signup", "accounts:email", "accounts:switch",
    "accounts:invitation", "accounts:language", "accounts:preferences",
}
PUBLIC_PAGES = {
    "follow-link", "pixel-event", "pixel-image", "pixel-script", "shopify-webhook", "healthz",
    "readyz", "shared_report", "shared_brand_css", "shared_report_pdf", "digest_unsubscribe",
    "kpi-help",
}


def _reachable(name: str) -> bool:
    return (
        name.startswith(("portal:", "account_", "mfa_"))
        or name in ACCOUNT_PAGES
        or name in PUBLIC_PAGES
    )


def _own_records(team: Any) -> tuple[Any, dict[type, Any]]:
    """A world of the creator's own records: the isolation world's partnership, link, code,
    post, brief, deliverable, draft… belong to its influencer, whom the creator is."""
    world = build_world(team.organization, "MINE")
    records = dict(world.objects)
    for model in (BriefVersion, BriefAttachment, Deliverable, Draft, PayoutLine):
        assert model in records, f"the isolation world has no {model.__name__}"
    # A draft with a media file, for the portal's media route.
    records[Draft] = Draft.objects.create(
        deliverable=records[Deliverable], number=2, caption="#ad", media=PNG,
        media_name="a.png", media_content_type="image/png", media_size=len(PNG),
    )
    user = f.UserFactory(username="mine-creator")
    records[Membership] = f.MembershipFactory(
        organization=team.organization, user=user, role=Role.CREATOR,
        influencer=world[Influencer],
    )
    return user, records


def _url(route: str, values: dict[str, Any]) -> str:
    path = route
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    return "/" + path


def test_every_page_outside_the_portal_answers_a_creator_404(client_for, team) -> None:
    user, records = _own_records(team)
    client = client_for(user)
    partnership = records[Partnership]
    tried, failures = 0, []
    for name, route in _page_routes():
        if _reachable(name) or "(?P<" in route:
            continue
        params = PAGE_PARAMS.get(name, {})
        values = {
            param: getattr(records.get(params.get(param)), "pk", partnership.pk)  # type: ignore[arg-type]
            for param in _params(route)
        }
        url = _url(route, values)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            tried += 1
            if name == "dashboard":
                if response.status_code != 302 or response["Location"] != reverse("portal:home"):
                    failures.append(f"{method.upper()} {url} ({name}) → {response.status_code}")
            elif response.status_code != 404:
                failures.append(f"{method.upper()} {url} ({name}) → {response.status_code}")
    assert not failures, "\n".join(failures)
    assert tried > 150


def test_the_portal_itself_answers_the_same_creator(client_for, team) -> None:
    user, records = _own_records(team)
    client = client_for(user)
    for name, model in (("portal:partnership", Partnership), ("portal:deliverable", Deliverable),
                        ("portal:attachment", BriefAttachment), ("portal:draft_media", Draft)):
        response = client.get(reverse(name, args=[records[model].pk]))  # type: ignore[attr-defined]
        assert response.status_code == 200, name
    assert client.get(reverse("portal:home")).status_code == 200
