"""Saved HTML pages: main text, title, date and language through trafilatura."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from ..errors import RejectedRecord
from ..languages import LANGS
from .base import SourceRecord, read_page


def read_html(stream: IO[bytes], source: str) -> Iterator[SourceRecord | RejectedRecord]:
    import trafilatura  # slow to import: only when a page is read

    where: dict[str, int | str] = {"element": "html"}
    html = read_page(stream, source, where, "HTML page")
    if isinstance(html, RejectedRecord):
        yield html
        return
    extracted = trafilatura.extract(
        html,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
    )
    if not extracted:
        yield RejectedRecord("no main text found in the HTML page", source, where)
        return
    meta = json.loads(extracted)
    body = (meta.get("raw_text") or meta.get("text") or "").strip()
    paragraphs = (meta.get("text") or body).split("\n")
    body = "\n\n".join(p.strip() for p in paragraphs if p.strip())
    if not body:
        yield RejectedRecord("no main text found in the HTML page", source, where)
        return
    record = {
        "title": (meta.get("title") or "").strip(),
        "body": body,
        "url": meta.get("source") or meta.get("url") or "",
        "lang": (meta.get("language") or "")[:2].lower(),
        "date": meta.get("date") or "",
        "tags": [t.strip() for t in (meta.get("tags") or "").split(",") if t.strip()],
    }
    if record["lang"] not in LANGS:
        record["lang"] = ""
    yield SourceRecord(record, source, where)
