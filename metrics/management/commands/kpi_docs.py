"""``manage.py kpi_docs``: write ``docs/kpis.md`` from the KPI registry (``--check`` only
compares, for CI). A test fails when the committed file differs from what this generates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from metrics.display import methodology_markdown


def docs_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "kpis.md"


class Command(BaseCommand):
    help = "Write docs/kpis.md from the KPI registry (metrics/registry.py)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true",
            help="Write nothing; fail when docs/kpis.md differs from the registry.",
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        path = docs_path()
        text = methodology_markdown()
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(f"{path} is out of date: run `python manage.py kpi_docs`.")
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
