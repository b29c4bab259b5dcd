from django.urls import reverse

from tests import factories as f
from tests.factories import PASSWORD


def test_login_page_asks_for_a_password(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b'type="password"' in response.content


def test_login_then_dashboard_lists_the_orgs_campaigns_only(client, team, outsider_team):
    mine = f.CampaignFactory(brand__organization=team.organization, name="Spring Glow")
    f.CampaignFactory(brand__organization=outsider_team.organization, name="Rival Secret")
    response = client.post(
        reverse("accounts:login"), {"username": team.viewer.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert mine.name in page
    assert "Rival Secret" not in page


def test_anonymous_dashboard_redirects_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_switcher_ignores_an_organization_the_user_is_not_in(client_for, team, outsider_team):
    client = client_for(team.owner)
    client.post(reverse("accounts:switch"), {"organization": outsider_team.organization.pk})
    assert client.session.get("organization_id") is None


def test_switcher_moves_to_another_own_organization(client_for, team):
    other = f.OrganizationFactory(name="Second Org")
    f.MembershipFactory(organization=other, user=team.owner)
    f.CampaignFactory(brand__organization=other, name="Second Campaign")
    client = client_for(team.owner)
    client.post(reverse("accounts:switch"), {"organization": other.pk})
    assert "Second Campaign" in client.get("/").content.decode()


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_answers_when_the_database_does(client, db):
    assert client.get("/readyz").status_code == 200
