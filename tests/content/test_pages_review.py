"""The review pages (content/views/review.py) and what the campaign pages show of the workflow
(content/views/panels.py): late deliverables on the board and the dashboard, failed caption
checks on the report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from content.models import DeliverableStatus, DraftReview, DraftStatus
from content.services.drafts import draft_review, draft_submit
from tests import factories as f
from tests.content import factories as cf
from tests.content.pages_support import PAST, build


@pytest.fixture
def s(team):
    return build(team.organization)


def _draft(draft):
    return reverse("content:draft", args=[draft.pk])


def _decide(draft):
    return reverse("content:draft_decide", args=[draft.pk])


def test_the_queue_lists_waiting_drafts_and_recent_decisions(team, client_for, s):
    decided = cf.DraftFactory(
        deliverable=cf.DeliverableFactory(partnership=s.partnership, fee_share="0"),
        status=DraftStatus.CHANGES_REQUESTED,
    )
    cf.DraftReviewFactory(draft=decided, comment="Move #ad to the start, please.",
                          reviewer=team.manager)
    response = client_for(team.viewer).get(reverse("content:review_queue", args=[s.campaign.pk]))
    assert response.status_code == 200
    assert [row["draft"] for row in response.context["pending"]] == [s.draft]
    assert list(response.context["decided"]) == list(DraftReview.objects.all())
    html = response.content.decode()
    assert "Priya Raman" in html and "1 problem" in html
    assert "Move #ad to the start, please." in html


def test_the_draft_page_names_the_rule_that_failed_and_the_history(team, client_for, s):
    older = cf.DraftFactory(
        deliverable=s.deliverable, number=0, status=DraftStatus.CHANGES_REQUESTED
    )
    cf.DraftReviewFactory(draft=older, comment="Show the bottle in the first second.")
    response = client_for(team.manager).get(_draft(s.draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "disclosure_missing" in html and "No disclosure" in html and "#sponsored" in html
    assert "Loving this serum" in html
    assert "Show the bottle in the first second." in html  # the history's review comment
    assert [item["draft"] for item in response.context["history"]] == [s.draft, older]
    assert "Request changes" in html and "Approve" in html


def test_a_viewer_reads_the_draft_but_cannot_decide(team, client_for, s):
    client = client_for(team.viewer)
    html = client.get(_draft(s.draft)).content.decode()
    assert "No disclosure" in html and "Request changes" not in html
    response = client.post(_decide(s.draft), {"decision": "approve"})
    assert response.status_code == 403
    s.draft.refresh_from_db()
    assert s.draft.status == DraftStatus.PENDING and not DraftReview.objects.exists()


def test_requesting_changes_needs_a_comment(team, client_for, s):
    client = client_for(team.manager)
    response = client.post(_decide(s.draft), {"decision": "request_changes", "comment": "  "})
    assert response.status_code == 400
    assert "comment" in response.context["changes_form"].errors
    assert "a comment is required to request changes" in response.content.decode()
    assert not DraftReview.objects.exists()


def test_requesting_changes_and_then_approving_the_next_draft(team, client_for, s):
    client = client_for(team.manager)
    response = client.post(
        _decide(s.draft), {"decision": "request_changes", "comment": "Add #ad at the start."}
    )
    assert response.status_code == 302
    s.draft.refresh_from_db()
    s.deliverable.refresh_from_db()
    assert s.draft.status == DraftStatus.CHANGES_REQUESTED
    assert s.deliverable.status == DeliverableStatus.CHANGES_REQUESTED
    page = client.get(_draft(s.draft)).content.decode()
    assert "Add #ad at the start." in page and 'name="decision"' not in page  # decided
    second = draft_submit(
        access=team.access(Role.MANAGER), deliverable=s.deliverable,
        caption="#ad Loving this serum", link="https://drive.example/v2.mp4",
    )
    assert client.post(_decide(second), {"decision": "approve"}).status_code == 302
    second.refresh_from_db()
    s.deliverable.refresh_from_db()
    assert second.status == DraftStatus.APPROVED
    assert s.deliverable.status == DeliverableStatus.APPROVED
    assert DraftReview.objects.get(draft=second).reviewer == team.manager


def test_an_older_or_decided_draft_cannot_be_reviewed_again(team, client_for, s):
    draft_review(access=team.access(Role.MANAGER), draft=s.draft, decision="approve")
    response = client_for(team.admin).post(_decide(s.draft), {"decision": "approve"})
    assert response.status_code == 400
    assert DraftReview.objects.count() == 1


def test_an_unknown_decision_is_a_form_error(team, client_for, s):
    response = client_for(team.manager).post(_decide(s.draft), {"decision": "publish"})
    assert response.status_code == 400
    assert not DraftReview.objects.exists()


def test_draft_media_is_served_through_the_checkpoint_without_sniffing(team, client_for, s):
    s.draft.media, s.draft.media_name = cf.PNG, "look.png"
    s.draft.media_content_type, s.draft.media_size = "image/png", len(cf.PNG)
    s.draft.save()
    client = client_for(team.viewer)
    page = client.get(_draft(s.draft)).content.decode()
    media_url = reverse("content:draft_media", args=[s.draft.pk])
    assert f'<img class="draft-media" src="{media_url}"' in page
    response = client.get(media_url)
    assert response.status_code == 200 and response.content == cf.PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")


def test_media_of_a_type_a_browser_may_not_show_is_only_a_download(team, client_for, s):
    s.draft.media, s.draft.media_name = b"<html>x</html>", "x.html"
    s.draft.media_content_type, s.draft.media_size = "text/html", 14
    s.draft.save()
    response = client_for(team.manager).get(reverse("content:draft_media", args=[s.draft.pk]))
    assert response["Content-Disposition"].startswith("attachment")


def test_a_draft_without_media_has_no_media_route(team, client_for, s):
    url = reverse("content:draft_media", args=[s.draft.pk])
    assert client_for(team.manager).get(url).status_code == 404


def test_the_queue_reads_a_fixed_number_of_queries(team, client_for, s,
                                                   django_assert_max_num_queries):
    for _ in range(6):
        deliverable = cf.DeliverableFactory(partnership=f.PartnershipFactory(campaign=s.campaign),
                                            fee_share="0")
        cf.DraftReviewFactory(draft=cf.DraftFactory(deliverable=deliverable))
        cf.DraftFactory(deliverable=deliverable, number=99)
    client = client_for(team.manager)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("content:review_queue", args=[s.campaign.pk]))
    assert len(response.context["pending"]) == 7


# --- the campaign pages ---------------------------------------------------------------------


def test_the_board_flags_late_deliverables_per_partnership(team, client_for, s):
    cf.DeliverableFactory(partnership=s.partnership, due_date=PAST, fee_share="0")
    cf.DeliverableFactory(partnership=s.partnership, due_date=PAST, fee_share="0")
    cf.DeliverableFactory(  # delivered: not late
        partnership=s.partnership, due_date=PAST, fee_share="0", status=DeliverableStatus.LIVE
    )
    response = client_for(team.viewer).get(reverse("partnership_board", args=[s.campaign.pk]))
    cards = [c for col in response.context["columns"] for c in col["cards"]]
    assert [c["late"] for c in cards] == [2]
    assert "2 late" in response.content.decode()


def test_the_dashboard_lists_late_deliverables_with_their_due_dates(team, client_for, s):
    late = cf.DeliverableFactory(partnership=s.partnership, due_date=PAST, fee_share="0")
    response = client_for(team.viewer).get(reverse("dashboard"))
    assert list(response.context["late_deliverables"]) == [late]
    html = response.content.decode()
    assert "Late deliverables" in html
    assert reverse("content:deliverables", args=[s.partnership.pk]) in html


def test_the_dashboard_shows_no_late_panel_when_nothing_is_late(team, client_for, s):
    html = client_for(team.viewer).get(reverse("dashboard")).content.decode()
    assert "Late deliverables" not in html


def test_the_report_lists_failed_caption_checks_with_the_rule(team, client_for, s):
    cf.PostCheckFactory(post=s.post, findings=[{"rule": "hashtag_missing", "detail": "#glowup"}])
    response = client_for(team.viewer).get(reverse("campaign_detail", args=[s.campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Caption checks" in html
    assert "The required hashtag #glowup is missing." in html  # the live post
    assert "No disclosure" in html  # the latest draft
    assert reverse("content:brief", args=[s.campaign.pk]) in html
    assert reverse("content:review_queue", args=[s.campaign.pk]) in html


def test_another_organizations_late_work_never_shows(team, outsider_team, client_for, s):
    theirs = build(outsider_team.organization)
    cf.DeliverableFactory(partnership=theirs.partnership, due_date=PAST, fee_share="0")
    cf.PostCheckFactory(post=theirs.post, findings=[{"rule": "forbidden_word", "detail": "cure"}])
    client = client_for(team.owner)
    assert client.get(reverse("dashboard")).context["late_deliverables"] == []
    report = client.get(reverse("campaign_detail", args=[s.campaign.pk]))
    assert report.context["failed_posts"] == []
