"""A generation's caches of answers (decoded records, facet value names, the unfiltered
archive's facets) change no answer: the same requests, asked of an archive whose caches
keep nothing and of one whose caches are warm, give the same JSON, on the real sample
index. And the caches stay within their bounds."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from searcharchive import generation as generation_module
from searcharchive import labels as labels_module
from searcharchive.archive import Archive, SearchResult
from searcharchive.caches import BoundedCache
from searcharchive.request import SearchRequest

UI_LANGS = ("en", "be", "ru")


def answer(result: SearchResult) -> str:
    """All a caller can see of a result, as one text."""
    shown = {**result.to_json(), "undated": result.undated, "words": result.words}
    shown["labels"] = {
        key: [(v.label, v.parent, v.title) for v in values] for key, values in result.facets.items()
    }
    return json.dumps(shown, sort_keys=True, ensure_ascii=False)


def requests(archive: Archive) -> list[SearchRequest]:
    """Unfiltered browsing in every order and UI language, page after page; searches of
    words and names, filtered and not; a filter alone."""
    first = archive.search(SearchRequest(size=50))
    tag = first.facets["tag"][0].value
    lang = first.facets["lang"][0].value
    asked = [
        SearchRequest(sort=sort, page=page, size=size, ui_lang=ui)
        for sort in ("newest", "oldest", "relevance")
        for page in (1, 2, 3)
        for size in (5, 20)
        for ui in UI_LANGS
    ]
    for q in ("release", "Viasna", "Севярынец", "Sieviaryniec", '"political prisoners"', "ст. 342"):
        for ui in UI_LANGS:
            asked.append(SearchRequest(q=q, size=20, ui_lang=ui))
            asked.append(SearchRequest(q=q, tags=[tag], ui_lang=ui, sort="newest"))
    asked += [SearchRequest(langs=[lang], ui_lang=ui) for ui in UI_LANGS]
    asked += [SearchRequest(undated=True), SearchRequest(date_from=date(2021, 1, 1))]
    return asked


def cacheless(monkeypatch: pytest.MonkeyPatch) -> None:
    for module, names in (
        (generation_module, ("RECORD_CACHE_ENTRIES", "ANSWER_CACHE_ENTRIES")),
        (labels_module, ("NAME_CACHE_ENTRIES",)),
    ):
        for name in names:
            monkeypatch.setattr(module, name, 0)


def test_cached_answers_are_the_answers_computed_anew(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm = Archive.open(sample_index)
    asked = requests(warm)
    for request in asked:  # fill the caches
        warm.search(request)
    with monkeypatch.context() as patch:
        cacheless(patch)
        cold = Archive.open(sample_index)
        expected = [answer(cold.search(request)) for request in asked]
        gen = cold.generation()
        assert (len(gen.records), len(gen.answers), gen.labels.names_kept()) == (0, 0, 0)
    got = [answer(warm.search(request)) for request in asked]
    gen = warm.generation()
    assert len(gen.records) > 0 and len(gen.answers) == len(UI_LANGS)
    assert gen.labels.names_kept() > 0
    assert [i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b] == []
    assert len(set(expected)) > len(asked) // 2  # the requests do ask different things


def test_a_statement_read_from_the_cache_is_the_one_stored(sample_index: Path) -> None:
    archive = Archive.open(sample_index)
    ids = [hit.statement.id for hit in archive.search(SearchRequest(size=50)).hits]
    first = {i: archive.get(i) for i in ids}
    again = {i: archive.get(i) for i in ids}
    fresh = Archive.open(sample_index)
    for statement_id, found in first.items():
        stored = fresh.get(statement_id)
        assert found is not None and stored is not None
        assert found.statement == stored.statement == again[statement_id].statement
        assert found.translations == stored.translations


@pytest.mark.parametrize(
    ("entries", "max_bytes"), [(3, 64 * 1024 * 1024), (100_000, 30_000)], ids=["entries", "bytes"]
)
def test_browsing_every_page_leaves_the_record_cache_within_its_bounds(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch, entries: int, max_bytes: int
) -> None:
    monkeypatch.setattr(generation_module, "RECORD_CACHE_ENTRIES", entries)
    monkeypatch.setattr(generation_module, "RECORD_CACHE_BYTES", max_bytes)
    archive = Archive.open(sample_index)
    first = archive.search(SearchRequest(size=5))
    for page in range(2, first.pages + 1):
        archive.search(SearchRequest(size=5, page=page))
    gen = archive.generation()
    cache = gen.records
    assert 0 < len(cache) <= entries
    assert cache.bytes <= max_bytes
    # each page read its records and their translations: every document, more than it keeps
    assert len(cache) < gen.columns.size


def test_facet_names_are_kept_for_the_pages_languages_within_their_bound(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(labels_module, "NAME_CACHE_ENTRIES", 2)
    archive = Archive.open(sample_index)
    for ui in UI_LANGS:
        result = archive.search(SearchRequest(ui_lang=ui))
    kept = archive.generation().labels._names
    assert {lang for _, lang in kept} == set(UI_LANGS)
    assert all(len(names) <= 2 for names in kept.values())
    assert max(len(values) for values in result.facets.values()) > 2  # more values than kept


def test_an_entry_larger_than_a_caches_bound_is_not_kept_and_pushes_nothing_out() -> None:
    cache: BoundedCache[str] = BoundedCache(max_entries=10, max_bytes=4096)
    cache.put("small", "kept", 100)
    cache.put("huge", "too large", 10_000)
    assert cache.get("huge") is None
    assert cache.get("small") == "kept" and cache.bytes <= 4096
