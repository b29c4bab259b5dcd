from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organization, Role
from accounts.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for an organization. The key is printed alone on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organization = Organization.objects.get(slug=options["slug"])
        except Organization.DoesNotExist:
            raise CommandError(f"No organization {options['slug']!r}.") from None
        try:
            api_key, raw = api_key_create(
                organization=organization, name=options["name"], role=options["role"]
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"API key {api_key.prefix}… ({api_key.role}) for {organization.slug}. "
            "It is shown once; store it now:"
        )
        self.stdout.write(raw)
