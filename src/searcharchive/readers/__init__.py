"""Readers turn source files into raw records (dicts) or rejections.

Each reader yields `SourceRecord` for what it could read and `RejectedRecord`
for what it could not, so one bad line never stops a run and nothing is lost
without a report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import RejectedRecord
from .base import SourceRecord
from .html import read_html
from .jsonl import read_jsonl
from .tagpage import read_tag_page

__all__ = ["SourceRecord", "iter_files", "read_file", "read_sources", "detect_format"]

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


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, bool]]:
    """(file, named) for files named and files below folders named, in a stable order;
    hidden files and folders are skipped."""
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in relative):
                    continue
                if child.is_file():
                    yield child, False
        else:
            yield path, True


def detect_format(path: Path, head: bytes) -> str | None:
    """Format by extension, else by the first bytes; None for binary data."""
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


def read_file(path: Path, named: bool = True) -> Iterator[SourceRecord | RejectedRecord]:
    """One file's records. A file met in a folder is read only with a known extension
    (or none); a file named on the command line is read whatever its name."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as error:
        yield RejectedRecord(f"cannot read file: {error.strerror}", source, {"line": 0})
        return
    if not head.strip():
        yield RejectedRecord("empty file", source, {"line": 0})
        return
    fmt = detect_format(path, head)
    if fmt is None:
        yield RejectedRecord("binary file (contains NUL bytes), not text", source, {"line": 0})
        return
    if not named and path.suffix and path.suffix.lower() not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        reason = f"not a statements file: unknown extension {path.suffix} (read: {known})"
        yield RejectedRecord(reason, source, {"line": 0})
        return
    yield from READERS[fmt](path)


def read_sources(paths: Iterable[str | Path]) -> Iterator[SourceRecord | RejectedRecord]:
    for path, named in iter_files(paths):
        if not path.exists():
            yield RejectedRecord("no such file or folder", str(path), {"line": 0})
            continue
        yield from read_file(path, named)
