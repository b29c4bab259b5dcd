"""Submitting a draft from the portal: it goes through ``draft_submit``, is checked against the
brief, and bad input is a form error on the right field — never a 500 and never a draft."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.models import DeliverableStatus, Draft, DraftStatus
from tests.portal.conftest import PNG, portal_urls


def _png(name: str = "take.png", data: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_a_creator_submits_a_draft_with_media_and_sees_it_waiting(client_for, portal):
    client = client_for(portal.priya.user)
    deliverable = portal.priya["upcoming"]
    url = portal_urls(portal.priya)["upcoming"]
    response = client.post(url, {"caption": "#ad Glowing with Glow #glowup", "media": _png()})
    assert response.status_code == 302 and response["Location"] == url
    draft = Draft.objects.get(deliverable=deliverable)
    assert (draft.number, draft.status, draft.findings) == (1, DraftStatus.PENDING, [])
    assert bytes(draft.media) == PNG and draft.submitted_by == portal.priya.user
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.DRAFT_SUBMITTED
    page = client.get(url).content.decode()
    assert "Draft 1 sent for review." in page and "Waiting for review" in page
    assert "The caption passed the check." in page
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:deliverable", args=[deliverable.pk]) in home


def test_a_caption_without_the_disclosure_is_flagged_on_the_draft(client_for, portal):
    client = client_for(portal.priya.user)
    url = portal_urls(portal.priya)["deliverable"]  # changes requested: draft 2
    response = client.post(url, {"caption": "Loving it #glowup",
                                 "link": "https://drive.example/take2"})
    assert response.status_code == 302
    draft = Draft.objects.get(deliverable=portal.priya["late"], number=2)
    assert [f["rule"] for f in draft.findings] == ["disclosure_missing"]
    page = client.get(url).content.decode()
    assert page.count('data-rule="disclosure_missing"') == 2  # draft 2 and draft 1
    assert "No disclosure" in page and "https://drive.example/take2" in page


def test_a_file_that_is_not_an_image_or_video_is_a_form_error(client_for, portal):
    client = client_for(portal.priya.user)
    upload = SimpleUploadedFile("take.png", b"<html><script>alert(1)</script>",
                                content_type="image/png")
    response = client.post(portal_urls(portal.priya)["upcoming"],
                           {"caption": "#ad hi", "media": upload})
    assert response.status_code == 400
    [error] = response.context["form"].errors["media"]
    assert error.startswith("This kind of file is not accepted here")
    assert not Draft.objects.filter(deliverable=portal.priya["upcoming"]).exists()


def test_a_file_over_the_limit_is_a_form_error(client_for, portal, monkeypatch):
    monkeypatch.setattr("content.services.drafts.MEDIA_LIMIT_MB", 1)
    client = client_for(portal.priya.user)
    big = _png(data=PNG + b"\x00" * (1024 * 1024))
    response = client.post(portal_urls(portal.priya)["upcoming"],
                           {"caption": "#ad hi", "media": big})
    assert response.status_code == 400
    assert "larger than 1 MB" in str(response.context["form"].errors["media"])
    assert not Draft.objects.filter(deliverable=portal.priya["upcoming"]).exists()


def test_neither_media_nor_link_or_a_bad_link_are_form_errors(client_for, portal):
    client = client_for(portal.priya.user)
    url = portal_urls(portal.priya)["upcoming"]
    response = client.post(url, {"caption": "#ad hi"})
    assert response.status_code == 400 and "media" in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    response = client.post(url, {"caption": "#ad hi", "link": "not a link at all"})
    assert response.status_code == 400 and "link" in response.context["form"].errors
    assert not Draft.objects.filter(deliverable=portal.priya["upcoming"]).exists()


def test_an_approved_deliverable_takes_no_draft(client_for, portal):
    deliverable = portal.priya["upcoming"]
    deliverable.status = DeliverableStatus.APPROVED
    deliverable.save()
    client = client_for(portal.priya.user)
    url = portal_urls(portal.priya)["upcoming"]
    page = client.get(url).content.decode()
    assert 'id="draft-form"' not in page and "takes no more drafts" in page
    response = client.post(url, {"caption": "#ad", "link": "https://drive.example/x"})
    assert response.status_code == 400
    assert "takes no more drafts" in response.content.decode()
    assert not Draft.objects.filter(deliverable=deliverable).exists()
