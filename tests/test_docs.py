"""The docs a clone needs are in the repo: nothing points outside it, README's links resolve."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Written in two parts so this file does not match its own search.
OUTSIDE_DOCS = re.compile(r"\b(?:DESIGN|API)" + r"\.md\b")
SKIPPED_DIRS = {".git", ".venv", "node_modules", "staticfiles", "__pycache__", "docs"}
def check_missing(missing: list[str]) -> None:
    assert not missing, f"links to missing pages: {missing}"


def repo_files() -> list[Path]:
    """Tracked and new (not ignored) files; without git, every file outside the skipped dirs."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout.decode()
        names = [name for name in out.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()]
    return [
        ROOT / name for name in names
        if not SKIPPED_DIRS & set(Path(name).parts) and (ROOT / name).is_file()
    ]


def test_no_file_outside_docs_points_to_docs_a_clone_does_not_have() -> None:
    offenders = []
    for path in repo_files():
        data = path.read_bytes()
        if b"\0" in data:  # images and other binaries
            continue
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if OUTSIDE_DOCS.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "point to docs/ instead:\n" + "\n".join(offenders)


def test_every_docs_link_in_the_readme_resolves() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = set(re.findall(r"\]\((docs/[^)#\s]+\.md)(?:#[^)]*)?\)", readme))
    assert {"docs/architecture.md", "docs/api.md", "docs/operations.md",
            "docs/kpis.md"} <= links
    check_missing(sorted(link for link in links if not (ROOT / link).is_file()))


def test_the_docs_pages_link_to_each_other_and_exist() -> None:
    pages = sorted((ROOT / "docs").glob("*.md"))
    assert {"architecture.md", "api.md", "operations.md"} <= {page.name for page in pages}
    missing = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not OUTSIDE_DOCS.search(text), f"{page.name} cites a page a clone does not have"
        for target in re.findall(r"\]\(([\w-]+\.md)(?:#[^)]*)?\)", text):
            if not (ROOT / "docs" / target).is_file():
                missing.add(f"docs/{target}")
    check_missing(sorted(missing))
