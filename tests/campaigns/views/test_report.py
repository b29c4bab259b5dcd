"""The campaign report page: KPI cards, charts, leaderboard, funnel, sentiment, recompute."""

from __future__ import annotations

import csv
import io
from unittest import mock

import pytest
from django.urls import reverse

from metrics.models import KpiScope, KpiSnapshot, Sentiment
from tests import factories as f
from tests.campaigns.pages_support import campaign_with_report


@pytest.fixture
def campaign(team):
    brand = f.BrandFactory(organization=team.organization)
    return campaign_with_report(brand=brand, partnerships=3)


def test_the_report_shows_nine_kpi_cards_headline_first(team, client_for, campaign):
    response = client_for(team.viewer).get(reverse("campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    cards = response.context["cards"]
    assert len(cards) == 9
    assert [c.group for c in cards[:4]] == ["conversion", "roi", "ctr", "traffic"]
    html = response.content.decode()
    assert html.count('class="card kpi-card') == 9
    assert "250,000" in html  # impressions
    assert "Target: Conversions" in html
    assert 'id="chart-data"' in html and html.count('class="kpi-chart"') == 5
    assert "EMV rates used" in html and "per 1,000" in html
    assert "<polygon" in html  # the funnel


def test_the_report_has_no_inline_script_or_style(team, client_for, campaign):
    html = client_for(team.owner).get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert "style=" not in html
    assert " onclick=" not in html
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head


def test_a_metric_not_reported_shows_a_dash_with_a_hint(team, client_for, campaign):
    snapshot = KpiSnapshot.objects.get(campaign=campaign, scope=KpiScope.TOTAL)
    snapshot.data["engagement"]["engagement_rate"] = None
    snapshot.save()
    html = client_for(team.owner).get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert "—" in html and "not reported" in html


def test_a_campaign_without_snapshots_says_so(team, client_for):
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=team.organization))
    response = client_for(team.owner).get(reverse("campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    assert "have not been computed yet" in response.content.decode()


def test_outsider_gets_404(outsider, client_for, campaign):
    client = client_for(outsider)
    assert client.get(reverse("campaign_detail", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("campaign_recompute", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaign_export", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaign_export_leaderboard", args=[campaign.pk])).status_code == 404


def test_viewer_sees_no_edit_controls(team, client_for, campaign):
    html = client_for(team.viewer).get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert "Recompute now" not in html
    assert reverse("campaign_edit", args=[campaign.pk]) not in html
    manager_html = client_for(team.manager).get(
        reverse("campaign_detail", args=[campaign.pk])
    ).content.decode()
    assert "Recompute now" in manager_html


def test_recompute_enqueues_the_task_on_commit(team, client_for, campaign, django_capture_on_commit_callbacks):
    with mock.patch("metrics.tasks.recompute_campaign_kpis.apply_async") as enqueue:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(team.manager).post(reverse("campaign_recompute", args=[campaign.pk]))
    assert response.status_code == 302
    assert enqueue.call_count == 1
    assert enqueue.call_args.args[0] == (campaign.pk,)


def test_a_viewer_may_not_recompute(team, client_for, campaign):
    with mock.patch("metrics.tasks.recompute_campaign_kpis.apply_async") as enqueue:
        response = client_for(team.viewer).post(reverse("campaign_recompute", args=[campaign.pk]))
    assert response.status_code == 403
    enqueue.assert_not_called()


def test_the_leaderboard_sorts_by_the_chosen_column(team, client_for, campaign):
    client = client_for(team.owner)
    url = reverse("campaign_detail", args=[campaign.pk])
    revenue_desc = client.get(url, {"sort": "revenue", "dir": "desc"}).context["leaderboard"]
    values = [float(r["doc"]["conversion"]["revenue"]) for r in revenue_desc]
    assert values == sorted(values, reverse=True)
    revenue_asc = client.get(url, {"sort": "revenue", "dir": "asc"}).context["leaderboard"]
    assert [r["partnership"].pk for r in revenue_asc] == [
        r["partnership"].pk for r in reversed(revenue_desc)
    ]


def test_htmx_sorting_returns_only_the_leaderboard(team, client_for, campaign):
    response = client_for(team.owner).get(
        reverse("campaign_detail", args=[campaign.pk]),
        {"sort": "roi", "partial": "leaderboard"}, headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'id="leaderboard"' in html and "<html" not in html and "kpi-card" not in html


def test_sentiment_shows_the_split_and_sample_comments(team, client_for, campaign):
    post = f.PostFactory(partnership=campaign.partnerships.first())
    f.CommentFactory(post=post, text="Absolutely love it", sentiment=Sentiment.POSITIVE, compound=0.9)
    f.CommentFactory(post=post, text="Arrived broken, awful", sentiment=Sentiment.NEGATIVE,
                     compound=-0.8)
    html = client_for(team.owner).get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert "Absolutely love it" in html and "Arrived broken, awful" in html
    assert "Positive: 60" in html and 'class="seg-negative"' in html


def test_the_overlap_of_brand_campaigns_is_noted(team, client_for, campaign):
    other = f.CampaignFactory(brand=campaign.brand, name="Spring teaser")
    html = client_for(team.owner).get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert "Spring teaser" in html and "brand-level" in html
    assert other.pk


@pytest.mark.parametrize("partnerships", [10, 200])
def test_the_report_runs_a_fixed_number_of_queries(
    team, client_for, django_assert_max_num_queries, partnerships
):
    brand = f.BrandFactory(organization=team.organization)
    campaign = campaign_with_report(brand=brand, partnerships=partnerships, days=5)
    client = client_for(team.owner)
    # 12, and 2 for the failed caption checks (live posts, latest drafts: content), and 1 for
    # the payouts ledger beside the cost breakdown (admins and owners).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("campaign_detail", args=[campaign.pk]))
    assert len(response.context["leaderboard"]) == partnerships


def test_the_csv_exports_stream_and_defuse_formulas(team, client_for, campaign):
    partnership = campaign.partnerships.first()
    partnership.influencer.name = "=HYPERLINK(\"http://evil\")"
    partnership.influencer.save()
    client = client_for(team.viewer)
    response = client.get(reverse("campaign_export_leaderboard", args=[campaign.pk]))
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["creator", "handle", "status", "emv"]
    assert ["'=HYPERLINK(\"http://evil\")"] == [r[0] for r in rows if "HYPERLINK" in r[0]]
    report = client.get(reverse("campaign_export", args=[campaign.pk]))
    text = b"".join(report.streaming_content).decode()
    assert "conversion,revenue,Conversions,Revenue,4200.00,USD" in text
    assert "roi,roi,Return on investment,ROI,40.00,%" in text


def test_the_report_renders_a_document_computed_by_the_engine(team, client_for):
    from metrics.engine import kpis_recompute

    brand = f.BrandFactory(organization=team.organization)
    campaign = f.CampaignFactory(brand=brand)
    f.KpiTargetFactory(campaign=campaign)
    post = f.PostFactory(partnership=f.PartnershipFactory(campaign=campaign))
    f.PostMetricsFactory(post=post)
    f.CommentFactory(post=post)
    link = f.TrackingLinkFactory(partnership=post.partnership)
    f.ClickFactory(link=link)
    kpis_recompute(campaign_id=campaign.pk)
    response = client_for(team.owner).get(reverse("campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    cards = {c.group: c for c in response.context["cards"]}
    assert cards["awareness"].display == "1,000"
    assert cards["ctr"].display == "0.10%"
    assert len(cards) == 9


def test_each_kpi_card_links_to_its_methodology(team, client_for, campaign):
    html = client_for(team.viewer).get(reverse("campaign_detail", args=[campaign.pk])).content
    text = html.decode()
    for group in ("awareness", "engagement", "conversion", "audience_growth", "ctr", "traffic",
                  "emv", "roi", "sentiment"):
        assert f'href="/help/kpis/#kpi-{group}"' in text
