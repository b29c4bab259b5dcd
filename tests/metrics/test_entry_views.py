"""Data entry pages: manual forms and the CSV import flow (upload → preview → confirm)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metrics.models import Comment, FollowerSnapshot, PostMetrics, Source
from tests import factories as f


@pytest.fixture
def post(team):
    campaign = f.CampaignFactory(brand=f.BrandFactory(organization=team.organization))
    return f.PostFactory(partnership=f.PartnershipFactory(campaign=campaign))


def upload(text: str, name: str = "metrics.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_manager_enters_post_metrics(team, client_for, post):
    response = client_for(team.manager).post(
        reverse("metrics_entry:post_metrics"),
        {"post": post.pk, "captured_at": "2026-03-03T12:00", "impressions": "1200", "likes": "80"},
    )
    assert response.status_code == 302
    row = PostMetrics.objects.get()
    assert row.impressions == 1200 and row.reach is None and row.source == Source.MANUAL


def test_post_metrics_need_at_least_one_number(team, client_for, post):
    response = client_for(team.manager).post(
        reverse("metrics_entry:post_metrics"), {"post": post.pk, "captured_at": "2026-03-03T12:00"}
    )
    assert response.status_code == 400 and "Enter at least one metric" in response.content.decode()


def test_a_manager_enters_a_follower_count_and_a_comment(team, client_for, post):
    client = client_for(team.manager)
    account = f.BrandAccountFactory(brand=post.partnership.campaign.brand)
    assert client.post(
        reverse("metrics_entry:followers"),
        {"brand_account": account.pk, "date": "2026-03-01", "followers": "4100"},
    ).status_code == 302
    assert FollowerSnapshot.objects.get().followers == 4100
    assert client.post(
        reverse("metrics_entry:comment"),
        {"post": post.pk, "text": "Love this so much", "posted_at": "2026-03-03T10:00"},
    ).status_code == 302
    comment = Comment.objects.get()
    assert comment.sentiment == "positive" and comment.external_id.startswith("manual-")


def test_a_follower_count_needs_exactly_one_account(team, client_for, post):
    response = client_for(team.manager).post(
        reverse("metrics_entry:followers"), {"date": "2026-03-01", "followers": "10"}
    )
    assert "either a brand account or a creator account" in response.content.decode()


def test_outsider_gets_404_or_no_choice_of_our_records(team, outsider, client_for, post):
    client = client_for(outsider)
    response = client.post(
        reverse("metrics_entry:post_metrics"),
        {"post": post.pk, "captured_at": "2026-03-03T12:00", "likes": "1"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not PostMetrics.objects.exists()
    assert client.get(reverse("metrics_entry:import", args=["nope"])).status_code == 404


def test_viewer_sees_no_edit_controls(team, client_for):
    client = client_for(team.viewer)
    html = client.get(reverse("metrics_entry:index")).content.decode()
    assert "Import a CSV" not in html and "needs the manager role" in html
    assert client.get(reverse("metrics_entry:post_metrics")).status_code == 403
    assert client.get(reverse("metrics_entry:import", args=["post-metrics"])).status_code == 403


def test_the_import_previews_then_saves_on_confirm(team, client_for, post):
    client = client_for(team.manager)
    url = reverse("metrics_entry:import", args=["post-metrics"])
    csv_text = f"post,captured_at,impressions,likes\n{post.pk},2026-03-03T12:00:00Z,1000,90\n"
    preview = client.post(url, {"file": upload(csv_text)})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "1 row ready to import" in html and not PostMetrics.objects.exists()
    token = preview.context["token"]
    done = client.post(reverse("metrics_entry:import_confirm", args=["post-metrics"]), {"token": token})
    assert done.status_code == 302
    assert PostMetrics.objects.get().likes == 90
    again = client.post(reverse("metrics_entry:import_confirm", args=["post-metrics"]), {"token": token})
    assert again.status_code == 302 and PostMetrics.objects.count() == 1  # token used up


def test_a_bad_row_is_reported_by_number_and_nothing_is_saved(team, client_for, post):
    csv_text = (
        "post,captured_at,impressions,likes\n"
        f"{post.pk},2026-03-03T12:00:00Z,1000,90\n"
        f"{post.pk},2026-03-04T12:00:00Z,many,90\n"
    )
    response = client_for(team.manager).post(
        reverse("metrics_entry:import", args=["post-metrics"]), {"file": upload(csv_text)}
    )
    assert response.status_code == 200  # the report page, with the rows to fix
    html = response.content.decode()
    assert "Row 3" in html and "impressions" in html and "nothing was saved" in html
    assert not PostMetrics.objects.exists()


def test_another_organizations_token_is_refused(team, outsider_team, client_for, post):
    csv_text = f"post,captured_at,likes\n{post.pk},2026-03-03T12:00:00Z,5\n"
    preview = client_for(team.manager).post(
        reverse("metrics_entry:import", args=["post-metrics"]), {"file": upload(csv_text)}
    )
    token = preview.context["token"]
    response = client_for(outsider_team.owner).post(
        reverse("metrics_entry:import_confirm", args=["post-metrics"]), {"token": token}
    )
    assert response.status_code == 302 and not PostMetrics.objects.exists()


def test_an_oversized_upload_is_refused(team, client_for, settings):
    settings.CSV_UPLOAD_MAX_BYTES = 10
    response = client_for(team.manager).post(
        reverse("metrics_entry:import", args=["comments"]),
        {"file": upload("post,external_id,text,posted_at\n1,2,3,4\n")},
    )
    assert "the limit is" in response.content.decode()
