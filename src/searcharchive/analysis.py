"""Whoosh analysis pipelines: per-language stemming, exact words, folded name keys.

    [t.text for t in stemming_analyzer("be")("Крымінальнага кодэксу")]
    -> ["крымінальн", "кадекс"]   # also for "Крымінальнага кодэкса", "kodeksu"

Every text is indexed three ways: stemmed in its own language (recall), as
exact lowercase words (`--exact` mode, and the rank boost for exact spellings),
and as transliteration keys (Latin and Cyrillic spellings of a name meet).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from whoosh.analysis import Analyzer, Filter, LowercaseFilter, RegexTokenizer, Token

from .folding import fold_key
from .stemming import stem

WORD_PATTERN = r"\w+"
MIN_FOLD_CHARS = 4  # shorter words fold to keys shared by too many others


class LanguageStemFilter(Filter):
    """Snowball (en, ru) or our Belarusian analysis (stemming.py); picklable, unlike a lambda."""

    def __init__(self, lang: str):
        self.lang = lang
        self._stem = lru_cache(maxsize=100_000)(self._stem_word)

    def _stem_word(self, word: str) -> str:
        return stem(word, self.lang)

    def __getstate__(self) -> dict[str, str]:
        return {"lang": self.lang}

    def __setstate__(self, state: dict[str, str]) -> None:
        self.__init__(state["lang"])  # type: ignore[misc]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LanguageStemFilter) and other.lang == self.lang

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.stopped:
                token.text = self._stem(token.text)
            yield token


def fold_form(word: str) -> str:
    """The transliteration key a word is also found by, or "" when it has none: words
    shorter than MIN_FOLD_CHARS fold to keys shared by too many others. One rule for the
    index (FoldFilter), the query (query.QueryBuilder) and the snippets (snippets.Matcher)."""
    return fold_key(word) if len(word) >= MIN_FOLD_CHARS else ""


class FoldFilter(Filter):
    """Replaces each word by its transliteration key (folding.fold_key).

    With `names_only`, only words written with a capital get a key: names are what
    one looks up in another script, and keys for every common word were a third of
    all postings (indexing time) and matched unrelated words. Query words are
    folded whatever their case, so "seviarynets" still finds "Севярынец".
    """

    names_only = False  # the class default keeps indexes written before the option

    def __init__(self, names_only: bool = False):
        self.names_only = names_only

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldFilter) and other.names_only == self.names_only

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if self.names_only and not text[:1].isupper():
                continue
            token.text = fold_form(text)
            if token.text:
                yield token


@cache
def phrase_words() -> frozenset[str]:
    """The frequent words whose adjacent pairs get a term of their own (data file)."""
    text = (files("searcharchive") / "data" / "phrase_words.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def is_pair(first: str, second: str) -> bool:
    """Whether two words are both in the fixed list (`phrase_words`)."""
    words = phrase_words()
    return first in words and second in words


class PairFilter(Filter):
    """Adjacent pairs of frequent words as one term ("human rights").

    A phrase of two frequent words is then one term lookup instead of a walk
    over the positions of two very long postings lists; pairs with a rarer
    word are not indexed (the rarer word makes a positions check cheap), which
    keeps the vocabulary, and the indexing time, small.

    `words` are the frequent words of the index the filter belongs to: a full
    build chooses them by document frequency (pair_words.py), and they are
    pickled with the schema, so each index keeps its own. A filter unpickled
    from an index written before they were chosen has none of its own: the
    class default, the fixed list (`phrase_words`).
    """

    words: frozenset[str] | None = None  # None: the fixed list

    def __init__(self, words: frozenset[str] | None = None):
        if words is not None:
            self.words = frozenset(words)

    @property
    def pair_words(self) -> frozenset[str]:
        return phrase_words() if self.words is None else self.words

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairFilter) and other.pair_words == self.pair_words

    def __repr__(self) -> str:  # not thousands of words in a message
        own = "the fixed list" if self.words is None else f"{len(self.words)} words"
        return f"PairFilter({own})"

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        words = self.pair_words
        previous: str | None = None
        for token in tokens:
            text = token.text
            if previous is not None and previous in words and text in words:
                token.text = f"{previous} {text}"
                yield token
                token.text = text
            previous = text


def pairs_analyzer(words: frozenset[str] | None = None) -> Analyzer:
    """Pairs of `words` (None: the fixed list)."""
    return exact_analyzer() | PairFilter(words)


def pair_words_of(analyzer: Any) -> frozenset[str] | None:
    """The words a pairs analyzer pairs, or None if `analyzer` is not one."""
    items = getattr(analyzer, "items", None)
    if not items or not isinstance(items[-1], PairFilter):
        return None
    words = items[-1].pair_words
    return words if analyzer == pairs_analyzer(words) else None


def exact_analyzer() -> Analyzer:
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter()


def stemming_analyzer(lang: str) -> Analyzer:
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | LanguageStemFilter(lang)


def folding_analyzer() -> Analyzer:
    """Keys of the capitalised words (the tokenizer keeps case; fold_key lowercases)."""
    return RegexTokenizer(WORD_PATTERN) | FoldFilter(names_only=True)
