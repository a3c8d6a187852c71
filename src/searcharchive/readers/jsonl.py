"""JSON Lines: the canonical input, one statement object per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import RejectedRecord
from .base import SourceRecord, decode_strict, utf8_error

MAX_LINE_BYTES = 8 * 1024 * 1024


def read_jsonl(path: Path) -> Iterator[SourceRecord | RejectedRecord]:
    source = str(path)
    found = False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where: dict[str, int | str] = {"line": number}
            if len(raw) > MAX_LINE_BYTES:
                reason = f"line of {len(raw):,} bytes is longer than {MAX_LINE_BYTES:,}"
                yield RejectedRecord(reason, source, where)
                continue
            try:
                text = decode_strict(raw)
            except UnicodeDecodeError as error:
                yield RejectedRecord(utf8_error(error), source, where)
                continue
            if not text.strip():
                continue
            found = True
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                yield RejectedRecord(
                    f"malformed JSON: {error.msg} at column {error.colno}", source, where
                )
                continue
            except RecursionError:
                yield RejectedRecord("malformed JSON: nested too deeply", source, where)
                continue
            yield SourceRecord(data, source, where)
    if not found:
        yield RejectedRecord("no records: the file holds only blank lines", source, {"line": 0})
