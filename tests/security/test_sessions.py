"""Sessions and keys end when they should: at login a new session, at logout none, after a
password change or reset none elsewhere, and a removed member loses access (session and keys)
at once."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from accounts.services import api_key_create, membership_remove
from tests import factories as f
from tests.factories import PASSWORD


def test_login_issues_a_new_session_id(team):
    client = Client()
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("accounts:login"), {"username": team.viewer.username, "password": PASSWORD})
    assert client.session.session_key != before
    assert client.get("/").status_code == 200


def test_logout_ends_the_session(team):
    client = Client()
    client.post(reverse("accounts:login"), {"username": team.viewer.username, "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    response = client.get("/")
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_changing_the_password_ends_the_users_other_sessions(team):
    new_password = "violet-canyon-harbor-42"
    elsewhere = Client()
    elsewhere.post(reverse("accounts:login"), {"username": team.viewer.username,
                                               "password": PASSWORD})
    here = Client()
    here.post(reverse("accounts:login"), {"username": team.viewer.username, "password": PASSWORD})
    assert elsewhere.get("/").status_code == 200
    changed = here.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": new_password, "password2": new_password,
    })
    assert changed.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302


def test_a_password_reset_ends_every_session(team, client_for):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    signed_in = client_for(team.viewer)
    assert signed_in.get("/").status_code == 200
    key = default_token_generator.make_token(team.viewer)
    reset = Client()
    opened = reset.get(reverse("account_reset_password_from_key",
                               kwargs={"uidb36": user_pk_to_url_str(team.viewer), "key": key}))
    new_password = "violet-canyon-harbor-42"
    reset.post(opened["Location"], {"password1": new_password, "password2": new_password})
    assert signed_in.get("/").status_code == 302


def test_a_removed_member_loses_pages_and_api_at_once(team, client_for):
    campaign = f.CampaignFactory(brand__organization=team.organization)
    client = client_for(team.manager)
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
    membership = Membership.objects.get(organization=team.organization, user=team.manager)
    membership_remove(access=team.access(Role.OWNER), membership=membership)
    assert client.get(f"/campaigns/{campaign.pk}/").status_code in (403, 404)
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/").status_code in (403, 404)


def test_a_removed_members_api_keys_stop_working(team):
    key, raw = api_key_create(
        access=team.access(Role.OWNER), name="manager's script", role=Role.MANAGER,
        created_by=team.manager,
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/campaigns/").status_code == 200
    membership = Membership.objects.get(organization=team.organization, user=team.manager)
    membership_remove(access=team.access(Role.OWNER), membership=membership)
    assert api.get("/api/v1/campaigns/").status_code == 401


def test_a_revoked_key_is_refused_on_the_next_request(team, api_client_for):
    from accounts.models import ApiKey
    from accounts.services import api_key_revoke

    api = api_client_for(team.organization, Role.ADMIN)
    assert api.get("/api/v1/brands/").status_code == 200
    key = ApiKey.objects.get(organization=team.organization, role=Role.ADMIN)
    api_key_revoke(access=team.access(Role.OWNER), api_key=key)
    assert api.get("/api/v1/brands/").status_code == 401


def test_session_api_writes_need_csrf(team):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(team.owner)
    response = client.post("/api/v1/influencers/", {"name": "No Token"}, format="json")
    assert response.status_code == 403
