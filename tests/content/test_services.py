"""The workflow's writes: briefs, deliverables and their statuses, drafts and reviews."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from accounts.models import AuditEntry, Role
from campaigns.models import FunnelStage
from content import services
from content.models import (
    BriefSend,
    BriefVersion,
    Deliverable,
    DeliverableStatus,
    Draft,
    DraftStatus,
    PostCheck,
)
from content.services.deliverables import NEXT
from content.signals import deliverable_status_changed
from tests import factories as f
from tests.content import factories as cf

S = DeliverableStatus


def upload(data: bytes, name: str = "draft.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def actions(team) -> list[str]:
    return list(
        AuditEntry.objects.filter(organization=team.organization)
        .order_by("pk").values_list("action", flat=True)
    )


# --- Briefs ---------------------------------------------------------------------------------
def test_each_edit_is_a_new_numbered_version_and_is_audited(team, flow):
    campaign = flow.partnership.campaign
    second = services.brief_version_create(
        access=team.access(Role.MANAGER), campaign=campaign, key_messages="New",
        required_hashtags=["#GlowUp", " #glowup ", "", "Summer"], required_mentions=["lumi"],
    )
    third = services.brief_version_create(access=team.access(Role.MANAGER), campaign=campaign)
    assert (second.number, third.number) == (2, 3)
    assert second.required_hashtags == ["#GlowUp", "#Summer"]  # the "#" added where left out
    assert second.required_mentions == ["@lumi"]
    assert second.created_by == team.manager
    assert actions(team).count("brief.version_created") == 2


@pytest.mark.parametrize(("stage", "word"), [
    (FunnelStage.TOFU, "Awareness"), (FunnelStage.MOFU, "Leads"), (FunnelStage.BOFU, "Sales"),
])
def test_the_goal_defaults_from_the_campaigns_stage(team, stage, word):
    campaign = f.CampaignFactory(brand__organization=team.organization, stage=stage)
    version = services.brief_version_create(access=team.access(), campaign=campaign)
    assert version.number == 1 and version.goal.startswith(word)


def test_a_viewer_and_a_creator_write_no_brief(team, flow):
    campaign = flow.partnership.campaign
    for access in (team.access(Role.VIEWER), flow.creator_access):
        with pytest.raises(PermissionDenied):
            services.brief_version_create(access=access, campaign=campaign)
    assert BriefVersion.objects.filter(brief__campaign=campaign).count() == 1


def test_another_organizations_campaign_is_refused(team, outsider_team):
    theirs = f.CampaignFactory(brand__organization=outsider_team.organization)
    with pytest.raises(ValidationError):
        services.brief_version_create(access=team.access(), campaign=theirs)


def test_sending_a_version_records_and_audits_each_partnership(team, flow):
    sends = services.brief_send(
        access=team.access(Role.MANAGER), version=flow.version,
        partnerships=[flow.partnership, flow.other],
    )
    assert {s.partnership for s in sends} == {flow.partnership, flow.other}
    assert BriefSend.objects.filter(version=flow.version).count() == 2  # resent: same row
    assert actions(team).count("brief.sent") == 2


def test_a_partnership_of_another_campaign_is_refused(team, flow):
    elsewhere = f.PartnershipFactory(campaign__brand__organization=team.organization)
    with pytest.raises(ValidationError) as error:
        services.brief_send(access=team.access(), version=flow.version, partnerships=[elsewhere])
    assert "partnerships" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.brief_send(access=team.access(), version=flow.version, partnerships=[])


def test_an_attachment_is_kept_by_its_content_type(team, flow):
    attachment = services.brief_attachment_add(
        access=team.access(), version=flow.version, upload=upload(cf.PDF, "../../brief.png")
    )
    assert (attachment.content_type, attachment.name) == ("application/pdf", "brief.png")
    assert "brief.attachment_added" in actions(team)
    services.brief_attachment_delete(access=team.access(), attachment=attachment)
    assert not flow.version.attachments.exists()


@pytest.mark.parametrize("data", [b"#!/bin/sh\nrm -rf /", b"", b"PK\x03\x04not a zip"])
def test_an_attachment_of_another_kind_is_refused(team, flow, data):
    with pytest.raises(ValidationError) as error:
        services.brief_attachment_add(
            access=team.access(), version=flow.version, upload=upload(data, "brief.pdf")
        )
    assert "upload" in error.value.message_dict


def test_an_attachment_over_10_mb_is_refused(team, flow):
    big = cf.PDF + b"\x00" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError) as error:
        services.brief_attachment_add(access=team.access(), version=flow.version,
                                      upload=upload(big, "big.pdf"))
    assert "upload" in error.value.message_dict


# --- Deliverables ---------------------------------------------------------------------------
def test_fee_shares_may_not_add_up_to_more_than_the_fee(team, flow):
    admin = team.access(Role.ADMIN)
    services.deliverable_create(
        access=admin, partnership=flow.partnership, platform="instagram", format="story",
        due_date="2026-03-25", fee_share=Decimal("300.00"),
    )
    with pytest.raises(ValidationError) as error:
        services.deliverable_create(
            access=admin, partnership=flow.partnership, platform="instagram", format="story",
            due_date="2026-03-25", fee_share=Decimal("0.01"),
        )
    assert "fee_share" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.deliverable_update(access=admin, deliverable=flow.deliverable,
                                    fee_share=Decimal("200.01"))
    assert "fee_share" in error.value.message_dict
    assert Deliverable.objects.get(pk=flow.deliverable.pk).fee_share == Decimal("200.00")


def test_a_manager_plans_deliverables_but_sets_no_fee_share(team, flow):
    manager = team.access(Role.MANAGER)
    made = services.deliverable_create(
        access=manager, partnership=flow.partnership, platform="tiktok", format="video",
        due_date="2026-03-25",
    )
    assert made.status == S.PLANNED and made.fee_share == 0
    with pytest.raises(PermissionDenied):
        services.deliverable_update(access=manager, deliverable=made, fee_share=Decimal("10"))
    with pytest.raises(PermissionDenied):
        services.deliverable_create(access=team.access(Role.VIEWER), partnership=flow.partnership,
                                    platform="tiktok", format="video", due_date="2026-03-25")


def test_a_new_deliverable_starts_planned(team, flow):
    with pytest.raises(ValidationError) as error:
        services.deliverable_create(
            access=team.access(), partnership=flow.partnership, platform="tiktok",
            format="video", due_date="2026-03-25", status=S.APPROVED,
        )
    assert "status" in error.value.message_dict


def test_statuses_move_only_along_the_path(team, flow):
    access = team.access(Role.MANAGER)
    deliverable = flow.deliverable
    heard: list[str] = []

    def listener(sender, deliverable, status, **kwargs):
        heard.append(status)

    deliverable_status_changed.connect(listener)
    try:
        for status in (S.DRAFT_SUBMITTED, S.CHANGES_REQUESTED, S.DRAFT_SUBMITTED, S.APPROVED,
                       S.LIVE, S.VERIFIED):
            services.deliverable_update(access=access, deliverable=deliverable, status=status)
    finally:
        deliverable_status_changed.disconnect(listener)
    assert heard == ["draft_submitted", "changes_requested", "draft_submitted", "approved",
                     "live", "verified"]
    assert actions(team).count("deliverable.status_changed") == 6


@pytest.mark.parametrize(("current", "new"), [
    (S.PLANNED, S.APPROVED), (S.PLANNED, S.LIVE), (S.DRAFT_SUBMITTED, S.LIVE),
    (S.APPROVED, S.PLANNED), (S.LIVE, S.APPROVED), (S.VERIFIED, S.LIVE),
    (S.CHANGES_REQUESTED, S.APPROVED),
])
def test_other_moves_are_refused_on_status(team, flow, current, new):
    Deliverable.objects.filter(pk=flow.deliverable.pk).update(status=current)
    deliverable = Deliverable.objects.get(pk=flow.deliverable.pk)
    assert new not in NEXT[current]
    with pytest.raises(ValidationError) as error:
        services.deliverable_update(access=team.access(), deliverable=deliverable, status=new)
    assert "status" in error.value.message_dict
    assert Deliverable.objects.get(pk=deliverable.pk).status == current


def test_linking_the_live_post_checks_its_caption(team, flow):
    Deliverable.objects.filter(pk=flow.deliverable.pk).update(status=S.APPROVED)
    post = f.PostFactory(partnership=flow.partnership, caption="Three drops 💧 #GlowUp @lumiskin")
    deliverable = services.deliverable_link_post(
        access=team.access(Role.MANAGER), deliverable=flow.deliverable, post=post
    )
    assert deliverable.status == S.LIVE
    check = PostCheck.objects.get(post=post)
    assert not check.passed
    assert check.findings == [{"rule": "disclosure_missing",
                               "detail": "#ad, #sponsored, #partner"}]


def test_only_an_approved_deliverable_takes_a_post_of_its_own_partnership(team, flow):
    post = f.PostFactory(partnership=flow.partnership)
    with pytest.raises(ValidationError) as error:
        services.deliverable_link_post(access=team.access(), deliverable=flow.deliverable,
                                       post=post)
    assert "status" in error.value.message_dict
    Deliverable.objects.filter(pk=flow.deliverable.pk).update(status=S.APPROVED)
    stranger = f.PostFactory(partnership=flow.other)
    with pytest.raises(ValidationError) as error:
        services.deliverable_link_post(access=team.access(), deliverable=flow.deliverable,
                                       post=stranger)
    assert "post" in error.value.message_dict


# --- Drafts ---------------------------------------------------------------------------------
def test_the_creator_submits_a_draft_with_media_and_it_is_checked(team, flow):
    draft = services.draft_submit(
        access=flow.creator_access, deliverable=flow.deliverable,
        caption="Morning routine 💧 #GlowUp @LumiSkin this will cure everything",
        media=upload(cf.PNG),
    )
    assert (draft.number, draft.status, draft.media_content_type) == (
        1, DraftStatus.PENDING, "image/png"
    )
    assert draft.submitted_by == flow.creator
    assert [x["rule"] for x in draft.findings] == ["disclosure_missing", "forbidden_word"]
    assert Deliverable.objects.get(pk=flow.deliverable.pk).status == S.DRAFT_SUBMITTED
    assert "draft.submitted" in actions(team)


def test_a_creator_cannot_submit_for_another_creators_deliverable(team, flow):
    with pytest.raises(Http404):
        services.draft_submit(access=flow.creator_access, deliverable=flow.others_deliverable,
                              caption="", link="https://example.com/x")
    assert not Draft.objects.exists()


def test_a_manager_submits_on_the_creators_behalf_a_viewer_does_not(team, flow):
    draft = services.draft_submit(access=team.access(Role.MANAGER), deliverable=flow.deliverable,
                                  caption="", link="https://drive.example/v.mp4")
    assert draft.link == "https://drive.example/v.mp4"
    with pytest.raises(PermissionDenied):
        services.draft_submit(access=team.access(Role.VIEWER), deliverable=flow.deliverable,
                              caption="", link="https://drive.example/v.mp4")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"caption": "Nice"}, "media"),
    ({"caption": "", "media": cf.PNG}, "caption"),
    ({"caption": "Nice", "media": b"GIF88a not really"}, "media"),
    ({"caption": "Nice", "media": b"<svg onload=alert(1)>"}, "media"),
    ({"caption": "Nice", "media": cf.PDF}, "media"),
    ({"caption": "Nice", "link": "not a link"}, "link"),
])
def test_a_bad_draft_is_refused_naming_the_field(team, flow, kwargs, field):
    if "media" in kwargs:
        kwargs["media"] = upload(kwargs["media"])
    with pytest.raises(ValidationError) as error:
        services.draft_submit(access=flow.creator_access, deliverable=flow.deliverable, **kwargs)
    assert field in error.value.message_dict
    assert not Draft.objects.exists()
    assert Deliverable.objects.get(pk=flow.deliverable.pk).status == S.PLANNED


@pytest.mark.parametrize("data", [cf.JPEG, cf.MP4, cf.MOV, b"RIFF\x00\x00\x00\x00WEBPVP8 ",
                                  b"GIF89a\x01\x00"])
def test_images_and_videos_are_accepted_by_their_content(team, flow, data):
    draft = services.draft_submit(access=flow.creator_access, deliverable=flow.deliverable,
                                  caption="#ad hi", media=upload(data, "x.bin"))
    assert draft.media_size == len(data)


def test_media_over_25_mb_is_refused(team, flow):
    big = cf.MP4 + b"\x00" * (25 * 1024 * 1024)
    with pytest.raises(ValidationError) as error:
        services.draft_submit(access=flow.creator_access, deliverable=flow.deliverable,
                              caption="#ad", media=upload(big, "big.mp4"))
    assert "media" in error.value.message_dict


@pytest.mark.parametrize("status", [S.APPROVED, S.LIVE, S.VERIFIED])
def test_no_draft_once_approved(team, flow, status):
    Deliverable.objects.filter(pk=flow.deliverable.pk).update(status=status)
    with pytest.raises(ValidationError):
        services.draft_submit(access=flow.creator_access, deliverable=flow.deliverable,
                              caption="", link="https://example.com/v")


def test_review_round_trip_keeps_the_history(team, flow):
    manager = team.access(Role.MANAGER)
    first = services.draft_submit(access=flow.creator_access, deliverable=flow.deliverable,
                                  caption="", link="https://example.com/1")
    with pytest.raises(ValidationError) as error:
        services.draft_review(access=manager, draft=first, decision="request_changes")
    assert "comment" in error.value.message_dict
    services.draft_review(access=manager, draft=first, decision="request_changes",
                          comment="Put #ad first")
    assert Deliverable.objects.get(pk=flow.deliverable.pk).status == S.CHANGES_REQUESTED
    second = services.draft_submit(access=flow.creator_access, deliverable=flow.deliverable,
                                   caption="", link="https://example.com/2")
    assert second.number == 2
    with pytest.raises(ValidationError):  # the first is no longer waiting
        services.draft_review(access=manager, draft=first, decision="approve")
    review = services.draft_review(access=manager, draft=second, decision="approve")
    assert review.reviewer == team.manager
    assert Deliverable.objects.get(pk=flow.deliverable.pk).status == S.APPROVED
    assert list(Draft.objects.filter(deliverable=flow.deliverable)
                .order_by("number").values_list("status", flat=True)) == [
        DraftStatus.CHANGES_REQUESTED, DraftStatus.APPROVED]
    assert actions(team).count("draft.reviewed") == 2
    assert actions(team).count("draft.submitted") == 2


def test_only_the_latest_of_two_pending_drafts_is_reviewed(team, flow):
    first = services.draft_submit(access=flow.creator_access, deliverable=flow.deliverable,
                                  caption="", link="https://example.com/1")
    services.draft_submit(access=flow.creator_access, deliverable=flow.deliverable,
                          caption="", link="https://example.com/2")
    with pytest.raises(ValidationError):
        services.draft_review(access=team.access(), draft=first, decision="approve")


def test_viewers_and_creators_do_not_review(team, flow):
    draft = services.draft_submit(access=flow.creator_access, deliverable=flow.deliverable,
                                  caption="", link="https://example.com/1")
    for access in (team.access(Role.VIEWER), flow.creator_access):
        with pytest.raises(PermissionDenied):
            services.draft_review(access=access, draft=draft, decision="approve")
    with pytest.raises(ValidationError) as error:
        services.draft_review(access=team.access(), draft=draft, decision="maybe")
    assert "decision" in error.value.message_dict
    assert Draft.objects.get(pk=draft.pk).status == DraftStatus.PENDING
