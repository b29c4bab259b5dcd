"""The metrics admin (metrics/admin.py). Hand corrections of visits, conversions and refunds go
through their services (metrics/services/visits.py and corrections.py): the rules refuse with a
form error, the old and the new campaign are recomputed, bulk deletes take the same path, and
another organization's rows are a 404. Follower counts, comments and post metrics entered by
hand go through the ingestion services (metrics/services/ingestion.py) and recompute too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from metrics.models import Conversion, Refund, Visit
from tests import factories as f
from tests.admin_support import admin_url as url
from tests.admin_support import staff_client


@pytest.fixture
def manager(team: Any) -> Client:
    return staff_client(team.manager)


def conversion_form(conversion: Conversion, refunds: list[dict[str, str]] | None = None,
                    **changes: Any) -> dict[str, Any]:
    """The change form as the admin renders it (brand, source and id are read-only)."""
    stored = list(conversion.refunds.all())
    data: dict[str, Any] = {
        "kind": conversion.kind, "amount": str(conversion.amount),
        "currency": conversion.currency, "occurred_at_0": f"{conversion.occurred_at:%Y-%m-%d}",
        "occurred_at_1": f"{conversion.occurred_at:%H:%M:%S}",
        "promo_code": conversion.promo_code, "click_id": conversion.click_id,
        "landing_url": conversion.landing_url, "utm_campaign": conversion.utm_campaign,
        "utm_content": conversion.utm_content, "partnership": conversion.partnership_id or "",
        "source_updated_at_0": "", "source_updated_at_1": "",
        "refunds-TOTAL_FORMS": str(len(stored) + len(refunds or [])),
        "refunds-INITIAL_FORMS": str(len(stored)),
        "refunds-MIN_NUM_FORMS": "0", "refunds-MAX_NUM_FORMS": "1000",
    }
    for index, refund in enumerate(stored):
        data |= {
            f"refunds-{index}-id": refund.pk, f"refunds-{index}-conversion": conversion.pk,
            f"refunds-{index}-external_id": refund.external_id,
            f"refunds-{index}-amount": str(refund.amount),
            f"refunds-{index}-occurred_at_0": f"{refund.occurred_at:%Y-%m-%d}",
            f"refunds-{index}-occurred_at_1": f"{refund.occurred_at:%H:%M:%S}",
        }
    for offset, refund in enumerate(refunds or []):
        index = len(stored) + offset
        data |= {f"refunds-{index}-{name}": value for name, value in refund.items()}
        data[f"refunds-{index}-conversion"] = conversion.pk
    if conversion.is_cancelled:
        data["is_cancelled"] = "on"
    return data | changes


# --- Conversions ----------------------------------------------------------------------------
def test_a_conversion_moved_in_the_admin_is_manual_credit_for_the_new_campaign_and_the_old(
    manager, brand, maya, zoe, recomputed
):
    conversion = f.ConversionFactory(brand=brand, partnership=maya, attribution="promo_code")
    response = manager.post(url(Conversion, "change", conversion.pk),
                            conversion_form(conversion, partnership=zoe.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    conversion.refresh_from_db()
    assert (conversion.partnership, conversion.attribution) == (zoe, "manual")
    assert sorted(recomputed) == sorted([maya.campaign_id, zoe.campaign_id])


def test_a_refused_correction_is_a_form_error(manager, team, brand, recomputed):
    conversion = f.ConversionFactory(brand=brand)
    elsewhere = f.PartnershipFactory(campaign__brand__organization=team.organization)
    response = manager.post(url(Conversion, "change", conversion.pk),
                            conversion_form(conversion, partnership=elsewhere.pk))
    assert response.status_code == 400
    assert response.context["adminform"].form.errors["partnership"] == [
        "This partnership is not the brand's."
    ]
    conversion.refresh_from_db()
    assert conversion.partnership is None and recomputed == []


def test_the_attribution_is_the_services_not_typed_in(manager, brand, recomputed):
    conversion = f.ConversionFactory(brand=brand)
    page = manager.get(url(Conversion, "change", conversion.pk)).content.decode()
    assert 'name="attribution"' not in page and 'name="external_id"' not in page
    response = manager.post(url(Conversion, "change", conversion.pk),
                            conversion_form(conversion, attribution="manual",
                                            external_id="forged", amount="90.00"))
    assert response.status_code == 302
    conversion.refresh_from_db()
    assert (conversion.attribution, conversion.amount) == ("unattributed", Decimal("90.00"))
    assert conversion.external_id != "forged"


def test_a_conversion_added_in_the_admin_is_attributed_by_the_service(
    manager, brand, maya, recomputed
):
    f.PromoCodeFactory(partnership=maya, code="MAYA15")
    response = manager.post(url(Conversion, "add"), {
        "brand": brand.pk, "external_id": "A-1", "kind": "sale", "amount": "42.00",
        "currency": "USD", "occurred_at_0": "2026-03-05", "occurred_at_1": "10:00:00",
        "promo_code": "maya15", "source": "manual",
        "refunds-TOTAL_FORMS": "0", "refunds-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    conversion = Conversion.objects.get(external_id="A-1")
    assert (conversion.partnership, conversion.attribution) == (maya, "promo_code")
    assert recomputed == [maya.campaign_id]


def test_the_bulk_delete_action_goes_through_the_service(manager, brand, maya, zoe, recomputed):
    first = f.RefundFactory(conversion__brand=brand, conversion__partnership=maya).conversion
    second = f.ConversionFactory(brand=brand, partnership=zoe)
    response = manager.post(url(Conversion, "changelist"), {
        "action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes",
    })
    assert response.status_code == 302
    assert not Conversion.objects.exists() and not Refund.objects.exists()
    assert sorted(recomputed) == sorted([maya.campaign_id, zoe.campaign_id])


# --- Refunds --------------------------------------------------------------------------------
def test_a_refund_above_what_is_left_is_refused_with_a_form_error(manager, brand, recomputed):
    conversion = f.ConversionFactory(brand=brand, amount=Decimal("100.00"))
    f.RefundFactory(conversion=conversion, amount=Decimal("60.00"))
    response = manager.post(url(Refund, "add"), {
        "conversion": conversion.pk, "external_id": "R-2", "amount": "50.00",
        "occurred_at_0": "2026-03-06", "occurred_at_1": "10:00:00",
    })
    assert response.status_code == 400
    assert response.context["adminform"].form.errors["amount"] == [
        "Only 40.00 is left to refund on this order."
    ]
    assert conversion.refunds.count() == 1 and recomputed == []


def test_refunds_in_the_conversion_page_go_through_the_service(manager, brand, maya, recomputed):
    conversion = f.ConversionFactory(brand=brand, partnership=maya, amount=Decimal("100.00"))
    too_much = {"external_id": "R-1", "amount": "100.01", "occurred_at_0": "2026-03-06",
                "occurred_at_1": "10:00:00"}
    response = manager.post(url(Conversion, "change", conversion.pk),
                            conversion_form(conversion, refunds=[too_much]))
    assert response.status_code == 400
    assert "Only 100.00 is left to refund on this order." in response.content.decode()
    assert not Refund.objects.exists() and recomputed == []
    response = manager.post(url(Conversion, "change", conversion.pk),
                            conversion_form(conversion, refunds=[too_much | {"amount": "25.00"}]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert conversion.refunds.get().amount == Decimal("25.00")
    assert recomputed == [maya.campaign_id]


def test_a_refund_deleted_in_the_admin_recomputes_its_campaign(manager, brand, maya, recomputed):
    refund = f.RefundFactory(conversion__brand=brand, conversion__partnership=maya)
    response = manager.post(url(Refund, "delete", refund.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Refund.objects.exists() and recomputed == [maya.campaign_id]


# --- Visits ---------------------------------------------------------------------------------
def test_a_visit_added_in_the_admin_is_attributed_by_the_service(
    manager, brand, maya, recomputed
):
    link = f.TrackingLinkFactory(partnership=maya, utm_campaign="spring", utm_content="maya")
    response = manager.post(url(Visit, "add"), {
        "brand": brand.pk, "external_id": "", "occurred_at_0": "2026-03-05",
        "occurred_at_1": "10:00:00", "utm_campaign": link.utm_campaign,
        "utm_content": link.utm_content, "source": "manual",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Visit.objects.get()
    assert (visit.partnership, visit.attribution) == (maya, "utm")
    assert recomputed == [maya.campaign_id]


def test_a_visit_moved_in_the_admin_recomputes_both_campaigns(manager, brand, maya, zoe,
                                                              recomputed):
    visit = f.VisitFactory(brand=brand, partnership=maya, attribution="utm")
    response = manager.post(url(Visit, "change", visit.pk), {
        "occurred_at_0": f"{visit.occurred_at:%Y-%m-%d}",
        "occurred_at_1": f"{visit.occurred_at:%H:%M:%S}",
        "visitor_id": visit.visitor_id, "partnership": zoe.pk,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    visit.refresh_from_db()
    assert (visit.partnership, visit.attribution) == (zoe, "manual")
    assert sorted(recomputed) == sorted([maya.campaign_id, zoe.campaign_id])


def test_a_visit_deleted_in_the_admin_recomputes_its_campaign(manager, brand, maya, recomputed):
    visit = f.VisitFactory(brand=brand, partnership=maya, attribution="utm")
    assert manager.post(url(Visit, "delete", visit.pk), {"post": "yes"}).status_code == 302
    assert not Visit.objects.exists() and recomputed == [maya.campaign_id]


# --- Who may ----------------------------------------------------------------------------------
def test_outsider_gets_404(team, outsider_team, brand, maya, recomputed):
    refund = f.RefundFactory(conversion__brand=brand, conversion__partnership=maya)
    visit = f.VisitFactory(brand=brand, partnership=maya)
    outsider = staff_client(outsider_team.owner)
    for obj in (refund.conversion, refund, visit):
        for view in ("change", "delete"):
            assert outsider.get(url(type(obj), view, obj.pk)).status_code == 404
        assert outsider.post(url(type(obj), "delete", obj.pk), {"post": "yes"}).status_code == 404
    response = outsider.post(url(Conversion, "change", refund.conversion.pk),
                             conversion_form(refund.conversion, amount="1.00"))
    assert response.status_code == 404
    outsider.post(url(Conversion, "changelist"), {
        "action": "delete_selected", "_selected_action": [refund.conversion.pk], "post": "yes",
    })
    assert Conversion.objects.get().amount == Decimal("100.00")
    assert Refund.objects.exists() and Visit.objects.exists() and recomputed == []


def test_a_viewer_cannot_correct_or_delete(team, brand, maya, recomputed):
    conversion = f.ConversionFactory(brand=brand, partnership=maya)
    viewer = staff_client(team.viewer)
    response = viewer.post(url(Conversion, "change", conversion.pk),
                           conversion_form(conversion, amount="1.00"))
    assert response.status_code == 403
    assert viewer.post(url(Conversion, "delete", conversion.pk),
                       {"post": "yes"}).status_code == 403
    conversion.refresh_from_db()
    assert conversion.amount == Decimal("100.00") and recomputed == []


def test_the_mixin_that_saved_rows_as_they_were_is_gone() -> None:
    import metrics.admin

    assert not hasattr(metrics.admin, "RecomputesKpisMixin")
    assert metrics.admin.ConversionAdmin.service_update is not None


def test_a_creator_follower_count_added_in_the_admin_goes_through_the_service(
    client_for, superuser, team, django_capture_on_commit_callbacks
):
    from metrics.models import FollowerSnapshot

    partnership = f.PartnershipFactory(campaign__brand__organization=team.organization)
    account = f.SocialAccountFactory(influencer=partnership.influencer, followers=10_000)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(superuser).post(url(FollowerSnapshot, "add"), {
            "organization": team.organization.pk, "social_account": account.pk,
            "date": "2026-03-02", "followers": 12_345, "source": "manual",
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    # The ingestion service keeps the creator's count current and recomputes her campaigns.
    assert account.followers == 12_345
    assert partnership.campaign.kpi_snapshots.filter(scope="total").exists()


def test_a_comment_corrected_in_the_admin_gets_a_fresh_sentiment_label(
    client_for, superuser, team, django_capture_on_commit_callbacks
):
    from metrics.models import Comment
    from metrics.services.ingestion import comments_ingest

    post = f.PostFactory(partnership__campaign__brand__organization=team.organization)
    with django_capture_on_commit_callbacks(execute=True):
        comments_ingest(organization=team.organization, items=[{
            "post": post, "external_id": "c1", "text": "I love it",
            "posted_at": dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC),
        }])
    comment = Comment.objects.get()
    assert comment.sentiment == "positive"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(superuser).post(url(Comment, "change", comment.pk), {
            "post": post.pk, "text": "awful, I hate it", "posted_at_0": "2026-03-03",
            "posted_at_1": "09:00:00", "source": "manual",
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    comment.refresh_from_db()
    assert (comment.text, comment.sentiment, comment.external_id) == (
        "awful, I hate it", "negative", "c1"
    )
    assert post.partnership.campaign.kpi_snapshots.filter(scope="total").exists()


def test_post_metrics_added_and_deleted_in_the_admin_recompute_the_campaign(
    client_for, superuser, team, django_capture_on_commit_callbacks
):
    from metrics.models import KpiSnapshot, PostMetrics

    post = f.PostFactory(partnership__campaign__brand__organization=team.organization)
    client = client_for(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(PostMetrics, "add"), {
            "post": post.pk, "captured_at_0": "2026-03-03", "captured_at_1": "12:00:00",
            "impressions": "1200", "likes": "40", "source": "manual",
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    row = PostMetrics.objects.get()
    assert (row.impressions, row.likes, row.source) == (1200, 40, "manual")
    KpiSnapshot.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(PostMetrics, "delete", row.pk), {"post": "yes"})
    assert not PostMetrics.objects.exists()
    assert post.partnership.campaign.kpi_snapshots.filter(scope="total").exists()
