"""One corpus, built three ways, answers every request identically, page by page.

Document numbers differ between builds (input order, which build process took
which batch, updates appended by incremental runs and their old versions left
deleted in older segments), so every tie (statements of one date, equal
scores) and every choice of a group's face must be decided by something
else than document numbers, and scores must not depend on segments or on
deleted documents.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from searcharchive import postings, query
from searcharchive.archive import Archive, SearchResult
from searcharchive.columns import id_ranks, load_columns
from searcharchive.indexer import MAX_SEGMENTS, Indexer
from searcharchive.request import SORTS, SearchRequest

from .conftest import write_jsonl

# the same statement in three languages: identical texts give identical scores
TEXTS = {
    "en": [
        "Human rights defenders demand the release of political prisoners. "
        "The court in Minsk sentenced Pavel Seviarynets under Part 1 of Article 342 "
        "of the Criminal Code.",
        "The appeal court upheld the verdict against political prisoners.",
        "Viasna calls for solidarity with the detained journalists and their lawyers.",
        "A statement on the trial: the court refused the appeal of the defence.",
    ],
    "be": [
        "Праваабаронцы патрабуюць вызваліць палітвязняў. Суд у Мінску асудзіў "
        "Паўла Севярынца па ч. 1 арт. 342 КК.",
        "Апеляцыйны суд пакінуў у сіле прысуд палітвязням.",
        "«Вясна» заклікае да салідарнасці з затрыманымі журналістамі.",
        "Заява пра суд: суд адхіліў апеляцыю абароны.",
    ],
    "ru": [
        "Правозащитники требуют освободить политзаключённых. Суд в Минске осудил "
        "Павла Северинца по ч. 1 ст. 342 УК.",
        "Апелляционный суд оставил в силе приговор политзаключённым.",
        "«Вясна» призывает к солидарности с задержанными журналистами.",
        "Заявление о суде: суд отклонил апелляцию защиты.",
    ],
}
TITLES = {"en": "Joint statement", "be": "Сумесная заява", "ru": "Совместное заявление"}
DATES = ["2021-03-05", "2021-03-05", "2021-03-05", "2022-11-01", "2022-11", "2020", None]
TAGS = ["joint statement", "appeal", "political prisoners"]
SHAPES = [["en"], ["en", "be"], ["en", "be", "ru"], ["ru"], ["be", "ru"]]

QUERIES = [
    "court",
    "court appeal",
    "court AND prisoners",
    '"political prisoners"',
    "Seviarynets",
    "Северинец",
    "ч. 1 ст. 342 УК",
    "cour*",  # courage (deleted documents only in a build run by run), court
    "",
]
FILTERED = [
    SearchRequest(tags=["appeal"]),
    SearchRequest(langs=["be", "ru"], tags=["joint statement", "appeal"]),
    SearchRequest(q="court", langs=["en"]),
    SearchRequest(ui_lang="be"),
    SearchRequest(q="суд", ui_lang="ru"),
    SearchRequest(q="prison*", date_from=date(2021, 1, 1), date_to=date(2022, 12, 31)),
]
PAGE_SIZE = 9


def corpus(seed: int = 3, groups: int = 130) -> list[dict[str, Any]]:
    """Translation groups whose statements share a few texts and a few dates."""
    rng = random.Random(seed)
    records = []
    for number in range(groups):
        text = rng.randrange(len(TEXTS["en"]))
        when = rng.choice(DATES)
        tags = rng.sample(TAGS, rng.randint(1, 2))
        for lang in rng.choice(SHAPES):
            records.append(
                {
                    "id": f"s{number:03d}-{lang}",
                    "group": f"s{number:03d}",
                    "lang": lang,
                    "title": TITLES[lang],
                    "body": TEXTS[lang][text],
                    "date": when,
                    "tags": tags,
                }
            )
    return records


def draft(record: dict[str, Any]) -> dict[str, Any]:
    """A first version with a word no final statement has: after the update, only
    deleted documents (left in an incremental run's older segments) have it."""
    return dict(record, body=f"{record['body']} Courage!")


def updated(record: dict[str, Any]) -> dict[str, Any]:
    """Another text (still about a court) and another tag: an upsert in a later run."""
    return dict(record, body=TEXTS[record["lang"]][3], tags=["appeal"])


def shuffled(records: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    copy = list(records)
    random.Random(seed).shuffle(copy)
    return copy


@dataclass
class Builds:
    archives: dict[str, Archive]
    records: list[dict[str, Any]]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    """Frequent terms from 20 documents: the builds precompute different sets of them;
    one expansion of a prefix: which one must not depend on deleted documents."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(postings, "FREQUENT_MIN_DOCS", 20)
        patch.setattr(postings, "FREQUENT_SHARE", 0.1)
        patch.setattr(query, "MAX_EXPANSIONS", 1)
        yield build_three_ways(tmp_path_factory.mktemp("order"))


def build_three_ways(folder: Path) -> Builds:
    final = corpus()
    later = {r["id"]: updated(r) for r in final[:120:3]}  # updated in the last run
    first = [draft(r) if r["id"] in later else r for r in final]
    final = [later.get(r["id"], r) for r in final]

    resident = Indexer(folder / "resident", processes=1)

    def run(name: str, records: list[dict[str, Any]], processes: int, rebuild: bool) -> None:
        source = write_jsonl(folder / f"{name}-{len(list(folder.iterdir()))}.jsonl", records)
        for indexer in (
            [Indexer(folder / name, processes=processes)]
            if name != "tail"
            else [Indexer(folder / name, processes=processes), resident]
        ):
            report = indexer.run([source], rebuild=rebuild)
            assert not report.rejected, [r.as_json() for r in report.rejected[:3]]

    run("one", shuffled(final, 1), processes=1, rebuild=True)
    run("two", shuffled(final, 2), processes=2, rebuild=True)
    runs = shuffled(first, 3)
    run("runs", runs[:150], processes=1, rebuild=False)
    run("runs", runs[150:], processes=1, rebuild=False)
    run("runs", shuffled(list(later.values()), 4), processes=1, rebuild=False)
    # a statement a run: the segments at the end are merged (tail_to_merge), some of
    # them holding drafts an update deletes; "resident": the same runs by one indexer,
    # which starts each from what it published (as index --watch does)
    run("tail", runs[:200], processes=1, rebuild=False)
    for record in runs[200:]:
        run("tail", [record], processes=1, rebuild=False)
    updates = shuffled(list(later.values()), 5)
    run("tail", updates[:20], processes=1, rebuild=False)
    run("tail", updates[20:], processes=1, rebuild=False)
    names = ("one", "two", "runs", "tail", "resident")
    return Builds({name: Archive.open(folder / name) for name in names}, final)


def docnums(archive: Archive) -> dict[str, int]:
    searcher = archive.generation().searcher
    return {fields["id"]: docnum for docnum, fields in enumerate(searcher.all_stored_fields())}


def answer(result: SearchResult) -> dict[str, Any]:
    """Everything a reader sees, and the scores, minus the generation's name."""
    shown = {key: value for key, value in result.to_json().items() if key != "generation"}
    shown["scores"] = [hit.score for hit in result.hits]
    return shown


def every_page(archive: Archive, request: SearchRequest) -> list[dict[str, Any]]:
    pages = []
    page = 1
    while True:
        result = archive.search(replace(request, page=page, size=PAGE_SIZE))
        pages.append(answer(result))
        if page >= result.pages:
            return pages
        page += 1


def requests() -> list[SearchRequest]:
    plain = [SearchRequest(q=q, sort=sort) for q in QUERIES for sort in SORTS]
    return plain + [replace(r, sort=s) for r in FILTERED for s in SORTS]


def test_the_builds_differ_in_document_numbers_and_segments(builds: Builds) -> None:
    """What makes the comparison below worth making."""
    numbers = {name: docnums(archive) for name, archive in builds.archives.items()}
    assert numbers["one"] != numbers["two"] != numbers["runs"] != numbers["one"]
    runs = builds.archives["runs"].generation()
    assert len(list(runs.searcher.reader().leaf_readers())) == 3
    assert runs.searcher.doc_count_all() > runs.searcher.doc_count()  # updates left deletions
    frequent = {name: set(a.generation().postings.frequent) for name, a in builds.archives.items()}
    assert frequent["one"] and frequent["runs"] and frequent["one"] != frequent["runs"]


def test_ranks_extended_run_by_run_equal_ranks_of_all_ids(builds: Builds) -> None:
    generation = builds.archives["runs"].generation()
    columns = load_columns(generation.path, with_ids=True)
    assert columns.ids is not None and columns.appended_from == 0  # read from the file
    assert np.array_equal(columns.rank, id_ranks(columns.ids, columns.alive))
    live = sorted(columns.ids[d] for d in np.flatnonzero(columns.alive))
    assert live == sorted(r["id"] for r in builds.records)


def test_the_corpus_is_full_of_ties(builds: Builds) -> None:
    archive = builds.archives["one"]
    newest = [
        hit for page in every_page(archive, SearchRequest(sort="newest")) for hit in page["hits"]
    ]
    dates = [hit["date"] for hit in newest]
    assert len(dates) > 100 and len(set(dates)) <= len(DATES)
    scores = [s for page in every_page(archive, SearchRequest(q="court")) for s in page["scores"]]
    assert len(scores) > 50 and len(set(scores)) < len(scores) / 5


def described(request: SearchRequest) -> str:
    filters = [*request.tags, *request.langs, request.ui_lang]
    return f"{request.q or '-'}|{request.sort}|{','.join(filters)}"


@pytest.mark.parametrize("request_", requests(), ids=described)
def test_every_page_of_every_build_is_the_same(builds: Builds, request_: SearchRequest) -> None:
    one, *others = (every_page(a, request_) for a in builds.archives.values())
    assert one[0]["total"] > 0
    for name, pages in zip(list(builds.archives)[1:], others, strict=True):
        assert pages == one, name


def test_merging_the_last_segments_keeps_the_first(builds: Builds) -> None:
    """Run by run, the small segments at the end were merged into a run's own, and the
    first run's segment was never rewritten: its documents kept their numbers."""
    reader = builds.archives["tail"].generation().searcher.reader()
    sizes = [leaf.doc_count_all() for leaf, _ in reader.leaf_readers()]
    assert len(builds.records) - 200 > MAX_SEGMENTS  # runs enough to merge, and merge again
    assert len(sizes) <= MAX_SEGMENTS and sizes[0] == 200, sizes
    assert sum(sizes) > reader.doc_count()  # deleted drafts in segments kept and merged


def test_ties_are_in_statement_id_order(builds: Builds) -> None:
    archive = builds.archives["runs"]
    hits = [h for p in every_page(archive, SearchRequest(sort="oldest")) for h in p["hits"]]
    keys = [
        (h["date"] is None, (h["date"] or "") + "-01-01"[: 10 - len(h["date"] or "")], h["id"])
        for h in hits
    ]
    assert keys == sorted(keys)
    ranked = [
        (-score, hit["id"])
        for page in every_page(archive, SearchRequest(q="court"))
        for score, hit in zip(page["scores"], page["hits"], strict=True)
    ]
    assert ranked == sorted(ranked)


def test_every_statement_page_is_the_same(builds: Builds) -> None:
    """The statement and its translations, in LANGS order, as every build shows them."""
    for record in builds.records:
        pages = []
        for archive in builds.archives.values():
            found = archive.get(record["id"])
            assert found is not None
            shown = [found.statement, *found.translations]
            # `added` is when each build took the statement in: the one field that differs
            pages.append([{**s.to_json(), "added": None} for s in shown])
        assert pages[0][0]["body"] == record["body"]
        assert all(page == pages[0] for page in pages[1:]), record["id"]
