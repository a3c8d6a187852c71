from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from typing import IO, Any

from ..errors import RejectedRecord

FORMATS = (
    "JSON Lines (.jsonl, .ndjson, .json), saved HTML pages (.html, .htm) and tag-page "
    "exports (.txt: a tag line, then per statement a title line and its lead paragraphs, "
    "separated by two blank lines)"
)


@dataclass
class SourceRecord:
    """A raw record as a reader found it, with where it came from."""

    data: Any
    source: str
    where: dict[str, int | str] = field(default_factory=dict)

    def reject(self, reason: str) -> RejectedRecord:
        return RejectedRecord(reason, self.source, self.where)


@dataclass
class SkippedFile:
    """A file or folder met inside a folder and left out on purpose (hidden, a pipe…):
    not a record, so not counted as read, but listed so that nothing is skipped unseen."""

    source: str
    reason: str

    def as_json(self) -> dict[str, object]:
        return {"source": self.source, "skipped": self.reason}


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can always be printed and written as UTF-8: bytes of a file
    name that are not UTF-8 are shown as \\xNN instead of breaking the report."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def decode_strict(raw: bytes) -> str:
    """UTF-8 or an error: text is never silently altered."""
    return raw.decode("utf-8")


def utf8_error(error: UnicodeDecodeError) -> str:
    return f"not valid UTF-8 (byte 0x{error.object[error.start]:02x} at offset {error.start})"


MAX_PAGE_BYTES = 32 * 1024 * 1024  # an HTML page or a tag-page export, read whole


def read_limited(stream: IO[bytes], limit: int) -> bytes | None:
    """All of a stream, or None when it is longer than `limit` bytes."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def read_page(
    stream: IO[bytes], source: str, where: dict[str, int | str], what: str
) -> str | RejectedRecord:
    """A whole page's text (`what`: "HTML page", "text file"), or why it cannot be read."""
    raw = read_limited(stream, MAX_PAGE_BYTES)
    if raw is None:
        return RejectedRecord(f"{what} larger than {MAX_PAGE_BYTES:,} bytes", source, where)
    try:
        return decode_strict(raw)
    except UnicodeDecodeError as error:
        return RejectedRecord(utf8_error(error), source, where)


class PrefixedStream(io.RawIOBase):
    """The bytes already read to recognise a format, then the rest of the stream: a pipe
    cannot be reopened, so what format sniffing read must be handed on, not lost."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if len(self._head):
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
