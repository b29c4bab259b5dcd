"""The import direction between apps, and the size of a file, checked on the source with ``ast``.

- Below the views, ``campaigns`` and ``influencers`` import nothing from ``metrics`` but the
  recompute entry point (``metrics.scheduling``) and the KPI registry (``metrics.registry``):
  metrics reads their records, never the other way round. The view level — ``views/`` (or
  ``views.py``), ``templatetags/``, ``api.py``, ``admin.py``, ``urls.py``, ``forms.py`` (each
  also split as a package or as ``admin_*.py``-style files) and management commands — may read
  KPIs through the metrics selectors.
- No app imports itself in a circle at module level (imports inside functions and under
  ``TYPE_CHECKING`` do not run at import time, so they are left out).
- No source file is much over 400 lines.
- The admin modules import no private (``_``-prefixed) name from a services module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("accounts", "campaigns", "influencers", "metrics", "reports", "content", "payouts", "portal")
LAYERED_APPS = ("campaigns", "influencers")
ALLOWED_FROM_METRICS = frozenset({"metrics.registry", "metrics.scheduling"})
# Relative to an app: the modules that may read metrics (pages, API, admin, commands). A
# view-level module split in files keeps its name as a prefix (``admin_inlines.py``) or
# becomes a package (``views/``).
VIEW_LEVEL_NAMES = ("views", "api", "admin", "urls", "forms")
VIEW_LEVEL_DIRS = (
    *((name,) for name in VIEW_LEVEL_NAMES), ("templatetags",), ("management", "commands"),
)
MAX_LINES = 420


def _files(app: str) -> Iterator[Path]:
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_view_level(path: Path, app: str) -> bool:
    inner = path.relative_to(ROOT / app).parts
    stem = path.stem
    if len(inner) == 1 and any(stem == n or stem.startswith(f"{n}_") for n in VIEW_LEVEL_NAMES):
        return True
    return any(inner[: len(prefix)] == prefix for prefix in VIEW_LEVEL_DIRS)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The modules an import statement loads: ``from a import b`` is ``a.b`` when ``b`` is a
    module, else ``a``; relative imports are resolved against ``module``."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([base] if base else [])])
    found = []
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        found.append(candidate if _is_module(candidate) else base)
    return found


def _all_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: not inside a function, not under
    ``if TYPE_CHECKING``."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level_imports(node.body)
            yield from _module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody,
                          *(handler.body for handler in node.handlers)):
                yield from _module_level_imports(block)
        elif isinstance(node, ast.With | ast.ClassDef):
            yield from _module_level_imports(node.body)


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _metrics_offenders(path: Path) -> list[str]:
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    offenders = []
    for node in _all_imports(_parse(path)):
        for target in dict.fromkeys(_targets(node, module, is_package)):
            if target.split(".")[0] != "metrics":
                continue
            if not any(target == allowed or target.startswith(f"{allowed}.")
                       for allowed in ALLOWED_FROM_METRICS):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {target}")
    return offenders


@pytest.mark.parametrize("app", LAYERED_APPS)
def test_below_the_views_an_app_imports_only_the_metrics_entry_points(app: str) -> None:
    offenders = [
        offender
        for path in _files(app)
        if not _is_view_level(path, app)
        for offender in _metrics_offenders(path)
    ]
    assert offenders == [], "\n".join(offenders)


def test_the_direction_check_catches_a_metrics_model_import(tmp_path, monkeypatch) -> None:
    """The scan itself: a selector importing a metrics model, a package or a submodule through
    ``from metrics import …`` is caught; the registry and the entry point are not."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    for name in ("registry", "scheduling", "display"):
        (tmp_path / "metrics").mkdir(exist_ok=True)
        (tmp_path / "metrics" / f"{name}.py").write_text("")
    (tmp_path / "metrics" / "models.py").write_text("")
    (tmp_path / "metrics" / "__init__.py").write_text("")
    (tmp_path / "campaigns").mkdir()
    selectors = tmp_path / "campaigns" / "selectors.py"
    selectors.write_text(
        "from metrics import registry, scheduling\n"
        "from metrics.registry import value_at\n"
        "from metrics.models import KpiSnapshot\n"
        "def f():\n"
        "    from metrics import display\n"
        "    import metrics\n"
    )
    assert [o.split(" imports ")[1] for o in _metrics_offenders(selectors)] == [
        "metrics.models", "metrics.display", "metrics",
    ]
    assert not _is_view_level(selectors, "campaigns")
    assert not _is_view_level(tmp_path / "campaigns" / "services.py", "campaigns")
    assert not _is_view_level(tmp_path / "campaigns" / "adminish.py", "campaigns")
    for page in ("views/report.py", "views.py", "admin_inlines.py", "management/commands/x.py"):
        assert _is_view_level(tmp_path / "campaigns" / page, "campaigns"), page


def _graph(app: str) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in _files(app):
        module = _module_name(path)
        edges = graph.setdefault(module, set())
        for node in _module_level_imports(_parse(path).body):
            for target in _targets(node, module, path.name == "__init__.py"):
                if target.split(".")[0] == app and target != module:
                    edges.add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the modules along it, or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


@pytest.mark.parametrize("app", APPS)
def test_an_app_has_no_import_cycle(app: str) -> None:
    cycle = _cycle(_graph(app))
    assert cycle is None, " → ".join(cycle or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}}) == [
        "a.x", "a.y", "a.z", "a.x",
    ]
    assert _cycle({"a.x": {"a.y"}, "a.y": set()}) is None
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "import a.y\n"
        "if TYPE_CHECKING:\n"
        "    import a.z\n"
        "def f():\n"
        "    import a.w\n"
    )
    assert [n.lineno for n in _module_level_imports(tree.body)] == [1, 2]


def test_no_source_file_is_over_the_limit() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for app in (*APPS, "config")
        for path in _files(app)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert long == [], "\n".join(long)


def test_the_admin_imports_no_private_service_helpers() -> None:
    """The admin writes through the services' public functions, never their internals."""
    offenders = []
    for path in sorted(ROOT.glob("*/admin*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and "services" in (node.module or ""):
                offenders += [f"{path.name}: {a.name}" for a in node.names
                              if a.name.startswith("_")]
    assert offenders == []
