"""``python manage.py seed_demo``: the demo organization (``demo``, user demo / password demo).

Safe to run twice: the demo organization is rebuilt from scratch in one transaction, then its
campaigns' KPIs are computed synchronously so the pages have numbers at once.

The demo signs in with a published password, so with ``DJANGO_DEBUG=false`` the command refuses
to run unless ``--allow-production`` says that is really wanted."""

from __future__ import annotations

import io
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from metrics.demo.build import demo_build
from metrics.demo.people import DEMO_PASSWORD, DEMO_USERNAME
from metrics.models import ExchangeRate
from metrics.scheduling import schedule_kpi_recompute


class Command(BaseCommand):
    help = "Load (or reload) the demo organization with a few weeks of campaign data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip-kpis", action="store_true",
            help="Do not compute the KPIs now (the nightly task or the admin action will).",
        )
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Run even with DJANGO_DEBUG=false. The demo user signs in with the published "
            "password demo/demo: never use this on a server others can reach.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "seed_demo refuses to run with DJANGO_DEBUG=false: it creates the user "
                f"{DEMO_USERNAME!r} with the published password {DEMO_PASSWORD!r}. Load the "
                "demo on a development install, or pass --allow-production if this server "
                "really is a throwaway demo."
            )
        started = time.monotonic()
        if "load_exchange_rates" in get_commands() and not ExchangeRate.objects.exists():
            # The demo brands sell in USD and EUR; rates let other currencies convert too.
            call_command("load_exchange_rates", verbosity=0, stdout=io.StringIO())
        result = demo_build()
        if not options["skip_kpis"]:
            # now=True: computed here, whatever the Celery mode, so the pages have numbers.
            schedule_kpi_recompute((campaign.pk for campaign in result.campaigns), now=True)
        counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in sorted(result.counts.items()))
        self.stdout.write(
            f"Demo organization {result.organization.slug!r} ready in "
            f"{time.monotonic() - started:.1f}s: {counts}."
        )
        self.stdout.write(f"Sign in as {DEMO_USERNAME} / {DEMO_PASSWORD}.")
        if not settings.DEBUG:
            self.stderr.write(
                f"Warning: DJANGO_DEBUG=false and the demo login {DEMO_USERNAME} / "
                f"{DEMO_PASSWORD} is active. Deactivate that user before anyone else can "
                "reach this server."
            )
