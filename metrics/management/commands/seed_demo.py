"""``python manage.py seed_demo [--lang en|fa]``: the demo organizations.

Without ``--lang`` both are loaded (what ``make run`` does, so a new install shows both): the
English ``demo`` organization (user demo / password demo) and the Persian ``demo-fa`` one (user
demo-fa / password demo, in Tehran's time zone, in Persian, priced in rials). ``--lang en`` or
``--lang fa`` loads that one only. Each also has a creator portal login bound to one of its
creators: demo-creator / demo (English) and demo-fa-creator / demo (Persian).

Safe to run twice: each demo organization is rebuilt from scratch in one transaction, then its
campaigns' KPIs are computed synchronously so the pages have numbers at once (and the payouts
ledger accrues products and commissions); then two fee lines are approved and one is marked
paid, as a finance team would.

The demos sign in with a published password, so with ``DJANGO_DEBUG=false`` the command refuses
to run unless ``--allow-production`` says that is really wanted."""

from __future__ import annotations

import io
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from metrics.demo.build import DEMOS, demo_build
from metrics.demo.spec import DemoSpec
from metrics.demo.workflow import demo_ledger_sync, demo_payouts_settle
from metrics.models import ExchangeRate
from metrics.scheduling import schedule_kpi_recompute


class Command(BaseCommand):
    help = (
        "Load (or reload) the demo organizations with a few weeks of campaign data. Without "
        "--lang, both: the English one (organization 'demo', sign in as demo / demo) and the "
        "Persian one (organization 'demo-fa', sign in as demo-fa / demo); this is what "
        "'make run' loads. Each has a creator portal login too: demo-creator / demo and "
        "demo-fa-creator / demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lang", choices=sorted(DEMOS), default=None,
            help="Load only this demo: en (organization demo, user demo) or fa (Persian, "
            "organization demo-fa, user demo-fa). Default: both.",
        )
        parser.add_argument(
            "--skip-kpis", action="store_true",
            help="Do not compute the KPIs now (the nightly task or the admin action will).",
        )
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Run even with DJANGO_DEBUG=false. The demo users sign in with the published "
            "passwords (demo/demo, demo-fa/demo, demo-creator/demo, demo-fa-creator/demo): "
            "never use this on a server others can reach.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        specs = [DEMOS[options["lang"]]] if options["lang"] else list(DEMOS.values())
        logins = ", ".join(f"{username!r} / {password!r}" for spec in specs
                           for username, password in _logins(spec))
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                f"seed_demo refuses to run with DJANGO_DEBUG=false: it creates the demo "
                f"logins {logins} with published passwords. Load the demo on a development "
                "install, or pass --allow-production if this server really is a throwaway "
                "demo."
            )
        if "load_exchange_rates" in get_commands() and not ExchangeRate.objects.exists():
            # The English demo's brands sell in USD and EUR; rates let other currencies convert
            # too. The Persian demo's orders are in rials, its campaigns' own currency.
            call_command("load_exchange_rates", verbosity=0, stdout=io.StringIO())
        for spec in specs:
            self._seed(spec, skip_kpis=options["skip_kpis"])

    def _seed(self, spec: DemoSpec, *, skip_kpis: bool) -> None:
        started = time.monotonic()
        result = demo_build(spec)
        if not skip_kpis:
            # now=True: computed here, whatever the Celery mode, so the pages have numbers. In
            # the demo's language: the ledger lines it accrues are described in it.
            with translation.override(spec.default_language or "en"):
                schedule_kpi_recompute((campaign.pk for campaign in result.campaigns), now=True)
                demo_ledger_sync(result.organization)
        # After the recompute, as in real use: the ledger has its lines, a few get approved.
        demo_payouts_settle(spec, organization=result.organization, owner=result.user)
        counts = ", ".join(
            f"{n} {name.replace('_', ' ')}" for name, n in sorted(result.counts.items())
        )
        self.stdout.write(
            f"Demo organization {result.organization.slug!r} ready in "
            f"{time.monotonic() - started:.1f}s: {counts}."
        )
        self.stdout.write(f"Sign in as {spec.username} / {spec.password}.")
        if spec.creator_login is not None:
            login = spec.creator_login
            self.stdout.write(
                f"Creator portal: sign in as {login.username} / {login.password} "
                f"({login.creator})."
            )
        if not settings.DEBUG:
            for username, password in _logins(spec):
                self.stderr.write(
                    f"Warning: DJANGO_DEBUG=false and the demo login {username} / {password} "
                    "is active. Deactivate that user before anyone else can reach this server."
                )


def _logins(spec: DemoSpec) -> list[tuple[str, str]]:
    """The published logins of a demo: its user's and its creator portal's."""
    logins = [(spec.username, spec.password)]
    if spec.creator_login is not None:
        logins.append((spec.creator_login.username, spec.creator_login.password))
    return logins
