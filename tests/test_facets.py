"""Disjunctive facet counts against brute force over a generated corpus (property test)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searcharchive.archive import Archive
from searcharchive.citations import parent_ids
from searcharchive.dates import PartialDate
from searcharchive.indexer import Indexer
from searcharchive.request import SearchRequest

from .conftest import write_jsonl

TAGS = ["joint statement", "appeal", "demand", "political prisoners", "elections"]
ORGS = ["viasna", "bhc", "baj", "legal-initiative", "human-constanta"]
ARTICLES = ["cc:342", "cc:342:1", "cc:342:2", "cc:361-1", "cc:130:3", "cao:23.34", "iccpr:19"]
FACET_FIELDS = {"tag": "tags", "organization": "organizations", "lang": "lang"}


def generated_records(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    records = []
    group = 0
    while len(records) < count:
        group += 1
        langs = rng.choice([["en"], ["en", "be"], ["en", "be", "ru"], ["ru"], ["be", "ru"]])
        day = date(2015, 1, 1).toordinal() + rng.randrange(4000)
        when = date.fromordinal(day)
        date_value = rng.choice([when.isoformat(), when.isoformat()[:7], str(when.year), None])
        shared = {
            "tags": rng.sample(TAGS, rng.randint(0, 2)),
            "organizations": rng.sample(ORGS, rng.randint(0, 2)),
            "articles": rng.sample(ARTICLES, rng.randint(0, 2)),
        }
        for lang in langs:
            # translations mostly share metadata, but not always: counts are of groups
            extra = {"tags": shared["tags"] + (["appeal"] if rng.random() < 0.1 else [])}
            records.append(
                {
                    "id": f"g{group}-{lang}",
                    "group": f"g{group}",
                    "lang": lang,
                    "title": f"Statement {group}",
                    "body": "text",
                    "date": date_value,
                    "persons": [],
                    **shared,
                    **extra,
                }
            )
    return records[:count]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, list[dict]]:
    folder = tmp_path_factory.mktemp("facets")
    records = generated_records(2500)
    report = Indexer(folder / "index").run([write_jsonl(folder / "c.jsonl", records)])
    assert report.indexed == len(records) and not report.rejected
    return Archive.open(folder / "index"), records


def values_of(record: dict, facet: str) -> set[str]:
    if facet == "article":
        return {a for cid in record["articles"] for a in (*parent_ids(cid), cid)}
    if facet == "lang":
        return {record["lang"]}
    if facet in ("year", "month"):
        if not record["date"]:
            return set()
        d = PartialDate.parse_iso(record["date"])
        if facet == "year":
            return {f"{d.year:04d}"}
        return {f"{d.year:04d}-{d.month:02d}"} if d.month else set()
    return set(record[FACET_FIELDS[facet]])


def in_range(record: dict, start: date | None, end: date | None) -> bool:
    if not (start or end):
        return True
    return bool(record["date"]) and PartialDate.parse_iso(record["date"]).overlaps(start, end)


selections = st.fixed_dictionaries(
    {
        "tag": st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
        "organization": st.lists(st.sampled_from(ORGS), max_size=2, unique=True),
        "article": st.lists(
            st.sampled_from(["cc", "cc:342", "cc:342:1", "cao:23.34", "iccpr"]),
            max_size=2,
            unique=True,
        ),
        "lang": st.lists(st.sampled_from(["en", "be", "ru"]), max_size=2, unique=True),
        "range": st.sampled_from(
            [None, (date(2016, 1, 1), date(2018, 6, 30)), (date(2020, 7, 15), date(2020, 7, 20))]
        ),
    }
)


def request_for(selection: dict, **more: Any) -> SearchRequest:
    start, end = selection["range"] or (None, None)
    return SearchRequest(
        tags=selection["tag"],
        orgs=selection["organization"],
        articles=selection["article"],
        langs=selection["lang"],
        date_from=start,
        date_to=end,
        **more,
    )


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(selection=selections, within=st.booleans())
def test_disjunctive_counts_match_brute_force(
    corpus: tuple[Archive, list[dict]], selection: dict, within: bool
) -> None:
    """Each facet counted under every other facet's selection, not its own; with
    `facets_within` (an entity's page), in the results, under its own selection too.
    The years and months ignore the date range either way."""
    archive, records = corpus
    start, end = selection["range"] or (None, None)
    result = archive.search(request_for(selection, size=5, facets_within=within))
    chosen = {f: set(selection[f]) for f in ("tag", "organization", "article", "lang")}

    def passes(record: dict, skip: str | None) -> bool:
        for facet, wanted in chosen.items():
            if (within or facet != skip) and wanted and not (values_of(record, facet) & wanted):
                return False
        return skip in ("year", "month") or in_range(record, start, end)

    assert result.total == len({r["group"] for r in records if passes(r, None)})
    for facet in ("tag", "organization", "article", "lang", "year", "month"):
        expected: dict[str, set[str]] = {}
        for record in records:
            if passes(record, facet):
                for value in values_of(record, facet):
                    expected.setdefault(value, set()).add(record["group"])
        got = {item.value: item.count for item in result.facets[facet] if item.count}
        assert got == {value: len(groups) for value, groups in expected.items()}, facet
        for item in result.facets[facet]:
            assert item.selected == (item.value in chosen.get(facet, set()))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(selection=selections, size=st.integers(1, 4), within=st.booleans())
def test_a_facet_size_lists_the_most_counted_values_and_the_selected_ones(
    corpus: tuple[Archive, list[dict]], selection: dict, size: int, within: bool
) -> None:
    """`facet_size`: a flat facet listed by count keeps its `size` most counted values,
    those tied with the last, and the selected ones; `facet_totals` counts them all; the
    other facets and everything else are as without it."""
    archive, _ = corpus
    request = request_for(selection, facets_within=within)
    whole = archive.search(request)
    cut = archive.search(replace(request, facet_size=size))
    assert [h.statement.id for h in cut.hits] == [h.statement.id for h in whole.hits]
    assert cut.total == whole.total and cut.undated == whole.undated
    assert cut.facet_totals == {key: len(values) for key, values in whole.facets.items()}
    assert whole.facet_totals == cut.facet_totals
    for key, values in whole.facets.items():
        if key in ("tag", "organization", "mention", "person"):
            counted = sorted((v.count for v in values if v.count), reverse=True)
            least = counted[size - 1] if len(counted) > size else 1
            kept = [v for v in values if v.count >= least or v.selected]
            assert cut.facets[key] == kept, key
            assert len([v for v in kept if v.count]) >= min(size, len(counted))
        else:
            assert cut.facets[key] == values, key


def test_total_and_pages_agree_with_hits(
    corpus: tuple[Archive, list[dict]], tmp_path: Path
) -> None:
    archive, _ = corpus
    first = archive.search(SearchRequest(tags=["appeal"], size=50))
    seen: list[str] = []
    for page in range(1, first.pages + 1):
        seen += [
            h.statement.group
            for h in archive.search(SearchRequest(tags=["appeal"], size=50, page=page)).hits
        ]
    assert len(seen) == len(set(seen)) == first.total


def test_incremental_runs_give_the_same_answers_as_a_rebuild(tmp_path: Path) -> None:
    """Columns appended run by run (with updates and deletions) equal columns built at once,
    and the hits come in the same order (ties by statement id, not document number)."""
    records = generated_records(600, seed=11)
    batches = [records[:300], records[300:450], records[450:]]
    updated = [dict(r, tags=["elections"], articles=["cc:130:3"]) for r in records[:40]]
    incremental = tmp_path / "incremental"
    for number, batch in enumerate([*batches, updated]):
        report = Indexer(incremental).run([write_jsonl(tmp_path / f"b{number}.jsonl", batch)])
        assert not report.rejected
    final = {r["id"]: r for r in [*records, *updated]}
    rebuilt = tmp_path / "rebuilt"
    Indexer(rebuilt).run([write_jsonl(tmp_path / "all.jsonl", list(final.values()))], rebuild=True)
    requests = [
        SearchRequest(size=100),
        SearchRequest(tags=["elections"], size=100),
        SearchRequest(articles=["cc:130"], langs=["be", "ru"], size=100),
        SearchRequest(q="Statement", sort="newest", size=100),
    ]
    one, other = Archive.open(incremental), Archive.open(rebuilt)
    for request in requests:
        a, b = one.search(request), other.search(request)
        assert a.total == b.total
        assert a.facets == b.facets
        assert [h.statement.id for h in a.hits] == [h.statement.id for h in b.hits]
        assert [h.score for h in a.hits] == [h.score for h in b.hits]


GROUP_RUN_KINDS = ("whole_groups", "single_docs", "mixed_docs")


def assert_counts_by_definition(
    columns: Any, share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every way of counting a facet (group runs, a pass over the pairs, the few
    documents' own pairs) gives, per value, the distinct groups of the masked live
    documents having it."""
    import numpy as np

    from searcharchive import facets

    rng = np.random.default_rng(int(share * 1000))
    mask = (rng.random(columns.size) < share) & columns.alive
    for name, pairs in columns.facets.items():
        expected = np.zeros(len(pairs.values), dtype=np.int64)
        for value in range(len(pairs.values)):
            docs = pairs.docs[pairs.value_of == value]
            expected[value] = len(set(columns.group[docs[mask[docs]]].tolist()))
        monkeypatch.setattr(facets, "SMALL", 0.0)
        assert np.array_equal(facets.distinct_group_counts(columns, pairs, mask), expected), name
        monkeypatch.setattr(facets, "SMALL", 1.0)
        pairs._by_doc = None  # a pass over the pairs (a new generation's first searches)
        assert np.array_equal(facets.distinct_group_counts(columns, pairs, mask), expected), name
        _ = pairs.by_doc  # sorted by document: the few documents' own pairs are counted
        assert pairs.sorted_by_doc
        assert np.array_equal(facets.distinct_group_counts(columns, pairs, mask), expected), name


@pytest.mark.parametrize("share", [0.001, 0.01, 0.1, 0.5])
def test_facet_counts_are_the_distinct_groups_of_the_masked_documents_either_way(
    corpus: tuple[Archive, list[dict]], share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, _ = corpus
    columns = archive.generation().columns
    assert_counts_by_definition(columns, share, monkeypatch)
    runs = [pairs.group_runs(columns.group_sizes) for pairs in columns.facets.values()]
    # the corpus has runs of each kind (whole groups, single documents, the rest)
    assert all(any(len(getattr(r, kind)) for r in runs) for kind in GROUP_RUN_KINDS)


@pytest.mark.parametrize("share", [0.01, 0.3, 0.9])
def test_facet_counts_hold_over_updated_and_deleted_documents(
    tmp_path: Path, share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incremental run that rewrites statements (their old documents deleted, with
    their groups and pairs kept) and a build whose input has an id twice (a document
    deleted before its columns were read): counted as the definition says."""
    records = generated_records(400, seed=11)
    index = tmp_path / "index"
    twice = dict(records[7], title="The same statement, sent again")
    Indexer(index).run([write_jsonl(tmp_path / "a.jsonl", [*records, twice])])
    rewritten = [dict(r, tags=["elections"], title=f"{r['title']} (revised)") for r in records[:80]]
    report = Indexer(index).run([write_jsonl(tmp_path / "b.jsonl", rewritten)])
    assert report.updated == len(rewritten)
    columns = Archive.open(index).generation().columns
    assert not columns.alive.all()  # the rewritten statements' old documents
    assert_counts_by_definition(columns, share, monkeypatch)


def test_a_served_generation_sorts_its_pairs_after_its_first_answer(tmp_path: Path) -> None:
    """Archive(warm=True), as `serve` opens it: after the first search a thread sorts
    each facet's pairs by document and by run, the date orders and the person table's
    look-ups; the answers are
    the ones an archive that sorts as it goes gives."""
    records = generated_records(300, seed=5)
    index = tmp_path / "index"
    Indexer(index).run([write_jsonl(tmp_path / "a.jsonl", records)])
    served, plain = Archive.open(index, warm=True), Archive.open(index)
    request = SearchRequest(q="statement", sort="newest", size=20)
    first = served.search(request)
    generation = served.generation()
    assert generation.warming is not None
    generation.warming.join()
    assert all(pairs.sorted_by_doc for pairs in generation.columns.facets.values())
    assert all(pairs._runs is not None for pairs in generation.columns.facets.values())
    assert {"_by_folded", "_by_term"} <= vars(generation.persons).keys()  # names' look-ups
    assert plain.generation().warming is None  # a one-shot command sorts as it goes
    for asked in (request, SearchRequest(tags=["elections"], size=20), SearchRequest(q="x")):
        a, b = served.search(asked), plain.search(asked)
        assert (a.total, a.facets, [h.statement.id for h in a.hits]) == (
            b.total,
            b.facets,
            [h.statement.id for h in b.hits],
        )
    assert first.total == plain.search(request).total
