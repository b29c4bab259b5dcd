"""The Persian catalogue is complete: every string the code and templates mark translatable has
a Persian translation (none empty, none fuzzy), and the compiled catalogue is the one its
source compiles to. A string added without a translation fails here — `make messages` then
collects it into locale/fa/LC_MESSAGES/django.po for translating."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "fa" / "LC_MESSAGES"
SKIPPED = (".venv", "node_modules", "staticfiles", ".git", "tests", "bench", "docs",
           "__pycache__", "db.sqlite3*", ".mypy_cache", ".ruff_cache", ".hypothesis")

needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgattrib") is None,
    reason="GNU gettext is not installed",
)


def _entries(po_text: str) -> list[str]:
    """The msgids of a catalogue's text, the header left out."""
    found, current = [], None
    for line in po_text.splitlines():
        if line.startswith("msgid "):
            current = line[6:].strip('"')
        elif current is not None and line.startswith('"'):
            current += line.strip('"')
        elif line.startswith(("msgid_plural", "msgstr")) and current is not None:
            if current:
                found.append(current)
            current = None
    return found


@needs_gettext
def test_every_marked_string_has_a_persian_translation(tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*SKIPPED))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fa", "--no-location",
         "--no-obsolete"],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    po = copy / "locale" / "fa" / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", str(po)], capture_output=True, text=True, check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", str(po)], capture_output=True, text=True, check=True,
    ).stdout
    assert _entries(untranslated) == [], "strings without a Persian translation"
    assert _entries(fuzzy) == [], "fuzzy (unchecked) Persian translations"


@needs_gettext
def test_the_compiled_catalogue_is_its_source_compiled(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(CATALOGUE / "django.po")],
        check=True, capture_output=True,
    )
    assert compiled.read_bytes() == (CATALOGUE / "django.mo").read_bytes(), (
        "locale/fa/LC_MESSAGES/django.mo is stale: run `make messages`"
    )


def test_the_entry_reader_finds_multi_line_and_plural_ids() -> None:
    text = 'msgid ""\nmsgstr "header"\n\nmsgid "One"\nmsgstr ""\n\nmsgid ""\n"Two "\n"lines"\n' \
        'msgid_plural "Twos"\nmsgstr[0] ""\n'
    assert _entries(text) == ["One", "Two lines"]
