"""The query parser (query.py): what a query means, and that it never raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searcharchive.archive import Archive
from searcharchive.gazetteer import Gazetteer
from searcharchive.query import MAX_QUERY_CHARS, ParsedQuery, parse_query, tidy_syntax
from searcharchive.request import SearchRequest

from .strategies import examples, query_text

ORGANIZATIONS = Gazetteer.builtin("organizations")


@examples(1000)
@given(text=query_text, exact=st.booleans())
def test_the_query_parser_never_raises(text: str, exact: bool) -> None:
    parsed = parse_query(text, ORGANIZATIONS, exact)
    assert isinstance(parsed, ParsedQuery)
    assert all(isinstance(str(note), str) for note in parsed.notes)


def terms(parsed: ParsedQuery) -> set[tuple[str, str]]:
    assert parsed.query is not None
    return {(field, str(text)) for field, text in parsed.query.iter_all_terms()}


def test_a_word_is_searched_as_typed_and_by_its_stem_in_each_language() -> None:
    parsed = parse_query("prisoners", ORGANIZATIONS)
    assert parsed.words == ["prisoners"] and parsed.articles == [] and parsed.notes == []
    found = terms(parsed)
    assert {("title_exact", "prisoners"), ("exact", "prisoners")} <= found
    assert ("body_en", "prison") in found  # the English stem
    assert {field for field, _ in found} >= {"body_en", "body_be", "body_ru"}


def test_exact_search_reads_no_stems() -> None:
    found = terms(parse_query("prisoners", ORGANIZATIONS, exact=True))
    assert ("exact", "prisoners") in found
    assert not [field for field, _ in found if field.startswith("body_")]


@pytest.mark.parametrize(
    ("text", "articles", "words"),
    [
        ("ч. 1 ст. 342 УК Viasna", ["cc:342:1"], ["viasna"]),
        ("article:cc:342 prisoners", ["cc:342"], ["prisoners"]),
        ("Art. 342 CC", ["cc:342"], []),
    ],
)
def test_citations_become_article_filters_and_the_rest_stays_words(
    text: str, articles: list[str], words: list[str]
) -> None:
    parsed = parse_query(text, ORGANIZATIONS)
    assert parsed.articles == articles and parsed.words == words
    assert {("article", cid) for cid in articles} <= terms(parsed)


def test_an_organization_field_is_one_value_even_with_hyphens() -> None:
    assert terms(parse_query("org:viasna", ORGANIZATIONS)) == {("org", "viasna")}
    assert tidy_syntax("org:belarusian-helsinki-committee x")[0] == (
        'org:"belarusian-helsinki-committee" x'
    )


@pytest.mark.parametrize(
    ("text", "kept", "note"),
    [
        ("trial AND", "trial", "AND, OR and NOT need words to join; ignored: AND"),
        ("OR trial", "trial", "AND, OR and NOT need words to join; ignored: OR"),
        ("title: court", "court", "“title:” needs a word after the colon; ignored"),
        ('"human rights', "human rights", "a closing quotation mark is missing"),
    ],
)
def test_syntax_the_parser_would_misread_is_dropped_with_a_note(
    text: str, kept: str, note: str
) -> None:
    tidied, notes = tidy_syntax(text)
    assert tidied == kept
    assert [str(n) for n in notes] == [str(n) for n in parse_query(text, ORGANIZATIONS).notes]
    assert str(notes[0]).startswith(note)


def test_an_empty_query_is_every_statement_and_one_without_words_says_so() -> None:
    assert parse_query("   ", ORGANIZATIONS) == ParsedQuery(None)
    nothing = parse_query("!!!", ORGANIZATIONS)
    assert nothing.query is None
    assert [str(n) for n in nothing.notes] == [
        "the query has no words to search for; showing every statement"
    ]


def test_a_long_query_is_cut_with_a_note() -> None:
    parsed = parse_query("word " * MAX_QUERY_CHARS, ORGANIZATIONS)
    assert str(parsed.notes[0]) == f"the query was cut to its first {MAX_QUERY_CHARS} characters"
    assert parsed.words == ["word"]


def test_a_prefix_expands_only_to_words_of_the_index(archive: Archive) -> None:
    reader = archive.generation().searcher.reader()
    parsed = parse_query("Seviar*", ORGANIZATIONS, reader=reader)
    expanded = {text for field, text in terms(parsed) if field == "exact"}
    assert expanded and all(text.startswith("seviar") for text in expanded)
    assert archive.search(SearchRequest(q="Seviar*")).total >= 1
    assert archive.search(SearchRequest(q="Zzqx*")).total == 0
