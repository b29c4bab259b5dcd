"""Shared pieces of the connector tests: recorded responses and a connected creator account."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import responses

from accounts.models import Organization
from metrics.connectors.crypto import token_encrypt
from metrics.connectors.instagram import GRAPH_URL
from metrics.models import ConnectionStatus, PlatformConnection
from tests import factories as f

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ACCESS_TOKEN = "IGQVJ-secret-access-token-0123456789"
REFRESH_TOKEN = "1//refresh-secret-token-abcdef"
MEDIA = "17918195224117851"  # the post ``connected_account`` makes by default
ACCOUNT = "17841400000000001"  # the platform account id of its connection


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def record_instagram(*, followers: int = 48211) -> None:
    """Recorded Instagram answers for one sync of the default connected account: the media's
    insights, its comments and the account's follower count."""
    responses.get(f"{GRAPH_URL}/{MEDIA}/insights", json=fixture("instagram-media-insights.json"))
    responses.get(f"{GRAPH_URL}/{MEDIA}/comments",
                  json=fixture("instagram-media-comments-page2.json"))
    responses.get(f"{GRAPH_URL}/{ACCOUNT}", json={"followers_count": followers})


def connected_account(
    organization: Organization,
    *,
    platform: str = "instagram",
    post_external_ids: tuple[str, ...] = (MEDIA,),
    post_type: str = "reel",
    scopes: str = "",
    expires_in: dt.timedelta = dt.timedelta(days=50),
    now: dt.datetime | None = None,
) -> tuple[PlatformConnection, Any, list[Any]]:
    """A connection of a creator account with posts in an active campaign (factory objects:
    ``SocialAccount`` and ``Post`` rows)."""
    now = now or dt.datetime.now(dt.UTC)
    campaign = f.CampaignFactory(
        brand=f.BrandFactory(organization=organization),
        start_date=(now - dt.timedelta(days=10)).date(),
        end_date=(now + dt.timedelta(days=20)).date(),
    )
    partnership = f.PartnershipFactory(campaign=campaign)
    account = f.SocialAccountFactory(influencer=partnership.influencer, platform=platform)
    posts = [
        f.PostFactory(
            partnership=partnership, social_account=account, platform=platform,
            external_id=external_id, post_type=post_type,
            published_at=now - dt.timedelta(hours=2),
        )
        for external_id in post_external_ids
    ]
    connection = PlatformConnection.objects.create(
        organization=organization,
        social_account=account,
        platform=platform,
        external_account_id=ACCOUNT,
        encrypted_access_token=token_encrypt(ACCESS_TOKEN),
        encrypted_refresh_token=token_encrypt(REFRESH_TOKEN),
        token_expires_at=now + expires_in,
        scopes=scopes,
        status=ConnectionStatus.ACTIVE,
    )
    return connection, account, posts
