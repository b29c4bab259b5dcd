"""Connect buttons of platforms whose OAuth app is not configured are disabled, saying why and
where to read; starting OAuth for them is refused with the same words, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from metrics.connectors.views import unconfigured_reason
from metrics.models import ConnectionStatus
from tests import factories as f
from tests.metrics.connectors.connector_helpers import connected_account

REASON = "The Instagram app isn't configured on this server — see README → Platform connections."


@pytest.fixture
def no_apps(settings):
    for name in ("INSTAGRAM_APP_ID", "INSTAGRAM_APP_SECRET", "YOUTUBE_CLIENT_ID",
                 "YOUTUBE_CLIENT_SECRET", "TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET"):
        setattr(settings, name, "")


def _account(team, platform: str = "instagram"):
    influencer = f.InfluencerFactory(organization=team.organization)
    return f.SocialAccountFactory(influencer=influencer, platform=platform)


def test_the_reason_names_the_platform_and_the_readme_section() -> None:
    assert unconfigured_reason("instagram") == REASON


def test_an_unconfigured_platforms_connect_button_is_disabled_with_the_reason(
    team, client_for, no_apps
) -> None:
    account = _account(team)
    brand_account = f.BrandAccountFactory(brand=f.BrandFactory(organization=team.organization))
    body = client_for(team.admin).get(reverse("connectors:list")).content.decode()
    assert f'value="social:{account.pk}"' not in body  # no live form
    assert f'value="brand:{brand_account.pk}"' not in body
    assert f'disabled aria-describedby="blocked-social-{account.pk}">Connect</button>' in body
    assert f'disabled aria-describedby="blocked-brand-{brand_account.pk}">Connect</button>' in body
    assert "The Instagram app isn&#x27;t configured on this server — see README → Platform connections." in body


def test_a_configured_platforms_button_stays_live(team, client_for, no_apps, settings) -> None:
    settings.YOUTUBE_CLIENT_ID, settings.YOUTUBE_CLIENT_SECRET = "yt-id", "yt-secret"
    youtube, instagram = _account(team, "youtube"), _account(team, "instagram")
    body = client_for(team.admin).get(reverse("connectors:list")).content.decode()
    assert f'value="social:{youtube.pk}"' in body
    assert f'value="social:{instagram.pk}"' not in body
    assert "The YouTube app" not in body


def test_a_revoked_connection_cannot_be_reconnected_either(team, client_for, no_apps) -> None:
    connection, _, _ = connected_account(team.organization)
    connection.status = ConnectionStatus.REVOKED
    connection.save()
    body = client_for(team.admin).get(reverse("connectors:list")).content.decode()
    assert f'aria-describedby="blocked-connection-{connection.pk}">Reconnect</button>' in body


def test_starting_oauth_for_it_is_refused_with_the_reason(team, client_for, no_apps) -> None:
    account = _account(team)
    client = client_for(team.admin)
    response = client.post(reverse("connectors:connect"), {"account": f"social:{account.pk}"})
    assert response.status_code == 302 and response["Location"] == reverse("connectors:list")
    page = client.get(response["Location"]).content.decode()
    assert "The Instagram app isn&#x27;t configured on this server" in page


def test_outsider_gets_404_on_starting_oauth(team, outsider, client_for, no_apps) -> None:
    account = _account(team)
    response = client_for(outsider).post(reverse("connectors:connect"), {"account": f"social:{account.pk}"})
    assert response.status_code == 404
