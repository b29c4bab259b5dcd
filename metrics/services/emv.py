"""Writes of the organization's EMV rate card. Every change re-values every campaign of the
organization (EMV feeds ROI too), so each write schedules their recompute."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from accounts.selectors import Access
from accounts.writes import apply_changes, create_instance, require_write
from metrics.engine import campaigns_recompute
from metrics.models import EmvRate


def _recompute_organization(access: Access) -> None:
    campaigns_recompute(organization_id=access.organization.pk)


@transaction.atomic
def emv_rate_set(
    *, access: Access, platform: str, metric: str, value: Decimal | str, source: str = ""
) -> EmvRate:
    """Create the rate for (platform, metric), or replace the one the organization has."""
    require_write(access, EmvRate)
    rate = (
        EmvRate.objects.select_for_update()
        .filter(organization=access.organization, platform=platform, metric=metric)
        .first()
    )
    if rate is None:
        rate = create_instance(
            EmvRate,
            {
                "organization": access.organization, "platform": platform, "metric": metric,
                "value": value, "source": source,
            },
        )
    else:
        apply_changes(rate, {"value": value, "source": source})
    _recompute_organization(access)
    return rate


@transaction.atomic
def emv_rate_update(*, access: Access, rate: EmvRate, **changes: Any) -> EmvRate:
    require_write(access, EmvRate)
    changes.pop("organization", None)
    if apply_changes(rate, changes):
        _recompute_organization(access)
    return rate


@transaction.atomic
def emv_rate_delete(*, access: Access, rate: EmvRate) -> None:
    require_write(access, EmvRate, "delete")
    rate.delete()
    _recompute_organization(access)
