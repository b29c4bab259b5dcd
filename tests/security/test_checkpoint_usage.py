"""No view or viewset reaches records outside the permission checkpoint.

Views and viewsets may touch a model's manager only to hand a queryset to ``get_object_for``
(which scopes it), or for ``.none()``. Anything else must be on the short, reasoned allowlist
below — a new direct query in a view fails this test until someone decides it is safe.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from django.conf import settings

from accounts.api import OrgScopedMixin

VIEW_MODULES = [
    "accounts/views.py",
    "accounts/api.py",
    "campaigns/views/__init__.py",
    "campaigns/views/common.py",
    "campaigns/views/dashboard.py",
    "campaigns/views/report.py",
    "campaigns/views/editing.py",
    "campaigns/views/pipeline.py",
    "campaigns/views/links.py",
    "campaigns/views/brands.py",
    "campaigns/api.py",
    "influencers/views.py",
    "influencers/api.py",
    "metrics/views.py",
    "metrics/entry_views.py",
    "metrics/api/conversions.py",
    "metrics/api/emv.py",
    "metrics/api/ingestion.py",
    "metrics/api/kpis.py",
    "metrics/connectors/views.py",
    "payouts/views.py",
    "payouts/api.py",
]

# (module, enclosing function): why it is safe.
ALLOWED = {
    ("accounts/views.py", "invitation"): "looked up by the secret token's hash; the user joins",
    ("accounts/views.py", "organization_settings"): "a copy of the acting organization itself",
}


def _manager_uses(tree: ast.AST) -> list[tuple[str, ast.Attribute, list[ast.AST]]]:
    """Every ``X.objects`` / ``X._default_manager`` with its enclosing function and ancestors."""
    found: list[tuple[str, ast.Attribute, list[ast.AST]]] = []

    def visit(node: ast.AST, function: str, ancestors: list[ast.AST]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
            found.append((function, node, ancestors))
        for child in ast.iter_child_nodes(node):
            visit(child, function, [*ancestors, node])

    visit(tree, "<module>", [])
    return found


def _is_handed_to_checkpoint(node: ast.Attribute, ancestors: list[ast.AST]) -> bool:
    for parent in reversed(ancestors):
        if isinstance(parent, ast.keyword) and parent.arg == "queryset":
            return True
        if isinstance(parent, ast.Attribute) and parent.attr == "none":
            return True
    return False


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_views_reach_records_only_through_the_checkpoint(module: str) -> None:
    path = Path(settings.BASE_DIR) / module
    tree = ast.parse(path.read_text(), filename=module)
    offenders = [
        f"{module}:{node.lineno} in {function}()"
        for function, node, ancestors in _manager_uses(tree)
        if not _is_handed_to_checkpoint(node, ancestors) and (module, function) not in ALLOWED
    ]
    assert not offenders, "direct queries outside the checkpoint: " + ", ".join(offenders)


def _viewsets() -> list[type]:
    from config.api_urls import router

    return [viewset for _, viewset, _ in router.registry]


def test_every_viewset_is_scoped_by_the_checkpoint() -> None:
    for viewset in _viewsets():
        assert issubclass(viewset, OrgScopedMixin), f"{viewset.__name__} bypasses OrgScopedMixin"


def test_a_viewset_that_overrides_get_queryset_starts_from_the_checkpoint() -> None:
    for viewset in _viewsets():
        for klass in viewset.__mro__:
            if klass is OrgScopedMixin or klass.__module__.split(".")[0] not in {
                "accounts", "campaigns", "influencers", "metrics"
            }:
                continue
            for name in ("get_queryset", "get_object"):
                method = klass.__dict__.get(name)
                if method is None:
                    continue
                source = inspect.getsource(method)
                assert "super()" in source or "visible(" in source or "get_object_for(" in source, (
                    f"{klass.__name__}.{name} does not go through the checkpoint"
                )


def test_celery_tasks_take_ids_not_querysets() -> None:
    """Task arguments are JSON-serialisable ids or strings, never user-supplied querysets."""
    from config.celery import app

    app.loader.import_default_modules()
    ours = {
        name: task for name, task in app.tasks.items()
        if name.split(".")[0] in {"accounts", "campaigns", "influencers", "metrics"}
    }
    assert ours, "no project tasks registered"
    allowed = {"int", "str", "int | None", "str | None", "list[int]", "bool"}
    for name, task in ours.items():
        signature = inspect.signature(task.run)
        for parameter in signature.parameters.values():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            annotation = parameter.annotation
            text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
            assert text in allowed, f"{name}({parameter.name}: {text}) is not an id or a string"
