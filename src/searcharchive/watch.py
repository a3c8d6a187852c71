"""A resident indexer: `searcharchive index --watch FOLDER` keeps the indexer loaded and
indexes each file that appears or changes in FOLDER, as it appears.

A one-shot `searcharchive index FILE` spends most of the time a single statement
takes on starting up: Python, Whoosh and numpy imported, the gazetteers and the
citation grammar compiled. A watcher pays that once. Every POLL_SECONDS it looks
at the folders' own modification times (a file created or renamed into a folder
changes it), and when one changed, or every SCAN_SECONDS, lists the folders (as
`index` reads them: hidden files are skipped, so a writer may write `.name.tmp`
and rename it into place) and indexes, in one run, the files whose size or
modification time changed since they were last read, once they have not changed
for SETTLE_SECONDS. Records are upserted by id, as by `index`: a file
read twice changes nothing; a file caught half-written has its broken last
record rejected, and is read again when it changes.

At start it reads the files that no statement of the published generation came
from, and those changed since that generation was published: what the index has
not seen; the rest is not read again.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .catalog import read_catalog
from .errors import ArchiveError
from .indexer import Indexer, IndexReport, source_key
from .readers import iter_files

POLL_SECONDS = 0.02  # how often the folders' own times are looked at
SCAN_SECONDS = 1.0  # how often every file is listed (a file rewritten in place changes
# no folder's time; one renamed or created in a folder does)
SETTLE_SECONDS = 0.02  # a file is read once it has not changed for this long
RETRY_SECONDS = 2.0  # after a run that failed

FileState = tuple[int, int]  # size, modification time (ns)


def _files(folders: Iterable[Path]) -> dict[Path, FileState]:
    """The files `index` would read in the folders, with their size and time."""
    found: dict[Path, FileState] = {}
    for item in iter_files(folders):
        if not isinstance(item, tuple):
            continue  # a skipped or unreadable entry: `index` reports it when read
        path = item[0]
        try:
            info = path.stat()
        except OSError:
            continue  # removed since it was listed
        found[path] = (info.st_size, info.st_mtime_ns)
    return found


def unseen_at_start(indexer: Indexer, files: dict[Path, FileState]) -> set[Path]:
    """The files the published generation has not read: no statement came from them,
    or they changed after it was published."""
    current = indexer.store.current()
    if current is None:
        return set(files)
    catalog = read_catalog(current)
    sources = {entry.source for entry in map(catalog.get, catalog) if entry is not None}
    published = indexer.store.current_file.stat().st_mtime_ns
    return {
        path
        for path, (_, mtime) in files.items()
        if mtime >= published or source_key(str(path)) not in sources
    }


class Watcher:
    """Indexes the files of `folders` as they appear or change, until `stop` is set."""

    def __init__(
        self,
        indexer: Indexer,
        folders: list[Path],
        on_run: Callable[[list[Path], IndexReport | Exception], None],
        poll: float = POLL_SECONDS,
        settle: float = SETTLE_SECONDS,
    ) -> None:
        self.indexer = indexer
        self.folders = folders
        self.on_run = on_run
        self.poll = poll
        self.settle = settle
        self.stop = threading.Event()
        self.read: dict[Path, FileState] = {}  # what each file was when last read
        self.places: set[Path] = set(folders)  # the sources and the folders holding files
        self.times: dict[Path, FileState | None] = {}  # theirs when last listed
        self.listed = 0.0  # when every file was last listed (time.monotonic)
        self.unsettled = False  # a file changed too recently to be read then

    def start(self) -> None:
        """Take the files the index has already read as read; compile what the first
        statement would, and read the published person table once."""
        self.indexer.extractor.warm_up()
        self.indexer.remember_published()
        files = _files(self.folders)
        unseen = unseen_at_start(self.indexer, files)
        self.read = {path: state for path, state in files.items() if path not in unseen}

    def _due(self) -> tuple[list[Path], list[Path], set[Path]]:
        """Files changed and settled, files changed, and the folders holding files."""
        files = _files(self.folders)
        now = time.time_ns()
        settled = int(self.settle * 1e9)
        changed = [path for path, state in sorted(files.items()) if self.read.get(path) != state]
        due = [path for path in changed if now - files[path][1] >= settled]
        return due, changed, {path.parent for path in files}

    def due(self) -> list[Path]:
        """Files changed since they were last read, and settled."""
        return self._due()[0]

    def _place_times(self) -> dict[Path, FileState | None]:
        return {place: _state(place) for place in self.places}

    def _worth_listing(self) -> bool:
        """Something may have changed: a folder's time, a file not settled yet, or
        SCAN_SECONDS since every file was listed."""
        return (
            self.unsettled
            or time.monotonic() - self.listed >= SCAN_SECONDS
            or self._place_times() != self.times
        )

    def round(self) -> bool:
        """Index what is due, in one run; False if nothing was."""
        if not self._worth_listing():
            return False
        times = self._place_times()  # before listing: a later change shows next time
        due, changed, folders = self._due()
        self.places = {*self.folders, *folders}
        self.times, self.listed = times, time.monotonic()
        # a folder changed within the last moments may change again within the same
        # tick of the file system's clock, unseen by its time: list once more
        recent = time.time_ns() - int(max(self.settle, self.poll) * 1e9)
        self.unsettled = len(due) < len(changed) or any(
            t is not None and t[1] >= recent for t in times.values()
        )
        if not due:
            return False
        states = {path: _state(path) for path in due}
        try:
            report: IndexReport | Exception = self.indexer.run(due)
        except (ArchiveError, OSError, ValueError) as error:
            # nothing was published (another indexer, a full disk): tried again later
            self.on_run(due, error)
            self.stop.wait(RETRY_SECONDS)
            return True
        self.read.update({path: state for path, state in states.items() if state is not None})
        self.on_run(due, report)
        return True

    def run(self) -> None:
        self.start()
        self.watch()

    def watch(self) -> None:
        """Rounds until `stop` is set."""
        while not self.stop.is_set():
            if not self.round():
                self.stop.wait(self.poll)


def _state(path: Path) -> FileState | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)
