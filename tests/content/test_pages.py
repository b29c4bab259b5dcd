"""The team's brief and deliverable pages (content/views/briefs.py, deliverables.py): who sees
what, who may write, what bad input answers, and that no one outside reaches them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.models import (
    BriefAttachment,
    BriefSend,
    BriefVersion,
    Deliverable,
    DeliverableStatus,
    Draft,
)
from tests import factories as f
from tests.content import factories as cf
from tests.content.pages_support import PAST, build, creator_of, staff_urls


@pytest.fixture
def s(team):
    return build(team.organization)


def _brief(s):
    return reverse("content:brief", args=[s.campaign.pk])


# --- the brief ------------------------------------------------------------------------------


def test_every_team_role_reads_the_brief_and_only_managers_get_the_forms(team, client_for, s):
    for role, writes in (("viewer", False), ("manager", True), ("admin", True), ("owner", True)):
        response = client_for(team.user(role)).get(_brief(s))
        assert response.status_code == 200, role
        html = response.content.decode()
        assert "Three drops, morning and night." in html  # the latest version's key messages
        assert "moodboard.pdf" in html
        assert ("Save as a new version" in html) is writes, role
        assert ('name="partnerships"' in html) is writes, role
        assert ('type="file"' in html) is writes, role


def test_saving_the_brief_makes_a_new_version_with_its_lists_parsed(team, client_for, s):
    response = client_for(team.manager).post(_brief(s), {
        "goal": "Sell the serum", "key_messages": "Glow in 7 days",
        "disclosure_tags": "#ad\n#anzeige", "required_hashtags": "glowup, #VitaminC\n#glowup",
        "required_mentions": "glowskin", "forbidden_words": "cure, miracle",
    })
    assert response.status_code == 302
    latest = BriefVersion.objects.filter(brief__campaign=s.campaign).order_by("-number").first()
    assert latest.number == 2 and latest.created_by == team.manager
    assert latest.required_hashtags == ["#glowup", "#VitaminC"]
    assert latest.required_mentions == ["@glowskin"]
    assert latest.forbidden_words == ["cure", "miracle"]
    assert latest.disclosure_tags == ["#ad", "#anzeige"]
    s.version.refresh_from_db()
    assert s.version.key_messages == "Three drops, morning and night."  # v1 unchanged
    page = client_for(team.viewer).get(_brief(s)).content.decode()
    assert "Glow in 7 days" in page and team.manager.username in page  # history: who


def test_a_tag_with_spaces_is_a_form_error_and_nothing_is_saved(team, client_for, s):
    response = client_for(team.manager).post(
        _brief(s), {"goal": "x", "required_hashtags": "#glow up"}
    )
    assert response.status_code == 400
    assert "required_hashtags" in response.context["version_form"].errors
    assert BriefVersion.objects.filter(brief__campaign=s.campaign).count() == 1


def test_too_many_list_entries_is_a_form_error(team, client_for, s):
    response = client_for(team.manager).post(
        _brief(s), {"goal": "x", "forbidden_words": ",".join(f"w{i}" for i in range(40))}
    )
    assert response.status_code == 400
    assert "forbidden_words" in response.context["version_form"].errors


def test_a_viewer_cannot_change_the_brief(team, client_for, s):
    client = client_for(team.viewer)
    upload = SimpleUploadedFile("a.pdf", cf.PDF, content_type="application/pdf")
    assert client.post(_brief(s), {"goal": "x"}).status_code == 403
    assert client.post(
        reverse("content:attachment_add", args=[s.version.pk]), {"file": upload}
    ).status_code == 403
    assert client.post(
        reverse("content:brief_send", args=[s.version.pk]), {"partnerships": [s.partnership.pk]}
    ).status_code == 403
    assert client.post(
        reverse("content:attachment_delete", args=[s.attachment.pk])
    ).status_code == 403
    assert BriefVersion.objects.count() == 1 and BriefSend.objects.count() == 0
    assert BriefAttachment.objects.count() == 1


def test_an_attachment_is_uploaded_and_downloaded_as_a_file(team, client_for, s):
    client = client_for(team.manager)
    png = SimpleUploadedFile("look.png", cf.PNG, content_type="image/png")
    response = client.post(reverse("content:attachment_add", args=[s.version.pk]), {"file": png})
    assert response.status_code == 302
    attachment = BriefAttachment.objects.get(name="look.png")
    download = client_for(team.viewer).get(
        reverse("content:attachment_download", args=[attachment.pk])
    )
    assert download.status_code == 200
    assert download.content == cf.PNG
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.html", b"<script>alert(1)</script>", "not accepted"),
        ("big.pdf", cf.PDF + b"\x00" * (10 * 1024 * 1024), "limit"),
    ],
)
def test_a_wrong_or_large_attachment_is_a_form_error(team, client_for, s, name, data, message):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = client_for(team.manager).post(
        reverse("content:attachment_add", args=[s.version.pk]), {"file": upload}
    )
    assert response.status_code == 400
    errors = response.context["attachment_form"].errors["file"]
    assert any(message in e for e in errors), errors
    assert BriefAttachment.objects.count() == 1


def test_a_manager_removes_an_attachment(team, client_for, s):
    response = client_for(team.manager).post(
        reverse("content:attachment_delete", args=[s.attachment.pk])
    )
    assert response.status_code == 302
    assert not BriefAttachment.objects.exists()


def test_sending_the_brief_records_the_version_each_partnership_has(team, client_for, s):
    other = f.PartnershipFactory(campaign=s.campaign)
    client = client_for(team.manager)
    response = client.post(
        reverse("content:brief_send", args=[s.version.pk]), {"partnerships": [s.partnership.pk]}
    )
    assert response.status_code == 302
    assert list(BriefSend.objects.values_list("partnership_id", "version_id")) == [
        (s.partnership.pk, s.version.pk)
    ]
    rows = {r["partnership"].pk: r for r in client.get(_brief(s)).context["recipients"]}
    assert rows[s.partnership.pk]["has_latest"] and not rows[other.pk]["sends"]


def test_sending_to_no_one_or_to_another_campaigns_partnership_is_a_form_error(
    team, client_for, s
):
    stranger = f.PartnershipFactory(campaign=f.CampaignFactory(brand=s.campaign.brand))
    url = reverse("content:brief_send", args=[s.version.pk])
    client = client_for(team.manager)
    for data in ({}, {"partnerships": [stranger.pk]}, {"partnerships": ["x"]}):
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert response.context["send_form"].errors
    assert not BriefSend.objects.exists()


# --- deliverables ---------------------------------------------------------------------------


def _list(s):
    return reverse("content:deliverables", args=[s.partnership.pk])


def test_the_list_shows_status_late_flag_posts_and_caption_findings(team, client_for, s):
    late = cf.DeliverableFactory(partnership=s.partnership, due_date=PAST, fee_share="300.00")
    s.deliverable.posts.add(s.post)
    cf.PostCheckFactory(post=s.post)
    response = client_for(team.viewer).get(_list(s))
    assert response.status_code == 200
    rows = {r["deliverable"].pk: r for r in response.context["rows"]}
    assert rows[late.pk]["late"] and not rows[s.deliverable.pk]["late"]
    html = response.content.decode()
    assert "Late" in html and "Draft submitted" in html
    assert "No disclosure" in html  # the post's caption check, as a sentence
    assert "Add a deliverable" not in html and "Link post" not in html  # a viewer: no forms
    assert "fee share" not in html  # nor compensation


def test_fee_shares_are_shown_to_admins_only(team, client_for, s):
    assert "fee share" in client_for(team.admin).get(_list(s)).content.decode()
    manager = client_for(team.manager).get(_list(s))
    assert "fee share" not in manager.content.decode()
    assert "fee_share" not in manager.context["form"].fields


def test_a_manager_adds_a_deliverable(team, client_for, s):
    response = client_for(team.manager).post(_list(s), {
        "platform": "tiktok", "format": "video", "quantity": "2", "due_date": "2026-05-01",
    })
    assert response.status_code == 302
    added = Deliverable.objects.get(platform="tiktok")
    assert (added.quantity, added.status, added.fee_share) == (2, "planned", Decimal("0"))


def test_an_admin_sets_a_fee_share_within_the_fee(team, client_for, s):
    data = {"platform": "instagram", "format": "story", "quantity": "1",
            "due_date": "2026-05-01", "pay_on": "live"}
    client = client_for(team.admin)
    too_much = client.post(_list(s), {**data, "fee_share": "900.00"})  # 200 already taken
    assert too_much.status_code == 400
    assert "fee_share" in too_much.context["form"].errors
    assert client.post(_list(s), {**data, "fee_share": "800.00"}).status_code == 302
    assert Deliverable.objects.get(format="story").fee_share == Decimal("800.00")


@pytest.mark.parametrize("bad", [
    {"quantity": "0"}, {"quantity": "abc"}, {"due_date": ""}, {"due_date": "2026-13-40"},
    {"platform": "myspace"}, {"format": "poster"},
])
def test_bad_deliverable_input_is_a_form_error(team, client_for, s, bad):
    data = {"platform": "instagram", "format": "reel", "quantity": "1", "due_date": "2026-05-01"}
    response = client_for(team.manager).post(_list(s), {**data, **bad})
    assert response.status_code == 400
    assert set(bad) <= set(response.context["form"].errors)
    assert Deliverable.objects.count() == 1


def test_editing_moves_the_status_one_step_only(team, client_for, s):
    planned = cf.DeliverableFactory(partnership=s.partnership, fee_share="0")
    url = reverse("content:deliverable_edit", args=[planned.pk])
    client = client_for(team.manager)
    page = client.get(url)
    assert [v for v, _ in page.context["form"].fields["status"].choices] == [
        "planned", "draft_submitted",
    ]
    data = {"platform": "instagram", "format": "reel", "quantity": "3", "due_date": "2026-06-01"}
    skipped = client.post(url, {**data, "status": "verified"})
    assert skipped.status_code == 400 and "status" in skipped.context["form"].errors
    assert client.post(url, {**data, "status": "planned"}).status_code == 302
    planned.refresh_from_db()
    assert planned.quantity == 3 and planned.status == "planned"


def test_a_manager_deletes_a_deliverable(team, client_for, s):
    url = reverse("content:deliverable_delete", args=[s.deliverable.pk])
    assert client_for(team.viewer).post(url).status_code == 403
    assert client_for(team.manager).post(url).status_code == 302
    assert not Deliverable.objects.filter(pk=s.deliverable.pk).exists()


def test_linking_a_post_makes_an_approved_deliverable_live_and_checks_its_caption(
    team, client_for, s
):
    url = reverse("content:deliverable_link_post", args=[s.deliverable.pk])
    client = client_for(team.manager)
    not_yet = client.post(url, {"post": s.post.pk})  # still waiting for review
    assert not_yet.status_code == 400
    assert "approved" in str(not_yet.context["rows"][0]["link_form"].errors)
    Deliverable.objects.filter(pk=s.deliverable.pk).update(status=DeliverableStatus.APPROVED)
    elsewhere = f.PostFactory(partnership=f.PartnershipFactory(campaign=s.campaign))
    assert client.post(url, {"post": elsewhere.pk}).status_code == 400  # not this creator's
    assert client.post(url, {"post": s.post.pk}).status_code == 302
    s.deliverable.refresh_from_db()
    assert s.deliverable.status == DeliverableStatus.LIVE
    assert list(s.deliverable.posts.all()) == [s.post]
    page = client.get(_list(s)).content.decode()
    assert "No disclosure" in page  # "Morning routine, no disclosure" fails the #ad rule


def test_a_viewer_cannot_write_deliverables(team, client_for, s):
    client = client_for(team.viewer)
    edit = reverse("content:deliverable_edit", args=[s.deliverable.pk])
    assert client.get(edit).status_code == 403
    assert client.post(_list(s), {"platform": "instagram"}).status_code == 403
    assert client.post(
        reverse("content:deliverable_link_post", args=[s.deliverable.pk]), {"post": s.post.pk}
    ).status_code == 403


def test_the_list_reads_a_fixed_number_of_queries(
    team, client_for, s, django_assert_max_num_queries
):
    client = client_for(team.admin)
    for _ in range(6):
        d = cf.DeliverableFactory(partnership=s.partnership, fee_share="0")
        d.posts.add(f.PostFactory(partnership=s.partnership))
        cf.DraftFactory(deliverable=d)
    with django_assert_max_num_queries(10):  # 9: as many with one deliverable as with 7
        assert client.get(_list(s)).status_code == 200


# --- no one outside -------------------------------------------------------------------------


def test_outsider_gets_404_on_every_route(outsider, client_for, s):
    client = client_for(outsider)
    for method, url in staff_urls(s):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert Deliverable.objects.filter(pk=s.deliverable.pk).exists()
    assert BriefAttachment.objects.filter(pk=s.attachment.pk).exists()


def test_a_creator_gets_404_on_every_team_page_even_their_own_records(client_for, s):
    client = client_for(creator_of(s))
    for method, url in staff_urls(s):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert Draft.objects.get(pk=s.draft.pk).reviews.count() == 0
