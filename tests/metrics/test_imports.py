"""CSV import: streamed validation with row-numbered errors, all-or-nothing writes."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from metrics import imports
from metrics.models import Comment, FollowerSnapshot, PostMetrics, Source
from tests import factories as f


@pytest.fixture
def post(org):
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=org))
    return f.PostFactory(partnership=f.PartnershipFactory(campaign=campaign))


def stream(text: str) -> io.TextIOWrapper:
    return imports.text_stream(io.BytesIO(text.encode("utf-8")))


def test_a_valid_file_is_previewed_without_writing(org, post):
    csv_text = (
        "post,captured_at,impressions,reach,likes\n"
        f"{post.pk},2026-03-03T12:00:00Z,1000,800,90\n"
        f"{post.pk},2026-03-04T12:00:00Z,1500,,120\n"
    )
    report = imports.validate(imports.KINDS["post-metrics"], org, stream(csv_text))
    assert report.ok and report.rows == 2
    assert report.preview[0]["impressions"] == "1000"
    assert not PostMetrics.objects.exists()


def test_run_writes_every_row_with_unreported_metrics_as_null(org, post):
    csv_text = (
        "\ufeffpost,captured_at,impressions,reach,likes\n"  # Excel's BOM is fine
        f"{post.pk},2026-03-03T12:00:00Z,1000,,90\n"
    )
    report = imports.run(imports.KINDS["post-metrics"], org, stream(csv_text))
    assert (report.created, report.updated) == (1, 0)
    row = PostMetrics.objects.get()
    assert row.impressions == 1000 and row.reach is None and row.views is None
    assert row.source == Source.CSV
    assert row.captured_at == dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)


def test_errors_name_the_row_and_column_and_nothing_is_saved(org, post):
    csv_text = (
        "post,captured_at,impressions,likes\n"
        f"{post.pk},2026-03-03T12:00:00Z,1000,90\n"
        f"{post.pk},yesterday,1000,90\n"
        "\n"
        f"{post.pk},2026-03-05T12:00:00Z,-5,90\n"
        f"999999,2026-03-05T12:00:00Z,1,1\n"
    )
    kind = imports.KINDS["post-metrics"]
    report = imports.validate(kind, org, stream(csv_text))
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "captured_at"), (5, "impressions"), (6, "post")]
    assert "not a whole number" in report.errors[1].message
    with pytest.raises(imports.ImportFailed):
        imports.run(kind, org, stream(csv_text))
    assert not PostMetrics.objects.exists()


def test_a_failure_in_a_later_chunk_rolls_back_the_earlier_ones(org, post, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 2)
    lines = [f"{post.pk},2026-03-{day:02d}T12:00:00Z,{day}" for day in range(1, 6)]
    lines.append(f"{post.pk},not-a-date,1")
    csv_text = "post,captured_at,impressions\n" + "\n".join(lines) + "\n"
    with pytest.raises(imports.ImportFailed) as failed:
        imports.run(imports.KINDS["post-metrics"], org, stream(csv_text))
    assert failed.value.report.errors[0].row == 7
    assert not PostMetrics.objects.exists()


def test_another_organizations_post_is_unknown(org, outsider_team):
    rival = f.PostFactory(
        partnership=f.PartnershipFactory(
            campaign=f.CampaignFactory(brand=f.BrandFactory(organization=outsider_team.organization))
        )
    )
    report = imports.validate(
        imports.KINDS["post-metrics"], org,
        stream(f"post,captured_at,likes\n{rival.pk},2026-03-03T12:00:00Z,5\n"),
    )
    assert report.errors[0].message == f"no post with id {rival.pk}"


def test_a_bad_header_is_reported_on_row_one(org):
    report = imports.validate(
        imports.KINDS["post-metrics"], org, stream("post,captured,impresions\n1,2,3\n")
    )
    assert {e.row for e in report.errors} == {1}
    assert {e.column for e in report.errors} == {"captured_at", "captured", "impresions"}


def test_times_without_offset_are_read_in_the_organization_time_zone(org, post):
    org.time_zone = "Europe/Berlin"
    org.save()
    imports.run(
        imports.KINDS["post-metrics"], org,
        stream(f"post,captured_at,likes\n{post.pk},2026-03-03 12:00,5\n"),
    )
    assert PostMetrics.objects.get().captured_at == dt.datetime(2026, 3, 3, 11, tzinfo=dt.UTC)


def test_too_many_rows_are_refused(org, post, settings):
    settings.CSV_UPLOAD_MAX_ROWS = 2
    lines = "\n".join(f"{post.pk},2026-03-0{d}T12:00:00Z,1" for d in range(1, 5))
    report = imports.validate(
        imports.KINDS["post-metrics"], org, stream("post,captured_at,likes\n" + lines)
    )
    assert not report.ok and "more than 2 rows" in report.errors[-1].message


def test_comments_import_labels_sentiment_and_is_idempotent(org, post):
    csv_text = (
        "post,external_id,text,posted_at\n"
        f'{post.pk},c1,"I love it, best serum ever",2026-03-03T09:00:00Z\n'
        f"{post.pk},c2,Terrible. It broke.,2026-03-03T10:00:00Z\n"
    )
    kind = imports.KINDS["comments"]
    assert imports.run(kind, org, stream(csv_text)).created == 2
    assert imports.run(kind, org, stream(csv_text)).updated == 2
    assert dict(Comment.objects.values_list("external_id", "sentiment")) == {
        "c1": "positive", "c2": "negative"}


def test_follower_counts_import_for_brand_and_creator_accounts(org):
    brand_account = f.BrandAccountFactory(brand=f.BrandFactory(organization=org))
    social = f.SocialAccountFactory(influencer=f.InfluencerFactory(organization=org))
    csv_text = (
        "brand_account,social_account,date,followers\n"
        f"{brand_account.pk},,2026-03-01,5000\n"
        f",{social.pk},2026-03-01,12000\n"
        f"{brand_account.pk},{social.pk},2026-03-02,1\n"
    )
    kind = imports.KINDS["follower-snapshots"]
    report = imports.validate(kind, org, stream(csv_text))
    assert [(e.row, e.column) for e in report.errors] == [(4, "brand_account")]
    good = "\n".join(csv_text.splitlines()[:3]) + "\n"
    assert imports.run(kind, org, stream(good)).created == 2
    assert FollowerSnapshot.objects.count() == 2
    social.refresh_from_db()
    assert social.followers == 12000


def test_a_file_that_is_not_utf8_is_reported(org):
    report = imports.validate(
        imports.KINDS["comments"], org,
        imports.text_stream(io.BytesIO("post,external_id,text,posted_at\n1,a,caf\xe9,x\n".encode("latin-1"))),
    )
    assert not report.ok and "UTF-8" in report.errors[0].message


def test_a_number_too_large_for_the_database_is_a_row_error(org, post):
    report = imports.validate(
        imports.KINDS["post-metrics"], org,
        stream(f"post,captured_at,likes\n{post.pk},2026-03-03T12:00:00Z,99999999999999999999\n"),
    )
    assert report.errors[0].row == 2 and "too large" in report.errors[0].message
