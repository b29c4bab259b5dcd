"""The KPI actions of the campaign viewset:

- ``GET campaigns/{id}/kpis/`` → the stored KPI document (``?by=partnership|platform|day`` adds
  a ``breakdown`` list of documents of the same shape, each with ``key`` and ``label``). A GET
  never computes or writes: before the first compute it answers the document's shape with
  every value ``null`` and ``computed_at: null``, and schedules a recompute;
- ``POST campaigns/{id}/recompute/`` → ``202``, the recompute runs in the background.

A mixin, so the campaign viewset (``class CampaignViewSet(CampaignKpiActions, ...)``) keeps the
one permission checkpoint: the campaign always comes from the host's ``get_object()``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import request_access
from campaigns.selectors import COST_VALUES, compensation_role, kpi_document_for
from metrics import registry
from metrics.kpi_document import ordered
from metrics.models import KpiScope
from metrics.scheduling import schedule_kpi_recompute
from metrics.selectors.snapshots import campaign_snapshots, empty_document

BY_SCOPES = {
    "partnership": KpiScope.PARTNERSHIP.value,
    "platform": KpiScope.PLATFORM.value,
    "day": KpiScope.DAY.value,
}


class RecomputeAcceptedSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    status = serializers.CharField()


KPI_DOCUMENT_DESCRIPTION = (
    "The campaign's nine KPIs as last computed: top level `campaign`, `stage`, `currency`, "
    "`as_of`, `computed_at`, `headline`, `targets`, `coverage`, and the groups "
    f"{', '.join(f'`{name}`' for name in registry.KPI_GROUP_NAMES)}. "
    "Money is a decimal string, ratios numbers or null (definitions: /help/kpis/). "
    "Before the first compute every value is null, `computed_at` is null and a recompute is "
    "scheduled. With `?by=`, `breakdown` lists one document per partnership, platform or day. "
    f"Per role: for roles below {compensation_role()}, `roi.cost_breakdown` is omitted, and a "
    "partnership's document keeps only `roi.revenue` — its "
    f"{', '.join(f'`{name}`' for name in COST_VALUES if name != 'cost_breakdown')} "
    "would give away the creator's compensation."
)


class CampaignKpiActions:
    """Mixed into the campaign viewset; relies only on the host's ``get_object()``."""

    get_object: Any

    @extend_schema(
        summary="The campaign's KPIs as last computed",
        description=KPI_DOCUMENT_DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "by", OpenApiTypes.STR, enum=list(BY_SCOPES), required=False,
                description="Adds a `breakdown` list: one document per partnership, platform "
                "(post-based groups only) or day (cumulative, organization time zone).",
            )
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description=KPI_DOCUMENT_DESCRIPTION),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="`by` is not a known value."),
        },
    )
    @action(detail=True, methods=["get"], url_path="kpis")
    def kpis(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        by = request.query_params.get("by") or None
        if by is not None and by not in BY_SCOPES:
            return Response(
                {"by": [_("Use one of: %(values)s.") % {"values": ", ".join(BY_SCOPES)}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        campaign = self.get_object()
        scope = BY_SCOPES[by] if by else None
        total, breakdown = campaign_snapshots(campaign.pk, scope)
        access = request_access(request)
        if total is None:
            # Never computed yet (a brand-new campaign). A GET must not compute or write: answer
            # the document's shape with unknown values and let the worker compute it.
            schedule_kpi_recompute([campaign.pk])
            document = empty_document(
                campaign_id=campaign.pk, stage=campaign.stage, currency=campaign.currency
            )
            body = ordered(kpi_document_for(access, document) or {})
            if by:
                body["breakdown"] = []
            return Response(body)
        body = ordered(kpi_document_for(access, total.data) or {})
        if by:
            body["breakdown"] = [
                ordered(kpi_document_for(access, row.data, partnership=by == "partnership") or {})
                for row in breakdown
            ]
        return Response(body)

    @extend_schema(
        summary="Recompute the campaign's KPIs in the background",
        description="Queues a recompute (managers and above); answers 202 at once. Read the "
        "result with GET campaigns/{id}/kpis/ once its computed_at changes.",
        request=None,
        responses={202: RecomputeAcceptedSerializer},
    )
    @action(detail=True, methods=["post"], url_path="recompute")
    def recompute(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        campaign = self.get_object()
        schedule_kpi_recompute([campaign.pk])
        return Response({"campaign": campaign.pk, "status": "queued"},
                        status=status.HTTP_202_ACCEPTED)
