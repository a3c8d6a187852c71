"""Shared fixtures: real indexes on disk, built by the real indexer from real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searcharchive.indexer import Indexer
from searcharchive.sample import sample_sources
from searcharchive.search import Archive

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_d134e3591f734dae.txt"


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample corpus (seed + our be/ru translations), indexed once."""
    index_dir = tmp_path_factory.mktemp("sample") / "index"
    report = Indexer(index_dir).run(sample_sources(), rebuild=True)
    assert not report.rejected, [r.as_json() for r in report.rejected]
    return index_dir


@pytest.fixture(scope="session")
def archive(sample_index: Path) -> Archive:
    return Archive.open(sample_index)


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path
