"""The report page and its exports read right at face value (issue 13): a sign-ups campaign,
times in the organisation's zone, money with currency and separators, human names, the
client-ready CSV and XLSX exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.forms import KpiTargetForm
from metrics.models import KpiScope, KpiSnapshot
from tests import factories as f
from tests.campaigns.pages_support import campaign_with_report

NEW_YORK = "America/New_York"
# 19:00 at −05:00 on 15 January: midnight UTC the next day.
ORDER_AT = dt.datetime(2026, 1, 15, 19, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


@pytest.fixture
def campaign(team):
    brand = f.BrandFactory(organization=team.organization)
    return campaign_with_report(brand=brand, partnerships=2, budget=Decimal("25000.00"))


@pytest.fixture
def mofu(team):
    brand = f.BrandFactory(organization=team.organization)
    c = campaign_with_report(brand=brand, partnerships=1, stage="MOFU")
    snapshot = KpiSnapshot.objects.get(campaign=c, scope=KpiScope.TOTAL)
    snapshot.data["conversion"].update(conversions=0, revenue="0.00", click_conversions=0)
    snapshot.data["roi"].update(revenue="0.00", total_cost="12500.00", roi=-100.0, roas=0.0,
                                cpl="104.17")
    snapshot.save()
    return c


def _render(template: str, **context) -> str:
    return Template("{% load funnelboard %}" + template).render(Context(context))


def test_a_sign_ups_campaign_shows_no_revenue_tracked_and_its_cpl(team, client_for, mofu):
    response = client_for(team.viewer).get(reverse("campaign_detail", args=[mofu.pk]))
    html = response.content.decode()
    roi = next(c for c in response.context["cards"] if c.group == "roi")
    assert roi.headline and roi.muted
    assert "No revenue tracked" in html and "−100.00%" not in html and "-100.00%" not in html
    assert "104.17 USD" in html and "no conversion carries revenue" in html


def test_money_reads_with_currency_and_separators(team, client_for, campaign):
    html = client_for(team.viewer).get(reverse("campaign_detail", args=[campaign.pk])).content
    text = html.decode()
    assert "budget 25,000.00 USD" in text
    assert "25000.00" not in text


def test_platform_and_metric_names_are_human_on_the_report(team, client_for, campaign):
    text = client_for(team.viewer).get(
        reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert "TikTok" in text and "Tiktok" not in text
    assert "0.05 USD" in text and "0.30 USD" in text  # EMV rates, with their currency


def test_the_report_shows_times_in_the_organisations_zone(team, client_for, campaign):
    team.organization.time_zone = NEW_YORK
    team.organization.save()
    KpiSnapshot.objects.filter(campaign=campaign, scope=KpiScope.TOTAL).update(
        computed_at=ORDER_AT)
    text = client_for(team.viewer).get(
        reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert "Jan. 15, 2026 19:00 EST" in text
    assert "Jan. 16" not in text  # not the UTC date


def test_the_time_zone_is_reset_after_the_request(team, client_for, campaign):
    team.organization.time_zone = NEW_YORK
    team.organization.save()
    client_for(team.viewer).get(reverse("campaign_detail", args=[campaign.pk]))
    assert timezone.get_current_timezone_name() == "UTC"


def test_an_order_at_19_new_york_time_reads_19_00_est() -> None:
    with timezone.override(NEW_YORK):
        assert _render("{{ t|local_time }}", t=ORDER_AT) == "19:00 EST"
        assert _render("{{ t|local_datetime }}", t=ORDER_AT) == "Jan. 15, 2026 19:00 EST"
        summer = dt.datetime(2026, 7, 1, 23, 0, tzinfo=dt.UTC)
        assert _render("{{ t|local_time }}", t=summer) == "19:00 EDT"
        assert _render("{{ t|local_date }}", t=ORDER_AT) == "Jan. 15, 2026"


def test_the_formatting_filters() -> None:
    assert _render('{{ v|money:"USD" }}', v=Decimal("25000")) == "25,000.00 USD"
    assert _render("{{ v|count }}", v=1234567) == "1,234,567"
    assert _render('{{ "tiktok"|platform }} {{ "youtube"|platform }}') == "TikTok YouTube"
    assert _render('{{ "link_clicks"|metric }}') == "Link clicks"
    assert _render('{{ v|money:"EUR" }}', v=None) == "—"


def test_the_target_form_names_each_kpis_unit() -> None:
    labels = dict(KpiTargetForm().fields["metric"].choices)
    assert labels["roi.roi"] == "ROI (%)" and labels["roi.roas"] == "ROAS (×)"
    assert labels["conversion.revenue"] == "Revenue (campaign currency)"
    assert "an ROI of 150 means 150%" in KpiTargetForm().fields["value"].help_text


def test_the_kpi_csv_has_human_headers_rounded_values_and_the_rates(team, client_for, campaign):
    snapshot = KpiSnapshot.objects.get(campaign=campaign, scope=KpiScope.TOTAL)
    snapshot.data["engagement"]["engagement_rate"] = 5.55555
    snapshot.data["engagement"]["mentions"] = None
    snapshot.save()
    response = client_for(team.owner).get(reverse("campaign_export", args=[campaign.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert ["Group", "Field", "KPI", "Measure", "Value", "Unit"] in rows
    by_key = {(r[0], r[1]): r for r in rows if len(r) == 6}
    assert by_key[("engagement", "engagement_rate")][3:] == ["Engagement rate", "5.56", "%"]
    assert by_key[("engagement", "mentions")][4] == ""  # not reported → empty
    assert by_key[("roi", "roas")][4:] == ["1.40", "×"]
    assert by_key[("roi", "total_cost")][4:] == ["3000.00", "USD"]
    assert by_key[("emv", "by_platform.tiktok")][3] == "EMV by platform · TikTok"
    assert by_key[("awareness", "impressions")][4] == "250000"
    assert ["Platform", "Metric", "Rate", "Currency", "Per", "Source"] in rows
    assert ["TikTok", "Views", "0.0500", "USD", "1,000", "Later"] in rows
    # The Field column keeps the key for machines; every human column reads as words.
    assert by_key[("coverage", "link_clicks")][3] == "Posts reporting link clicks"
    assert not any("_" in row[3] for row in by_key.values())


def test_the_xlsx_export_has_three_sheets_read_back_with_openpyxl(team, client_for, campaign):
    partnership = campaign.partnerships.first()
    partnership.influencer.name = '=HYPERLINK("http://evil")'
    partnership.influencer.save()
    response = client_for(team.owner).get(reverse("campaign_export_xlsx", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('-kpis.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["KPIs", "By creator", "EMV rates"]

    kpis = [list(r) for r in book["KPIs"].iter_rows(values_only=True)]
    assert ["Group", "Field", "KPI", "Measure", "Value", "Unit"] in kpis
    by_key = {(r[0], r[1]): r for r in kpis if len(r) >= 6 and r[0] and r[1]}
    assert by_key[("conversion", "revenue")][4:6] == [4200, "USD"]
    assert by_key[("roi", "roi")][4:6] == [40, "%"]
    assert by_key[("awareness", "impressions")][4] == 250000

    creators = [list(r) for r in book["By creator"].iter_rows(values_only=True)]
    assert creators[0][:4] == ["Creator", "Handle", "Status", "Earned media value (USD)"]
    assert '=HYPERLINK("http://evil")' in [r[0] for r in creators[1:]]
    assert book["By creator"]["A2"].data_type == "s" or book["By creator"]["A3"].data_type == "s"

    rates = [list(r) for r in book["EMV rates"].iter_rows(values_only=True)]
    assert rates[0] == ["Platform", "Metric", "Rate", "Currency", "Per", "Source"]
    assert ["Instagram", "Likes", 0.3, "USD", "1", "Later"] in rates


def test_the_xlsx_export_hides_creator_costs_below_admin(team, client_for, campaign):
    response = client_for(team.viewer).get(reverse("campaign_export_xlsx", args=[campaign.pk]))
    header = next(load_workbook(io.BytesIO(response.content))["By creator"].iter_rows(
        values_only=True))
    assert not any(h and h.startswith(("ROI", "CPA", "Total cost")) for h in header)


def test_the_report_links_the_xlsx_export(team, client_for, campaign):
    text = client_for(team.viewer).get(
        reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert reverse("campaign_export_xlsx", args=[campaign.pk]) in text


def test_an_outsider_gets_404_for_the_xlsx_export(client_for, campaign):
    outsider = f.UserFactory()
    f.MembershipFactory(organization=f.OrganizationFactory(), user=outsider)
    response = client_for(outsider).get(reverse("campaign_export_xlsx", args=[campaign.pk]))
    assert response.status_code == 404
