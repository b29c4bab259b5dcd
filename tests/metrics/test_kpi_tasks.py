"""KPI tasks, the recompute_kpis command and the admin helpers."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import CampaignStatus
from metrics import admin_kpis, tasks
from metrics.emv_defaults import DEFAULT_RATES, emv_rates_ensure
from metrics.fx import RateTable, rate_table
from metrics.models import Comment, EmvRate, KpiScope, KpiSnapshot
from metrics.scheduling import pending_key, schedule_kpi_recompute
from tests import factories as f
from tests.metrics import scenario
from tests.worker import eager_even_in_real_mode

__all__ = ["eager_even_in_real_mode"]

pytestmark = pytest.mark.usefixtures("eager_even_in_real_mode")


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


def test_nightly_task_recomputes_only_active_campaigns(team, django_capture_on_commit_callbacks):
    active = f.CampaignFactory(brand__organization=team.organization)
    draft = f.CampaignFactory(brand=active.brand, status=CampaignStatus.DRAFT)
    archived = f.CampaignFactory(brand=active.brand, status=CampaignStatus.ARCHIVED)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recompute_active_campaigns.delay().get() == 1
    assert KpiSnapshot.objects.filter(campaign=active).exists()
    assert not KpiSnapshot.objects.filter(campaign=draft).exists()
    assert not KpiSnapshot.objects.filter(campaign=archived).exists()


def test_organization_task_recomputes_its_campaigns_only(
    team, outsider_team, django_capture_on_commit_callbacks
):
    mine = f.CampaignFactory(brand__organization=team.organization)
    theirs = f.CampaignFactory(brand__organization=outsider_team.organization)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recompute_organization_kpis.delay(team.organization.pk).get() == 1
    assert KpiSnapshot.objects.filter(campaign=mine).exists()
    assert not KpiSnapshot.objects.filter(campaign=theirs).exists()


def test_the_task_clears_the_debounce_key(team, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    campaign = f.CampaignFactory(brand__organization=team.organization)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_kpi_recompute([campaign.pk])
    assert KpiSnapshot.objects.filter(campaign=campaign).exists()
    assert cache.get(pending_key(campaign.pk)) is None


def test_label_pending_comments_labels_in_batches(team, monkeypatch):
    monkeypatch.setattr(tasks, "LABEL_BATCH", 2)
    post = f.PostFactory(partnership__campaign__brand__organization=team.organization)
    for i, text in enumerate(["I love it", "awful, I hate it", "it is a shoe"]):
        f.CommentFactory(post=post, external_id=f"x{i}", text=text)
    f.CommentFactory(post=post, external_id="done", text="I love it", sentiment="negative")
    assert tasks.label_pending_comments.delay().get() == 1
    labels = dict(Comment.objects.values_list("external_id", "sentiment"))
    assert labels == {"x0": "positive", "x1": "negative", "x2": "neutral", "done": "negative"}


def test_default_rate_card_values_one_exposure_metric_per_platform(team):
    exposure = {(r.platform, r.metric) for r in DEFAULT_RATES
                if r.metric in ("impressions", "views", "reach")}
    platforms = {p for p, _ in exposure}
    assert len(exposure) == len(platforms) == 10
    assert ("instagram", "views") in exposure and ("facebook", "impressions") in exposure
    assert all(r.source for r in DEFAULT_RATES)
    assert emv_rates_ensure(organization=team.organization) is True
    assert EmvRate.objects.filter(organization=team.organization).count() == len(DEFAULT_RATES)
    assert emv_rates_ensure(organization=team.organization) is False  # edits are kept


def test_rate_table_uses_the_latest_rate_on_or_before_the_day(db):
    from decimal import Decimal

    f.ExchangeRateFactory(currency="USD", date=dt.date(2026, 1, 2), per_euro=Decimal("1.2"))
    f.ExchangeRateFactory(currency="USD", date=dt.date(2026, 3, 6), per_euro=Decimal("1.1"))
    f.ExchangeRateFactory(currency="GBP", date=dt.date(2026, 3, 6), per_euro=Decimal("0.8"))
    table = rate_table(["USD", "GBP", "EUR"], [dt.date(2026, 3, 5), dt.date(2026, 3, 7)])
    assert table.per_euro("USD", dt.date(2026, 3, 5)) == Decimal("1.2")
    assert table.convert(Decimal("80"), "GBP", "USD", dt.date(2026, 3, 7)) == Decimal("110")
    assert table.convert(Decimal("10"), "GBP", "USD", dt.date(2026, 3, 5)) is None
    assert table.convert(Decimal("10"), "EUR", "USD", dt.date(2026, 3, 7)) == Decimal("11.0")
    assert RateTable(()).convert(Decimal("5"), "JPY", "JPY", dt.date(2026, 1, 1)) == 5


def test_admin_summary_shows_the_nine_kpis_with_coverage(team):
    s = scenario.build(team.organization)
    assert "Not computed yet" in admin_kpis.kpi_summary_html(s.campaign)
    from metrics.engine import kpis_recompute

    kpis_recompute(campaign_id=s.campaign.pk, as_of=scenario.AS_OF)
    html = str(admin_kpis.kpi_summary_html(s.campaign))
    for title in ("Brand awareness", "Engagement", "Conversion", "Audience growth", "CTR",
                  "Traffic", "EMV", "ROI", "Sentiment", "Coverage", "Computed"):
        assert title in html
    assert "953.00" in html and "32,000" in html
    assert "953.00" not in str(admin_kpis.partnership_headline_html(s.carol))
    assert "223.00" in str(admin_kpis.partnership_headline_html(s.alice))
