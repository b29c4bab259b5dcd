"""``manage.py recompute_kpis`` (metrics/management/commands/recompute_kpis.py): one campaign,
an unknown one, every one."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from metrics.models import KpiScope, KpiSnapshot
from tests import factories as f


def test_the_command_recomputes_one_campaign(team):
    campaign = f.CampaignFactory(brand__organization=team.organization)
    out = StringIO()
    call_command("recompute_kpis", "--campaign", str(campaign.pk), stdout=out)
    assert KpiSnapshot.objects.filter(campaign=campaign, scope=KpiScope.TOTAL).exists()
    assert "Recomputed 1 campaign" in out.getvalue()


def test_the_command_rejects_an_unknown_campaign(db):
    with pytest.raises(CommandError):
        call_command("recompute_kpis", "--campaign", "424242")


def test_the_command_recomputes_every_campaign(team):
    a = f.CampaignFactory(brand__organization=team.organization)
    b = f.CampaignFactory(brand=a.brand)
    call_command("recompute_kpis", stdout=StringIO())
    assert KpiSnapshot.objects.filter(scope=KpiScope.TOTAL).count() == 2
    assert {a.pk, b.pk} == set(KpiSnapshot.objects.values_list("campaign_id", flat=True))
