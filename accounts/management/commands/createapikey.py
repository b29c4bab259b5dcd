from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import TEAM_ROLES, Membership, Organization, Role
from accounts.selectors import Access
from accounts.services import api_key_create


class Command(BaseCommand):
    help = (
        "Create an API key for an organization. The key is printed alone on the last line. "
        "Every key belongs to a member (--user, else the organization's first owner): it acts "
        "with at most that member's role and stops working when they leave."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--role", required=True, choices=TEAM_ROLES)
        parser.add_argument("--name", default="command line")
        parser.add_argument(
            "--user", help="username of the member the key belongs to (default: the first owner)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organization = Organization.objects.get(slug=options["slug"])
        except Organization.DoesNotExist:
            raise CommandError(f"No organization {options['slug']!r}.") from None
        members = Membership.objects.filter(organization=organization).select_related("user")
        if options["user"]:
            membership = members.filter(user__username=options["user"]).first()
            if membership is None:
                raise CommandError(
                    f"No member named {options['user']!r} in {organization.slug}."
                )
        else:
            membership = members.filter(role=Role.OWNER).order_by("created_at", "pk").first()
            if membership is None:
                raise CommandError(f"{organization.slug} has no owner to own the key.")
        # Whoever can run manage.py acts as an owner of the organization.
        access = Access(organization=organization, role=Role.OWNER, user=None)
        try:
            api_key, raw = api_key_create(
                access=access, name=options["name"], role=options["role"],
                created_by=membership.user,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"API key {api_key.prefix}… ({api_key.role}) for {organization.slug}, belonging to "
            f"{membership.user.username}. It is shown once; store it now:"
        )
        self.stdout.write(raw)
