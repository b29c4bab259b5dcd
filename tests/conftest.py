"""Shared fixtures: an organization with an owner and one member per role, and an outsider
from another organization with data of its own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import TEAM_ROLES, Organization, Role, User
from accounts.selectors import Access
from tests import factories as f


@pytest.fixture(autouse=True)
def _eager_celery_unless_real_worker(request: pytest.FixtureRequest, monkeypatch) -> None:
    """Tests run Celery tasks eagerly, in-process, in both modes — unless marked
    ``celery_worker``: those send their tasks to a real worker (``tests/worker.py``).

    The two marks mean different things. ``realmode``: the test needs the real services
    (PostgreSQL, Redis) and skips without them; its tasks still run eagerly, so nothing is left
    on a broker no worker reads. ``celery_worker``: the test talks to a real Celery worker, so
    Celery must not be eager (such a test is ``realmode`` too).

    With the ``CELERY`` settings namespace the ``CELERY_TASK_ALWAYS_EAGER`` key is the one
    Celery reads, so that is the key to set."""
    from config.celery import app

    if request.node.get_closest_marker("celery_worker"):
        return
    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)


@pytest.fixture(autouse=True)
def _no_pdf_prewarm(settings) -> None:
    """Recomputes in tests lay out no PDFs in the background; ``tests/reports/test_prewarm.py``
    turns it on where it is the subject."""
    settings.FUNNELBOARD_PDF_PREWARM = False


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception:  # the database cache table may not exist outside db tests
        pass


@dataclass
class Team:
    organization: Organization
    owner: User
    admin: User
    manager: User
    viewer: User

    def user(self, role: str) -> User:
        return getattr(self, role)

    def access(self, role: str = Role.OWNER) -> Access:
        return Access(organization=self.organization, role=role, user=self.user(role))


def _team(slug: str) -> Team:
    organization = f.OrganizationFactory(slug=slug, name=slug.title())
    users = {}
    for role in TEAM_ROLES:
        user = f.UserFactory(username=f"{slug}-{role}")
        f.MembershipFactory(organization=organization, user=user, role=role)
        users[role] = user
    return Team(organization=organization, **users)


@pytest.fixture
def team(db) -> Team:
    return _team("acme")


@pytest.fixture
def org(team: Team) -> Organization:
    return team.organization


@pytest.fixture
def owner(team: Team) -> User:
    return team.owner


@pytest.fixture
def outsider_team(db) -> Team:
    return _team("rival")


@pytest.fixture
def outsider(outsider_team: Team) -> User:
    return outsider_team.owner


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    """``client_for(user)`` → a Django test client signed in as that user."""
    return logged_in


@pytest.fixture
def api_client_for(db):
    """``api_client_for(organization, role)`` → an APIClient sending a fresh Bearer key."""

    def make(organization: Organization, role: str = Role.OWNER) -> APIClient:
        key = f.ApiKeyFactory(organization=organization, role=role)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key.raw}")
        return client

    return make


@pytest.fixture
def superuser(db):
    """A superuser with no membership: the admin's everything-allowed case."""
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def pinned_budget_clock(monkeypatch) -> float:
    """Fixed-window budgets counted at one instant, 30 s into a minute: a test that spends a
    small budget and then expects a 429 cannot straddle a window's end on a slow machine."""
    import types

    from config import ratelimit

    instant = 1_800_000_030.0
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: instant))
    return instant


@pytest.fixture
def creator_member(db):
    """``creator_member(organization, influencer=None)`` → a user signed up as that creator
    (role ``creator``, bound to the influencer; a new one when not given)."""

    def make(organization: Organization, influencer=None) -> User:
        influencer = influencer or f.InfluencerFactory(organization=organization)
        user: User = f.UserFactory(username=f"creator-{influencer.pk}")
        f.MembershipFactory(
            organization=organization, user=user, role=Role.CREATOR, influencer=influencer
        )
        return user

    return make
