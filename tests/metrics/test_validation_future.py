"""A post-metrics snapshot captured in the future is refused (it would be saved and then
ignored by the KPIs, which read snapshots up to now): by the rule, the API, the form, the CSV
import and the platform-export import alike. The form reads its time in the organization's
zone and says so."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from metrics import imports
from metrics.connectors.csv_exports import CsvImportError, csv_export_import
from metrics.models import PostMetrics
from metrics.validation import CLOCK_SKEW, future_problem, post_metrics_errors
from tests import factories as f

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
POST = SimpleNamespace(pk=1)


@pytest.mark.parametrize(
    ("captured_at", "refused"),
    [
        (NOW - dt.timedelta(days=3), False),
        (NOW, False),
        (NOW + CLOCK_SKEW, False),  # a device clock a little ahead
        (NOW + CLOCK_SKEW + dt.timedelta(seconds=1), True),
        (NOW + dt.timedelta(days=1), True),
    ],
)
def test_the_rule_refuses_a_time_after_now(captured_at: dt.datetime, refused: bool) -> None:
    assert bool(future_problem(captured_at, now=NOW)) is refused


def test_the_message_speaks_the_zone_the_time_was_given_in() -> None:
    paris = dt.timezone(dt.timedelta(hours=2), "CEST")
    message = future_problem(dt.datetime(2026, 6, 2, 9, 30, tzinfo=paris), now=NOW)
    assert message is not None
    assert message.startswith("2026-06-02 09:30 CEST is in the future (it is now 2026-06-01 14:00 CEST)")


def test_the_kind_rule_names_captured_at() -> None:
    tomorrow = timezone.now() + dt.timedelta(days=1)
    errors = post_metrics_errors({"post": POST, "captured_at": tomorrow, "likes": 1})
    assert set(errors) == {"captured_at"} and "in the future" in errors["captured_at"][0]


@pytest.fixture
def post(team):
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=team.organization))
    return f.PostFactory(partnership=f.PartnershipFactory(campaign=campaign))


def _tomorrow() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=1)


@pytest.mark.django_db
def test_the_api_answers_400_naming_captured_at(team, post, api_client_for):
    good = {"post": post.pk, "captured_at": "2026-03-02T10:00:00+00:00", "likes": 4}
    future = {"post": post.pk, "captured_at": _tomorrow().isoformat(), "likes": 5}
    answer = api_client_for(team.organization).post("/api/v1/post-metrics/", [good, future])
    assert answer.status_code == 400
    body = answer.json()
    assert body["index"] == 1 and list(body["errors"]) == ["captured_at"]
    assert "in the future" in body["errors"]["captured_at"][0]
    assert not PostMetrics.objects.exists()


@pytest.mark.django_db
def test_the_form_refuses_it_in_the_organizations_zone(team, post, client_for):
    team.organization.time_zone = "Asia/Tokyo"
    team.organization.save()
    # Now + 2 h in Tokyo is in the future, though "now + 2 h" read as UTC would be too; the
    # message shows Tokyo's clock (JST), which is what the user typed.
    local = timezone.localtime(timezone.now() + dt.timedelta(hours=2), team.organization.tzinfo)
    response = client_for(team.manager).post(
        reverse("metrics_entry:post_metrics"),
        {"post": post.pk, "captured_at": local.strftime("%Y-%m-%dT%H:%M"), "likes": 3},
    )
    assert response.status_code == 400
    error = response.context["form"].errors["captured_at"][0]
    assert f"{local:%Y-%m-%d %H:%M} JST is in the future" in error
    assert not PostMetrics.objects.exists()


@pytest.mark.django_db
def test_the_form_reads_a_past_time_in_the_organizations_zone(team, post, client_for):
    team.organization.time_zone = "Asia/Tokyo"
    team.organization.save()
    page = client_for(team.manager).get(reverse("metrics_entry:post_metrics") + f"?post={post.pk}")
    assert "Asia/Tokyo, JST" in page.content.decode()
    response = client_for(team.manager).post(
        reverse("metrics_entry:post_metrics"),
        {"post": post.pk, "captured_at": "2026-03-03T09:00", "likes": 3},
    )
    assert response.status_code == 302
    assert PostMetrics.objects.get().captured_at == dt.datetime(2026, 3, 3, 0, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_the_csv_import_refuses_it_on_its_row(org, post):
    text = (
        "post,captured_at,likes\n"
        f"{post.pk},2026-03-03T12:00:00Z,4\n"
        f"{post.pk},{_tomorrow():%Y-%m-%dT%H:%M:%SZ},5\n"
    )
    kind = imports.KINDS["post-metrics"]
    report = imports.validate(kind, org, imports.text_stream(io.BytesIO(text.encode())))
    assert [(e.row, e.column) for e in report.errors] == [(3, "captured_at")]
    assert "in the future" in report.errors[0].message
    assert not PostMetrics.objects.exists()


@pytest.mark.django_db
def test_a_platform_export_captured_in_the_future_is_refused(org):
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=org))
    partnership = f.PartnershipFactory(campaign=campaign)
    f.PostFactory(partnership=partnership, platform="tiktok", external_id="7301", social_account=None)
    text = "Video ID,Views,Likes\n7301,1000,50\n"
    with pytest.raises(CsvImportError) as refused:
        csv_export_import(organization=org, platform="tiktok", text=text, captured_at=_tomorrow())
    assert [(e.field, "in the future" in e.message) for e in refused.value.errors] == [
        ("captured_at", True)
    ]
    assert not PostMetrics.objects.exists()
    csv_export_import(organization=org, platform="tiktok", text=text, captured_at=timezone.now())
    assert PostMetrics.objects.count() == 1
