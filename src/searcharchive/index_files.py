"""Opening a Whoosh index folder for reading, its files' stretches read with pread.

Whoosh reads a stretch of a file (`StructFile.get`: a term-table entry, a posting
block, a stored record) with a seek and a buffered read: two system calls, and an
8 KB buffer filled for the ~30 bytes of a term-table entry, of which a term's
lookup reads several. Here each stretch is one `os.pread`, which also leaves the
file's position alone for the reads that go on using it (and needs no lock around
a seek). Generations (searches), the facet columns and frequent-term bits an
indexer writes, and the words a full build pairs are all read this way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile


def file_identity(info: os.stat_result) -> tuple[int, int, int, int]:
    """What tells a file from another at one path: a file the generations of later runs
    link is the same file; one written anew is another (device, inode, size, mtime)."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class PreadFile(StructFile):
    """A file whose `get` is one pread."""

    def __init__(self, file: Any, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(file, name=name, **kwargs)
        self._fd = file.fileno()

    def get(self, position: int, length: int) -> bytes:
        return os.pread(self._fd, length, position)


class ReadingStorage(FileStorage):
    """An index folder whose files open as `PreadFile`s."""

    def open_file(self, name: str, **kwargs: Any) -> PreadFile:
        return PreadFile(open(self._fpath(name), "rb"), name=name, **kwargs)


def open_index(folder: Path | str) -> Any:
    """The Whoosh index in `folder`, as `whoosh.index.open_dir` opens it, read by pread."""
    return ReadingStorage(str(folder)).open_index()
