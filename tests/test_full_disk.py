"""A disk that fills up (a real tmpfs) during a run: a clear error, the published generation
kept, the space given back."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from searcharchive.sample import sample_sources
from searcharchive.store import IndexStore

from .conftest import write_jsonl
from .faults import cli, figure, no_traceback, records, sample_index, total


@functools.cache
def tmpfs_problem() -> str | None:
    """Why a tmpfs cannot be mounted here, or None when it can."""
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    if not shutil.which("mount") or not shutil.which("umount"):
        return "no mount/umount command"
    folder = tempfile.mkdtemp(prefix="searcharchive-mount-check-")
    try:
        tried = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder],
            capture_output=True,
            text=True,
        )
        if tried.returncode:
            return f"mount -t tmpfs is not permitted here: {tried.stderr.strip()}"
        subprocess.run(["umount", folder], check=True)
        return None
    finally:
        os.rmdir(folder)


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)]).returncode:
            subprocess.run(["umount", "-l", str(folder)])


DISK = "1500k"  # the sample's index fits (~0.6 MB); FILLING's (~2.7 MB) does not
FILLING = 1000  # records of the corpus that fills the disk


@pytest.fixture(scope="module")
def filling_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("filling")
    return write_jsonl(folder / "quokka.jsonl", records("quokka", FILLING))


@dataclass
class FullDiskRun:
    first: subprocess.CompletedProcess[str]
    full: subprocess.CompletedProcess[str]
    published: str | None
    after: str | None
    generations: list[str]
    leftovers: list[str]
    search: subprocess.CompletedProcess[str]
    free_before: int
    free_after: int
    again: subprocess.CompletedProcess[str]
    quokka_after_again: int


@pytest.fixture(scope="module")
def full_disk(tmp_path_factory: pytest.TempPathFactory, filling_corpus: Path) -> FullDiskRun:
    problem = tmpfs_problem()
    if problem:
        pytest.skip(problem)
    folder = tmp_path_factory.mktemp("disk")
    with small_disk(folder / "mnt", DISK) as disk:
        index = disk / "index"
        first = cli("index", *map(str, sample_sources()), "--index", str(index))
        store = IndexStore(index)
        published = store.current_name()
        free_before = shutil.disk_usage(disk).free
        full = cli("index", str(filling_corpus), "--index", str(index))
        after = store.current_name()
        generations = [g.name for g in store.generations()]
        leftovers = [p.name for p in index.glob("tmp-*")]
        free_after = shutil.disk_usage(disk).free
        search = cli("search", "Seviarynets", "--index", str(index), "--json")
        small = write_jsonl(folder / "few.jsonl", records("quokka", 5))
        again = cli("index", str(small), "--index", str(index))
        quokkas = total(index, "quokka")
    figure("full disk", f"exit {full.returncode}: {full.stderr.strip()[:200]}")
    return FullDiskRun(
        first,
        full,
        published,
        after,
        generations,
        leftovers,
        search,
        free_before,
        free_after,
        again,
        quokkas,
    )


@pytest.mark.slow
def test_full_disk_fails_cleanly_and_keeps_the_published_generation(
    full_disk: FullDiskRun,
) -> None:
    run = full_disk
    assert run.first.returncode == 0, run.first.stderr
    assert run.full.returncode != 0
    no_traceback(run.full.stdout, run.full.stderr)
    assert run.full.stderr.startswith("error:")
    assert "no space left" in run.full.stderr.lower()
    assert run.after == run.published and run.generations == [run.published]
    assert run.leftovers == []  # the half-built generation is removed ...
    assert run.free_after >= run.free_before - 64 * 1024  # ... and its space given back
    assert run.search.returncode == 0, run.search.stderr
    assert json.loads(run.search.stdout)["total"] >= 1
    assert run.again.returncode == 0, run.again.stderr  # once there is room, indexing works
    assert run.quokka_after_again == 5


@pytest.mark.slow
def test_full_disk_during_a_full_build_in_processes_fails_cleanly(
    tmp_path: Path, filling_corpus: Path
) -> None:
    """The disk fills up in one of the build's processes: the same clear error."""
    problem = tmpfs_problem()
    if problem:
        pytest.skip(problem)
    with small_disk(tmp_path / "mnt", DISK) as disk:
        index = disk / "index"
        published = sample_index(index)
        full = cli(
            "index", str(filling_corpus), "--index", str(index), "--rebuild", "--processes", "2"
        )
        assert full.returncode == 2, full.stdout + full.stderr
        no_traceback(full.stdout, full.stderr)
        assert "no space left" in full.stderr.lower(), full.stderr
        assert IndexStore(index).current_name() == published
        assert not list(index.glob("tmp-*"))
        assert total(index, "Seviarynets") >= 1


@pytest.mark.slow
def test_full_disk_message_says_what_happened(full_disk: FullDiskRun) -> None:
    assert full_disk.full.returncode == 2
    assert "unexpected failure" not in full_disk.full.stderr
    assert "please report" not in full_disk.full.stderr
