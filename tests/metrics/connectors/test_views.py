"""The connector pages (metrics/connectors/views.py): connections — who sees and manages what,
the OAuth round trip, outsiders get 404 — and the upload page of the platforms' own exports."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import responses
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metrics.connectors.crypto import token_decrypt
from metrics.connectors.views import NONCE_SESSION_KEY
from metrics.models import ConnectionStatus, PlatformConnection, PostMetrics
from tests import factories as f
from tests.metrics.connectors.connector_helpers import ACCESS_TOKEN, connected_account
from tests.metrics.connectors.test_csv_exports import INSTAGRAM, YOUTUBE, post_for


@pytest.fixture
def instagram_app(settings):
    settings.INSTAGRAM_APP_ID, settings.INSTAGRAM_APP_SECRET = "ig-app-id", "ig-app-secret"
    settings.FUNNELBOARD_BASE_URL = "https://fb.example"


def test_the_list_shows_each_connection_with_its_status_and_last_error(team, client_for) -> None:
    connection, account, _ = connected_account(team.organization)
    connection.last_error = "instagram: rate limited (HTTP 429)"
    connection.save()
    response = client_for(team.viewer).get(reverse("connectors:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert account.handle in body and "Connected" in body and "rate limited" in body
    assert "Sync now" not in body  # viewers read only
    assert ACCESS_TOKEN not in body and connection.encrypted_access_token not in body


def test_admins_get_the_buttons(team, client_for) -> None:
    connected_account(team.organization)
    body = client_for(team.admin).get(reverse("connectors:list")).content.decode()
    assert "Sync now" in body and "Disconnect" in body


def test_the_list_never_shows_another_organizations_connections(team, outsider_team,
                                                                client_for) -> None:
    _, theirs, _ = connected_account(outsider_team.organization)
    body = client_for(team.owner).get(reverse("connectors:list")).content.decode()
    assert theirs.handle not in body


def test_the_list_query_count_does_not_grow_with_rows(team, client_for,
                                                      django_assert_max_num_queries) -> None:
    for _ in range(6):
        connected_account(team.organization)
        f.SocialAccountFactory(influencer=f.InfluencerFactory(organization=team.organization))
    client = client_for(team.owner)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("connectors:list")).status_code == 200


def test_connect_redirects_to_the_platform_with_a_signed_state(team, client_for,
                                                               instagram_app) -> None:
    account = f.SocialAccountFactory(influencer=f.InfluencerFactory(organization=team.organization))
    client = client_for(team.admin)
    response = client.post(reverse("connectors:connect"), {"account": f"social:{account.pk}"})
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.netloc == "www.instagram.com"
    query = parse_qs(target.query)
    assert query["client_id"] == ["ig-app-id"]
    assert query["redirect_uri"] == ["https://fb.example/connections/callback/instagram/"]
    assert "instagram_business_manage_insights" in query["scope"][0]
    assert query["state"][0] and "ig-app-secret" not in response["Location"]


def test_a_manager_cannot_connect(team, client_for, instagram_app) -> None:
    account = f.SocialAccountFactory(influencer=f.InfluencerFactory(organization=team.organization))
    response = client_for(team.manager).post(
        reverse("connectors:connect"), {"account": f"social:{account.pk}"})
    assert response.status_code == 403


def test_outsider_gets_404_connecting_our_account(team, outsider, client_for,
                                                  instagram_app) -> None:
    account = f.SocialAccountFactory(influencer=f.InfluencerFactory(organization=team.organization))
    response = client_for(outsider).post(
        reverse("connectors:connect"), {"account": f"social:{account.pk}"})
    assert response.status_code == 404


def test_a_malformed_account_is_a_400_naming_the_field(team, client_for) -> None:
    response = client_for(team.admin).post(reverse("connectors:connect"), {"account": "x"})
    assert response.status_code == 400 and b"account" in response.content


@responses.activate
def test_the_callback_exchanges_the_code_and_stores_encrypted_tokens(
    team, client_for, instagram_app, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    account = f.SocialAccountFactory(influencer=f.InfluencerFactory(organization=team.organization))
    client = client_for(team.admin)
    start = client.post(reverse("connectors:connect"), {"account": f"social:{account.pk}"})
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    responses.post("https://api.instagram.com/oauth/access_token", json={"data": [{
        "access_token": "IGshort", "user_id": "17841400000000009",
        "permissions": "instagram_business_basic,instagram_business_manage_insights"}]})
    responses.get("https://graph.instagram.com/access_token", json={
        "access_token": "IGlong-lived-secret", "token_type": "bearer", "expires_in": 5183944})
    queued: list[int] = []
    from metrics.connectors import tasks

    monkeypatch.setattr(tasks.sync_connection, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("connectors:callback", args=["instagram"]),
                              {"code": "AQB-code", "state": state})
    assert response.status_code == 302
    connection = PlatformConnection.objects.get(social_account=account)
    assert connection.organization == team.organization
    assert connection.external_account_id == "17841400000000009"
    assert token_decrypt(connection.encrypted_access_token) == "IGlong-lived-secret"
    assert "IGlong" not in connection.encrypted_access_token
    assert connection.status == ConnectionStatus.ACTIVE and connection.next_sync_at is not None
    assert queued == [connection.pk]  # the first sync starts right away
    sent = parse_qs(responses.calls[0].request.body)
    assert sent["code"] == ["AQB-code"] and sent["client_secret"] == ["ig-app-secret"]


def test_a_forged_state_is_refused(team, client_for, instagram_app) -> None:
    response = client_for(team.admin).get(
        reverse("connectors:callback", args=["instagram"]), {"code": "x", "state": "forged"})
    assert response.status_code == 400
    assert not PlatformConnection.objects.exists()


def test_a_state_from_another_browser_is_refused(team, client_for, instagram_app) -> None:
    account = f.SocialAccountFactory(influencer=f.InfluencerFactory(organization=team.organization))
    starter = client_for(team.admin)
    start = starter.post(reverse("connectors:connect"), {"account": f"social:{account.pk}"})
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    other_browser = client_for(team.admin)
    response = other_browser.get(reverse("connectors:callback", args=["instagram"]),
                                 {"code": "x", "state": state})
    assert response.status_code == 400
    assert NONCE_SESSION_KEY in starter.session


def test_outsider_gets_404_on_our_callback_state(team, outsider_team, client_for,
                                                 instagram_app) -> None:
    account = f.SocialAccountFactory(influencer=f.InfluencerFactory(organization=team.organization))
    start = client_for(team.admin).post(
        reverse("connectors:connect"), {"account": f"social:{account.pk}"})
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    response = client_for(outsider_team.owner).get(
        reverse("connectors:callback", args=["instagram"]), {"code": "x", "state": state})
    assert response.status_code == 404


def test_a_denied_consent_connects_nothing(team, client_for, instagram_app) -> None:
    account = f.SocialAccountFactory(influencer=f.InfluencerFactory(organization=team.organization))
    client = client_for(team.admin)
    start = client.post(reverse("connectors:connect"), {"account": f"social:{account.pk}"})
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    response = client.get(reverse("connectors:callback", args=["instagram"]),
                          {"error": "access_denied", "state": state})
    assert response.status_code == 302
    assert not PlatformConnection.objects.exists()


@responses.activate
def test_disconnect_revokes_and_forgets_the_tokens(team, client_for, settings) -> None:
    settings.TIKTOK_CLIENT_KEY, settings.TIKTOK_CLIENT_SECRET = "tk", "ts"
    connection, _, _ = connected_account(team.organization, platform="tiktok")
    responses.post("https://open.tiktokapis.com/v2/oauth/revoke/", json={})
    response = client_for(team.owner).post(reverse("connectors:disconnect", args=[connection.pk]))
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.REVOKED
    assert connection.encrypted_access_token == "" and connection.encrypted_refresh_token == ""
    assert parse_qs(responses.calls[0].request.body)["token"] == [ACCESS_TOKEN]


def test_sync_now_queues_one_sync(team, client_for, monkeypatch,
                                  django_capture_on_commit_callbacks) -> None:
    connection, _, _ = connected_account(team.organization)
    queued: list[int] = []
    from metrics.connectors import tasks

    monkeypatch.setattr(tasks.sync_connection, "delay", queued.append)
    client = client_for(team.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("connectors:sync", args=[connection.pk]))
        client.post(reverse("connectors:sync", args=[connection.pk]))  # within the cooldown
    assert queued == [connection.pk]


@pytest.mark.parametrize("name", ["connectors:disconnect", "connectors:sync"])
def test_outsider_gets_404_on_our_connection(team, outsider, client_for, name) -> None:
    connection, _, _ = connected_account(team.organization)
    response = client_for(outsider).post(reverse(name, args=[connection.pk]))
    assert response.status_code == 404
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ACTIVE


@pytest.mark.parametrize("name", ["connectors:disconnect", "connectors:sync"])
def test_a_viewer_cannot_manage_connections(team, client_for, name) -> None:
    connection, _, _ = connected_account(team.organization)
    assert client_for(team.viewer).post(reverse(name, args=[connection.pk])).status_code == 403


def test_pages_need_a_login(client) -> None:
    response = client.get(reverse("connectors:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The upload page of the platforms' own exports (csv_import) ---------------------------
def test_the_upload_page_imports_a_file(team, client_for) -> None:
    post = post_for(team.organization, "youtube", "Ks-_Mh1QhMc")
    upload = SimpleUploadedFile("Table data.csv", YOUTUBE.encode(), content_type="text/csv")
    response = client_for(team.manager).post(
        reverse("connectors:csv_import"), {"platform": "youtube", "file": upload})
    assert response.status_code == 302
    assert PostMetrics.objects.get(post=post).views == 184523


def test_the_upload_page_lists_row_errors_and_stores_nothing(team, client_for) -> None:
    upload = SimpleUploadedFile("export.csv", INSTAGRAM.encode(), content_type="text/csv")
    response = client_for(team.manager).post(
        reverse("connectors:csv_import"), {"platform": "instagram", "file": upload})
    assert response.status_code == 400
    assert "Row 2, post" in response.content.decode()
    assert not PostMetrics.objects.exists()


def test_a_viewer_cannot_import(team, client_for) -> None:
    assert client_for(team.viewer).get(reverse("connectors:csv_import")).status_code == 403


def test_outsider_cannot_import_onto_our_posts(team, outsider, client_for) -> None:
    post_for(team.organization, "youtube", "Ks-_Mh1QhMc")
    upload = SimpleUploadedFile("Table data.csv", YOUTUBE.encode(), content_type="text/csv")
    response = client_for(outsider).post(
        reverse("connectors:csv_import"), {"platform": "youtube", "file": upload})
    # The outsider's own organization has no such post: the row is refused, nothing stored.
    assert response.status_code == 400 and not PostMetrics.objects.exists()
