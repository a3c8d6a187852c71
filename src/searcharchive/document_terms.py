"""A document's terms per field, as the fields' Whoosh analyzers give them, found faster.

A statement's text is indexed by five analyzers (analysis.py): exact words with
positions (`exact`, `title_exact`), transliteration keys of capitalised words (`fold`,
`person`), pairs of frequent words (`biword`) and stems in its language (`title_xx`,
`body_xx`). Whoosh runs each analyzer as a chain of generators over one Token object,
a few Python calls per word per field; here each distinct text of a document is split
into words once (the same `\\w+` pattern) and each field's terms are counted from that
list. `TermSegmentWriter` uses it for the fields whose analyzer and format it knows
(`FieldTerms.for_field`), Whoosh's `field.index` for any other;
tests/test_document_terms.py checks both give the same terms, counts and values.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Iterator
from operator import sub
from typing import Any

from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from .analysis import (
    WORD_PATTERN,
    exact_analyzer,
    fold_form,
    folding_analyzer,
    pair_words_of,
    stemming_analyzer,
)
from .languages import LANGS
from .stemming import stem_word

WORDS = re.compile(WORD_PATTERN)
Posting = tuple[bytes, int, float, bytes]  # term, frequency, weight, value (Whoosh's)
Terms = Callable[[list[str]], Iterator[tuple[str, int]]]  # words -> (term, position)


def _exact(words: list[str]) -> Iterator[tuple[str, int]]:
    for position, word in enumerate(words):
        yield word.lower(), position


STEMS_KEPT = 200_000  # words per analysis whose stem or key a writing process keeps
_FOLDED: dict[str, str] = {}


def _folded(words: list[str]) -> Iterator[tuple[str, int]]:
    """FoldFilter(names_only=True): capitalised words only, keeping their positions."""
    if len(_FOLDED) > STEMS_KEPT:
        _FOLDED.clear()
    for position, word in enumerate(words):
        if word[:1].isupper():
            key = _FOLDED.get(word)
            if key is None:
                key = _FOLDED[word] = fold_form(word)
            if key:
                yield key, position


def _pairs(pair_words: frozenset[str]) -> Terms:
    """PairFilter(pair_words): adjacent words of the set, at the second word's position."""

    def terms(words: list[str]) -> Iterator[tuple[str, int]]:
        previous = None
        for position, word in enumerate(words):
            word = word.lower()
            if previous is not None and previous in pair_words and word in pair_words:
                yield f"{previous} {word}", position
            previous = word

    return terms


def _stemmed(lang: str) -> Terms:
    stems: dict[str, str] = {}

    def terms(words: list[str]) -> Iterator[tuple[str, int]]:
        if len(stems) > STEMS_KEPT:
            stems.clear()
        for position, word in enumerate(words):
            found = stems.get(word)
            if found is None:
                found = stems[word] = stem_word(word.lower(), lang)
            yield found, position

    return terms


def _known_analyzers() -> list[tuple[Any, Terms]]:
    known: list[tuple[Any, Terms]] = [
        (exact_analyzer(), _exact),
        (folding_analyzer(), _folded),
    ]
    known += [(stemming_analyzer(lang), _stemmed(lang)) for lang in LANGS]
    return known


class FieldTerms:
    """Postings of one field from a text's words: its analyzer's terms, counted in its
    format (Positions or Frequency), as `field.index(text)` would give them."""

    def __init__(self, terms: Terms, positions: bool, field_boost: float):
        self.terms = terms
        self.positions = positions
        self.field_boost = field_boost

    @classmethod
    def for_field(cls, field: Any) -> FieldTerms | None:
        """The fast path of a field, or None when its analyzer or format is not ours."""
        fmt = type(field.format)
        if fmt not in (Positions, Frequency) or not getattr(field, "analyzer", None):
            return None
        pair_words = pair_words_of(field.analyzer)  # the words of this index's schema
        if pair_words is not None:
            return cls(_pairs(pair_words), fmt is Positions, field.format.field_boost)
        for analyzer, terms in _known_analyzers():
            if field.analyzer == analyzer:
                return cls(terms, fmt is Positions, field.format.field_boost)
        return None

    def postings(self, words: list[str]) -> list[Posting]:
        boost = self.field_boost
        if self.positions:
            positions: dict[str, list[int]] = {}
            for term, position in self.terms(words):
                found = positions.get(term)
                if found is None:
                    positions[term] = [position]
                else:
                    found.append(position)
            return [
                (term.encode("utf-8"), len(found), len(found) * boost, _encode_positions(found))
                for term, found in positions.items()
            ]
        counts: dict[str, int] = {}
        for term, _ in self.terms(words):
            counts[term] = counts.get(term, 0) + 1
        return [
            (term.encode("utf-8"), count, float(count) * boost, pack_uint(count))
            for term, count in counts.items()
        ]


_ONE = pack_uint(1)


def _encode_positions(positions: list[int]) -> bytes:
    """`Positions.encode` (the count, then a pickle of the gaps between positions) with
    the gaps taken in C; most words are once in a text."""
    if len(positions) == 1:
        return _ONE + pickle.dumps(positions, 2)
    gaps = [positions[0], *map(sub, positions[1:], positions)]
    return pack_uint(len(gaps)) + pickle.dumps(gaps, 2)


def words_of(text: str) -> list[str]:
    """The tokens the fields' RegexTokenizer(WORD_PATTERN) finds, in order."""
    return WORDS.findall(text)
