"""Reads of campaigns and what hangs off them, always scoped to an organization."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.selectors import Access, visible
from campaigns.models import Campaign


def campaigns_for_dashboard(access: Access) -> QuerySet[Campaign]:
    return visible(access, Campaign).select_related("brand").order_by("-start_date", "name")
