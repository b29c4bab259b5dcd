"""The workflow in the Django admin: every page renders, deliverables are written through the
services (fee-share limit, audit), fee shares stay with admins and owners."""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps

from accounts.models import AuditEntry
from content.models import Deliverable
from tests.admin_support import admin_url, staff_client
from tests.content import factories as cf

MODELS = list(apps.get_app_config("content").get_models())


def test_every_page_renders_for_a_superuser(client_for, superuser, flow):
    draft = cf.DraftFactory(deliverable=flow.deliverable,
                            findings=[{"rule": "hashtag_missing", "detail": "#GlowUp"}])
    cf.DraftReviewFactory(draft=draft)
    cf.BriefAttachmentFactory(version=flow.version)
    cf.PostCheckFactory(post__partnership=flow.partnership)
    client = client_for(superuser)
    for model in MODELS:
        assert client.get(admin_url(model, "changelist")).status_code == 200, model
        obj = model._default_manager.first()
        page = client.get(admin_url(model, "change", obj.pk))
        assert page.status_code == 200, model
    page = client.get(admin_url(type(draft), "change", draft.pk)).content.decode()
    assert "The required hashtag #GlowUp is missing." in page
    assert client.get(admin_url(Deliverable, "add")).status_code == 200


def _form(flow, fee_share: str) -> dict[str, str]:
    return {"partnership": str(flow.partnership.pk), "platform": "tiktok", "format": "video",
            "quantity": "1", "due_date": "2026-04-01", "fee_share": fee_share, "pay_on": "live"}


def test_an_admin_adds_a_deliverable_through_the_service(team, flow):
    client = staff_client(team.admin)
    response = client.post(admin_url(Deliverable, "add"), _form(flow, "400.00"))
    assert response.status_code == 400 and "more than the partnership" in response.content.decode()
    response = client.post(admin_url(Deliverable, "add"), _form(flow, "300.00"))
    assert response.status_code == 302
    made = Deliverable.objects.latest("pk")
    assert made.fee_share == Decimal("300.00") and made.status == "planned"
    assert AuditEntry.objects.filter(action="deliverable.created", actor=team.admin).exists()


def test_a_manager_neither_sees_nor_sets_fee_shares(team, flow):
    client = staff_client(team.manager)
    page = client.get(admin_url(Deliverable, "change", flow.deliverable.pk)).content.decode()
    assert 'name="fee_share"' not in page and "200.00" not in page
    response = client.post(admin_url(Deliverable, "add"), _form(flow, "50.00"))
    assert response.status_code == 302
    assert Deliverable.objects.latest("pk").fee_share == 0
