"""The ``seed_demo`` command's guard against production settings."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from metrics.management.commands import seed_demo


def test_it_refuses_production_settings_without_the_flag(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=false.*--allow-production"):
        call_command("seed_demo", stdout=StringIO())


@pytest.mark.django_db
def test_the_flag_lets_it_run_under_production_settings_with_a_warning(settings, monkeypatch):
    settings.DEBUG = False
    built = SimpleNamespace(organization=SimpleNamespace(slug="demo"), campaigns=[], counts={})
    monkeypatch.setattr(seed_demo, "demo_build", lambda: built)
    monkeypatch.setattr(seed_demo, "call_command", lambda *args, **kwargs: None)
    out, err = StringIO(), StringIO()
    call_command("seed_demo", "--allow-production", "--skip-kpis", stdout=out, stderr=err)
    assert "ready" in out.getvalue()
    assert "demo / demo is active" in err.getvalue()
