"""The shape of the suite itself, checked on the test files with ``ast``: every test checks
something.

A ``test_*`` function (at module level or in a ``Test*`` class) of any ``tests/**/test_*.py``
must contain at least one of:

- an ``assert`` statement;
- a checking context or call — ``pytest.raises``/``warns``/``deprecated_call``,
  ``django_assert_num_queries``/``django_assert_max_num_queries``, ``assertNumQueries``,
  ``assertRaises``/``assertLogs`` (with ``with`` or called);
- a call of a checking helper: a function or method whose name starts with ``assert``
  (``assert_total_document``, ``mock.assert_not_called``, ``self.assertEqual``), ``expect_`` or
  ``check_``.

A test that only runs code passes whenever nothing raises, which is rarely all it means: write
the assertion it implies (the row exists, the function returns ``None``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CHECKING_CALLS = frozenset({
    "raises", "warns", "deprecated_call", "django_assert_num_queries",
    "django_assert_max_num_queries", "assertNumQueries", "assertRaises",
    "assertRaisesMessage", "assertLogs",
})
HELPER_PREFIXES = ("assert", "expect_", "check_")


def _test_functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                node.name.startswith("test_"):
            yield node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                        item.name.startswith("test_"):
                    yield item


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def checks_something(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = _called_name(node)
            if name in CHECKING_CALLS or name.startswith(HELPER_PREFIXES):
                return True
    return False


def offenders(root: Path = TESTS) -> list[str]:
    found = []
    for path in sorted(root.rglob("test_*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in _test_functions(tree):
            if not checks_something(function):
                found.append(f"{path.relative_to(root.parent)}::{function.name}")
    return found


def test_every_test_asserts_something() -> None:
    assert offenders() == []


def test_the_rule_tells_a_check_from_a_bare_run() -> None:
    def verdict(source: str) -> bool:
        return checks_something(ast.parse(source).body[0])  # type: ignore[arg-type]

    assert verdict("def test_a():\n    assert 1")
    assert verdict("def test_b():\n    with pytest.raises(ValueError):\n        int('x')")
    assert verdict("def test_c(django_assert_max_num_queries):\n"
                   "    with django_assert_max_num_queries(3):\n        pass")
    assert verdict("def test_d():\n    assert_total_document({})")
    assert verdict("def test_e(mocked):\n    mocked.assert_not_called()")
    assert not verdict("def test_f():\n    create_something()")
    assert not verdict("def test_g():\n    with transaction.atomic():\n        save()")
