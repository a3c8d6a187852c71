"""Index generations on disk (store.py): the CURRENT pointer, one writer at a time, a run built
aside from hard links, atomic publication, old generations pruned, the schema check."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from searcharchive.errors import ArchiveError, IndexCorrupt, IndexNotFound
from searcharchive.indexer import Indexer
from searcharchive.sample import sample_sources
from searcharchive.schema import SCHEMA_VERSION
from searcharchive.store import (
    KEEP_GENERATIONS,
    IndexStore,
    check_schema,
    store_gazetteers,
    stored_gazetteers,
)


def test_an_empty_folder_has_no_generation_and_says_how_to_build_one(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index")
    assert store.current_name() is None and store.current() is None
    assert store.generations() == []
    with pytest.raises(IndexNotFound, match="build one with `searcharchive index"):
        store.require_current()


@pytest.mark.parametrize(
    ("pointer", "said"),
    [(b"gen-000042\n", "names gen-000042, which is missing"), (b"../etc\n", "is unreadable")],
)
def test_a_current_file_naming_no_generation_is_damage(
    tmp_path: Path, pointer: bytes, said: str
) -> None:
    store = IndexStore(tmp_path)
    store.current_file.write_bytes(pointer)
    assert store.current() is None
    with pytest.raises(IndexCorrupt, match=said):
        store.require_current()


def test_publishing_numbers_generations_and_swaps_current(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index")
    names = []
    with store.writing():
        for number in range(KEEP_GENERATIONS + 2):
            work = store.begin(fresh=True)
            (work / "data.bin").write_bytes(bytes([number]))
            names.append(store.publish(work))
    assert names == [f"gen-{n:06d}" for n in range(1, KEEP_GENERATIONS + 3)]
    assert store.current_name() == names[-1]
    assert (store.root / "CURRENT").read_text(encoding="ascii") == names[-1] + "\n"
    # only the newest generations are kept, and no temporary folder or pointer is left
    assert [p.name for p in store.generations()] == names[-KEEP_GENERATIONS:]
    assert sorted(p.name for p in store.root.iterdir()) == ["CURRENT", *names[-KEEP_GENERATIONS:]]
    assert (store.require_current() / "data.bin").read_bytes() == bytes([KEEP_GENERATIONS + 1])


def test_a_run_starts_from_hard_links_to_the_current_generation_without_its_sidecars(
    tmp_path: Path,
) -> None:
    store = IndexStore(tmp_path / "index")
    with store.writing():
        first = store.begin(fresh=True)
        for name in ("segment.seg", "catalog.json", "columns.npz", "MAIN_WRITELOCK"):
            (first / name).write_text(name)
        published = store.root / store.publish(first)
        work = store.begin(fresh=False)
        assert sorted(p.name for p in work.iterdir()) == ["segment.seg"]
        assert os.path.samefile(work / "segment.seg", published / "segment.seg")
        assert list(store.begin(fresh=True).iterdir()) == []  # a rebuild starts empty
        store.discard(work)
        assert not work.exists()


def test_one_writer_at_a_time_and_stale_work_folders_are_removed(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index")
    store.root.mkdir()
    stale = store.root / "tmp-99999"
    stale.mkdir()
    with store.writing():
        assert not stale.exists()
        with pytest.raises(ArchiveError, match="another indexer is writing"):
            with IndexStore(store.root).writing():
                pass
    with IndexStore(store.root).writing():  # released on the way out
        pass


def test_the_schema_check_refuses_another_version_and_a_missing_meta(tmp_path: Path) -> None:
    generation = tmp_path / "gen-000001"
    generation.mkdir()
    with pytest.raises(IndexCorrupt, match="no readable meta.json"):
        check_schema(generation)
    (generation / "meta.json").write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    check_schema(generation)
    (generation / "meta.json").write_text(json.dumps({"schema_version": SCHEMA_VERSION - 1}))
    with pytest.raises(IndexCorrupt, match="another version of searcharchive"):
        check_schema(generation)


def test_a_real_generation_passes_the_schema_check(tmp_path: Path) -> None:
    report = Indexer(tmp_path / "index").run(sample_sources(), rebuild=True)
    store = IndexStore(tmp_path / "index")
    assert store.current_name() == report.generation
    check_schema(store.require_current())


def test_gazetteers_are_kept_once_each_in_order(tmp_path: Path) -> None:
    files = []
    for name, text in [
        ("a.yaml", "first: 1\n"),
        ("b.yaml", "second: 2\n"),
        ("c.yaml", "first: 1\n"),
    ]:
        files.append(tmp_path / name)
        files[-1].write_text(text)
    work = tmp_path / "work"
    work.mkdir()
    store_gazetteers(work, "organizations", files)
    kept = stored_gazetteers(work, "organizations")
    assert [p.read_text() for p in kept] == ["first: 1\n", "second: 2\n"]
    assert stored_gazetteers(work, "persons") == [] and stored_gazetteers(None, "persons") == []
