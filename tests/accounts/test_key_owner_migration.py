"""The data migration that gives every existing API key a person."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0002_api_cache_table")]
AFTER = [("accounts", "0004_apikey_created_by_required")]


@pytest.mark.django_db(transaction=True)
def test_keys_without_a_person_go_to_the_first_owner() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organization = old.get_model("accounts", "Organization")
    User = old.get_model("accounts", "User")
    Membership = old.get_model("accounts", "Membership")
    ApiKey = old.get_model("accounts", "ApiKey")

    def key(organization: object, name: str, created_by: object = None) -> object:
        return ApiKey.objects.create(organization=organization, name=name, role="owner",
                                     prefix=name, hashed_key=name * 8, created_by=created_by)

    acme = Organization.objects.create(name="Acme", slug="acme")
    viewer, first, second = (User.objects.create(username=n) for n in ("v", "first", "second"))
    Membership.objects.create(organization=acme, user=viewer, role="viewer")
    Membership.objects.create(organization=acme, user=first, role="owner")
    Membership.objects.create(organization=acme, user=second, role="owner")
    key(acme, "orphan")
    key(acme, "kept", created_by=viewer)
    empty = Organization.objects.create(name="Empty", slug="empty")
    key(empty, "nobody")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    keys = {k.name: k.created_by_id for k in new.get_model("accounts", "ApiKey").objects.all()}
    assert keys == {"orphan": first.pk, "kept": viewer.pk}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
