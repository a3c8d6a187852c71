"""Highlighted snippets: escaped text with only our own <mark> tags added."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cached_property
from itertools import islice

from markupsafe import Markup, escape

from .analysis import MIN_FOLD_CHARS, fold_form
from .citations import find_citation_spans, with_parents
from .folding import fold_heads, fold_key, key_heads
from .languages import CYRILLIC
from .namekeys import name_word_keys
from .statement import CitedSpan, body_offset
from .stemming import (
    BE_LACINKA_LETTER,
    BE_TRANSLITERATED_START,
    SNOWBALL_LANGUAGES,
    stem,
    stem_tokens,
    word_starts,
)

WORD = re.compile(r"\w+")
MARK_TAG = re.compile(r"</?mark>")
WIDTH = 240
SCAN_LIMIT = 4000  # characters scanned word by word for a spelling in another script
PLACEMENT_LIMIT = 50_000  # characters searched for the snippet's place (matches, citations)
PRIME_WORDS = 64  # words of the bounded scan stemmed in one batch (the scan stops at a match)


# a word that starts with a capital: it may match through folding or a name key,
# whatever its first letter (Matcher.scan_patterns). The capitals of the Basic
# Multilingual Plane are listed (0.3 s to list those of all of Unicode at import);
# beyond it, any word character may start one (mathematical bold letters, say), but
# no other character (an emoji before a name: "👉Бяляцкага" is judged as Бяляцкага).
_CAPITALS = "".join(c for c in map(chr, range(0x10000)) if c.isupper() and WORD.match(c))
# the class first, then "no word character before it": the regex engine skips to the
# class's characters in C (four times faster than a look-behind first)
CAPITALISED = re.compile(rf"(?:[{re.escape(_CAPITALS)}]|(?=\w)[\U00010000-\U0010ffff])(?<!\w.)\w*")
# a word of a Belarusian text that is transliterated, which may give any stem: one
# that starts in another script, or has a letter only Łacinka uses (a look-behind
# first, slower, but only in Belarusian texts and rarely needed past the others)
TRANSLITERATED = re.compile(
    rf"{BE_TRANSLITERATED_START}(?<!\w.)\w*|(?<!\w)(?=\w*{BE_LACINKA_LETTER})\w+"
)


def _latin(word: str) -> bool:
    return not CYRILLIC.search(word)


class Matcher:
    """Decides whether a word of a document matches one of the query's words.

    A word matches as typed (case aside), by its stem in the document's
    language, or only through its transliteration key; the verdict of each
    distinct word is remembered, as a text repeats its words.
    """

    NO, DIRECT, FOLDED = 0, 1, 2

    def __init__(self, words: Iterable[str], lang: str, exact: bool, names: Iterable[str] = ()):
        self.words = {w.lower() for w in words}
        # the nominative keys of the query's names: a capitalised word of the text in
        # another case form matches through them (Бяляцкага for "Bialiatski")
        self.name_keys = set().union(*(name_word_keys(n) for n in names)) if not exact else set()
        self.lang = lang
        self.exact = exact
        # a stem and the scripts (Latin or not) of the query words that give it: Belarusian
        # analysis reads Łacinka, so "Sieviaryniec" and "Севярынец" share a stem, yet the
        # reader typed another spelling and is told so ("matched Севярынец")
        self.stem_scripts: dict[str, set[bool]] = {}
        for w in self.words:
            self.stem_scripts.setdefault(stem(w, lang), set()).add(_latin(w))
        self.stems = set(self.stem_scripts)
        # the first letters of a word that may have one of those stems
        self.start_letters = word_starts(self.stems, lang) if not exact else frozenset()
        self.keys = {fold_form(w) for w in self.words} - {""}
        # what those keys start with: a word whose key cannot start so is judged NO
        # without computing its key (folding.fold_heads)
        self.heads = frozenset().union(*map(key_heads, self.keys | self.name_keys))
        self._verdicts: dict[tuple[str, bool], int] = {}
        self._stems: dict[str, str] = {}  # lowercase words stemmed in a batch (`prime`)
        words_pattern = "|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True))
        self.exact_pattern = (
            re.compile(rf"(?<!\w)(?:{words_pattern})(?!\w)", re.IGNORECASE) if self.words else None
        )

    @cached_property
    def stem_pattern(self) -> re.Pattern[str] | None:
        """Words that share a query word's or stem's first four letters: compiled when a
        snippet first needs it (most find a query word as typed first)."""
        heads = sorted({w[:4] for w in self.stems | self.words if len(w) >= 3})
        if not heads or self.exact:
            return None
        return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, heads))})\w*", re.IGNORECASE)

    def verdict(self, token: str) -> int:
        """A word matches through its transliteration key only when written with a
        capital, as the index keys only such words (names): "release" must not mark
        "rules" (one consonant skeleton)."""
        named = token[:1].isupper()
        lowered = token.lower()
        known = self._verdicts.get((lowered, named))
        if known is not None:
            return known
        if lowered in self.words:
            result = self.DIRECT
        elif self.exact:
            result = self.NO
        elif (
            self._may_share_a_stem(token, lowered)
            and (stemmed := self._stems.get(lowered) or stem(lowered, self.lang)) in self.stems
        ):
            same_script = _latin(lowered) in self.stem_scripts[stemmed]
            result = self.DIRECT if same_script else self.FOLDED
        elif named and fold_heads(lowered) & self.heads and self._folded(token, lowered):
            result = self.FOLDED
        else:
            result = self.NO
        self._verdicts[(lowered, named)] = result
        return result

    def _folded(self, token: str, lowered: str) -> bool:
        """The capitalised word matches through its key, or a case form of a name
        through the key of its nominative (the costly test: most words that start a
        sentence or name someone else are ruled out by `fold_heads` first)."""
        if fold_form(lowered) in self.keys:  # keys hold no ""
            return True
        return bool(self.name_keys and name_word_keys(token) & self.name_keys)

    def prime(self, tokens: Iterable[str]) -> None:
        """Stem the words of a stretch not judged yet in one Snowball call, not one call
        a word (Belarusian words go through `stem`'s cache word by word)."""
        if self.exact or self.lang not in SNOWBALL_LANGUAGES:
            return
        new = [
            w
            for w in dict.fromkeys(t.lower() for t in tokens)
            if w not in self._stems and w not in self.words
        ]
        if len(new) > 1:
            self._stems.update(zip(new, stem_tokens(new, self.lang), strict=True))

    def matches(self, token: str) -> bool:
        return self.verdict(token) != self.NO

    @cached_property
    def stem_starts(self) -> re.Pattern[str] | None:
        """A lowercase word that starts as a word of a query stem may
        (stemming.word_starts); None in exact mode, or when no word can."""
        if not self.start_letters:
            return None
        letters = re.escape("".join(sorted(self.start_letters)))
        return re.compile(rf"[{letters}](?<!\w.)\w*")

    def _may_share_a_stem(self, token: str, lowered: str) -> bool:
        """Whether the word may have a query word's stem: it starts as such a word may
        (`start_letters`), or is a transliterated Belarusian word, which may give any
        stem. Others, most capitalised words among them, are not stemmed."""
        if lowered[:1] in self.start_letters:
            return True
        return self.lang == "be" and TRANSLITERATED.fullmatch(token) is not None

    @cached_property
    def scan_patterns(self) -> tuple[re.Pattern[str], ...]:
        """What a bounded scan judges: capitalised words, `stem_starts` words and, in
        Belarusian, transliterated words. The rest cannot match but as typed, which the
        exact pattern finds; regexes in C pick them out, not a test per word. Fixed
        patterns are compiled once: a Belarusian class of every letter but a few took
        0.3-0.6 ms to compile a query."""
        if self.exact:
            return ()
        fixed = (CAPITALISED, TRANSLITERATED) if self.lang == "be" else (CAPITALISED,)
        return fixed if self.stem_starts is None else (*fixed, self.stem_starts)

    def may_match(self, token: str) -> bool:
        """Whether the bounded scan judges the word `token`."""
        return any(pattern.fullmatch(token) for pattern in self.scan_patterns)

    def judged(self, text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
        """The words of text[start:end] that may match, in order: the query words as
        typed (the exact pattern) and the words of the bounded scan's patterns. No other
        word can (`scan_patterns`): regexes in C pick out the few for a verdict, not a
        verdict a word."""
        stop = len(text) if end is None else end
        patterns = (self.exact_pattern,) if self.exact_pattern is not None else ()
        found = [m for p in (*patterns, *self.scan_patterns) for m in p.finditer(text, start, stop)]
        return sorted(found, key=lambda m: m.start())

    def spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Where the words of text[start:end] that match are, in order (a word two
        patterns find is judged once, from the verdicts kept)."""
        judged = self.judged(text, start, end)
        self.prime(m.group() for m in judged)
        return sorted({m.span() for m in judged if self.matches(m.group())})

    def other_forms(self, text: str) -> list[str]:
        """Spellings that matched only through folding ("matched Северинец"): for
        query words the text never has as typed or by stem."""
        if self.exact:
            return []
        lowered = text.lower()
        if all(w in lowered for w in self.words):
            return []  # every query word is there as typed
        folded: dict[str, list[str]] = {}
        direct_keys: set[str] = set()
        for token in dict.fromkeys(m.group() for m in self.judged(text)):
            verdict = self.verdict(token)
            if verdict == self.FOLDED:
                folded.setdefault(fold_key(token.lower()), []).append(token)
            elif verdict == self.DIRECT and len(token) >= MIN_FOLD_CHARS:
                direct_keys.add(fold_key(token.lower()))
        forms = [t for key, tokens in folded.items() if key not in direct_keys for t in tokens]
        return list(dict.fromkeys(forms))[:5]


def _first_match(text: str, matcher: Matcher) -> int | None:
    """Where the snippet starts: the first query word as typed (a regex search in C),
    else the first word that matches by stem or spelling (a word-by-word scan)."""
    if matcher.exact_pattern is not None:
        found = matcher.exact_pattern.search(text)
        if found:
            return found.start()
    if matcher.stem_pattern is not None:  # words sharing a query word's stem's start
        for match in matcher.stem_pattern.finditer(text):
            if matcher.matches(match.group()):
                return match.start()
    # other spellings: a bounded scan of the words that may match, the first of each
    # kind (a second kind is scanned only up to the first match of the one before)
    stop, first = SCAN_LIMIT, None
    for pattern in matcher.scan_patterns:
        scanned = pattern.finditer(text, 0, stop)
        while stretch := list(islice(scanned, PRIME_WORDS)):
            matcher.prime(match.group() for match in stretch)
            at = next((m.start() for m in stretch if matcher.matches(m.group())), None)
            if at is not None:
                stop = first = at
                break
    return first


CITATION_CONTEXT = 160  # characters around an article number that the grammar reads


def _article_windows(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Stretches of text around the searched articles' numbers: the citation grammar
    runs on these only, not on a whole body, for each hit of a citation search. A
    search for a whole code (no number) reads the text whole."""
    numbers = set()
    for cid in wanted:
        bits = cid.split(":")
        number = re.match(r"[0-9]+", bits[1]) if len(bits) > 1 else None
        if number is None:
            return [(0, len(text))]
        numbers.add(number.group())
    pattern = re.compile(rf"(?<!\d)(?:{'|'.join(sorted(numbers))})(?!\d)")
    windows: list[tuple[int, int]] = []
    for match in pattern.finditer(text):
        start = max(0, match.start() - CITATION_CONTEXT)
        end = min(len(text), match.end() + CITATION_CONTEXT)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def placed_citations(title: str, body: str, spans: Iterable[CitedSpan]) -> list[CitedSpan]:
    """The citations a snippet can show, from those the grammar found in the statement's
    whole text (title, blank line, body): those of the text `highlight` is given (the
    body, or the title of a statement without one) within its first PLACEMENT_LIMIT
    characters, with offsets into that text. Stored at index time, so a citation
    search runs no grammar per hit."""
    offset, length = (body_offset(title), len(body)) if body else (0, len(title))
    stop = min(length, PLACEMENT_LIMIT)
    return [
        (start - offset, end - offset, ids)
        for start, end, ids in spans
        if start >= offset and end - offset <= stop
    ]


def _cites(ids: list[str], wanted: set[str]) -> bool:
    """A citation of one of the searched articles, or of a part or parent of one."""
    return bool(with_parents(ids) & wanted) or any(
        cid.startswith(f"{w}:") for cid in ids for w in wanted
    )


def cited_spans(
    text: str,
    articles: Iterable[str],
    first_only: bool = False,
    stored: Iterable[CitedSpan] | None = None,
) -> list[tuple[int, int]]:
    """Where the text cites one of the searched articles (or a part or parent of one);
    with `first_only`, those of the first stretch that cites one (a snippet shows one).
    `stored` are the text's citations found at index time (`placed_citations`); without
    them the grammar reads the stretches around the articles' numbers."""
    wanted = set(articles)
    if not wanted:
        return []
    if stored is not None:
        return sorted({(start, end) for start, end, ids in stored if _cites(ids, wanted)})
    spans: list[tuple[int, int]] = []
    for offset, stop in _article_windows(text, wanted):
        for start, end, ids in find_citation_spans(text[offset:stop]):
            if _cites(ids, wanted):
                spans.append((offset + start, offset + end))
        if spans and first_only:
            break
    return sorted(set(spans))


def plain(snippet: str, mark: str = "") -> str:
    """A highlighted snippet as text, each <mark> tag replaced by `mark`."""
    return html.unescape(MARK_TAG.sub(mark, snippet))


def highlight(
    text: str,
    matcher: Matcher | None,
    width: int = WIDTH,
    articles: Iterable[str] = (),
    summary: str = "",
    cited: Iterable[CitedSpan] | None = None,
) -> Markup:
    """The best window of `text` with matched words and cited articles marked; the text
    is escaped and only our own <mark> tags are added.  Where nothing in `text` matches,
    the `summary` is shown instead of the text's opening (a subtitle, a dateline).
    `cited` are the text's citations found at index time (`placed_citations`)."""
    if not text:
        return Markup("")
    # a huge body costs no more than its first pages: the snippet is placed within them
    searched = text[:PLACEMENT_LIMIT]
    citations = cited_spans(searched, articles, first_only=True, stored=cited)
    start = 0
    first = _first_match(searched, matcher) if matcher else None
    if citations and (first is None or citations[0][0] < first):
        first = citations[0][0]
    if first is None and summary and summary != text:
        return highlight(summary, matcher, width)
    if first is not None:
        start = max(0, first - width // 4)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + 30:
        end += 1
    words = matcher.spans(text, start, end) if matcher else []
    spans: list[tuple[int, int]] = []
    for span in sorted([*citations, *words]):
        if spans and span[0] < spans[-1][1]:  # a word inside a marked citation
            spans[-1] = (spans[-1][0], max(spans[-1][1], span[1]))
        else:
            spans.append(span)
    parts: list[str] = ["…" if start > 0 else ""]
    position = start
    for s, e in spans:
        if s < start or e > end:
            continue
        parts.append(str(escape(text[position:s])))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        position = e
    parts.append(str(escape(text[position:end])))
    if end < len(text):
        parts.append("…")
    return Markup("".join(parts))


def mark_words(text: str, matcher: Matcher | None) -> Markup:
    """The whole text escaped, with each word the matcher accepts in our own <mark>
    (a statement page reached from a search shows where the query's words are)."""
    if matcher is None:
        return escape(text)
    parts: list[str] = []
    position = 0
    for start, end in matcher.spans(text, 0, min(len(text), PLACEMENT_LIMIT)):
        parts.append(str(escape(text[position:start])))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts))
