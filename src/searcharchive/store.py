"""Index generations on disk: build aside, publish atomically, readers never see half.

    index/
      CURRENT          name of the published generation ("gen-000007")
      gen-000007/      a complete Whoosh index + our sidecar files
      gen-000007/organizations.extra-00.yaml   gazetteers given to `index`, kept
      rejects.jsonl    the last run's rejected records
      notes.jsonl      the last run's notes: texts cleaned, lists cut, files skipped

One indexer at a time: it holds an OS lock (flock) on the index folder itself,
which no one deletes during a run, so removing a file cannot let a second in.

A run builds `tmp-*` from hard links to the current generation's files (Whoosh
never rewrites a file it has written, so links are safe), commits there, then
renames it and swaps CURRENT with os.replace. A server holding the previous
generation keeps answering from it; a run killed midway leaves only a tmp
folder that the next run removes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from .errors import ArchiveError, IndexCorrupt, IndexNotFound
from .schema import SCHEMA_VERSION

GENERATION_RE = re.compile(r"^gen-(\d{6})$")
KEEP_GENERATIONS = 3
LOCK_NAMES = ("MAIN_WRITELOCK",)
SIDECAR_SUFFIXES = (".json", ".npz", ".yaml")  # ours: rewritten per generation, never linked
GAZETTEER_KINDS = ("organizations", "persons")
CATALOG = "catalog.json"
META = "meta.json"


def check_schema(generation: Path) -> None:
    """An index written by another version of the schema must be rebuilt, not extended."""
    try:
        meta = json.loads((generation / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise IndexCorrupt(
            f"the index generation {generation} cannot be read: it is damaged or incomplete "
            "(no readable meta.json); rebuild it with `searcharchive index SOURCE... --rebuild`"
        ) from None
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexCorrupt(
            f"the index at {generation.parent} was built by another version of searcharchive "
            f"(schema {meta.get('schema_version', 'unknown')}, this one reads {SCHEMA_VERSION}): "
            "rebuild it with `searcharchive index SOURCE... --rebuild`"
        )


def stored_gazetteers(generation: Path | None, kind: str) -> list[Path]:
    """The archivist's own gazetteer files of `kind` that a generation was built with
    (`index --organizations/--persons`), so that servers and later runs use them too."""
    if generation is None:
        return []
    return sorted(generation.glob(f"{kind}.extra-*.yaml"))


def store_gazetteers(work: Path, kind: str, files: list[Path]) -> None:
    """Copies of `files` (each once, in order) in the generation being built."""
    contents = list(dict.fromkeys(path.read_bytes() for path in files))
    for number, content in enumerate(contents):
        (work / f"{kind}.extra-{number:02d}.yaml").write_bytes(content)


class IndexStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    @property
    def current_file(self) -> Path:
        return self.root / "CURRENT"

    @property
    def rejects_file(self) -> Path:
        return self.root / "rejects.jsonl"

    @property
    def notes_file(self) -> Path:
        return self.root / "notes.jsonl"

    def current_name(self) -> str | None:
        try:
            name = self.current_file.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return name if GENERATION_RE.match(name) else None

    def current(self) -> Path | None:
        name = self.current_name()
        if name and (self.root / name).is_dir():
            return self.root / name
        return None

    def require_current(self) -> Path:
        current = self.current()
        if current is not None:
            return current
        if self.current_file.exists():
            name = self.current_name()
            what = f"names {name}, which is missing" if name else "is unreadable"
            raise IndexCorrupt(
                f"the index at {self.root} is damaged: its CURRENT file {what}; rebuild it with "
                f"`searcharchive index SOURCE... --index {self.root} --rebuild`"
            )
        raise IndexNotFound(
            f"no index at {self.root}: build one with `searcharchive index SOURCE --index "
            f"{self.root}`"
        )

    def generations(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if GENERATION_RE.match(p.name) and p.is_dir())

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """One indexer at a time; stale tmp folders of killed runs are removed."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            # the folder itself is locked: a lock file could be deleted mid-run
            handle = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as error:
            raise ArchiveError(f"cannot write to {self.root}: {error.strerror}") from None
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ArchiveError(f"another indexer is writing to {self.root}") from None
            if not os.access(self.root, os.W_OK):
                raise ArchiveError(f"cannot write to {self.root}: Permission denied")
            for stale in self.root.glob("tmp-*"):
                shutil.rmtree(stale, ignore_errors=True)
            yield
        finally:
            os.close(handle)

    def begin(self, fresh: bool) -> Path:
        """A new folder holding a copy of the current generation (or nothing)."""
        work = self.root / f"tmp-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        current = self.current()
        if current is not None and not fresh:
            for item in current.iterdir():
                if item.name in LOCK_NAMES or item.suffix in SIDECAR_SUFFIXES:
                    continue
                if item.is_file():
                    # Whoosh never rewrites a file it wrote: a link is a safe, free copy
                    os.link(item, work / item.name)
        return work

    def discard(self, work: Path) -> None:
        shutil.rmtree(work, ignore_errors=True)

    def publish(self, work: Path) -> str:
        numbers = [int(GENERATION_RE.match(p.name).group(1)) for p in self.generations()]  # type: ignore[union-attr]
        name = f"gen-{max(numbers, default=0) + 1:06d}"
        _fsync_tree(work)
        os.rename(work, self.root / name)
        pointer = self.root / f"CURRENT.{os.getpid()}"
        with pointer.open("w", encoding="ascii") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(pointer, self.current_file)
        _fsync_dir(self.root)
        for old in self.generations()[:-KEEP_GENERATIONS]:
            shutil.rmtree(old, ignore_errors=True)
        return name


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    """Flush the files a run wrote. A file with more than one link is a published
    generation's (linked by `begin`, or a sidecar an incremental run keeps): it was
    flushed when that generation was published."""
    for item in path.iterdir():
        if item.is_file() and item.stat().st_nlink == 1:
            with item.open("rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(path)
