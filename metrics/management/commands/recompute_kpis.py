"""``python manage.py recompute_kpis [--campaign ID]``: recompute KPIs synchronously."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.models import Campaign
from metrics.engine import kpis_recompute


class Command(BaseCommand):
    help = "Recompute the KPI snapshots of one campaign, or of every campaign, right now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, help="Only this campaign id.")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign_id: int | None = options.get("campaign")
        if campaign_id is not None:
            if not Campaign.objects.filter(pk=campaign_id).exists():
                raise CommandError(f"No campaign with id {campaign_id}.")
            ids = [campaign_id]
        else:
            ids = list(Campaign.objects.order_by("pk").values_list("pk", flat=True))
        for pk in ids:
            total = kpis_recompute(campaign_id=pk)
            if total is not None:
                self.stdout.write(f"Campaign {pk}: computed at {total.computed_at:%Y-%m-%d %H:%M:%S}")
        self.stdout.write(self.style.SUCCESS(f"Recomputed {len(ids)} campaign(s)."))
