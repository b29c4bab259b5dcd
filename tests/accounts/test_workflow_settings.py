"""The organisation's workflow settings: the disclosure tags every caption is checked for and
the payout approval limit above which only an owner approves."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from accounts.models import AuditEntry, Organization
from content.checks import Rules, check_caption
from content.selectors import organization_disclosures


def _post(client, organization: Organization, **extra):
    data = {"name": organization.name, "time_zone": organization.time_zone, **extra}
    return client.post(reverse("accounts:settings"), data)


def test_an_owner_sets_the_tags_and_the_limit_and_captions_follow(team, client_for):
    client = client_for(team.owner)
    response = _post(client, team.organization, disclosure_tags="#werbung, #anzeige\n#ad",
                     payout_approval_limit="500.00")
    assert response.status_code == 302
    organization = Organization.objects.get(pk=team.organization.pk)
    assert organization.disclosure_tags == ["#werbung", "#anzeige", "#ad"]
    assert organization.payout_approval_limit == Decimal("500.00")
    entry = AuditEntry.objects.get(action="organization.updated")
    assert set(entry.changes) >= {"disclosure_tags", "payout_approval_limit"}
    rules = Rules(disclosures=organization_disclosures(organization))
    assert check_caption("#Werbung Neue Serie", rules) == []
    assert [f.rule for f in check_caption("Neue Serie #sponsored", rules)] == [
        "disclosure_missing"
    ]
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "#werbung\n#anzeige\n#ad" in page


def test_a_bad_tag_or_limit_is_a_form_error_and_changes_nothing(team, client_for):
    client = client_for(team.owner)
    response = _post(client, team.organization, disclosure_tags="#paid ad")
    assert response.status_code == 400 and "disclosure_tags" in response.context["form"].errors
    response = _post(client, team.organization, payout_approval_limit="-5")
    assert response.status_code == 400
    assert "payout_approval_limit" in response.context["form"].errors
    organization = Organization.objects.get(pk=team.organization.pk)
    assert organization.disclosure_tags == [] and organization.payout_approval_limit is None


def test_a_form_without_the_fields_keeps_them(team, client_for):
    team.organization.disclosure_tags = ["#ad"]
    team.organization.payout_approval_limit = Decimal("100")
    team.organization.save()
    assert _post(client_for(team.owner), team.organization).status_code == 302
    organization = Organization.objects.get(pk=team.organization.pk)
    assert organization.disclosure_tags == ["#ad"]
    assert organization.payout_approval_limit == Decimal("100")


def test_only_owners_change_them(team, client_for):
    response = _post(client_for(team.admin), team.organization, payout_approval_limit="1")
    assert response.status_code in (403, 404)
    assert Organization.objects.get(pk=team.organization.pk).payout_approval_limit is None
