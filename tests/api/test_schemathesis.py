"""Fuzz every operation of /api/schema/ with schemathesis, through the WSGI app, as an owner's
API key: no answer may be a 5xx, and every answer must match the document (status code,
content type, body and headers). Bounded: a few positive and negative examples per operation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.api_auth import ActorRateThrottle
from accounts.models import Role
from tests import factories as f
from tests.content import factories as cf
from tests.payouts.factories import PayoutLineFactory

pytestmark = pytest.mark.django_db(transaction=False)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES = 5

# The record of the team's world each detail route is pointed at in positive mode.
WORLD_ATTRIBUTE = {
    "brands": "brand", "brand-accounts": "brand_account", "influencers": "influencer",
    "social-accounts": "social_account", "campaigns": "campaign", "partnerships": "partnership",
    "posts": "post", "promo-codes": "promo_code", "links": "link", "costs": "cost",
    "emv-rates": "emv_rate",
}


def _existing_ids(world: Any, team: Any) -> dict[str, int]:
    ids = {path: getattr(world, attribute).pk for path, attribute in WORLD_ATTRIBUTE.items()}
    ids["post-metrics"] = f.PostMetricsFactory(post=world.post).pk
    ids["comments"] = f.CommentFactory(post=world.post).pk
    ids["follower-snapshots"] = f.FollowerSnapshotFactory(
        organization=team.organization, brand_account=world.brand_account
    ).pk
    ids["api-keys"] = f.ApiKeyFactory(organization=team.organization).pk
    # The workflow's records, so positive mode reaches their detail routes and actions too.
    deliverable = cf.DeliverableFactory(partnership=world.partnership)
    ids["deliverables"] = deliverable.pk
    ids["drafts"] = cf.DraftFactory(deliverable=deliverable).pk
    ids["briefs"] = cf.BriefVersionFactory(brief__campaign=world.campaign).pk
    ids["payouts"] = PayoutLineFactory(partnership=world.partnership).pk
    return ids


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str], path_parameters: dict):
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def check(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup, or a crash
            failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:1500]}")
            raise

    try:
        check()
    except (Exception, BaseExceptionGroup):  # recorded above with the operation's name
        pass
    return failures


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the database connection around each request (Django's test
    client switches that off, schemathesis' WSGI transport does not): the test's transaction
    must survive, on PostgreSQL as on SQLite."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_operation_answers_5xx_or_contradicts_the_schema(
    team, mine, theirs, api_client_for, monkeypatch, keep_test_connection
) -> None:
    monkeypatch.setattr(ActorRateThrottle, "rate", "1000000/min", raising=False)
    key = f.ApiKeyFactory(organization=team.organization, role=Role.OWNER)
    headers = {"Authorization": f"Bearer {key.raw}"}
    ids = _existing_ids(mine, team)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid schema raises here
        operations += 1
        match = re.match(r"/api/v1/([\w-]+)/\{id\}/", operation.path)
        fixed = {"id": ids[match.group(1)]} if match and match.group(1) in ids else {}
        for mode, path_parameters in (
            (GenerationMode.POSITIVE, fixed),
            (GenerationMode.NEGATIVE, {}),
        ):
            failures += _run(operation, mode, headers, path_parameters)
    assert operations > 60
    assert not failures, "\n\n".join(failures)
