"""Receivers of the KPI engine's ``kpis_recomputed``: new numbers, new PDFs to lay out."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from metrics.signals import kpis_recomputed
from reports.prewarm import schedule_pdf_prewarm


@receiver(kpis_recomputed, dispatch_uid="reports.prewarm_after_recompute")
def prewarm_after_recompute(sender: Any, campaign_id: int, **kwargs: Any) -> None:
    schedule_pdf_prewarm(campaign_id)
