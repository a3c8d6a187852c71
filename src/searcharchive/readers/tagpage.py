"""A tag page's text export: a tag line, then title + lead paragraphs per statement.

Statements are separated from each other, and a title from its lead, by two or
more blank lines; paragraphs of one lead by a single blank line. Site
boilerplate (RSS links, cookie banners in any language) is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import RejectedRecord
from .base import SourceRecord, decode_strict, utf8_error

BOILERPLATE = re.compile(
    r"^(.{0,40}\brss\b.{0,60}$"
    r"|.{0,80}\b(uses|use|выкарыстоўваем|используем|использует)\b.{0,40}\bcookies?\b"
    r"|.{0,40}\bcookies?\b.{0,40}(more about this|больш інфармацыі|подробнее))",
    re.IGNORECASE,
)
BLOCK_SPLIT = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """(line number, block) for each block separated by two or more blank lines."""
    position = 0
    for match in [*BLOCK_SPLIT.finditer(text), None]:
        end = match.start() if match else len(text)
        block = text[position:end]
        paragraphs = [p.strip() for p in re.split(r"\n[ \t]*\n", block)]
        kept = [p for p in paragraphs if p and not BOILERPLATE.match(p)]
        if kept:
            first = block.find(kept[0])
            line = text.count("\n", 0, position + max(first, 0)) + 1
            yield line, "\n\n".join(kept)
        if match:
            position = match.end()


def read_tag_page(path: Path) -> Iterator[SourceRecord | RejectedRecord]:
    source = str(path)
    try:
        text = decode_strict(path.read_bytes()).replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        yield RejectedRecord(utf8_error(error), source, {"line": 0})
        return
    blocks = list(_blocks(text))
    if not blocks:
        yield RejectedRecord("no text in tag page", source, {"line": 0})
        return
    first_line, first_block = blocks[0]
    tag, _, rest = first_block.partition("\n")
    if rest.strip():
        blocks[0] = (first_line + 1, rest.strip())
    else:
        blocks.pop(0)
    tag = tag.strip()
    if not blocks:
        yield RejectedRecord(
            "tag page has a tag line but no statements", source, {"line": first_line}
        )
        return
    for index in range(0, len(blocks), 2):
        line, title = blocks[index]
        body = blocks[index + 1][1] if index + 1 < len(blocks) else ""
        if "\n" in title:
            title, _, extra = title.partition("\n")
            body = f"{extra.strip()}\n\n{body}".strip()
        yield SourceRecord(
            {"title": title.strip(), "body": body, "tags": [tag] if tag else []},
            source,
            {"line": line},
        )
