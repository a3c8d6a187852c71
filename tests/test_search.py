"""The search API on real indexes: spellings, scripts, languages, syntax, sorts, snippets."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searcharchive.archive import Archive
from searcharchive.indexer import Indexer
from searcharchive.request import SearchRequest

from .conftest import write_jsonl
from .strategies import examples, filter_values, query_text

SEVIARYNETS = "immediately-release-pavel-seviarynets-ef4ec130b5"
KLIMOVICH = (
    "we-demand-to-investigate-klimovich-s-death-and-the-lack-of-proper-medical-care-5fadeb5902"
)
VIASNA = "belarus-international-human-rights-groups-demand-release-of-viasna-members-on-e8aff0fa49"


def groups(archive: Archive, q: str, **options: object) -> list[str]:
    result = archive.search(SearchRequest(q=q, size=100, **options))  # type: ignore[arg-type]
    return [hit.statement.group for hit in result.hits]


@pytest.mark.parametrize(
    ("spelling", "group"),
    [
        *[
            (s, SEVIARYNETS)
            for s in (
                "Seviarynets",
                "Severinets",
                "Sieviaryniec",
                "Sevyarynets",
                "Севярынец",
                "Северинец",
            )
        ],
        *[(s, KLIMOVICH) for s in ("Klimovich", "Klimovič", "Klimovitch", "Клімовіч", "Климович")],
        *[(s, VIASNA) for s in ("Viasna", "Vyasna", "Вясна", "Весна")],
        *[
            (s, KLIMOVICH)
            for s in (
                "Mikalai Klimovich",
                "Nikolai Klimovich",
                "Мікалай Клімовіч",
                "Николай Климович",
            )
        ],
    ],
)
@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_every_spelling_finds_the_statement_in_every_language(
    archive: Archive, spelling: str, group: str, lang: str
) -> None:
    result = archive.search(SearchRequest(q=spelling, langs=[lang], size=50))
    assert group in [hit.statement.group for hit in result.hits]
    assert all(hit.statement.lang == lang for hit in result.hits)


def test_a_common_word_marks_no_other_word_of_its_consonants(archive: Archive) -> None:
    """Transliteration keys are for names: "release" once marked "rules" (both r-l-s)."""
    hits = archive.search(SearchRequest(q="release", langs=["en"])).hits
    assert hits
    for hit in hits:
        marked = re.findall(r"<mark>(.*?)</mark>", hit.snippet)
        assert all(word.lower().startswith("releas") for word in marked), marked


@pytest.mark.parametrize("query", ["Sieviaryniec", "Sievieryniec", "Severinets"])
def test_a_latin_spelling_that_finds_a_cyrillic_text_says_which_form_matched(
    archive: Archive, query: str
) -> None:
    """Łacinka is read as Belarusian, so "Sieviaryniec" meets Севярынец by its stem; the
    reader typed another spelling all the same, and is told which one matched."""
    hits = [h for h in archive.search(SearchRequest(q=query, ui_lang="be")).hits]
    assert hits and any(h.statement.lang == "be" for h in hits)
    for hit in hits:
        if hit.statement.lang != "en":
            assert any(
                form.startswith("Севярын") or form.startswith("Северин")
                for form in hit.matched_forms
            ), (query, hit.matched_forms)


def test_a_hit_found_through_another_spelling_says_which_form_matched(archive: Archive) -> None:
    result = archive.search(SearchRequest(q="Северинец", langs=["en"]))
    (hit,) = result.hits
    assert hit.statement.id == SEVIARYNETS
    assert "Seviarynets" in hit.matched_forms
    exact_hit = archive.search(SearchRequest(q="Seviarynets", langs=["en"])).hits[0]
    assert exact_hit.matched_forms == []


def test_exact_mode_turns_folding_and_stemming_off(archive: Archive) -> None:
    folded = archive.search(SearchRequest(q="Северинец"))
    exact = archive.search(SearchRequest(q="Северинец", exact=True, size=50))
    assert folded.total == 1 and exact.total == 1
    assert exact.hits[0].statement.lang == "ru"  # only the Russian text spells it so
    assert archive.search(SearchRequest(q="Северинец", exact=True, langs=["en"])).total == 0
    assert archive.search(SearchRequest(q="organization", exact=True)).total == 0
    assert archive.search(SearchRequest(q="organization")).total > 0  # stemming: organizations


@pytest.fixture(scope="module")
def spelled(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    folder = tmp_path_factory.mktemp("spelled")
    records = [
        {
            "id": "exact",
            "lang": "en",
            "title": "Trial of Severinets",
            "body": "Severinets was tried.",
        },
        {"id": "folded", "lang": "en", "title": "Another trial", "body": "Seviarynets was tried."},
        {
            "id": "be-only",
            "lang": "be",
            "title": "Заява",
            "body": "Яго асудзілі па ч. 1 арт. 342 Крымінальнага кодэкса.",
        },
        {
            "id": "names",
            "lang": "en",
            "title": "Names",
            "body": "Aliaksandr, Siarhei, Uladzimir and Ihar were detained.",
        },
        {
            "id": "script",
            "lang": "en",
            "title": "<script>alert(1)</script>",
            "body": 'He said "><img src=x onerror=alert(1)> and Seviarynets.',
        },
    ]
    index_dir = folder / "index"
    Indexer(index_dir).run([write_jsonl(folder / "s.jsonl", records)])
    return Archive.open(index_dir)


def test_exact_spellings_rank_above_folded_ones(spelled: Archive) -> None:
    ids = [h.statement.id for h in spelled.search(SearchRequest(q="Severinets")).hits]
    assert ids.index("exact") < ids.index("folded")


@pytest.mark.parametrize(
    "query",
    [
        "Alexander",
        "Александр",
        "Аляксандр",
        "Sergei",
        "Сергей",
        "Vladimir",
        "Владимир",
        "Igor",
        "Игорь",
    ],
)
def test_given_names_meet_across_languages(spelled: Archive, query: str) -> None:
    assert "names" in [h.statement.id for h in spelled.search(SearchRequest(q=query)).hits]


@pytest.mark.parametrize(
    "query",
    [
        "ст. 342 УК",
        "статья 342 Уголовного кодекса",
        "Art. 342 CC",
        "article:cc:342:1",
        "ч. 1 ст. 342 УК",
    ],
)
def test_a_belarusian_only_statement_is_found_by_a_citation_in_any_language(
    spelled: Archive, query: str
) -> None:
    result = spelled.search(SearchRequest(q=query))
    assert [h.statement.id for h in result.hits] == ["be-only"]


def test_snippets_escape_document_text_and_mark_matches(spelled: Archive) -> None:
    hits = spelled.search(SearchRequest(q="Seviarynets", langs=["en"], exact=True)).hits
    (hit,) = [h for h in hits if h.statement.id == "script"]
    assert "<img" not in hit.snippet and "&lt;img" in hit.snippet
    assert "<mark>Seviarynets</mark>" in hit.snippet


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed',
        "AND OR",
        "title:",
        "*",
        "NOT",
        "(",
        ")",
        "a*",
        "***",
        "-",
        '""',
        "article:",
        "OR Klimovich",
        "+Klimovich -Ukraine",
    ],
)
def test_malformed_queries_give_hits_or_a_note(archive: Archive, query: str) -> None:
    result = archive.search(SearchRequest(q=query))
    assert result.hits or result.notes


def test_query_syntax(archive: Archive) -> None:
    assert SEVIARYNETS in groups(archive, '"administrative detention"')
    assert groups(archive, '"detention administrative"') == []
    both = groups(archive, "Klimovich OR Seviarynets")
    assert {KLIMOVICH, SEVIARYNETS} <= set(both)
    assert KLIMOVICH not in groups(archive, "death -Klimovich")
    assert groups(archive, "title:Seviarynets") == [SEVIARYNETS]
    assert groups(archive, "person:Северинец") == [SEVIARYNETS]
    assert VIASNA in groups(archive, "mentions:Viasna")  # named, not an author
    assert VIASNA not in groups(archive, "org:Viasna")
    assert SEVIARYNETS in groups(archive, "Seviar*")
    assert set(groups(archive, "ч. 1 ст. 368 УК")) == set()
    assert groups(archive, "ст. 368 УК") == [KLIMOVICH]


def test_sorts_and_paging(archive: Archive) -> None:
    newest = archive.search(SearchRequest(sort="newest", size=100)).hits
    dates = [h.statement.date for h in newest]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates[-1] is None  # undated last
    oldest = [h.statement.date for h in archive.search(SearchRequest(sort="oldest", size=100)).hits]
    assert [d for d in oldest if d] == sorted(dated)
    page1 = archive.search(SearchRequest(sort="newest", size=3)).hits
    page2 = archive.search(SearchRequest(sort="newest", size=3, page=2)).hits
    assert {h.statement.group for h in page1}.isdisjoint({h.statement.group for h in page2})
    relevance = archive.search(SearchRequest(q="human rights", sort="relevance", size=100)).hits
    scores = [h.score for h in relevance]
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]


def test_date_range_treats_partial_dates_as_intervals(tmp_path: Path) -> None:
    records = [
        {"id": "day", "title": "Day", "date": "2020-07-10", "lang": "en"},
        {"id": "month", "title": "Month", "date": "2020-07", "lang": "en"},
        {"id": "year", "title": "Year", "date": "2020", "lang": "en"},
        {"id": "undated", "title": "Undated", "lang": "en"},
        {"id": "later", "title": "Later", "date": "2021-01-05", "lang": "en"},
    ]
    Indexer(tmp_path / "ix").run([write_jsonl(tmp_path / "d.jsonl", records)])
    archive = Archive.open(tmp_path / "ix")

    def ids(start: date | None, end: date | None) -> set[str]:
        result = archive.search(SearchRequest(date_from=start, date_to=end, size=100))
        return {h.statement.id for h in result.hits}

    assert ids(date(2020, 7, 15), date(2020, 7, 20)) == {"month", "year"}
    assert ids(date(2020, 7, 10), date(2020, 7, 10)) == {"day", "month", "year"}
    assert ids(date(2021, 1, 1), None) == {"later"}
    assert ids(None, None) == {"day", "month", "year", "undated", "later"}
    facets = archive.search(SearchRequest()).facets
    assert {y.value: y.count for y in facets["year"]} == {"2020": 3, "2021": 1}
    assert {m.value: m.count for m in facets["month"]} == {"2020-07": 2, "2021-01": 1}


def test_hierarchical_article_filter(archive: Archive, tmp_path: Path) -> None:
    records = [
        {"id": "part", "title": "Part", "body": "ч. 1 ст. 342 УК", "lang": "ru"},
        {
            "id": "article",
            "title": "Article",
            "body": "Article 342 of the Criminal Code",
            "lang": "en",
        },
        {
            "id": "other",
            "title": "Other",
            "body": "Article 361-1 of the Criminal Code",
            "lang": "en",
        },
        {
            "id": "cao",
            "title": "Admin",
            "body": "Art 23.34 of the Code of Administrative Offenses",
            "lang": "en",
        },
    ]
    Indexer(tmp_path / "ix").run([write_jsonl(tmp_path / "a.jsonl", records)])
    local = Archive.open(tmp_path / "ix")

    def ids(*articles: str) -> set[str]:
        return {
            h.statement.id
            for h in local.search(SearchRequest(articles=list(articles), size=50)).hits
        }

    assert ids("cc:342") == {"part", "article"}
    assert ids("cc:342:1") == {"part"}
    assert ids("cc") == {"part", "article", "other"}
    assert ids("cc:342", "cao:23.34") == {"part", "article", "cao"}
    tree = {a.value: a for a in local.search(SearchRequest()).facets["article"]}
    assert tree["cc:342:1"].parent == "cc:342" and tree["cc:342"].parent == "cc"
    assert tree["cc"].count == 3 and tree["cc:342"].count == 2
    assert tree["cc:342"].label == "Criminal Code, Art. 342"


def test_a_citation_query_marks_the_citation_in_the_snippet(archive: Archive) -> None:
    (hit,) = archive.search(
        SearchRequest(q="ч. 1 ст. 23.34 КоАП OR ст. 23.34 КоАП", langs=["ru"])
    ).hits
    assert "<mark>ст. 23.34 Кодекса об административных правонарушениях</mark>" in hit.snippet
    (english,) = archive.search(SearchRequest(q="Art. 23.34 CAO", langs=["en"])).hits
    assert "<mark>Art 23.34 of the Code of Administrative Offenses</mark>" in english.snippet


def test_a_quoted_name_is_found_in_every_script_and_a_common_phrase_stays_exact(
    archive: Archive,
) -> None:
    english = archive.search(SearchRequest(q='"Павел Северинец"', langs=["en"]))
    assert [h.statement.id for h in english.hits] == [SEVIARYNETS]
    assert archive.search(SearchRequest(q='"Seviarynets called"', langs=["ru"])).total == 0


# ---------------------------------------------------------------- any request, on a real index


@examples(400)
@given(
    text=query_text,
    tags=filter_values,
    orgs=filter_values,
    articles=filter_values,
    exact=st.booleans(),
    sort=st.sampled_from(["", "relevance", "newest", "oldest"]),
    page=st.integers(min_value=-5, max_value=20_000),
    size=st.integers(min_value=-5, max_value=500),
)
def test_search_on_a_real_index_never_raises(
    archive: Archive,
    text: str,
    tags: list[str],
    orgs: list[str],
    articles: list[str],
    exact: bool,
    sort: str,
    page: int,
    size: int,
) -> None:
    request = SearchRequest(
        q=text,
        tags=tags,
        orgs=orgs,
        articles=articles,
        exact=exact,
        sort=sort,
        page=page,
        size=size,
    )
    result = archive.search(request)
    assert 0 <= len(result.hits) <= result.request.size <= 100
    assert result.total >= len(result.hits)
    json.dumps(result.to_json(), ensure_ascii=False)  # what the API sends


def test_citation_snippets_read_the_citations_found_at_index_time(tmp_path: Path) -> None:
    """The index stores where a statement's body cites which article, found over its
    whole text: a bare article after the one code it cites is that code's (cc:5 here,
    as the article filter has it), however far from the code's name; a record that
    gives its articles stores none, and its snippet is found by reading the text."""
    filler = "Суд доўжыўся тыдзень, сведкі маўчалі. " * 6
    records = [
        {
            "id": "found",
            "title": "Заява",
            "body": f"Па арт. 342 КК асудзілі двух. {filler}Потым па артыкуле 5 асудзілі трэцяга.",
            "lang": "be",
        },
        {
            "id": "given",
            "title": "Statement",
            "body": "He was charged under Article 5 of the Criminal Code.",
            "lang": "en",
            "articles": ["cc:5"],
        },
    ]
    Indexer(tmp_path / "ix").run([write_jsonl(tmp_path / "a.jsonl", records)])
    local = Archive.open(tmp_path / "ix")
    result = local.search(SearchRequest(q="article:cc:5"))
    snippets = {
        hit.statement.id: re.findall(r"<mark>(.*?)</mark>", hit.snippet) for hit in result.hits
    }
    assert snippets == {"found": ["артыкуле 5"], "given": ["Article 5 of the Criminal Code"]}
    stored = {hit.statement.id: hit.statement.cited for hit in result.hits}
    assert stored["given"] is None
    assert [ids for _, _, ids in stored["found"] or []] == [["cc:342"], ["cc:5"]]
    assert all("cited" not in hit.statement.to_json() for hit in result.hits)  # not in the API
