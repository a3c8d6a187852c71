"""Readers turn sources into raw records (dicts) or rejections.

Each reader yields `SourceRecord` for what it could read and `RejectedRecord`
for what it could not, so one bad line never stops a run and nothing is lost
without a report. Folders are walked here: what is left out on purpose (hidden
files, pipes, sockets) comes out as `SkippedFile`, what cannot be read (broken
links, unreadable files and folders) as a rejection. `-` is standard input.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import IO

from ..errors import ArchiveError, RejectedRecord
from .base import FORMATS, PrefixedStream, SkippedFile, SourceRecord, display_path
from .html import read_html
from .jsonl import read_jsonl
from .tagpage import read_tag_page

__all__ = [
    "FORMATS",
    "STDIN",
    "SkippedFile",
    "SourceRecord",
    "check_sources",
    "detect_format",
    "iter_files",
    "read_file",
    "read_sources",
]

STDIN = "-"
STDIN_NAMES = {STDIN, "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"}
HEAD_BYTES = 8192
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".txt": "tagpage",
}
READERS = {"jsonl": read_jsonl, "html": read_html, "tagpage": read_tag_page}
SKIPPED_FOLDERS = {"__pycache__"}

Item = SourceRecord | RejectedRecord | SkippedFile


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def is_stdin(path: str | Path) -> bool:
    return str(path) in STDIN_NAMES


def check_sources(paths: Iterable[str | Path]) -> None:
    """Refuse, before any work and before the index lock is taken, sources that would
    hang the run: a named pipe or device named as a source, a terminal as standard input."""
    stdin_given = 0
    for path in paths:
        if is_stdin(path):
            stdin_given += 1
            if sys.stdin is None or sys.stdin.closed or sys.stdin.isatty():
                raise ArchiveError(
                    "standard input (-) is a terminal, not a stream of statements: "
                    "pipe them in, e.g. `cat statements.jsonl | searcharchive index -`"
                )
            continue
        try:
            mode = os.stat(path).st_mode
        except OSError:
            continue  # missing or unreadable: reported as a rejection when it is read
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise ArchiveError(
                f"{display_path(path)} is {_kind(mode)}, not a file or folder; to read from a "
                "pipe, give - as the source and send the pipe to standard input"
            )
    if stdin_given > 1:
        raise ArchiveError("standard input (-) can be read only once: name it once")


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[tuple[Path, bool] | Item]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        reason = f"cannot read folder: {error.strerror}"
        yield RejectedRecord(reason, display_path(folder), {"line": 0})
        return
    for entry in entries:
        path = Path(entry.path)
        source = display_path(path)
        if entry.name.startswith("."):
            what = "folder" if entry.is_dir() else "file"
            yield SkippedFile(source, f"hidden {what} (its name starts with a dot)")
            continue
        if entry.name in SKIPPED_FOLDERS and entry.is_dir():
            yield SkippedFile(source, "Python cache folder")
            continue
        try:
            info = os.stat(path)  # follows symbolic links
        except OSError as error:
            if error.errno == errno.ELOOP:
                reason = "symbolic link loop: the link never reaches a file"
            elif entry.is_symlink():
                reason = f"broken symbolic link: its target {display_path(os.readlink(path))} does not exist"
            else:
                reason = f"cannot read: {error.strerror}"
            yield RejectedRecord(reason, source, {"line": 0})
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen:
                yield SkippedFile(source, "folder already read through another path (a link)")
                continue
            seen.add(key)
            yield from _walk(path, seen)
        elif stat.S_ISREG(info.st_mode):
            yield path, False
        else:
            yield SkippedFile(source, f"{_kind(info.st_mode)}, not a file of statements")


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, bool] | Item]:
    """(file, named) for the files named and the files below the folders named, in a
    stable order; what a folder holds besides files comes out as a skip or a rejection."""
    for raw in paths:
        path = Path(raw)
        if not is_stdin(raw) and path.is_dir():
            info = path.stat()
            yield from _walk(path, {(info.st_dev, info.st_ino)})
        else:
            yield path, True


def source_bytes(paths: Iterable[str | Path]) -> int | None:
    """The bytes of the files the sources name or hold (what `iter_files` walks); None
    when standard input is one of them (its length is not known before it is read)."""
    total = 0
    for entry in iter_files(paths):
        if not isinstance(entry, tuple):
            continue
        path, _ = entry
        if is_stdin(path):
            return None
        try:
            total += path.stat().st_size
        except OSError:
            continue  # reported when it is read
    return total


def detect_format(path: Path, head: bytes) -> str | None:
    """Format by extension, else by the first bytes; None for binary data. Plain text is
    only a candidate tag page: its reader checks the layout before reading any statement."""
    if b"\x00" in head:
        return None
    by_extension = EXTENSIONS.get(path.suffix.lower())
    if by_extension:
        return by_extension
    start = head.lstrip()[:1]
    if start in (b"{", b"["):
        return "jsonl"
    if start == b"<":
        return "html"
    return "tagpage"


def _open(path: Path) -> IO[bytes]:
    if is_stdin(path):
        return sys.stdin.buffer
    return path.open("rb")


def read_file(path: Path, named: bool = True) -> Generator[Item, None, None]:
    """One file's records. A file met in a folder is read only with a known extension
    (or none); a file named on the command line is read whatever its name."""
    stdin = is_stdin(path)
    source = STDIN if stdin else display_path(path)
    if not stdin:
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = stat.S_IFREG  # the open below says why it cannot be read
        if not stat.S_ISREG(mode):  # opening a pipe would wait for a writer forever
            yield RejectedRecord(f"{_kind(mode)}, not a file of statements", source, {"line": 0})
            return
    try:
        handle = _open(path)
    except OSError as error:
        yield RejectedRecord(f"cannot read file: {error.strerror}", source, {"line": 0})
        return
    try:
        try:
            head = handle.read(HEAD_BYTES)
        except OSError as error:
            yield RejectedRecord(f"cannot read file: {error.strerror}", source, {"line": 0})
            return
        if not head.strip():
            yield RejectedRecord("empty file", source, {"line": 0})
            return
        fmt = detect_format(Path("") if stdin else path, head)
        if fmt is None:
            yield RejectedRecord("binary file (contains NUL bytes), not text", source, {"line": 0})
            return
        if not named and path.suffix and path.suffix.lower() not in EXTENSIONS:
            reason = f"not a statements file: unknown extension {path.suffix} (read: {FORMATS})"
            yield RejectedRecord(display_path(reason), source, {"line": 0})
            return
        # what was read to recognise the format is handed on: a pipe cannot be reopened
        stream = io.BufferedReader(PrefixedStream(head, handle))
        yield from READERS[fmt](stream, source)
    finally:
        if not stdin:
            handle.close()


def read_sources(paths: Iterable[str | Path]) -> Iterator[Item]:
    for entry in iter_files(paths):
        if not isinstance(entry, tuple):
            yield entry
            continue
        path, named = entry
        if not is_stdin(path) and not os.path.lexists(path):
            yield RejectedRecord("no such file or folder", display_path(path), {"line": 0})
            continue
        yield from read_file(path, named)
