"""``python manage.py recompute_kpis [--campaign ID]``: recompute KPIs synchronously."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.models import Campaign, CampaignStatus
from metrics.engine import campaigns_recompute
from metrics.scheduling import schedule_kpi_recompute


class Command(BaseCommand):
    help = (
        "Recompute the KPI snapshots of one campaign, or of every campaign (archived ones "
        "included), right now, in this process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, help="Only this campaign id.")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign_id: int | None = options.get("campaign")
        if campaign_id is not None:
            if not Campaign.objects.filter(pk=campaign_id).exists():
                raise CommandError(f"No campaign with id {campaign_id}.")
            count = len(schedule_kpi_recompute([campaign_id], now=True))
        else:
            # Whoever runs the command asks explicitly, so archived campaigns are included.
            count = campaigns_recompute(statuses=CampaignStatus.values, now=True)
        self.stdout.write(self.style.SUCCESS(f"Recomputed {count} campaign(s)."))
