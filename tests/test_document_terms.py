"""document_terms.py gives every field it knows the postings Whoosh's analysis gives:
the same terms, frequencies, weights and encoded positions, on the real statements and on
texts made to catch the edges (case, apostrophes, Łacinka, digits, underscores, none)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searcharchive.document_terms import FieldTerms, words_of
from searcharchive.schema import build_schema

REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-dev"
EDGES = [
    "",
    "   \n\n ",
    "Human Rights Human rights HUMAN RIGHTS of the people",
    "Алесь Бяляцкі і Мікалай Статкевіч; Sieviaryniec, Seviarynets' and O'Brien's",
    "Biełaruś, palitviazni, Łukašenka: ŭ hetym",
    "art_342 ч. 1 ст. 342 КК 23.34 2020-08-09 x1 X1",
    "ня ведаю сьвет Эўропа Менск зьявіцца",
    "the the the and of of in in in in",
]


def schema_fields() -> list[tuple[str, FieldTerms]]:
    schema = build_schema()
    found = [(name, FieldTerms.for_field(field)) for name, field in schema.items()]
    return [(name, terms) for name, terms in found if terms is not None]


def texts() -> list[str]:
    found = list(EDGES)
    path = REAL_DEV / "statements.jsonl"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            title, body = record.get("title", ""), record.get("body", "")
            found += [title, body, f"{title}\n\n{body}"]
    return found


def test_knows_every_text_field_of_the_schema() -> None:
    names = {name for name, _ in schema_fields()}
    expected = {"exact", "title_exact", "fold", "person", "biword"}
    expected |= {f"{part}_{lang}" for part in ("title", "body") for lang in ("en", "be", "ru")}
    assert names == expected


@pytest.mark.parametrize("name", [name for name, _ in schema_fields()])
def test_same_postings_as_whoosh(name: str) -> None:
    field = build_schema()[name]
    fast = FieldTerms.for_field(field)
    assert fast is not None
    for text in texts():
        assert sorted(fast.postings(words_of(text))) == sorted(field.index(text)), text[:80]


def test_a_field_it_does_not_know_is_left_to_whoosh() -> None:
    schema = build_schema()
    assert FieldTerms.for_field(schema["tag"]) is None  # a KEYWORD field
    assert FieldTerms.for_field(schema["id"]) is None


def test_pairs_of_an_index_s_own_words_as_whoosh_gives_them() -> None:
    """A schema with words chosen by document frequency (pair_words.py): the fast path
    pairs those words, not the fixed list."""
    own = frozenset({"people", "rights", "the", "of", "ŭ", "hetym", "ведаю"})
    field = build_schema(own)["biword"]
    fast = FieldTerms.for_field(field)
    assert fast is not None
    assert FieldTerms.for_field(build_schema()["biword"]) is not None
    for text in texts():
        assert sorted(fast.postings(words_of(text))) == sorted(field.index(text)), text[:80]
    terms = {term for term, *_ in fast.postings(words_of("of the people, human rights"))}
    assert terms == {b"of the", b"the people"}  # "human" is not theirs
