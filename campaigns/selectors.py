"""Reads of campaigns and what hangs off them, always scoped through the permission checkpoint.

Every page reads a fixed number of queries whatever the number of partnerships: lists are
fetched in one query each (with ``select_related``/``prefetch_related``). Nothing here reads a
metrics record: the report page's read, KPI documents included, is
``metrics.selectors.reports``, which uses the compensation rule and the reads below.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from accounts.selectors import Access, get_object_for, required_role, visible
from campaigns.models import (
    BRAND_KEY_PATTERN,
    Brand,
    BrandAccount,
    Campaign,
    Cost,
    KpiTarget,
    Partnership,
    PartnershipStatus,
    PromoCode,
    TrackingLink,
)
from influencers.models import Influencer, SocialAccount

# --- Compensation: one rule for pages, API and exports ----------------------------------------
# What one creator is paid, and the campaign's costs item by item, are for the role that may
# view costs (``Cost.view_role``: admin). Lower roles see campaign-level totals — spend against
# budget, ROI — as the report and the dashboard show them, never one creator's pay.
COMPENSATION_FIELDS: tuple[str, ...] = ("fee", "product_value", "commission_rate")
# The ``roi`` values of a KPI document computed from costs. In a partnership's document they
# are that creator's compensation in other words (CPA × conversions, revenue ÷ (1 + ROI)).
COST_VALUES: tuple[str, ...] = (
    "total_cost", "cost_breakdown", "roi", "roas", "cpm", "cpe", "cpc", "cpa", "cpl",
)
# In the campaign's own documents only the itemisation is hidden: it splits the total into
# fees, products, commissions and each cost category.
CAMPAIGN_COST_VALUES: tuple[str, ...] = ("cost_breakdown",)


def compensation_role() -> str:
    return required_role(Cost, "view")


def sees_compensation(access: Access) -> bool:
    return access.has_role(compensation_role())


def is_cost_value(path: str, *, partnership: bool = True) -> bool:
    """Whether the KPI path (``roi.cpa``) is hidden from roles below ``compensation_role()``."""
    group, _, name = path.partition(".")
    return group == "roi" and name in (COST_VALUES if partnership else CAMPAIGN_COST_VALUES)


def kpi_document_for(
    access: Access, document: Mapping[str, Any] | None, *, partnership: bool = False
) -> dict[str, Any] | None:
    """The KPI document as ``access`` may read it: whole for admins and owners; without the
    cost values above for everyone else (``partnership``: a creator's own document)."""
    if document is None:
        return None
    if sees_compensation(access) or not isinstance(document.get("roi"), Mapping):
        return dict(document)
    hidden = COST_VALUES if partnership else CAMPAIGN_COST_VALUES
    roi = {k: v for k, v in document["roi"].items() if k not in hidden}
    return {**document, "roi": roi}


def campaigns_for_dashboard(
    access: Access,
    *,
    brand: str | int | None = None,
    stage: str | None = None,
    status: str | None = None,
) -> QuerySet[Campaign]:
    campaigns = visible(access, Campaign).select_related("brand").order_by("-start_date", "name")
    if brand:
        campaigns = campaigns.filter(brand_id=brand)
    if stage:
        campaigns = campaigns.filter(stage=stage)
    if status:
        campaigns = campaigns.filter(status=status)
    return campaigns


def brands_by_public_key(key: str) -> QuerySet[Brand]:
    """The brand a public key names (pixel, Shopify webhooks), to narrow with ``only`` or
    ``select_related``. Text that cannot be a key (a NUL from ``%00`` in the path, which
    PostgreSQL refuses in a query) is no brand, without asking the database."""
    if not BRAND_KEY_PATTERN.fullmatch(key):
        return Brand.objects.none()
    return Brand.objects.filter(key=key)


def brands_for(access: Access) -> QuerySet[Brand]:
    return visible(access, Brand).order_by("name")


# --- One campaign, its partnerships and the campaigns it overlaps (the report reads these) --------
def campaign_for(access: Access, pk: Any, *, action: str = "view") -> Campaign:
    return get_object_for(
        access, Campaign, pk, action=action,  # type: ignore[arg-type]
        queryset=Campaign.objects.select_related("brand"),
    )


def partnerships_of(campaign: Campaign) -> QuerySet[Partnership]:
    return (
        Partnership.objects.filter(campaign=campaign)
        .select_related("influencer")
        .prefetch_related(
            Prefetch("influencer__social_accounts", queryset=SocialAccount.objects.order_by("-followers"))
        )
        .order_by("influencer__name")
    )


def overlapping_campaigns(campaign: Campaign) -> QuerySet[Campaign]:
    """Other campaigns of the brand whose dates overlap: follower growth is brand-level."""
    return (
        Campaign.objects.filter(brand_id=campaign.brand_id)
        .exclude(pk=campaign.pk)
        .filter(start_date__lte=campaign.end_date, end_date__gte=campaign.start_date)
        .only("pk", "name")
    )


# --- Campaign editing and the pipeline board --------------------------------------------------
def targets_of(campaign: Campaign) -> QuerySet[KpiTarget]:
    return KpiTarget.objects.filter(campaign=campaign).order_by("metric")


def costs_of(campaign: Campaign) -> QuerySet[Cost]:
    return Cost.objects.filter(campaign=campaign).select_related("partnership__influencer")


def board_columns(campaign: Campaign) -> list[tuple[str, str, list[Partnership]]]:
    """The partnerships grouped by pipeline status, in pipeline order (one query)."""
    columns: dict[str, list[Partnership]] = {value: [] for value in PartnershipStatus.values}
    partnerships = (
        Partnership.objects.filter(campaign=campaign)
        .select_related("influencer")
        .order_by("influencer__name")
    )
    for partnership in partnerships:
        columns[partnership.status].append(partnership)
    return [(value, str(label), columns[value]) for value, label in PartnershipStatus.choices]


def partnership_for(access: Access, pk: Any, *, action: str = "view") -> Partnership:
    return get_object_for(
        access, Partnership, pk, action=action,  # type: ignore[arg-type]
        queryset=Partnership.objects.select_related("campaign__brand", "influencer"),
    )


def links_of(partnership: Partnership) -> QuerySet[TrackingLink]:
    return TrackingLink.objects.filter(partnership=partnership).order_by("-created_at")


def promo_codes_of(partnership: Partnership) -> QuerySet[PromoCode]:
    return PromoCode.objects.filter(partnership=partnership).order_by("code")


def influencers_not_in(access: Access, campaign: Campaign) -> QuerySet[Influencer]:
    return visible(access, Influencer).exclude(partnerships__campaign=campaign).order_by("name")


def brand_accounts_of(brand: Brand) -> QuerySet[BrandAccount]:
    return BrandAccount.objects.filter(brand=brand).order_by("platform", "handle")


def search_filter(text: str, *fields: str) -> Q:
    query = Q()
    for name in fields:
        query |= Q(**{f"{name}__icontains": text})
    return query
