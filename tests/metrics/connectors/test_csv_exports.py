"""Import of the platforms' own analytics exports (metrics/connectors/csv_exports.py): column
mapping, NULLs, row-numbered errors, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.connectors.csv_exports import CsvImportError, csv_export_import, parse_export
from metrics.models import PostMetrics, Source
from tests import factories as f

WHEN = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
INSTAGRAM = (
    "\ufeffPost ID,Account username,Description,Publish time,Permalink,Post type,Date,Views,"
    "Reach,Likes,Shares,Follows,Comments,Saves\n"
    "17918195224117851,maya,Spring drop,03/02/2026 12:00,https://www.instagram.com/reel/C1/,"
    "IG reel,Lifetime,\"23,120\",15486,1204,45,12,87,312\n"
)
YOUTUBE = (
    "Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,"
    "Impressions,Impressions click-through rate (%),Likes,Comments added,Shares\n"
    "Total,,,,200000,5000,300,900000,4.1,10000,700,400\n"
    "Ks-_Mh1QhMc,Review,\"Mar 2, 2026\",612,184523,4100.5,250,812000,4.3,9120,641,--\n"
)
TIKTOK = (
    "Video link,Post time,Total views,Total likes,Total comments,Total shares,Add to Favorites\n"
    "https://www.tiktok.com/@maya/video/7291234567890123456,2026-03-02,50231,4120,233,98,\n"
)


def post_for(org, platform: str, external_id: str, url: str = ""):
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=org))
    partnership = f.PartnershipFactory(campaign=campaign)
    account = f.SocialAccountFactory(influencer=partnership.influencer, platform=platform)
    return f.PostFactory(partnership=partnership, social_account=account, platform=platform,
                         external_id=external_id, url=url or f"https://example.com/{external_id}")


def test_instagram_columns_map_onto_counters() -> None:
    [row] = parse_export(platform="instagram", text=INSTAGRAM)
    assert row.row == 2 and row.external_id == "17918195224117851"
    assert row.counters == {"views": 23120, "reach": 15486, "likes": 1204, "shares": 45,
                            "comments": 87, "saves": 312}


def test_youtube_studio_skips_the_total_row_and_dashes_are_null() -> None:
    [row] = parse_export(platform="youtube", text=YOUTUBE)
    assert row.row == 3 and row.external_id == "Ks-_Mh1QhMc"
    assert row.counters["impressions"] == 812000 and row.counters["comments"] == 641
    assert row.counters["shares"] is None


@pytest.mark.django_db
def test_an_import_stores_one_snapshot_per_post_with_nulls(org) -> None:
    post = post_for(org, "tiktok", "7291234567890123456",
                    url="https://www.tiktok.com/@maya/video/7291234567890123456")
    created, updated = csv_export_import(organization=org, platform="tiktok", text=TIKTOK,
                                         captured_at=WHEN)
    assert (created, updated) == (1, 0)
    snapshot = PostMetrics.objects.get(post=post)
    assert (snapshot.views, snapshot.likes, snapshot.shares) == (50231, 4120, 98)
    assert snapshot.saves is None and snapshot.reach is None  # blank cell / no column
    assert snapshot.source == Source.CSV and snapshot.captured_at == WHEN
    assert csv_export_import(organization=org, platform="tiktok", text=TIKTOK,
                             captured_at=WHEN) == (0, 1)


@pytest.mark.django_db
def test_a_bad_row_rejects_the_file_with_its_row_number(org) -> None:
    post_for(org, "instagram", "17918195224117851")
    bad = INSTAGRAM + "17918195224117852,maya,x,,,IG reel,Lifetime,lots,1,1,1,1,1,1\n"
    with pytest.raises(CsvImportError) as caught:
        csv_export_import(organization=org, platform="instagram", text=bad, captured_at=WHEN)
    assert str(caught.value.errors[0]) == "Row 3, Views: 'lots' is not a number"
    assert not PostMetrics.objects.exists()


@pytest.mark.django_db
def test_a_row_for_an_unknown_post_rejects_the_file(org, outsider_team) -> None:
    post_for(outsider_team.organization, "instagram", "17918195224117851")  # not ours
    with pytest.raises(CsvImportError) as caught:
        csv_export_import(organization=org, platform="instagram", text=INSTAGRAM,
                          captured_at=WHEN)
    assert caught.value.errors[0].row == 2 and caught.value.errors[0].field == "post"
    assert not PostMetrics.objects.exists()


def test_a_file_without_an_id_column_is_refused_at_the_header() -> None:
    with pytest.raises(CsvImportError) as caught:
        parse_export(platform="instagram", text="Views,Likes\n1,2\n")
    assert caught.value.errors[0].row == 1 and caught.value.errors[0].field == "header"


def test_negative_and_fractional_counts_are_errors() -> None:
    text = "Post ID,Views,Likes\n1,-4,2.5\n"
    with pytest.raises(CsvImportError) as caught:
        parse_export(platform="instagram", text=text)
    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "Views"), (2, "Likes")]
