"""Tenant isolation, route by route.

As an owner of organization A, every page and every API operation is tried on organization B's
objects: each answers 404. Lists never contain B's rows, and every writable foreign key of the
API refuses B's ids. A route that is added without an entry in the tables below fails
``test_every_route_is_covered`` — decide what its ids name, then add it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import ApiKey, Invitation, Membership, Role
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    Cost,
    KpiTarget,
    Partnership,
    Post,
    PromoCode,
    TrackingLink,
)
from content.models import BriefAttachment, BriefVersion, Deliverable, Draft
from influencers.models import Influencer, SocialAccount
from metrics.models import (
    Comment,
    Conversion,
    EmvRate,
    FollowerSnapshot,
    PlatformConnection,
    PostMetrics,
    Visit,
)
from payouts.models import PayoutLine
from reports.models import DigestRecipient, ShareLink
from tests.security.world import World, build_world

# Page route name → {url parameter: the model whose id it carries}.
PAGE_PARAMS: dict[str, dict[str, type[Model]]] = {
    "accounts:member_role": {"pk": Membership},
    "accounts:member_remove": {"pk": Membership},
    "accounts:api_key_revoke": {"pk": ApiKey},
    "accounts:invitation_revoke": {"pk": Invitation},
    "influencers:detail": {"pk": Influencer},
    "influencers:edit": {"pk": Influencer},
    "influencers:account_add": {"pk": Influencer},
    "metrics:conversion-assign": {"pk": Conversion},
    "metrics:reattribute": {"brand_id": Brand},
    "metrics:comment-label": {"pk": Comment},
    "connectors:disconnect": {"pk": PlatformConnection},
    "connectors:sync": {"pk": PlatformConnection},
    "campaign_detail": {"pk": Campaign},
    "campaign_edit": {"pk": Campaign},
    "campaign_recompute": {"pk": Campaign},
    "campaign_export": {"pk": Campaign},
    "campaign_export_xlsx": {"pk": Campaign},
    "campaign_export_leaderboard": {"pk": Campaign},
    "target_set": {"pk": Campaign},
    "target_delete": {"pk": Campaign, "target_pk": KpiTarget},
    "cost_add": {"pk": Campaign},
    "cost_delete": {"pk": Campaign, "cost_pk": Cost},
    "partnership_board": {"pk": Campaign},
    "partnership_edit": {"pk": Partnership},
    "partnership_move": {"pk": Partnership},
    "partnership_links": {"pk": Partnership},
    "post_add": {"pk": Partnership},
    "posts_bulk_add": {"pk": Partnership},
    "creator_post_add": {"pk": Influencer},
    "link_preview": {"pk": Partnership},
    "promo_code_add": {"pk": Partnership},
    "link_qr": {"pk": TrackingLink},
    "link_delete": {"pk": TrackingLink},
    "promo_code_delete": {"pk": PromoCode},
    "brand_settings": {"pk": Brand},
    "brand_account_add": {"pk": Brand},
    "share_links": {"pk": Campaign},
    "share_link_revoke": {"pk": ShareLink},
    "campaign_report_pdf": {"pk": Campaign},
    "digest": {"pk": Campaign},
    "digest_recipient_add": {"pk": Campaign},
    "digest_send_now": {"pk": Campaign},
    "digest_recipient_remove": {"pk": DigestRecipient},
    "payouts:approve": {"pk": PayoutLine},
    "payouts:pay": {"pk": PayoutLine},
    "payouts:campaign": {"pk": Campaign},
    "portal:partnership": {"pk": Partnership},
    "portal:deliverable": {"pk": Deliverable},
    "portal:attachment": {"pk": BriefAttachment},
    "portal:draft_media": {"pk": Draft},
    "portal:link_qr": {"pk": TrackingLink},
    "content:brief": {"pk": Campaign},
    "content:attachment_add": {"pk": BriefVersion},
    "content:brief_send": {"pk": BriefVersion},
    "content:attachment_download": {"pk": BriefAttachment},
    "content:attachment_delete": {"pk": BriefAttachment},
    "content:deliverables": {"pk": Partnership},
    "content:deliverable_edit": {"pk": Deliverable},
    "content:deliverable_delete": {"pk": Deliverable},
    "content:deliverable_link_post": {"pk": Deliverable},
    "content:review_queue": {"pk": Campaign},
    "content:draft": {"pk": Draft},
    "content:draft_decide": {"pk": Draft},
    "content:draft_media": {"pk": Draft},
}
# Routes whose parameters name no record of an organization, and why.
NOT_OBJECT_ROUTES = {
    "follow-link": "public: a link's slug, answered for everyone",
    "pixel-event": "public: the brand's public key",
    "pixel-image": "public: the brand's public key",
    "pixel-script": "public: the brand's public key",
    "shopify-webhook": "public: the brand's public key, HMAC-verified",
    "accounts:invitation": "a secret one-time token",
    "account_confirm_email": "a secret e-mail confirmation key (allauth)",
    "account_reset_password_from_key": "a secret password-reset key (allauth)",
    "metrics_entry:import": "a kind of import (post-metrics, comments, followers)",
    "metrics_entry:import_confirm": "a kind of import",
    "connectors:callback": "a platform name",
    "shared_report": "public: a secret share token",
    "shared_brand_css": "public: a secret share token",
    "shared_report_pdf": "public: a secret share token",
    "digest_unsubscribe": "public: a signed unsubscribe token",
}
# API collection → model (detail routes carry this model's id).
API_MODELS: dict[str, type[Model]] = {
    "api-keys": ApiKey,
    "brand-accounts": BrandAccount,
    "brands": Brand,
    "campaigns": Campaign,
    "comments": Comment,
    "conversions": Conversion,
    "costs": Cost,
    "emv-rates": EmvRate,
    "follower-snapshots": FollowerSnapshot,
    "influencers": Influencer,
    "links": TrackingLink,
    "partnerships": Partnership,
    "post-metrics": PostMetrics,
    "posts": Post,
    "promo-codes": PromoCode,
    "social-accounts": SocialAccount,
    "visits": Visit,
    "share-links": ShareLink,
    "briefs": BriefVersion,
    "deliverables": Deliverable,
    "drafts": Draft,
    "payouts": PayoutLine,
}
# Collections nested under a parent's id, with their own outsider tests (tests/reports/).
NESTED_API_COLLECTIONS = {r"campaigns/(?P<campaign_pk>[^/.]+)/share-links"}
# Writable foreign keys per collection: field → model.
API_FOREIGN_KEYS: dict[str, dict[str, type[Model]]] = {
    "brand-accounts": {"brand": Brand},
    "social-accounts": {"influencer": Influencer},
    "campaigns": {"brand": Brand},
    "partnerships": {"campaign": Campaign, "influencer": Influencer},
    "posts": {"partnership": Partnership, "social_account": SocialAccount},
    "promo-codes": {"partnership": Partnership},
    "links": {"partnership": Partnership},
    "costs": {"campaign": Campaign, "partnership": Partnership},
    "post-metrics": {"post": Post},
    "comments": {"post": Post},
    "follower-snapshots": {"brand_account": BrandAccount, "social_account": SocialAccount},
    "conversions": {"brand": Brand, "partnership": Partnership},
    "visits": {"brand": Brand},
    "briefs": {"campaign": Campaign},
    "deliverables": {"partnership": Partnership},
    "drafts": {"deliverable": Deliverable},
}
BULK = {"post-metrics", "comments", "follower-snapshots", "conversions", "visits"}
# Collections that are created but never updated (a new brief version, a new draft).
CREATE_ONLY = {"briefs", "drafts"}


def _valid_bulk_item(collection: str, mine: World) -> dict[str, Any]:
    """An item the endpoint would accept from the organization itself."""
    when = "2026-03-04T10:00:00+00:00"
    return {
        "post-metrics": {"post": mine[Post].pk, "captured_at": when, "likes": 1},
        "comments": {"post": mine[Post].pk, "external_id": "x1", "text": "ok", "posted_at": when},
        "follower-snapshots": {"brand_account": mine[BrandAccount].pk, "date": "2026-03-04",
                               "followers": 10},
        "conversions": {"brand": mine[Brand].pk, "external_id": "x1", "kind": "sale",
                        "amount": "1.00", "currency": "USD", "occurred_at": when},
        "visits": {"brand": mine[Brand].pk, "occurred_at": when,
                   "landing_url": "https://brand.example/", "visitor_id": "v"},
    }[collection]


def _page_routes() -> list[tuple[str, str]]:
    """(route name, regex) of every page route, admin and the API router aside."""
    routes: list[tuple[str, str]] = []

    def walk(patterns: list[Any], namespace: str | None, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) in {"admin/", "api/v1/"}:
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace,
                     prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                routes.append((name, prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, None, "")
    return routes


def _params(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def test_every_route_is_covered() -> None:
    missing = [
        name for name, route in _page_routes()
        if _params(route) and name not in PAGE_PARAMS and name not in NOT_OBJECT_ROUTES
    ]
    assert not missing, f"routes with ids but no isolation entry: {missing}"
    from config.api_urls import router

    prefixes = {prefix for prefix, _, _ in router.registry}
    assert prefixes - NESTED_API_COLLECTIONS == set(API_MODELS), (
        "API collections and the isolation table differ"
    )


@pytest.fixture
def worlds(team, outsider_team) -> tuple[World, World]:
    return build_world(team.organization, "ACMEVISIBLE"), build_world(
        outsider_team.organization, "RIVALSECRET"
    )


def _url(route: str, values: dict[str, Any]) -> str:
    path = route
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    return "/" + path


def test_pages_answer_404_for_another_organizations_objects(client_for, team, worlds) -> None:
    mine, theirs = worlds
    client = client_for(team.owner)
    routes = dict(_page_routes())
    failures = []
    for name, params in PAGE_PARAMS.items():
        route = routes[name]
        for foreign in params:
            values = {
                param: (theirs if param == foreign else mine)[model].pk
                for param, model in params.items()
            }
            url = _url(route, values)
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status not in (404, 405):
                    failures.append(f"{method.upper()} {url} ({name}, foreign {foreign}) → {status}")
    assert not failures, "\n".join(failures)


def test_pages_never_list_another_organizations_rows(client_for, team, worlds) -> None:
    mine, theirs = worlds
    client = client_for(team.owner)
    urls = [
        _url(route, {})
        for name, route in _page_routes()
        if not _params(route) and name not in NOT_OBJECT_ROUTES
        and not route.startswith(("healthz", "readyz", "api/", "accounts/log"))
    ]
    routes = dict(_page_routes())
    urls += [
        _url(routes[name], {p: mine[m].pk for p, m in params.items()})
        for name, params in PAGE_PARAMS.items()
        if name in {"campaign_detail", "partnership_board", "influencers:detail",
                    "brand_settings", "partnership_links", "content:brief",
                    "content:deliverables", "content:review_queue", "content:draft"}
    ]
    leaks = []
    shown_own = 0
    for url in urls:
        response = client.get(url)
        body = response.content.decode(errors="replace")
        if theirs.marker in body or theirs.marker.lower() in body:
            leaks.append(url)
        shown_own += mine.marker in body
    assert not leaks, f"pages showing another organization's rows: {leaks}"
    assert shown_own >= 5, "the pages should show the organization's own rows"


def _schema(api) -> dict[str, Any]:
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    import json

    return json.loads(response.content)


def test_every_api_operation_answers_404_for_another_organizations_objects(
    api_client_for, team, worlds
) -> None:
    mine, theirs = worlds
    api = api_client_for(team.organization, Role.OWNER)
    failures = []
    for path, operations in _schema(api)["paths"].items():
        if "{id}" not in path:
            continue
        collection = path.removeprefix("/api/v1/").split("/")[0]
        url = path.replace("{id}", str(theirs[API_MODELS[collection]].pk))
        for method in operations:
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            response = getattr(api, method)(url, {}, format="json")
            if response.status_code != 404:
                failures.append(f"{method.upper()} {url} → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_api_lists_never_contain_another_organizations_rows(api_client_for, team, worlds) -> None:
    mine, theirs = worlds
    api = api_client_for(team.organization, Role.OWNER)
    for collection, model in API_MODELS.items():
        response = api.get(f"/api/v1/{collection}/", {"page_size": 500})
        assert response.status_code == 200, collection
        ids = {row["id"] for row in response.json()["results"]}
        assert theirs[model].pk not in ids, f"{collection} lists another organization's row"
        assert mine[model].pk in ids, f"{collection} should list the organization's own row"
        for field, parent in API_FOREIGN_KEYS.get(collection, {}).items():
            filtered = api.get(f"/api/v1/{collection}/", {field: theirs[parent].pk})
            if filtered.status_code == 200:
                assert filtered.json()["results"] == [], f"{collection}?{field}= leaks"


def test_every_writable_foreign_key_refuses_another_organizations_id(
    api_client_for, team, worlds
) -> None:
    mine, theirs = worlds
    api = api_client_for(team.organization, Role.OWNER)
    failures = []
    for collection, foreign_keys in API_FOREIGN_KEYS.items():
        for field, model in foreign_keys.items():
            item = {field: theirs[model].pk}
            body: Any = item
            if collection in BULK:
                body = [{**_valid_bulk_item(collection, mine), **item}]
                if field == "social_account":
                    body[0].pop("brand_account")
            response = api.post(f"/api/v1/{collection}/", body, format="json")
            data = response.json()
            errors = data.get("errors", data) if isinstance(data, dict) else {}
            if response.status_code != 400 or field not in errors:
                failures.append(f"{collection}.{field} → {response.status_code} {data}")
            # and on update of an existing row of the organization
            if collection not in BULK | CREATE_ONLY:
                detail = f"/api/v1/{collection}/{mine[API_MODELS[collection]].pk}/"
                response = api.patch(detail, item, format="json")
                if response.status_code != 400 or field not in response.json():
                    failures.append(f"PATCH {collection}.{field} → {response.status_code}")
    assert not failures, "\n".join(failures)
