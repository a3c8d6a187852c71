"""Facet columns (columns.py) of real generations: each document's facet values, dates,
language and rank by id, as written by the indexer, as rebuilt from the index, and as extended
by an incremental run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searcharchive.columns import MULTI, Columns, _pairs, build_columns, id_ranks, load_columns
from searcharchive.generation import Generation
from searcharchive.indexer import Indexer
from searcharchive.store import IndexStore

from .conftest import write_jsonl

RECORDS = [
    {
        "id": f"col-{n:02d}",
        "lang": ["en", "be", "ru"][n % 3],
        "group": f"group-{n // 3}",
        "title": f"Statement {n}",
        "body": f"Words of statement {n} about detention.",
        "date": ["2020-07-10", "2021-03", "2019", ""][n % 4],
        "tags": [f"tag {n % 2}"] + (["shared"] if n % 5 == 0 else []),
        "organizations": ["viasna"] if n % 2 else [],
        "articles": ["cc:342:1"] if n % 3 == 0 else [],
    }
    for n in range(12)
]


def by_id(columns: Columns) -> dict[str, dict[str, object]]:
    """Everything the columns say of each live statement, keyed by its id (not doc number)."""
    assert columns.ids is not None
    out: dict[str, dict[str, object]] = {}
    for doc in np.flatnonzero(columns.alive).tolist():
        facets = {
            name: sorted(pairs.values[v] for v in pairs.of_docs(np.array([doc]))[0].tolist())
            for name, pairs in columns.facets.items()
        }
        out[columns.ids[doc]] = {
            "group": columns.group_names[columns.group[doc]],
            "dates": (int(columns.date_start[doc]), int(columns.date_end[doc])),
            "lang_code": int(columns.lang[doc]),
            "rank": int(columns.rank[doc]),
            "title": columns.titles[doc] if columns.titles is not None else None,
            # as a search reads them (the file's ids); the indexer's own columns have the list
            "id": columns.id_texts[doc] if columns.id_texts is not None else columns.ids[doc],
            **facets,
        }
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("columns")
    report = Indexer(folder / "index").run([write_jsonl(folder / "r.jsonl", RECORDS)])
    assert report.indexed == len(RECORDS)
    return IndexStore(folder / "index").require_current()


def test_each_statement_has_its_facet_values_dates_and_language(built: Path) -> None:
    columns = by_id(load_columns(built, with_ids=True))
    assert sorted(columns) == sorted(r["id"] for r in RECORDS)
    for record in RECORDS:
        row = columns[str(record["id"])]
        assert row["tag"] == sorted(record["tags"])  # type: ignore[arg-type]
        assert row["org"] == record["organizations"]
        assert row["article"] == (["cc", "cc:342", "cc:342:1"] if record["articles"] else [])
        assert row["lang_code"] == ["en", "be", "ru"].index(str(record["lang"]))
        assert row["lang"] == [record["lang"]]
        assert row["group"] == record["group"]
    assert columns["col-00"]["dates"] == (20200710, 20200710)
    assert columns["col-01"]["dates"] == (20210301, 20210331)  # a month: its first to last day
    assert columns["col-01"]["month"] == ["2021-03"] and columns["col-01"]["year"] == ["2021"]
    assert columns["col-02"]["dates"] == (20190101, 20191231)
    assert columns["col-03"]["dates"] == (0, 0) and columns["col-03"]["year"] == []


def test_the_documents_of_a_value_are_those_that_have_it(built: Path) -> None:
    columns = load_columns(built, with_ids=True)
    assert columns.ids is not None
    shared = {columns.ids[d] for d in columns.facets["tag"].docs_of("shared").tolist()}
    assert shared == {r["id"] for r in RECORDS if "shared" in r["tags"]}  # type: ignore[operator]
    assert columns.facets["tag"].docs_of("no such tag").size == 0
    assert set(columns.facets) == set(MULTI)


def test_ranks_follow_the_ids_not_the_document_numbers(built: Path) -> None:
    columns = by_id(load_columns(built, with_ids=True))
    assert sorted(columns, key=lambda cid: columns[cid]["rank"]) == sorted(columns)
    alive = np.array([True, False, True, True])
    assert id_ranks(["b", "a", "c", "a"], alive).tolist() == [1, 3, 2, 0]  # deleted: after all


def test_the_file_written_beside_the_index_is_what_the_index_holds(built: Path) -> None:
    written = by_id(load_columns(built, with_ids=True))
    rebuilt = build_columns(built)
    assert rebuilt.ids is not None and by_id(rebuilt) == written


def test_an_incremental_run_extends_the_columns_as_a_rebuild_would(tmp_path: Path) -> None:
    first, second = RECORDS[:7], RECORDS[7:]
    changed = {**RECORDS[2], "tags": ["retagged"], "date": "2022-01-02", "title": "Retitled"}
    incremental = tmp_path / "incremental"
    for number, batch in enumerate([first, second, [changed]]):
        Indexer(incremental).run([write_jsonl(tmp_path / f"b{number}.jsonl", batch)])
    once = tmp_path / "once"
    everything = [changed if r["id"] == changed["id"] else r for r in RECORDS]
    Indexer(once).run([write_jsonl(tmp_path / "all.jsonl", everything)], rebuild=True)
    extended = load_columns(IndexStore(incremental).require_current(), with_ids=True)
    assert extended.appended_from > 0 or extended.size > len(RECORDS)  # it was extended
    assert by_id(extended) == by_id(load_columns(IndexStore(once).require_current(), True))
    assert by_id(extended)["col-02"]["tag"] == ["retagged"]
    assert by_id(extended)["col-02"]["title"] == "Retitled"


def test_a_hit_lists_its_translations_from_the_columns_as_from_the_records(
    tmp_path: Path,
) -> None:
    """Id, language and title of a document's translations, read from the columns of a
    generation extended twice (one statement updated: its old document deleted), are
    those its translations' records give, in the same order."""
    changed = {**RECORDS[4], "title": "Заява, новая назва"}
    for number, batch in enumerate([RECORDS[:7], RECORDS[7:], [changed]]):
        Indexer(tmp_path / "index").run([write_jsonl(tmp_path / f"b{number}.jsonl", batch)])
    generation = Generation(IndexStore(tmp_path / "index").require_current())
    assert generation.columns.titles is not None
    listed = 0
    for doc in np.flatnonzero(generation.columns.alive).tolist():
        from_records = [
            {"id": other.id, "lang": other.lang, "title": other.title}
            for other in generation.translations(doc)
        ]
        assert generation.translation_links(doc) == from_records
        listed += len(from_records)
    assert listed == 2 * len(RECORDS)  # groups of three: two translations each
    group = generation.translation_links(generation.docnum_of("col-03") or 0)
    assert {"id": "col-04", "lang": "be", "title": "Заява, новая назва"} in group


values_st = st.sampled_from(["a", "b", "c", "d", "e"])


@settings(deadline=None, max_examples=200)
@given(
    old=st.lists(st.tuples(values_st, st.integers(0, 29)), max_size=40),
    new=st.lists(st.tuples(values_st, st.integers(30, 39)), max_size=10),
    groups=st.lists(st.integers(0, 6), min_size=40, max_size=40),
)
def test_pairs_extended_are_the_pairs_built_at_once(
    old: list[tuple[str, int]], new: list[tuple[str, int]], groups: list[int]
) -> None:
    """New pairs inserted into the sorted old ones: the order of one sort of them all
    (value, then group, then old before new, each in its order)."""
    group = np.array(groups, dtype=np.int32)
    extended = _pairs(new, group, _pairs(old, group, None))
    whole = _pairs(sorted(old, key=lambda p: (p[0], groups[p[1]])) + new, group, None)
    assert extended.values == whole.values
    for name in ("docs", "value_of", "groups", "starts"):
        assert np.array_equal(getattr(extended, name), getattr(whole, name)), name
