"""Issue #11, "a server one client can exhaust": memory, blocking, slow clients, wildcards.

Each test works on a real index on disk; the server tests talk HTTP to a real
uvicorn server (in a subprocess, or in a thread of this process where the test
must hold a search open at a chosen moment). Nothing here asserts a duration:
where a bound on time is needed it only stops a test that would otherwise hang,
and is far above what a loaded machine needs.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from whoosh import query as wq

from searcharchive import postings
from searcharchive import search as search_module
from searcharchive.folding import fold_key
from searcharchive.query import MAX_EXPANSIONS, parse_query
from searcharchive.search import Archive, SearchRequest
from searcharchive.stemming import stem

LETTERS = "abcdefghijklmnopqrstuvwxyzабвгдежзійклмнопрстуўфхцчшыьэюя"


def random_words(count: int, seed: int = 11) -> list[str]:
    """Words no index holds: what a client sends to fill caches with misses."""
    rng = random.Random(seed)
    return ["".join(rng.choice(LETTERS) for _ in range(rng.randint(6, 12))) for _ in range(count)]


def index_words(archive: Archive, count: int) -> list[str]:
    reader = archive.generation().searcher.reader()
    words = (term.decode("utf-8") for term, _ in reader.iter_field("exact"))
    return [word for word in words if word.isalpha()][:count]


# ---------------------------------------------------------------- 9. memory


@pytest.mark.parametrize(
    ("entries", "max_bytes"),
    [(300, postings.CACHE_BYTES), (1_000_000, 60_000)],
    ids=["entry-bound", "byte-bound"],
)
def test_random_word_queries_leave_the_postings_cache_within_its_bounds(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch, entries: int, max_bytes: int
) -> None:
    """Words not in the index used to cost nothing and were never evicted."""
    monkeypatch.setattr(postings, "CACHE_ENTRIES", entries, raising=False)
    monkeypatch.setattr(postings, "CACHE_BYTES", max_bytes)
    archive = Archive.open(sample_index)  # a new one: its generation's cache takes the bounds
    words = random_words(400)
    for word in words:
        assert archive.search(SearchRequest(q=word)).total == 0
    cache = archive.generation().postings.cache
    assert 0 < len(cache) <= entries
    assert cache.bytes <= max_bytes
    assert len(words) * 9 > min(entries, max_bytes // 512)  # the queries did pass the bound


def test_phrase_checks_leave_whooshs_term_cache_within_its_bound(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh's searcher keeps the idf of every term a phrase check looks up."""
    monkeypatch.setattr(search_module, "WHOOSH_CACHE_ENTRIES", 50, raising=False)
    archive = Archive.open(sample_index)
    words = index_words(archive, 300)
    for first, second in zip(words[::2], words[1::2], strict=False):
        archive.search(SearchRequest(q=f'"{first} {second}"'))
    assert len(archive.generation().searcher._idf_cache) <= 50
    assert len(words) == 300  # enough distinct words to pass the bound several times


def test_word_caches_keep_no_long_words() -> None:
    """A 500-character query word is computed, not kept: the caches' bytes stay bounded."""
    long_word = "щ" * 400 + "".join(random_words(1, seed=3))
    before = (fold_key.cache_info().currsize, stem.cache_info().currsize)  # type: ignore[attr-defined]
    fold_key(long_word)
    stem(long_word, "ru")
    after = (fold_key.cache_info().currsize, stem.cache_info().currsize)  # type: ignore[attr-defined]
    assert after == before


# ---------------------------------------------------------------- 14. wildcards


def busy_prefixes(archive: Archive, wanted: int) -> list[str]:
    """Three-letter prefixes of the index's words, the most productive first, until
    they expand (each within its own old cap) to more than `wanted` words."""
    counts = Counter(word[:3] for word in index_words(archive, 100_000) if len(word) > 3)
    chosen: list[str] = []
    for prefix, _ in counts.most_common(60):  # 60 × len('pre* OR ') < 500 characters
        chosen.append(prefix)
        if sum(min(counts[p], MAX_EXPANSIONS) for p in chosen) > wanted:
            return chosen
    raise AssertionError("the sample index has too few words for this test")


def test_the_prefixes_of_one_query_expand_to_at_most_the_budget_in_total(
    archive: Archive,
) -> None:
    prefixes = busy_prefixes(archive, MAX_EXPANSIONS)
    text = " OR ".join(f"{prefix}*" for prefix in prefixes)
    parsed = parse_query(text, archive.organizations, reader=archive.generation().searcher.reader())
    assert parsed.query is not None
    exact = [t for t in parsed.query.leaves() if isinstance(t, wq.Term) and t.fieldname == "exact"]
    notes = [str(note) for note in parsed.notes]
    fallbacks = [note for note in notes if "as many as one query may" in note]
    assert len(exact) - len(fallbacks) <= MAX_EXPANSIONS  # one `exact` term per fallback word
    assert any("matches too many words" in note for note in notes)
    result = archive.search(SearchRequest(q=text))  # and the search itself answers
    assert result.total > 0
    assert any("matches too many words" in str(note) for note in result.notes)
