from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import RejectedRecord


@dataclass
class SourceRecord:
    """A raw record as a reader found it, with where it came from."""

    data: Any
    source: str
    where: dict[str, int | str] = field(default_factory=dict)

    def reject(self, reason: str) -> RejectedRecord:
        return RejectedRecord(reason, self.source, self.where)


def decode_strict(raw: bytes) -> str:
    """UTF-8 or an error: text is never silently altered."""
    return raw.decode("utf-8")


def utf8_error(error: UnicodeDecodeError) -> str:
    return f"not valid UTF-8 (byte 0x{error.object[error.start]:02x} at offset {error.start})"
