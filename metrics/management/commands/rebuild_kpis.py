"""``python manage.py rebuild_kpis [--campaign ID]``: rebuild KPI rollups from raw rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.models import Campaign
from metrics.tasks import rebuild_kpis


class Command(BaseCommand):
    help = (
        "Rebuild the daily KPI rollups of one campaign, or of every campaign, from the raw "
        "rows (snapshots, comments, clicks), then recompute their KPIs — in this process. "
        "The rollups are kept as data arrives; this is the repair after a write that went "
        "around the application (raw SQL, a restored backup)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, help="Only this campaign id.")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign_id: int | None = options.get("campaign")
        campaigns = Campaign.objects.order_by("pk")
        if campaign_id is not None:
            campaigns = campaigns.filter(pk=campaign_id)
            if not campaigns.exists():
                raise CommandError(f"No campaign with id {campaign_id}.")
        done = sum(1 for pk in campaigns.values_list("pk", flat=True) if rebuild_kpis(pk))
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the KPI rollups of {done} campaign(s)."))
