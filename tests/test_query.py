"""The query parser (query.py): what a query means, and that it never raises."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from searcharchive.gazetteer import Gazetteer
from searcharchive.query import ParsedQuery, parse_query

from .strategies import examples, query_text

ORGANIZATIONS = Gazetteer.builtin("organizations")


@examples(1000)
@given(text=query_text, exact=st.booleans())
def test_the_query_parser_never_raises(text: str, exact: bool) -> None:
    parsed = parse_query(text, ORGANIZATIONS, exact)
    assert isinstance(parsed, ParsedQuery)
    assert all(isinstance(str(note), str) for note in parsed.notes)
