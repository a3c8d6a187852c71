"""100 KB of adversarial text through the citation grammar, the query parser, search, record
validation and the readers: everything completes within the hang guard."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from searcharchive.archive import Archive
from searcharchive.citations import extract_citations, parse_citation_query
from searcharchive.errors import RejectedRecord
from searcharchive.extraction import Extractor
from searcharchive.gazetteer import Gazetteer
from searcharchive.query import parse_query
from searcharchive.readers import read_sources
from searcharchive.request import SearchRequest
from searcharchive.statement import statement_from_mapping

from .conftest import write_jsonl

ORGANIZATIONS = Gazetteer.builtin("organizations")
EXTRACTOR = Extractor.default()


N = 100_000
ADVERSARIAL = {
    "article-words": "ст. " * (N // 4),
    "numbers-and-dots": "1." * (N // 2),
    "open-parens": "(" * N,
    "parts-lists": "ч. 1, " * (N // 6),
    "citations-back-to-back": "Article 342, " * (N // 13),
    "code-names": "УК " * (N // 3),
    "dots": "." * N,
    "quotes": '"' * N,
    "dashes": "- " * (N // 2),
    "blank-lines": "\n \n" * (N // 3),
    "month-names": "10 July мая ліпеня " * (N // 20),
    "mixed-syntax": '(title:"ст. 342 OR NOT -viasna* AND « ' * (N // 40),
    "one-long-word": "а" * N,
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_100kb_adversarial_inputs_complete(archive: Archive, name: str) -> None:
    text = ADVERSARIAL[name]

    def everything() -> None:
        extract_citations(text)
        parse_citation_query(text)
        parse_query(text, ORGANIZATIONS)
        archive.search(SearchRequest(q=text))
        try:
            statement, given_fields = statement_from_mapping({"title": text[:200], "body": text})
        except RejectedRecord:
            pass  # all blank: rejected, as it should be
        else:
            EXTRACTOR.enrich(statement, given_fields)
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "page.txt").write_text("tag\n\n\n" + text, encoding="utf-8")
            (Path(folder) / "page.html").write_text(f"<html><p>{text}</p></html>", "utf-8")
            write_jsonl(Path(folder) / "r.jsonl", [{"title": "t", "body": text}])
            list(read_sources([folder]))
