"""`/api/v1/briefs/`, `deliverables/` and `drafts/`: roles, a creator's session, another
organisation's ids."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Role
from content.models import BriefVersion, Deliverable, DeliverableStatus, Draft, DraftStatus
from tests import factories as f
from tests.content import factories as cf

BRIEFS, DELIVERABLES, DRAFTS = "/api/v1/briefs/", "/api/v1/deliverables/", "/api/v1/drafts/"


@pytest.fixture
def creator_api(flow) -> APIClient:
    client = APIClient()
    client.force_login(flow.creator)
    return client


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Briefs ---------------------------------------------------------------------------------
def test_a_manager_adds_a_version_and_sends_it(team, flow, api_client_for):
    api = api_client_for(team.organization, Role.MANAGER)
    campaign = flow.partnership.campaign
    response = api.post(BRIEFS, {"campaign": campaign.pk, "key_messages": "Glow",
                                 "required_hashtags": ["#GlowUp"]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["campaign"], body["number"]) == (campaign.pk, 2)
    assert body["goal"].startswith("Sales")
    sent = api.post(f"{BRIEFS}{body['id']}/send/", {"partnerships": [flow.other.pk]},
                    format="json")
    assert sent.status_code == 200, sent.content
    assert [s["partnership"] for s in sent.json()] == [flow.other.pk]
    assert _ids(api.get(BRIEFS, {"partnership": flow.other.pk})) == {body["id"]}


def test_a_viewer_reads_briefs_but_writes_none(team, flow, api_client_for):
    api = api_client_for(team.organization, Role.VIEWER)
    assert _ids(api.get(BRIEFS)) == {flow.version.pk}
    campaign = flow.partnership.campaign
    assert api.post(BRIEFS, {"campaign": campaign.pk}, format="json").status_code == 403
    send = api.post(f"{BRIEFS}{flow.version.pk}/send/", {"partnerships": [flow.other.pk]},
                    format="json")
    assert send.status_code == 403


def test_another_organizations_ids_are_refused_by_name(team, flow, outsider_team, api_client_for):
    api = api_client_for(team.organization)
    theirs = f.PartnershipFactory(campaign__brand__organization=outsider_team.organization)
    response = api.post(BRIEFS, {"campaign": theirs.campaign_id}, format="json")
    assert response.status_code == 400 and "campaign" in response.json()
    response = api.post(f"{BRIEFS}{flow.version.pk}/send/", {"partnerships": [theirs.pk]},
                        format="json")
    assert response.status_code == 400 and "partnerships" in response.json()
    response = api.post(DELIVERABLES, {"partnership": theirs.pk, "platform": "instagram",
                                       "format": "reel", "due_date": "2026-03-20"}, format="json")
    assert response.status_code == 400 and "partnership" in response.json()


def test_an_outsider_gets_404_for_every_record(flow, outsider_team, api_client_for):
    api = api_client_for(outsider_team.organization)
    draft = cf.DraftFactory(deliverable=flow.deliverable)
    for url in (f"{BRIEFS}{flow.version.pk}/", f"{DELIVERABLES}{flow.deliverable.pk}/",
                f"{DRAFTS}{draft.pk}/"):
        assert api.get(url).status_code == 404, url
    assert api.post(f"{BRIEFS}{flow.version.pk}/send/", {"partnerships": []},
                    format="json").status_code == 404
    assert api.post(f"{DRAFTS}{draft.pk}/review/", {"decision": "approve"},
                    format="json").status_code == 404
    assert api.post(f"{DELIVERABLES}{flow.deliverable.pk}/link-post/", {},
                    format="json").status_code == 404
    assert _ids(api.get(DELIVERABLES)) == set()


# --- Deliverables ---------------------------------------------------------------------------
def test_deliverable_crud_and_filters(team, flow, api_client_for):
    api = api_client_for(team.organization, Role.ADMIN)
    response = api.post(DELIVERABLES, {
        "partnership": flow.partnership.pk, "platform": "tiktok", "format": "video",
        "due_date": "2099-03-28", "fee_share": "300.00", "pay_on": "live",
    }, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["status"], made["fee_share"], made["late"]) == ("planned", "300.00", False)
    too_much = api.patch(f"{DELIVERABLES}{made['id']}/", {"fee_share": "300.01"}, format="json")
    assert too_much.status_code == 400 and "fee_share" in too_much.json()
    assert _ids(api.get(DELIVERABLES, {"partnership": flow.other.pk})) == {
        flow.others_deliverable.pk
    }
    assert _ids(api.get(DELIVERABLES, {"campaign": flow.partnership.campaign_id})) == {
        flow.deliverable.pk, flow.others_deliverable.pk, made["id"]
    }
    assert api.delete(f"{DELIVERABLES}{made['id']}/").status_code == 204
    assert not Deliverable.objects.filter(pk=made["id"]).exists()


def test_late_is_a_field_and_a_filter(team, flow, api_client_for):
    api = api_client_for(team.organization)
    # The fixture's deliverables were due on 2026-03-20, in the past.
    row = api.get(f"{DELIVERABLES}{flow.deliverable.pk}/").json()
    assert row["late"] is True
    Deliverable.objects.filter(pk=flow.others_deliverable.pk).update(status="live")
    assert _ids(api.get(DELIVERABLES, {"late": "true"})) == {flow.deliverable.pk}
    assert _ids(api.get(DELIVERABLES, {"late": "false"})) == {flow.others_deliverable.pk}


def test_a_status_out_of_turn_is_a_400_on_status(team, flow, api_client_for):
    api = api_client_for(team.organization, Role.MANAGER)
    url = f"{DELIVERABLES}{flow.deliverable.pk}/"
    response = api.patch(url, {"status": "live"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    assert api.patch(url, {"status": "draft_submitted"}, format="json").status_code == 200


def test_fee_shares_are_shown_to_admins_and_the_creator_only(team, flow, api_client_for,
                                                              creator_api):
    url = f"{DELIVERABLES}{flow.deliverable.pk}/"
    for role in (Role.MANAGER, Role.VIEWER):
        assert "fee_share" not in api_client_for(team.organization, role).get(url).json()
    assert api_client_for(team.organization, Role.ADMIN).get(url).json()["fee_share"] == "200.00"
    assert creator_api.get(url).json()["fee_share"] == "200.00"


def test_a_manager_may_not_set_a_fee_share(team, flow, api_client_for):
    api = api_client_for(team.organization, Role.MANAGER)
    response = api.patch(f"{DELIVERABLES}{flow.deliverable.pk}/", {"fee_share": "1.00"},
                         format="json")
    assert response.status_code == 403
    assert Deliverable.objects.get(pk=flow.deliverable.pk).fee_share == Decimal("200.00")


def test_linking_a_post_makes_it_live_and_checks_it(team, flow, api_client_for):
    Deliverable.objects.filter(pk=flow.deliverable.pk).update(status="approved")
    post = f.PostFactory(partnership=flow.partnership, caption="#ad #GlowUp @lumiskin")
    api = api_client_for(team.organization, Role.MANAGER)
    response = api.post(f"{DELIVERABLES}{flow.deliverable.pk}/link-post/", {"post": post.pk},
                        format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "live" and response.json()["posts"] == [post.pk]
    assert post.caption_check.passed


def test_the_list_does_not_grow_in_queries(team, flow, api_client_for,
                                           django_assert_max_num_queries):
    api = api_client_for(team.organization, Role.ADMIN)
    api.get(DELIVERABLES)
    for _ in range(5):
        cf.DeliverableFactory(partnership=flow.other, fee_share=0)
    with django_assert_max_num_queries(12):
        assert len(api.get(DELIVERABLES).json()["results"]) == 7
    for _ in range(3):
        cf.DraftReviewFactory(draft__deliverable=flow.deliverable)
    with django_assert_max_num_queries(12):
        assert len(api.get(DRAFTS).json()["results"]) == 3


# --- Drafts ---------------------------------------------------------------------------------
def test_the_creator_submits_drafts_and_reads_the_findings(flow, creator_api):
    response = creator_api.post(DRAFTS, {
        "deliverable": flow.deliverable.pk, "caption": "Glow #GlowUp",
        "link": "https://drive.example/v.mp4",
    }, format="json")
    assert response.status_code == 201, response.content
    findings = response.json()["findings"]
    assert [x["rule"] for x in findings] == ["disclosure_missing", "mention_missing"]
    assert "@lumiskin" in findings[1]["message"]
    media = SimpleUploadedFile("me.jpg", cf.JPEG, content_type="image/jpeg")
    response = creator_api.post(DRAFTS, {
        "deliverable": flow.deliverable.pk, "caption": "#ad #GlowUp @lumiskin", "media": media,
    }, format="multipart")
    assert response.status_code == 201, response.content
    assert (response.json()["number"], response.json()["media_content_type"]) == (
        2, "image/jpeg"
    )
    assert response.json()["findings"] == []


def test_a_bad_upload_is_a_400_on_media(flow, creator_api):
    fake = SimpleUploadedFile("me.jpg", b"<html>", content_type="image/jpeg")
    response = creator_api.post(DRAFTS, {
        "deliverable": flow.deliverable.pk, "caption": "#ad", "media": fake,
    }, format="multipart")
    assert response.status_code == 400 and "media" in response.json()
    assert not Draft.objects.exists()


def test_a_creator_sees_and_touches_only_their_own(team, flow, creator_api):
    theirs = cf.DraftFactory(deliverable=flow.others_deliverable)
    mine = cf.DraftFactory(deliverable=flow.deliverable)
    other_version = cf.BriefVersionFactory(brief=flow.version.brief, number=2)
    assert _ids(creator_api.get(DRAFTS)) == {mine.pk}
    assert _ids(creator_api.get(DELIVERABLES)) == {flow.deliverable.pk}
    assert _ids(creator_api.get(BRIEFS)) == {flow.version.pk}
    assert creator_api.get(f"{BRIEFS}{other_version.pk}/").status_code == 404
    assert creator_api.get(f"{DRAFTS}{theirs.pk}/").status_code == 404
    assert creator_api.get(f"{DELIVERABLES}{flow.others_deliverable.pk}/").status_code == 404
    # Drafts of another creator's deliverable: that deliverable does not exist for them.
    response = creator_api.post(DRAFTS, {"deliverable": flow.others_deliverable.pk,
                                         "link": "https://x.example/"}, format="json")
    assert response.status_code == 400 and "deliverable" in response.json()
    # Nothing else is theirs to write.
    own = f"{DELIVERABLES}{flow.deliverable.pk}/"
    assert creator_api.patch(own, {"status": "draft_submitted"}, format="json").status_code == 403
    assert creator_api.delete(own).status_code == 403
    assert creator_api.post(DELIVERABLES, {"partnership": flow.partnership.pk},
                            format="json").status_code == 403
    assert creator_api.post(BRIEFS, {"campaign": flow.partnership.campaign_id},
                            format="json").status_code == 403
    assert creator_api.post(f"{BRIEFS}{flow.version.pk}/send/",
                            {"partnerships": [flow.partnership.pk]},
                            format="json").status_code == 403
    assert creator_api.post(f"{DRAFTS}{mine.pk}/review/", {"decision": "approve"},
                            format="json").status_code == 403
    assert creator_api.get("/api/v1/partnerships/").status_code == 404
    assert BriefVersion.objects.count() == 2 and Deliverable.objects.count() == 2


def test_review_through_the_api(team, flow, api_client_for, creator_api):
    first = creator_api.post(DRAFTS, {"deliverable": flow.deliverable.pk,
                                      "link": "https://x.example/1"}, format="json").json()
    manager = api_client_for(team.organization, Role.MANAGER)
    url = f"{DRAFTS}{first['id']}/review/"
    response = manager.post(url, {"decision": "request_changes"}, format="json")
    assert response.status_code == 400 and "comment" in response.json()
    viewer = api_client_for(team.organization, Role.VIEWER)
    assert viewer.post(url, {"decision": "approve"}, format="json").status_code == 403
    response = manager.post(url, {"decision": "request_changes", "comment": "#ad first"},
                            format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == DraftStatus.CHANGES_REQUESTED
    assert [r["comment"] for r in body["reviews"]] == ["#ad first"]
    assert manager.post(url, {"decision": "approve"}, format="json").status_code == 400
    again = creator_api.get(f"{DRAFTS}{first['id']}/").json()
    assert again["reviews"][0]["decision"] == "request_changes"
    assert Deliverable.objects.get(pk=flow.deliverable.pk).status == (
        DeliverableStatus.CHANGES_REQUESTED
    )


def test_a_viewer_submits_no_draft(team, flow, api_client_for):
    api = api_client_for(team.organization, Role.VIEWER)
    response = api.post(DRAFTS, {"deliverable": flow.deliverable.pk,
                                 "link": "https://x.example/"}, format="json")
    assert response.status_code == 403
