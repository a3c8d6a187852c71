"""JSON Lines: the canonical input, one statement object per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from ..errors import RejectedRecord
from .base import SourceRecord, decode_strict, utf8_error

MAX_LINE_BYTES = 8 * 1024 * 1024


def lone_surrogate(value: Any, path: str = "") -> str | None:
    """Where a JSON value holds a lone surrogate escape ("\\ud800"): valid JSON, but not
    text; it cannot be written as UTF-8 and would stop the run far from its line."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "the record"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            found = lone_surrogate(key, name) or lone_surrogate(item, name)
            if found:
                return found
    if isinstance(value, list):
        for number, item in enumerate(value):
            found = lone_surrogate(item, f"{path}[{number}]")
            if found:
                return found
    return None


def _parse(text: str) -> tuple[Any, str | None]:
    try:
        data = json.loads(text.rstrip("\r\n"))  # so an error's column is on this line
    except json.JSONDecodeError as error:
        return None, f"malformed JSON: {error.msg} at column {error.colno}"
    except RecursionError:
        return None, "malformed JSON: nested too deeply"
    field = lone_surrogate(data)
    if field:
        name = field.encode("utf-8", "backslashreplace").decode("utf-8")
        return None, (
            f"field '{name}' holds a lone surrogate escape (such as \\ud800), "
            "which is not a character: fix the text in the source"
        )
    return data, None


def _lines(stream: IO[bytes]) -> Iterator[tuple[bytes, int]]:
    """(line, its length) for each line; a line over the limit is skipped through in
    chunks, never held whole, and comes back empty with its length."""
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) <= MAX_LINE_BYTES or raw.endswith(b"\n"):
            yield raw, len(raw)
            continue
        length = len(raw)
        while not raw.endswith(b"\n"):
            raw = stream.readline(1024 * 1024)
            if not raw:
                break
            length += len(raw)
        yield b"", length


def read_jsonl(stream: IO[bytes], source: str) -> Iterator[SourceRecord | RejectedRecord]:
    found = False
    for number, (raw, length) in enumerate(_lines(stream), start=1):
        where: dict[str, int | str] = {"line": number}
        if length > MAX_LINE_BYTES:
            found = True
            reason = f"line of {length:,} bytes is longer than {MAX_LINE_BYTES:,}"
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
        data, problem = _parse(text)
        if problem:
            yield RejectedRecord(problem, source, where)
            continue
        yield SourceRecord(data, source, where)
    if not found:
        yield RejectedRecord("no records: the file holds only blank lines", source, {"line": 0})
