"""A tag page's text export: a tag line, then title + lead paragraphs per statement.

Statements are separated from each other, and a title from its lead, by two or
more blank lines; paragraphs of one lead by a single blank line. Site
boilerplate (RSS links, cookie banners in any language) is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from ..errors import RejectedRecord
from .base import FORMATS, SourceRecord, read_page

MAX_TAG_CHARS = 100
MAX_TITLE_CHARS = 500

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


def _layout_problem(tag: str, blocks: list[tuple[int, str]]) -> tuple[int, str] | None:
    """Why the text is not laid out as a tag page (line, reason), or None. A text file
    is published only when it opens with the export's layout (a tag line, a one-line
    title, two blank lines, its lead), so that someone's notes saved as .txt are
    reported instead of read as public statements; past the first statement a title
    of several lines, or one without a lead, is read as before, not a reason to drop
    the file."""
    if not tag or len(tag) > MAX_TAG_CHARS:
        return (
            1,
            f"the first line is not a tag name (one line of at most {MAX_TAG_CHARS} characters)",
        )
    if not blocks:
        return 1, "there is a tag line but no statements"
    line, title = blocks[0]
    if "\n" in title or len(title) > MAX_TITLE_CHARS:
        return line, (
            "a statement's title was expected here (one line of at most "
            f"{MAX_TITLE_CHARS} characters, with two blank lines before its lead)"
        )
    if len(blocks) == 1:
        return line, "this title has no lead paragraphs after it"
    return None


def read_tag_page(stream: IO[bytes], source: str) -> Iterator[SourceRecord | RejectedRecord]:
    text = read_page(stream, source, {"line": 0}, "text file")
    if isinstance(text, RejectedRecord):
        yield text
        return
    text = text.replace("\r\n", "\n")
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
    problem = _layout_problem(tag, blocks)
    if problem:
        line, reason = problem
        yield RejectedRecord(
            f"not a tag-page export: {reason}. Nothing of this file was read; "
            f"the formats read are {FORMATS}",
            source,
            {"line": line},
        )
        return
    for index in range(0, len(blocks), 2):
        line, title = blocks[index]
        body = blocks[index + 1][1] if index + 1 < len(blocks) else ""
        if "\n" in title:  # a subtitle in the title's block starts the lead
            title, _, extra = title.partition("\n")
            body = f"{extra.strip()}\n\n{body}".strip()
        yield SourceRecord(
            {"title": title.strip(), "body": body, "tags": [tag]}, source, {"line": line}
        )
