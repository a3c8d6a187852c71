"""A damaged or missing index (garbage, truncated files, a broken CURRENT pointer): search and
serve say so without a traceback, and never misread."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from searcharchive.indexer import Indexer
from searcharchive.sample import sample_sources
from searcharchive.store import IndexStore

from .conftest import write_jsonl
from .faults import cli, no_traceback, records, sample_index, serve_outcome


def _garbage(pattern: str) -> Callable[[Path], None]:
    def damage(index: Path) -> None:
        generation = index / (IndexStore(index).current_name() or "")
        files = list(generation.glob(pattern))
        assert files, pattern
        for path in files:
            path.write_bytes(random.Random(path.name).randbytes(300))

    return damage


def _truncate_all(index: Path) -> None:
    for path in (index / (IndexStore(index).current_name() or "")).iterdir():
        path.write_bytes(b"")


def _damage_postings(index: Path) -> None:
    """Every posting list overwritten, the term table and everything else intact: opening the
    index still works, the first search that reads postings fails."""
    generation = index / (IndexStore(index).current_name() or "")
    for path in generation.glob("*.pst"):
        path.write_bytes(b"\xff" * path.stat().st_size)


def _current(text: bytes) -> Callable[[Path], None]:
    def damage(index: Path) -> None:
        (index / "CURRENT").write_bytes(text)

    return damage


def _delete_generation(index: Path) -> None:
    shutil.rmtree(index / (IndexStore(index).current_name() or "missing"))


DAMAGED_FILES = {
    "garbage-postings": _garbage("*.pst"),
    "garbage-terms": _garbage("*.trm"),
    "garbage-toc": _garbage("_MAIN_*.toc"),
    "garbage-everywhere": _garbage("*"),
    "truncated-files": _truncate_all,
}
BROKEN_POINTER = {
    "current-names-missing-generation": _current(b"gen-000042\n"),
    "current-is-garbage": _current(b"\x00\xffnot a generation\n"),
    "generation-folder-deleted": _delete_generation,
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, then a statement more: a generation with the deltas of a run that
    added to the one before."""
    folder = tmp_path_factory.mktemp("pristine")
    index = folder / "index"
    sample_index(index)
    Indexer(index).run([write_jsonl(folder / "more.jsonl", records("narwhal", 1))])
    return index


def damaged(pristine: Path, tmp_path: Path, damage: Callable[[Path], None]) -> Path:
    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    damage(index)
    return index


@pytest.mark.parametrize("case", [*DAMAGED_FILES, *BROKEN_POINTER, "no-index"])
def test_search_on_a_damaged_or_missing_index_says_so_without_a_traceback(
    pristine: Path, tmp_path: Path, case: str
) -> None:
    if case == "no-index":
        index = tmp_path / "nothing-here"
    else:
        index = damaged(pristine, tmp_path, {**DAMAGED_FILES, **BROKEN_POINTER}[case])
    result = cli("search", "Seviarynets", "--index", str(index))
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    no_traceback(result.stdout, result.stderr)
    assert result.stderr.startswith("error:") and "unexpected failure" not in result.stderr


# each file of a generation on its own: Whoosh's own, and the sidecars we derive from them
ONE_FILE = [
    "*.pst",
    "*.trm",
    "*.col",
    "_MAIN_*.toc",
    "columns.npz",
    "frequent.npz",
    "meta.json",
    "catalog.json",
    "catalog-recent.json",
    "persons.json",
    "persons-recent.json",
    "person-mentions.json",
    "person-mentions-recent.json",
]


def test_every_file_of_a_generation_is_covered_below(pristine: Path) -> None:
    generation = pristine / (IndexStore(pristine).current_name() or "")
    names = {p.name for p in generation.iterdir()} - {"MAIN_WRITELOCK"}
    covered = {p.name for pattern in ONE_FILE for p in generation.glob(pattern)}
    assert names <= covered, f"add a damage case for {sorted(names - covered)}"


def _search_json(index: Path) -> subprocess.CompletedProcess[str]:
    return cli("search", "Seviarynets", "--index", str(index), "--json", "--limit", "100")


@pytest.fixture(scope="module")
def pristine_answer(pristine: Path) -> dict[str, Any]:
    found = _search_json(pristine)
    assert found.returncode == 0, found.stderr
    answer = json.loads(found.stdout)
    return {"total": answer["total"], "ids": [h["id"] for h in answer["hits"]]}


@pytest.mark.parametrize("pattern", ONE_FILE)
def test_one_damaged_file_is_recovered_from_or_reported_never_misread(
    pristine: Path, pristine_answer: dict[str, Any], tmp_path: Path, pattern: str
) -> None:
    generation = pristine / (IndexStore(pristine).current_name() or "")
    if not list(generation.glob(pattern)):
        pytest.skip(f"this version writes no {pattern}")
    index = damaged(pristine, tmp_path, _garbage(pattern))
    for result in (
        _search_json(index),
        cli("index", str(sample_sources()[1]), "--index", str(index)),
    ):
        no_traceback(result.stdout, result.stderr)
        assert "unexpected failure" not in result.stderr, result.stderr
        assert result.returncode in (0, 2), (result.returncode, result.stderr)
        if result.returncode == 2:
            assert result.stderr.startswith("error:"), result.stderr
    found = _search_json(index)
    if found.returncode == 0:  # recovered: then with the right answer, not a silently wrong one
        answer = json.loads(found.stdout)
        assert answer["total"] == pristine_answer["total"]
        assert [h["id"] for h in answer["hits"]] == pristine_answer["ids"]


def test_search_on_damaged_postings_says_the_index_is_damaged(
    pristine: Path, tmp_path: Path
) -> None:
    index = damaged(pristine, tmp_path, _damage_postings)
    result = cli("search", "Seviarynets", "--index", str(index))
    no_traceback(result.stdout, result.stderr)
    assert result.returncode == 2 and "unexpected failure" not in result.stderr, result.stderr


@pytest.mark.parametrize("case", list(DAMAGED_FILES))
def test_serve_on_a_damaged_index_refuses_to_start_with_a_message(
    pristine: Path, tmp_path: Path, case: str
) -> None:
    index = damaged(pristine, tmp_path, DAMAGED_FILES[case])
    code, output = serve_outcome(index, tmp_path / "serve.log")
    assert code == 2, output
    no_traceback(output)
    assert output.startswith("error:") and "cannot be read" in output, output


@pytest.mark.parametrize("case", list(BROKEN_POINTER))
def test_serve_on_a_broken_current_pointer_refuses_to_start(
    pristine: Path, tmp_path: Path, case: str
) -> None:
    index = damaged(pristine, tmp_path, BROKEN_POINTER[case])
    before = sorted(p.name for p in index.iterdir())
    code, output = serve_outcome(index, tmp_path / "serve.log")
    assert code == 2 and "error:" in output, output
    no_traceback(output)
    assert sorted(p.name for p in index.iterdir()) == before
