"""A small corpus for the search and statement pages (issue 14): enough statements for
several pages of results, some undated, one translated with a source URL, and leads that
open with a dateline or a subtitle. Every sentence is written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

from searcharchive.indexer import Indexer

TAG = "court watch"
DATED = 17  # statements with a date: 15 monthly reports, the translated one, the dateline one
UNDATED = 5
TRANSLATED_EN = "court-watch-translated-en"
TRANSLATED_BE = "court-watch-translated-be"
SOURCE = "https://example.org/court-watch/translated?item=7&lang=be"
SCRIPT_SOURCE = "javascript:alert(1)"
CITING, CITED = 3, "cc:342:1"  # the one report that cites an article
DATELINE_LEAD = "court-watch-dateline"
DATELINE_SUMMARY = "The regional court heard the appeal of a volunteer from Hrodna on Friday."


def _dated(i: int) -> dict[str, object]:
    return {
        "id": f"court-watch-{i:02d}",
        "lang": "en",
        "title": f"Court watch report number {i}",
        "body": f"Observers followed hearing {i} of a volunteer in the district court.\n\n"
        "The judge refused to hear the defence witnesses.",
        "tags": [TAG],
        "organizations": ["viasna"],
        "articles": [CITED] if i == CITING else [],
        "date": f"{2024 + i // 12}-{i % 12 + 1:02d}-15",
    }


def _undated(i: int) -> dict[str, object]:
    return {
        "id": f"court-watch-undated-{i}",
        "lang": "en",
        "title": f"Undated court watch note {i}",
        "body": f"A note without a date about volunteer number {i} and the hearings.",
        "tags": [TAG],
    }


RECORDS: list[dict[str, object]] = [
    *(_dated(i) for i in range(DATED - 2)),
    *(_undated(i) for i in range(UNDATED)),
    {
        "id": TRANSLATED_EN,
        "lang": "en",
        "group": "court-watch-translated",
        "title": "Volunteer sentenced after a closed hearing",
        "body": "The volunteer was sentenced after a hearing closed to the public.\n\n"
        "Observers were not let into the courtroom.",
        "tags": [TAG],
        "organizations": ["viasna"],
        "date": "2025-08-02",
        "url": SOURCE,
        "translated_by": "searcharchive",
        "translated_from": "be",
    },
    {
        "id": TRANSLATED_BE,
        "lang": "be",
        "group": "court-watch-translated",
        "title": "Валанцёра асудзілі пасля закрытага паседжання",
        "body": "Валанцёра асудзілі пасля паседжання, закрытага для публікі.",
        "tags": [TAG],
        "date": "2025-08-02",
        "url": SCRIPT_SOURCE,
    },
    {
        "id": DATELINE_LEAD,
        "lang": "en",
        "title": "Appeal of a volunteer heard in Hrodna",
        "body": "Hrodna – June 13, 2026\n\nAppeal hearing of a volunteer\n\n"
        f"{DATELINE_SUMMARY}\n\nThe ruling is expected next week.",
        "tags": [TAG],
    },
]


NAMED = {  # a name in Cyrillic only, found by a Latin spelling; outside the tag
    "id": "named-be",
    "lang": "be",
    "title": "Суд над Севярынцам",
    "body": "Павел Севярынец застаецца ў калоніі пасля суда.",
    "date": "2025-03-04",
}
RECORDS.append(NAMED)
ALIASED = {  # a listed tag spelt another way (data/tags.yaml): indexed under its one id
    "id": "aliased-tag",
    "lang": "en",
    "title": "Organisations sign a common appeal",
    "body": "Eleven organisations signed the common appeal on Monday.",
    "tags": ["Joint  Statements"],
    "date": "2025-05-05",
}
RECORDS.append(ALIASED)


def build_reading_index(folder: Path) -> Path:
    source = folder / "court-watch.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8"
    )
    index_dir = folder / "index"
    report = Indexer(index_dir).run([source], rebuild=True)
    assert not report.rejected, [r.as_json() for r in report.rejected]
    return index_dir
