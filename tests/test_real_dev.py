"""The shared real development set (../shared/data/real-dev, issue #13), scored the way
its score.py scores it, through the extraction functions instead of the CLI.

The figures asserted are the ones reached; a regression fails here.  The texts stay in
../shared: they are read, never copied into the project.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from searcharchive.citations import extract_citations
from searcharchive.dates import extract_date

REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-dev"

pytestmark = pytest.mark.skipif(
    not (REAL_DEV / "gold.jsonl").is_file(), reason=f"no real development set at {REAL_DEV}"
)


def _jsonl(name: str) -> list[dict[str, Any]]:
    with (REAL_DEV / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _tsv(name: str) -> list[list[str]]:
    with (REAL_DEV / name).open(encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    return [row for row in rows if row[0] and not row[0].startswith("#")]


@dataclass
class Score:
    found: int = 0
    missed: int = 0
    false: int = 0

    @property
    def recall(self) -> float:
        return self.found / (self.found + self.missed)

    def add(self, got: set[str], want: set[str], tolerated: frozenset[str] = frozenset()) -> None:
        self.found += len(got & want)
        self.missed += len(want - got)
        self.false += len(got - want - tolerated)


def _date(text: str, lang: str) -> str | None:
    found = extract_date(text, lang)
    return found.iso() if found else None


def test_citation_sentences() -> None:
    rows = _tsv("citations.tsv")
    score = Score()
    negatives_with_an_id = 0
    for _lang, sentence, ids in rows:
        got = set(extract_citations(sentence.replace("\\n", "\n")))
        want = {i for i in ids.split(",") if i}
        score.add(got, want)
        negatives_with_an_id += bool(got and not want)
    assert len(rows) == 173
    # targets of #13: recall >= 0.98, at most 1 false id per 100 sentences; reached:
    assert (score.found, score.missed, score.false) == (123, 0, 0)
    assert negatives_with_an_id == 0


def test_statement_citations() -> None:
    gold = {g["id"]: g for g in _jsonl("gold.jsonl")}
    score = Score()
    for s in _jsonl("statements.jsonl"):
        g = gold[s["id"]]
        got = set(extract_citations(f"{s['title']}\n\n{s['body']}"))
        score.add(got, set(g["articles"]), frozenset(g["articles_implied"]))
    # baseline 47/56 with 4 false ids; reached:
    assert (score.found, score.missed, score.false) == (56, 0, 0)


def test_statement_dates() -> None:
    """Dated texts get their date; undated ones (event dates only) stay undated."""
    gold = {g["id"]: g for g in _jsonl("gold.jsonl")}
    exact = undated_given = dated = 0
    for s in _jsonl("statements.jsonl"):
        want = gold[s["id"]]["date"]
        got = _date(s["body"], s["lang"]) or _date(s["title"], s["lang"])
        if want:
            dated += 1
            exact += got == want
        else:
            undated_given += got is not None
    assert exact == dated == 22
    assert undated_given == 0


def test_date_phrases() -> None:
    rows = _tsv("dates.tsv")
    publication = [(lang, p, iso) for lang, p, iso in rows if iso != "event"]
    exact = sum(_date(p.replace("\\n", "\n"), lang) == iso for lang, p, iso in publication)
    assert len(publication) == 98
    assert exact >= 97  # target 98% exact; the miss: a page number glued to the year
    events = [(lang, p) for lang, p, iso in rows if iso == "event"]
    # alone, an event phrase has no publication position either: none gets a date
    assert [p for lang, p in events if _date(p.replace("\\n", "\n"), lang)] == []


# ------------------------------------------------------------ name queries (#12)


def _name_queries() -> list[tuple[str, set[str]]]:
    return [(query, set(ids.split(","))) for query, ids in _tsv("names.tsv")]


def _missed(index: Path) -> list[str]:
    from searcharchive import Archive, SearchRequest

    archive = Archive.open(index)
    missed = []
    for query, want in _name_queries():
        hits = archive.search(SearchRequest(q=query, size=100)).hits
        if {hit.statement.id for hit in hits} != want:
            missed.append(query)
    return missed


def test_name_queries(tmp_path: Path) -> None:
    from searcharchive.indexer import Indexer

    Indexer(tmp_path / "rules", processes=1).run([REAL_DEV / "statements.jsonl"], rebuild=True)
    assert len(_name_queries()) == 58
    # every query finds exactly its statements, by the rules and the built-in gazetteer:
    # a surname alone in a list (Бяляцкі і Стэфановіч), Алесь for Аляксандр, a Łacinka
    # given name the table lacks, a source's one-letter slip (Сидорик for Сидорчик), and
    # Maria for Marfa Rabkova (an alias in data/persons.yaml); baseline 35 of 58
    assert _missed(tmp_path / "rules") == []
