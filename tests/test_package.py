"""The package API as the README shows it: its example, run as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import searcharchive

README = Path(__file__).parents[1] / "README.md"


def readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## From Python", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "README.md has no Python example under 'From Python'"
    return match.group(1)


def test_the_readme_example_runs_against_an_index_of_the_sample(tmp_path: Path) -> None:
    code = readme_example()
    assert len(code.strip().splitlines()) <= 10
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    found, refused = result.stdout.strip().splitlines()
    total, ids = found.split(" found; ")
    assert int(total) >= 1 and ids  # the sample's English statements that name him
    assert refused == "refused: 'sort' must be relevance, newest or oldest, not 'sideways'"
    assert (tmp_path / "index" / "CURRENT").exists()


def test_the_package_exports_its_api_without_loading_it_up_front() -> None:
    for name in searcharchive.__all__:
        assert getattr(searcharchive, name) is not None, name
    assert {"Archive", "SearchRequest", "SearchResult", "Indexer", "ArchiveError"} <= set(
        searcharchive.__all__
    )
    script = (
        "import sys, searcharchive\n"
        "print(','.join(m for m in ('searcharchive.archive', 'searcharchive.indexer')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
