"""Near spellings: words the index holds one edit away from a query word that finds nothing.

    Speller(reader, lexicon).near("seviarynetz") -> ["seviarynets"]

A search without hits suggests the query with such a word in place of the misspelt one
(web/explain.py), and only when that search finds something. Candidates are the word's
edits at distance 1 (a letter dropped, added or changed, two neighbours swapped) over
the letters of its own script, so a suggestion is in the script the reader typed; each
is looked up in the `exact` field, whose terms are the words of the texts as written
(lowercased), never a stem or a transliteration key, so a suggestion is a word the
reader can type. The cost is a fixed number of term-dictionary lookups a word, about
(2 · letters + 2) · (length + 1), whatever the size of the vocabulary.

Whoosh's own `corrector`/`terms_within` walk a Levenshtein automaton over the sorted
term dictionary, a binary search of the segment's term file an automaton step. On
3,000 generated statements (130,000 words, 2 segments; `python -m bench.spelling`, a
machine loaded by other work) a misspelt word cost 22–29 ms at the median (p95 45 ms)
here, 82–99 ms (p95 125–143 ms) through `terms_within` at distance 1, and 0.6–1 s at
distance 2, which is therefore not offered.
"""

from __future__ import annotations

import re
from typing import Any

from .postings import LiveLexicon
from .stemming import stem

FIELD = "exact"
LATIN = "abcdefghijklmnopqrstuvwxyz"
LACINKA = "ćčłńśšźžŭ"  # Belarusian Latin letters, used when the word has one
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіў"
# letters of one of the Cyrillic languages only: a Belarusian word is not respelt
# into a Russian one (палітвязні -> политвязні) nor the other way round
ONLY_IN = {"be": frozenset("іў"), "ru": frozenset("иъщ")}
MIN_LETTERS = 4  # shorter words have too many neighbours to guess from
MAX_LETTERS = 24  # and longer ones are not looked at (a bound on the lookups)
MAX_SUGGESTIONS = 3  # near spellings of one word, most used first
MAX_COUNTED = 12  # candidates whose live documents are counted


def script_letters(word: str) -> tuple[str, tuple[str, ...]]:
    """The letters of the script most of the word is written in and the languages
    written in it (("", ()) for neither)."""
    cyrillic = sum(ch in CYRILLIC for ch in word)
    latin = sum(ch in LATIN or ch in LACINKA for ch in word)
    if cyrillic > latin:
        return CYRILLIC, ("be", "ru")
    if latin > cyrillic:
        if any(ch in LACINKA for ch in word):
            return LATIN + LACINKA, ("be",)
        return LATIN, ("en",)
    return "", ()


def edits(word: str, letters: str) -> set[str]:
    """Every word one edit away from `word` (Damerau–Levenshtein) over `letters`."""
    found: set[str] = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        for letter in letters:
            found.add(head + letter + tail)
            if tail:
                found.add(head + letter + tail[1:])
        if tail:
            found.add(head + tail[1:])
        if len(tail) > 1:
            found.add(head + tail[1] + tail[0] + tail[2:])
    found.discard(word)
    return found


def same_language(word: str, candidate: str) -> bool:
    """No letter of Belarusian only in one and of Russian only in the other."""
    for one, other in (("be", "ru"), ("ru", "be")):
        if ONLY_IN[one] & set(word) and ONLY_IN[other] & set(candidate):
            return False
    return True


def respelt(word: str, typed: str) -> str:
    """`word` (lowercase, as the index holds it) in the case the reader typed."""
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def respell_query(query: str, word: str, near: str) -> str:
    """The query with `word` (as a whole word, typed in any case) replaced by `near` in
    the case it was typed."""
    typed = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    return typed.sub(lambda match: respelt(near, match.group()), query)


class Speller:
    """Near spellings of a word among the words of a generation's live documents."""

    def __init__(self, reader: Any, lexicon: LiveLexicon):
        self.leaves = [leaf for leaf, _base in reader.leaf_readers()]
        self.lexicon = lexicon

    def doc_frequency(self, term: str) -> int:
        return sum(leaf.doc_frequency(FIELD, term) for leaf in self.leaves)

    def near(self, word: str) -> list[str]:
        """Words of live documents one edit from `word` in its script, those in the most
        documents first (up to MAX_SUGGESTIONS); none for a word too short, too long,
        with a digit, or in no one script."""
        word = word.lower()
        letters, langs = script_letters(word)
        if not letters or not MIN_LETTERS <= len(word) <= MAX_LETTERS:
            return []
        if any(ch.isdigit() for ch in word):
            return []
        found = sorted(
            candidate
            for candidate in edits(word, letters)
            if same_language(word, candidate)
            and any((FIELD, candidate) in leaf for leaf in self.leaves)
        )
        # live documents are counted for those in the most documents, deleted ones included
        # (the term dictionary's figure): a bound on the postings read
        found = sorted(found, key=lambda c: -self.doc_frequency(c))[:MAX_COUNTED]
        counted = [(self.lexicon.documents(FIELD, c), c) for c in found]
        kept: list[str] = []
        stems: set[tuple[str, str]] = set()
        for _n, candidate in sorted((-n, c) for n, c in counted if n):
            # another form of a word kept already (hearing, hearings) finds the same
            forms = {(lang, stem(candidate, lang)) for lang in langs}
            if not forms & stems:
                kept.append(candidate)
                stems |= forms
        return kept[:MAX_SUGGESTIONS]
