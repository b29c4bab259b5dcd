"""The KPI registry (``metrics.registry``) is the one list of KPI names: every name the engine
writes, the pages, exports, admin, targets and templates use resolves there, and the generated
methodology (``docs/kpis.md``, ``/help/kpis/``) matches it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from campaigns import exports
from campaigns.models import KpiTarget
from metrics import display, display_report, kpis, registry
from metrics.admin_kpis import KPI_ROWS
from metrics.engine import kpis_recompute
from metrics.management.commands.kpi_docs import docs_path
from metrics.models import KpiScope
from metrics.selectors import snapshots
from tests.metrics import scenario

ROOT = Path(settings.BASE_DIR)
GROUP_NAMES = "|".join(g.name for g in registry.GROUPS)
# A quoted "group.field" literal in code or a template.
PATH_LITERAL = re.compile(rf"""["'`]({GROUP_NAMES})\.([a-z_]+)["'`]""")
# ``doc.group.field`` / ``total.group.field`` in templates.
TEMPLATE_PATH = re.compile(rf"""\b(?:doc|total|document)\.({GROUP_NAMES})\.([a-z_]+)""")
DOCUMENT_TOP_LEVEL = {"campaign", "stage", "currency", "as_of", "computed_at", "headline",
                      "targets", "key", "label", "partnership"}


def _paths(document: Mapping[str, Any]) -> Iterator[str]:
    for group, values in document.items():
        if group in DOCUMENT_TOP_LEVEL or values is None:
            continue
        assert group in registry.GROUP_BY_NAME, f"group {group!r} is not in the registry"
        for name in values:
            yield f"{group}.{name}"


@pytest.fixture
def stored(team) -> scenario.Scenario:
    built = scenario.build(team.organization)
    kpis_recompute(campaign_id=built.campaign.pk, as_of=scenario.AS_OF)
    return built


def test_every_name_the_engine_writes_is_in_the_registry_and_back(stored) -> None:
    total, _ = snapshots.campaign_snapshots(stored.campaign.pk)
    assert total is not None
    written = set(_paths(total.data))
    for scope in (KpiScope.PARTNERSHIP, KpiScope.PLATFORM, KpiScope.DAY):
        _, rows = snapshots.campaign_snapshots(stored.campaign.pk, scope)
        assert rows
        for row in rows:
            written |= set(_paths(row.data))
    unknown = [path for path in written if path not in registry.paths()]
    assert unknown == []
    required = {
        f"{g.name}.{f.name}" for g in registry.GROUPS for f in g.fields if not f.optional
    }
    assert required - written == set(), "registry fields the engine never writes"


def test_the_engine_and_the_registry_agree_on_groups_and_headlines() -> None:
    assert kpis.GROUPS == registry.KPI_GROUP_NAMES
    assert kpis.HEADLINES == {
        "TOFU": ("awareness", "engagement", "ctr", "emv", "sentiment"),
        "MOFU": ("audience_growth", "traffic", "ctr", "roi"),
        "BOFU": ("conversion", "roi", "ctr", "traffic"),
    }


def test_every_presentation_list_resolves_in_the_registry() -> None:
    used = [
        *registry.FUNNEL, *(p for _, p in registry.CHART), *(p for _, _, p in registry.LEADERBOARD),
        *registry.EXPORT_EXTRA, *registry.PLATFORM_COLUMNS, *registry.CREATOR_CAMPAIGN_COLUMNS,
        *registry.PARTNERSHIP_SUMMARY,
        *(f"{spec.group}.{spec.field}" for spec in display.KPIS),
        *(f"{spec.group}.{name}" for spec in display.KPIS for name, _, _ in spec.details),
        *(path for _, path, _ in display_report.LEADERBOARD_COLUMNS.values()),
        *(path for _, path in display_report.FUNNEL_STEPS),
        *(path for _, path in exports.leaderboard_columns(with_costs=True)),
        *(f"{group}.{name}" for group, _, names in KPI_ROWS for name in names),
    ]
    for path in used:
        registry.field(path)  # KeyError names the missing KPI
    assert len(display.KPIS) == 9


def test_kpi_targets_are_the_registry_targetable_fields() -> None:
    assert KpiTarget.Metric.choices == registry.target_choices()
    assert dict(KpiTarget._meta.get_field("metric").choices or []) == dict(
        registry.target_choices()
    )
    with pytest.raises(KeyError):
        registry.target("roi.cpm")  # a field that takes no target


def test_kinds_come_from_the_registry() -> None:
    assert display.metric_kind("roi.roas") == registry.RATIO
    assert display.metric_kind("sentiment.net_sentiment") == registry.PERCENT
    assert display.metric_kind("emv.total") == registry.MONEY
    assert display.format_value(1.5, registry.RATIO) == "1.50×"
    assert display.format_value(1.5, "multiple") == "1.50×"  # the older name still reads


def _sources() -> Iterator[Path]:
    for app in ("campaigns", "influencers", "metrics", "accounts", "config"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path
    yield from (ROOT / "templates").rglob("*.html")


def test_every_kpi_name_used_in_code_and_templates_is_in_the_registry() -> None:
    known = set(registry.paths())
    missing = []
    seen = 0
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for pattern in (PATH_LITERAL, TEMPLATE_PATH):
            for group, name in pattern.findall(text):
                seen += 1
                if f"{group}.{name}" not in known:
                    missing.append(f"{path.relative_to(ROOT)}: {group}.{name}")
    assert missing == []
    assert seen > 50  # the scan does find the names in use
    assert PATH_LITERAL.findall('value_at(doc, "roi.cpx")') == [("roi", "cpx")]


def test_docs_kpis_md_is_what_the_command_generates(tmp_path, settings) -> None:
    committed = docs_path().read_text(encoding="utf-8")
    assert committed == display.methodology_markdown(), "run `python manage.py kpi_docs`"
    call_command("kpi_docs", "--check")
    settings.BASE_DIR = tmp_path
    call_command("kpi_docs")
    assert (tmp_path / "docs" / "kpis.md").read_text(encoding="utf-8") == committed
    for path in registry.paths():
        assert f"`{path}`" in committed


def test_the_methodology_page_lists_every_kpi_for_the_signed_in(team, client, client_for):
    url = reverse("kpi-help")
    assert url == "/help/kpis/"
    assert client.get(url).status_code == 302  # signed-in only
    response = client_for(team.viewer).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for group in registry.GROUPS:
        assert f'id="kpi-{group.name}"' in html
        for f in group.fields:
            assert f"<code>{group.name}.{f.name}</code>" in html
    assert "engagements ÷ reach × 100" in html


# Acronyms a Persian page shows as they are (they are not marked for translation).
ACRONYMS = {"CTR", "EMV", "ROI", "ROAS", "CPM", "CPE", "CPC", "CPA", "CPL"}


def test_every_text_of_the_registry_is_shown_in_persian() -> None:
    """The texts ``metrics.kpi_groups`` marks with ``N_`` reach the catalogue: one left
    unmarked would show in English on a Persian page without any other test noticing."""
    texts = set()
    for group in registry.GROUPS:
        texts |= {group.title, group.definition, group.formula, group.short}
        for f in group.fields:
            texts |= {f.label, f.definition, f.formula, f.over_100}
    texts -= {"", *ACRONYMS}
    with translation.override("fa"):
        english = sorted(t for t in texts if registry.translated(t) == t)
    assert english == []
