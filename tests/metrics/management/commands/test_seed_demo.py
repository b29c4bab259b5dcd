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
    built = SimpleNamespace(organization=SimpleNamespace(slug="demo"), user=None, campaigns=[],
                            counts={})
    monkeypatch.setattr(seed_demo, "demo_build", lambda spec: built)
    monkeypatch.setattr(seed_demo, "demo_payouts_settle", lambda spec, **kwargs: 0)
    monkeypatch.setattr(seed_demo, "call_command", lambda *args, **kwargs: None)
    out, err = StringIO(), StringIO()
    call_command("seed_demo", "--allow-production", "--skip-kpis", stdout=out, stderr=err)
    assert "ready" in out.getvalue()
    assert "Creator portal: sign in as demo-creator / demo (Maya Chen)." in out.getvalue()
    # Both demos by default, each with its published logins, the creator portal's too.
    for login in ("demo / demo", "demo-fa / demo", "demo-creator / demo",
                  "demo-fa-creator / demo"):
        assert f"the demo login {login} is active" in err.getvalue()


def test_the_refusal_names_every_published_login(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="'demo-creator' / 'demo'.*'demo-fa-creator'"):
        call_command("seed_demo", stdout=StringIO())


@pytest.mark.django_db
def test_lang_loads_one_demo_only(settings, monkeypatch):
    built = []

    def build(spec):
        built.append(spec.slug)
        return SimpleNamespace(organization=SimpleNamespace(slug=spec.slug), user=None,
                               campaigns=[], counts={})

    monkeypatch.setattr(seed_demo, "demo_build", build)
    monkeypatch.setattr(seed_demo, "demo_payouts_settle", lambda spec, **kwargs: 0)
    monkeypatch.setattr(seed_demo, "call_command", lambda *args, **kwargs: None)
    settings.DEBUG = True
    for args, slugs in [(["--lang", "fa"], ["demo-fa"]), (["--lang", "en"], ["demo"]),
                        ([], ["demo", "demo-fa"])]:
        built.clear()
        call_command("seed_demo", "--skip-kpis", *args, stdout=StringIO())
        assert built == slugs
    with pytest.raises(CommandError):
        call_command("seed_demo", "--lang", "de", stdout=StringIO())
