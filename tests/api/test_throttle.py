"""The API throttle: one budget per actor, counted atomically in the shared cache, answered by
429 with Retry-After once spent, and configured by ``DEFAULT_THROTTLE_RATES["actor"]``."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings as django_settings
from rest_framework.settings import api_settings

from accounts.api_auth import ActorRateThrottle
from accounts.models import ApiKey, Role
from config.ratelimit import Budget
from tests.concurrency import race


def key_request(pk: int) -> Any:
    """What the throttle looks at: the authenticated key (no database needed)."""
    return SimpleNamespace(auth=ApiKey(pk=pk), user=None, META={})


class ThreePerMinute(ActorRateThrottle):
    rate = "3/min"


def test_the_rate_is_the_actor_setting(settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"actor": "7/hour"}
    }
    assert api_settings.DEFAULT_THROTTLE_RATES["actor"] == "7/hour"
    throttle = ActorRateThrottle()
    assert throttle.scope == "actor"
    assert throttle.budget == Budget(limit=7, window=3600)


@pytest.mark.parametrize(
    ("rate", "budget"),
    [("1200/min", Budget(1200, 60)), ("20/s", Budget(20, 1)), ("5/second", Budget(5, 1)),
     ("100/minute", Budget(100, 60)), ("9/h", Budget(9, 3600)), ("50000/day", Budget(50000, 86400))],
)
def test_rates_read_like_drfs(rate: str, budget: Budget) -> None:
    assert Budget.parse(rate) == budget


def test_a_nonsense_rate_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="not a rate"):
        Budget.parse("lots")


def test_no_rate_means_no_limit(settings) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"actor": None}}
    throttle = ActorRateThrottle()
    assert all(throttle.allow_request(key_request(1), None) for _ in range(50))


@pytest.mark.django_db  # the embedded mode's cache is a database table
def test_the_limit_then_a_retry_after_within_the_window(pinned_budget_clock) -> None:
    request = key_request(41)
    for _ in range(3):
        throttle = ThreePerMinute()  # DRF makes a new throttle per request
        assert throttle.allow_request(request, None)
        assert throttle.wait() is None
    refused = ThreePerMinute()
    assert not refused.allow_request(request, None)
    assert 1 <= refused.wait() <= 60  # type: ignore[operator]
    assert ThreePerMinute().allow_request(key_request(42), None)  # another key, another budget


def test_the_api_answers_429_with_retry_after(
    team, api_client_for, settings, pinned_budget_clock
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"actor": "2/min"}
    }
    client = api_client_for(team.organization, Role.VIEWER)
    assert [client.get("/api/v1/brands/").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/brands/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "detail" in refused.json()


@pytest.mark.realmode
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs the shared atomic cache (Redis)")
def test_concurrent_requests_never_overshoot_one_budget(pinned_budget_clock) -> None:
    """Many threads spend one budget at once: exactly the limit gets through. (DRF's history
    list was read, then written: racing requests each saw room and overshot it.)"""

    class Limited(ActorRateThrottle):
        rate = "100/day"  # a day's window: the test cannot straddle two windows in practice

    request = key_request(987_654)
    allowed: list[bool] = []
    lock = threading.Lock()

    def spend(_thread: int) -> None:
        for _ in range(25):
            verdict = Limited().allow_request(request, None)
            with lock:
                allowed.append(verdict)

    assert race(spend, 16) == []
    assert len(allowed) == 400
    assert sum(allowed) == 100
