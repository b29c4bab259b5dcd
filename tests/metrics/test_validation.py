"""One validator per input kind (metrics/validation.py): the rules, table by table, and the same
bad input refused the same way by every caller (API, form, CSV import, platform export,
service)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from config.validation import BulkItemError
from metrics import imports, validation
from metrics.connectors.csv_exports import CsvImportError, csv_export_import
from metrics.models import FollowerSnapshot, PostMetrics
from metrics.services.ingestion import follower_snapshots_ingest, post_metrics_ingest
from metrics.validation import EMPTY_SNAPSHOT, ONE_ACCOUNT, REQUIRED
from tests import factories as f

WHEN = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)
NAIVE = WHEN.replace(tzinfo=None)
FUTURE = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
POST = SimpleNamespace(pk=1)


def fields(errors: dict[str, list[str]]) -> set[str]:
    return set(errors)


# --- The rules, per input kind ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("item", "bad"),
    [
        ({"post": POST, "captured_at": WHEN, "likes": 3}, set()),
        ({"post": POST, "captured_at": WHEN, "likes": 0}, set()),  # 0 is a count, not "none"
        ({"post": POST, "captured_at": WHEN}, {NON_FIELD_ERRORS}),
        ({"post": POST, "captured_at": WHEN, "likes": None, "views": None}, {NON_FIELD_ERRORS}),
        ({"captured_at": WHEN, "likes": 1}, {"post"}),
        ({"post": POST, "likes": 1}, {"captured_at"}),
        ({"post": POST, "captured_at": NAIVE, "likes": 1}, {"captured_at"}),
        ({"post": POST, "captured_at": FUTURE, "likes": 1}, {"captured_at"}),  # see test_validation_future
        ({"post": POST, "captured_at": WHEN, "likes": -1}, {"likes"}),
        ({"post": POST, "captured_at": WHEN, "likes": True}, {"likes"}),
        ({"post": POST, "captured_at": WHEN, "likes": 2**63}, {"likes"}),
    ],
)
def test_post_metrics_rules(item: dict[str, Any], bad: set[str]) -> None:
    assert fields(validation.post_metrics_errors(item)) == bad


def test_the_empty_snapshot_is_named() -> None:
    errors = validation.post_metrics_errors({"post": POST, "captured_at": WHEN})
    assert errors == {NON_FIELD_ERRORS: [EMPTY_SNAPSHOT]}
    assert "at least one metric" in EMPTY_SNAPSHOT and "impressions" in EMPTY_SNAPSHOT


@pytest.mark.parametrize(
    ("item", "bad"),
    [
        ({"post": POST, "external_id": "c1", "text": "hi", "posted_at": WHEN}, set()),
        ({"post": POST, "external_id": "", "text": "hi", "posted_at": WHEN}, {"external_id"}),
        ({"post": POST, "external_id": "x" * 101, "text": "hi", "posted_at": WHEN},
         {"external_id"}),
        ({"post": POST, "external_id": "c1", "text": "  ", "posted_at": WHEN}, {"text"}),
        ({"post": POST, "external_id": "c1", "text": "x" * 10_001, "posted_at": WHEN}, {"text"}),
        ({"post": POST, "external_id": "c1", "text": "a\x00b", "posted_at": WHEN}, {"text"}),
        ({"post": POST, "external_id": "c1", "text": "hi", "posted_at": NAIVE}, {"posted_at"}),
        ({"external_id": "c1", "text": "hi", "posted_at": WHEN}, {"post"}),
    ],
)
def test_comment_rules(item: dict[str, Any], bad: set[str]) -> None:
    assert fields(validation.comment_errors(item)) == bad


DAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("item", "bad"),
    [
        ({"brand_account": 1, "date": DAY, "followers": 10}, set()),
        ({"social_account": 1, "date": DAY, "followers": 0}, set()),
        ({"date": DAY, "followers": 10}, {"brand_account", "social_account"}),
        ({"brand_account": 1, "social_account": 2, "date": DAY, "followers": 10},
         {"brand_account", "social_account"}),
        ({"brand_account": 1, "followers": 10}, {"date"}),
        ({"brand_account": 1, "date": WHEN, "followers": 10}, {"date"}),
        ({"brand_account": 1, "date": DAY}, {"followers"}),
        ({"brand_account": 1, "date": DAY, "followers": -1}, {"followers"}),
    ],
)
def test_follower_snapshot_rules(item: dict[str, Any], bad: set[str]) -> None:
    errors = validation.follower_snapshot_errors(item)
    assert fields(errors) == bad
    if "social_account" in bad:
        assert errors["brand_account"] == [ONE_ACCOUNT]


BRAND = SimpleNamespace(pk=3)
OTHER_BRANDS_PARTNERSHIP = SimpleNamespace(campaign=SimpleNamespace(brand_id=4))
OUR_PARTNERSHIP = SimpleNamespace(campaign=SimpleNamespace(brand_id=3))
SALE = {"brand": BRAND, "external_id": "1042", "occurred_at": WHEN}


@pytest.mark.parametrize(
    ("changes", "bad"),
    [
        ({}, set()),
        ({"amount": Decimal("106.20"), "currency": "USD", "kind": "sale"}, set()),
        ({"partnership": OUR_PARTNERSHIP}, set()),
        ({"brand": None}, {"brand"}),
        ({"external_id": ""}, {"external_id"}),
        ({"occurred_at": NAIVE}, {"occurred_at"}),
        ({"kind": "refund"}, {"kind"}),
        ({"amount": Decimal("-1")}, {"amount"}),
        ({"amount": Decimal("1.005")}, {"amount"}),
        ({"amount": Decimal("1e13")}, {"amount"}),
        ({"currency": "usd"}, {"currency"}),
        ({"currency": "DOLLARS"}, {"currency"}),
        ({"partnership": OTHER_BRANDS_PARTNERSHIP}, {"partnership"}),
    ],
)
def test_conversion_rules(changes: dict[str, Any], bad: set[str]) -> None:
    assert fields(validation.conversion_errors({**SALE, **changes})) == bad


@pytest.mark.parametrize(
    ("item", "bad"),
    [
        ({"brand": BRAND, "occurred_at": WHEN}, set()),
        ({"brand": BRAND, "occurred_at": WHEN, "external_id": "e" * 100}, set()),
        ({"occurred_at": WHEN}, {"brand"}),
        ({"brand": BRAND}, {"occurred_at"}),
        ({"brand": BRAND, "occurred_at": NAIVE}, {"occurred_at"}),
        ({"brand": BRAND, "occurred_at": WHEN, "external_id": "e" * 101}, {"external_id"}),
    ],
)
def test_visit_rules(item: dict[str, Any], bad: set[str]) -> None:
    assert fields(validation.visit_errors(item)) == bad


# --- Every caller refuses the same bad input the same way -------------------------------------
@pytest.fixture
def post(team):
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=team.organization))
    return f.PostFactory(partnership=f.PartnershipFactory(campaign=campaign))


@pytest.mark.django_db
def test_the_api_refuses_the_empty_snapshot_with_a_400_naming_it(team, post, api_client_for):
    good = {"post": post.pk, "captured_at": "2026-03-02T10:00:00+00:00", "likes": 4}
    empty = {"post": post.pk, "captured_at": "2026-03-03T10:00:00+00:00"}
    answer = api_client_for(team.organization).post("/api/v1/post-metrics/", [good, empty])
    assert answer.status_code == 400
    assert answer.json() == {"index": 1, "errors": {"non_field_errors": [EMPTY_SNAPSHOT]}}
    assert not PostMetrics.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_all_null_counters_too(team, post, api_client_for):
    item = {"post": post.pk, "captured_at": "2026-03-03T10:00:00Z", "likes": None, "views": None}
    answer = api_client_for(team.organization).post("/api/v1/post-metrics/", [item])
    assert answer.status_code == 400 and answer.json()["index"] == 0
    assert not PostMetrics.objects.exists()


@pytest.mark.django_db
def test_the_form_refuses_the_empty_snapshot_with_the_same_message(team, post, client_for):
    response = client_for(team.manager).post(
        reverse("metrics_entry:post_metrics"), {"post": post.pk, "captured_at": "2026-03-03T12:00"}
    )
    assert response.status_code == 400
    assert "Enter at least one metric: a snapshot with every counter empty" in (
        response.content.decode()
    )
    assert not PostMetrics.objects.exists()


@pytest.mark.django_db
def test_the_csv_import_refuses_the_empty_snapshot_on_its_row(org, post):
    text = (
        "post,captured_at,impressions,likes\n"
        f"{post.pk},2026-03-03T12:00:00Z,100,4\n"
        f"{post.pk},2026-03-04T12:00:00Z,,\n"
    )
    kind = imports.KINDS["post-metrics"]
    report = imports.validate(kind, org, imports.text_stream(io.BytesIO(text.encode())))
    assert [(e.row, e.column, e.message) for e in report.errors] == [(3, "", EMPTY_SNAPSHOT)]
    with pytest.raises(imports.ImportFailed):
        imports.run(kind, org, imports.text_stream(io.BytesIO(text.encode())))
    assert not PostMetrics.objects.exists()


@pytest.mark.django_db
def test_a_platform_export_row_with_no_counter_is_refused_on_its_row(org):
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=org))
    partnership = f.PartnershipFactory(campaign=campaign)
    account = f.SocialAccountFactory(influencer=partnership.influencer, platform="tiktok")
    f.PostFactory(partnership=partnership, social_account=account, platform="tiktok",
                  external_id="7291234567890123456",
                  url="https://www.tiktok.com/@maya/video/7291234567890123456")
    text = (
        "Video link,Total views,Total likes\n"
        "https://www.tiktok.com/@maya/video/7291234567890123456,--,--\n"
    )
    with pytest.raises(CsvImportError) as caught:
        csv_export_import(organization=org, platform="tiktok", text=text, captured_at=WHEN)
    assert [(e.row, e.field, e.message) for e in caught.value.errors] == [
        (2, "metrics", EMPTY_SNAPSHOT)]
    assert not PostMetrics.objects.exists()


@pytest.mark.django_db
def test_the_service_holds_every_other_caller(org, post):
    with pytest.raises(BulkItemError) as caught:
        post_metrics_ingest(organization=org, items=[{"post": post, "captured_at": WHEN}])
    assert caught.value.index == 0 and caught.value.message_dict == {
        NON_FIELD_ERRORS: [EMPTY_SNAPSHOT]}
    assert not PostMetrics.objects.exists()


# --- "Exactly one account": one text, every caller --------------------------------------------
@pytest.fixture
def accounts(team):
    brand_account = f.BrandAccountFactory(brand=f.BrandFactory(organization=team.organization))
    social = f.SocialAccountFactory(influencer=f.InfluencerFactory(organization=team.organization))
    return brand_account, social


@pytest.mark.django_db
def test_one_account_through_the_api(team, accounts, api_client_for):
    brand_account, social = accounts
    item = {"brand_account": brand_account.pk, "social_account": social.pk,
            "date": "2026-03-01", "followers": 1}
    answer = api_client_for(team.organization).post("/api/v1/follower-snapshots/", [item])
    assert answer.status_code == 400
    assert answer.json()["errors"]["brand_account"] == [ONE_ACCOUNT]


@pytest.mark.django_db
def test_one_account_through_the_form(team, accounts, client_for):
    brand_account, social = accounts
    response = client_for(team.manager).post(
        reverse("metrics_entry:followers"),
        {"brand_account": brand_account.pk, "social_account": social.pk, "date": "2026-03-01",
         "followers": "10"},
    )
    assert response.status_code == 400
    assert "Give exactly one account: either a brand account or a creator account" in (
        response.content.decode()
    )
    assert not FollowerSnapshot.objects.exists()


@pytest.mark.django_db
def test_one_account_through_the_csv_import(org, accounts):
    brand_account, social = accounts
    text = (
        "brand_account,social_account,date,followers\n"
        f"{brand_account.pk},{social.pk},2026-03-01,1\n"
    )
    report = imports.validate(
        imports.KINDS["follower-snapshots"], org, imports.text_stream(io.BytesIO(text.encode()))
    )
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "brand_account", ONE_ACCOUNT)]


@pytest.mark.django_db
def test_one_account_through_the_service_and_the_model(org, accounts):
    brand_account, social = accounts
    with pytest.raises(BulkItemError) as caught:
        follower_snapshots_ingest(
            organization=org, items=[{"date": DAY, "followers": 1}]
        )
    assert caught.value.errors["social_account"] == [ONE_ACCOUNT]
    snapshot = FollowerSnapshot(
        organization=org, brand_account=brand_account, social_account=social, date=DAY,
        followers=1,
    )
    with pytest.raises(ValidationError) as model_error:
        snapshot.full_clean()
    assert ONE_ACCOUNT in model_error.value.message_dict["brand_account"]
    assert not FollowerSnapshot.objects.exists()


@pytest.mark.django_db
def test_a_comment_longer_than_the_form_allows_is_refused_by_the_api_too(
    team, post, api_client_for
):
    item = {"post": post.pk, "external_id": "c1", "text": "x" * 10_001,
            "posted_at": "2026-03-03T10:00:00Z"}
    answer = api_client_for(team.organization).post("/api/v1/comments/", [item])
    assert answer.status_code == 400
    assert answer.json() == {
        "index": 0, "errors": {"text": ["Ensure this field has no more than 10000 characters."]}
    }


def test_a_missing_value_has_one_message() -> None:
    assert validation.visit_errors({})["brand"] == [REQUIRED]
