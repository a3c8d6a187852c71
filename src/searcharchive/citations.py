"""Legal citations in text ("ч. 1 ст. 342 УК", "Art. 23.34 CAO") -> canonical ids.

Ids are lowercase and colon-separated: ``cc`` (a code), ``cc:342`` (an article),
``cc:342:1`` (part 1 of it).  Foreign codes carry a country prefix (``ru-cc``).
Code names, acts without an id and the article/part vocabulary are data, in
``data/codes.yaml``.

Matching reads a folded copy of the text (dashes, spaces, a Latin "i" in a Cyrillic
word), one character for one, so spans point into the stored text.  A line break is
a space; a blank line ends a sentence.  The text is cut into tokens: code and act
names (several words, with an adjacent or inner "РФ" / "of the Republic of Belarus"
folded in), article, part and point words, ordinals ("першай"), numbers, connectors
("and", ",", "и"), fillers ("of", "the", "по"), other words, and breaks (". ! ? ;").
A dot glued to a number before a code or an article word is not a break
("статьи 23.34. КоАП").  Article numbers with their parts form a group, bound to

1. the first code named after it, with at most 4 other words in between (words in
   brackets don't count, up to 25): "Article 342 (mass riots) of the Criminal Code";
2. a code named between the article word and the numbers: "артыкуламі Крымінальнага
   кодэкса 340 (...) і 368", "Articles of the Covenant: 19, paragraph 2; 21";
3. failing that, the code named right before the article word, if no citation used
   it yet ("Criminal Code, Article 342", "УК ст. 342"), unless a capitalised word
   follows the numbers ("..., Article 5 of the Law on Mass Events");
4. failing that, as a list continuation, the last code named in the same sentence,
   if the numbers run straight into the end of the sentence or clause:
   "Article 342 of the Criminal Code and Article 369." -> cc:342, cc:369;
5. failing that, when the statement cites one code only, that code, for an article
   after its first citation: "... ст. 342 УК ... ч. 1 ст. 367 (клевета)".
A bare number right after a citation continues its list if a code follows it
("368 КК (...), 369 КК"); "part 2 of the same article" repeats the article cited
before.  An act that has no id (a law, a decree, the Optional Protocol, the Civil
Code) takes the numbers bound to it, so they cite nothing.  Part numbers before an
article word belong to it ("ч. 1 ст. 342", "Part 2, Art. 342"); part numbers right
after an article number belong to that article ("Art. 130, Part 3", "Article
130(3)").  A point (пункт, абзац) counts as the part only if no part is named.
A national code without a qualifier is filed under a foreign country when the text
names places of that country and none of Belarus (codes.yaml `context`).  Numbers
beyond a code's last article give no id (``citation_flags`` lists them).
Regexes are bounded or cannot backtrack and tokens are read once: linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .citation_grammar import (
    ARTICLE_RE,
    BREAK_CHARS,
    CANONICAL_RE,
    CLOSE,
    LANGS,
    MAX_BRACKET_GAP,
    MAX_GAP,
    MAX_QUERY,
    OPEN,
    PART_RE,
    QUALIFIERS,
    SUPERSCRIPTS,
    TOKEN_RE,
    ArticleTitle,
    Grammar,
    article_titles,
    grammar,
)
from .languages import CYRILLIC


@dataclass
class _Tok:
    kind: str  # code country home art part point ord num pnum conn fill word punct break
    start: int
    end: int
    value: str = ""
    cap: bool = False
    qualified: bool = False  # a code with its country or "of Belarus" beside or inside it


# Matching sees a copy of the text in which every dash is "-", every space a space and
# a Latin "i" inside a Cyrillic word Cyrillic: one character for one, so that spans
# still point into the stored text, which is never changed.
_FOLD = str.maketrans(
    {**dict.fromkeys("‐‑‒–−", "-"), **dict.fromkeys("\u00a0\u2007\u2009\u202f", " ")}
)
_LATIN_I = re.compile(r"(?<=[\u0400-\u04ff])[iI]|[iI](?=[\u0400-\u04ff])")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_DIGIT = re.compile(r"\d")


_FOLDED_CHARS = [(chr(char), other) for char, other in _FOLD.items()]


def _fold(text: str) -> str:
    """`text.translate(_FOLD)`, then Latin i's in Cyrillic words made Cyrillic. Done by
    `str.replace` of the few characters a text has, and the look-around pattern only
    where a text has a Latin i and Cyrillic at all: 13 µs a statement, not 430 (a
    translate through a dict, and a look-behind tried at every character)."""
    for char, other in _FOLDED_CHARS:
        if char in text:
            text = text.replace(char, other)
    if ("i" in text or "I" in text) and CYRILLIC.search(text):
        return _LATIN_I.sub(lambda m: "і" if m.group() == "i" else "І", text)
    return text


def _plain_tokens(text: str, pos: int, end: int, g: Grammar, out: list[_Tok]) -> None:
    """Tokens of text[pos:end], a stretch without code names."""
    while pos < end:
        m = TOKEN_RE.match(text, pos, end)
        assert m is not None  # the last alternative matches any character
        kind, s, e, raw = m.lastgroup or "other", m.start(), m.end(), m.group()
        if kind == "ws":
            if text.count("\n", s, e) >= 2:
                out.append(_Tok("break", s, e))
        elif kind == "word":
            word = raw.lower()
            if word in g.dotted and e < end and text[e] == ".":
                e += 1
            kind = g.words.get(word, "word")
            value = g.ordinals[word] if kind == "ord" else word
            out.append(_Tok(kind, s, e, value, raw[0].isupper()))
        elif kind in ("num", "pnum"):
            out.append(_Tok(kind, s, e, raw))
        elif raw in ",&":
            out.append(_Tok("conn", s, e, raw))
        else:
            out.append(_Tok("break" if raw in BREAK_CHARS else "punct", s, e, raw))
        pos = e


def _scanned(m: re.Match[str], g: Grammar) -> _Tok:
    """A token for a scanner match: a code (with a country inside its name), a keyword ..."""
    kind, value = g.groups[m.lastgroup or ""]
    qualified = False
    if kind == "code" and value and g.countries is not None:
        inner = g.countries.search(m.group())
        if inner is not None:
            prefixed = f"{g.country_prefixes[inner.lastgroup or '']}-{value}"
            value, qualified = (prefixed, True) if prefixed in g.labels else (value, False)
    return _Tok(kind, m.start(), m.end(), value, True, qualified)


def _tokenize(text: str, g: Grammar, pos: int, end: int) -> list[_Tok]:
    """Tokens of text[pos:end]."""
    raw: list[_Tok] = []
    for m in g.scanner.finditer(text, pos, end):
        _plain_tokens(text, pos, m.start(), g, raw)
        raw.append(_scanned(m, g))
        pos = m.end()
    _plain_tokens(text, pos, end, g, raw)
    return _implied_article_words(_dots_after_numbers(_fold_qualifiers(raw, g)))


def _fold_qualifiers(raw: list[_Tok], g: Grammar) -> list[_Tok]:
    """Fold "РФ", "of the Republic of Belarus" into the code beside it."""
    out: list[_Tok] = []
    folded = False  # out[-1] is a code that already took a qualifier
    for tok in raw:
        last = out[-1] if out else None
        code, qual = (last, tok) if tok.kind in QUALIFIERS else (tok, last)
        if code and qual and code.kind == "code" and qual.kind in QUALIFIERS and not folded:
            national = qual.kind == "country" and code.value
            value = f"{qual.value}-{code.value}" if national else code.value
            if value in g.labels or not code.value:  # treaties take no country
                start = min(code.start, qual.start)
                out[-1] = _Tok("code", start, max(code.end, qual.end), value, True, True)
                folded = True
                continue
        out.append(tok)
        folded = False
    return out


def _dots_after_numbers(toks: list[_Tok]) -> list[_Tok]:
    """ "статьи 23.34. КоАП", "ч. 2. ст. 411": a dot glued to a number and followed by a
    code or an article word does not end the sentence."""
    for i in range(1, len(toks) - 1):
        tok, prev = toks[i], toks[i - 1]
        if (
            tok.kind == "break"
            and tok.value == "."
            and prev.kind == "num"
            and prev.end == tok.start
        ):
            nxt = next((t for t in toks[i + 1 : i + 4] if t.kind != "fill"), None)
            if nxt is not None and nxt.kind in ("code", "art", "part"):
                toks[i] = _Tok("punct", tok.start, tok.end, ".")
    return toks


# "по 342-й статье", "па 342-м артыкуле": an ordinal ending between number and article word
_ORDINAL_ENDINGS = frozenset("й я ю е м ой ей ая ую ое го му ым ом ага аму ім ым ае ы і ая".split())
# "оштрафован по 24.23 КоАП": a number between "по" and a code cites without an article word
_INTRODUCERS = frozenset(("по", "па", "pa", "паводле", "согласно", "under"))


def _ordinal_run(toks: list[_Tok], i: int) -> tuple[list[_Tok], int] | None:
    """ "342-й и 130-й статьям": the numbers and connectors of a run of ordinal numbers
    that ends in an article word, and the index after it; None if toks[i] starts none."""
    kept: list[_Tok] = []
    while i + 2 < len(toks):
        num, dash, ending = toks[i], toks[i + 1], toks[i + 2]
        if not (
            num.kind == "num"
            and dash.value == "-"
            and num.end == dash.start
            and ending.value in _ORDINAL_ENDINGS
        ):
            return None
        kept.append(num)
        i += 3
        if i < len(toks) and toks[i].kind == "art":
            return kept, i + 1
        if i < len(toks) and toks[i].kind == "conn":
            kept.append(toks[i])
            i += 1
            continue
        return None
    return None


def _implied_article_words(toks: list[_Tok]) -> list[_Tok]:
    """Put an (empty) article word before numbers that cite without one in front of them:
    "по 342-й статье", "па 342-м артыкуле", "оштрафован по 24.23 КоАП"."""
    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "num":
            run = _ordinal_run(toks, i)
            if run is not None:
                out += [_Tok("art", tok.start, tok.start, "", False), *run[0]]
                i = run[1]
                continue
            prev = out[-1] if out else None
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            introduced = prev is not None and prev.kind == "fill" and prev.value in _INTRODUCERS
            if introduced and nxt is not None and nxt.kind == "code" and nxt.value:
                out.append(_Tok("art", tok.start, tok.start, "", False))
        out.append(tok)
        i += 1
    return out


@dataclass
class _Ref:
    article: str
    parts: list[str]
    bare: bool = False  # a number taken without an article word right before it
    end: int = -1  # where its number ends


@dataclass
class _Span:
    start: int
    end: int
    refs: list[_Ref]
    code: str  # "" for an act that has no id
    qualified: bool


def _article(raw: str) -> str | None:
    """Normalise an article number ("361¹" -> "361-1"), or None if it can't be one."""
    s = raw
    cut = len(s.rstrip(SUPERSCRIPTS))
    if cut < len(s):
        if "-" in s:
            return None
        s = s[:cut] + "-" + s[cut:].translate(str.maketrans(SUPERSCRIPTS, "1234567890"))
    return s if ARTICLE_RE.fullmatch(s) else None


class _Parser:
    """The state machine described in the module docstring: feed() tokens, then finish()."""

    def __init__(self) -> None:
        self.spans: list[_Span] = []
        self.last_span: _Span | None = None  # the last citation with a code
        self.orphans: list[_Span] = []  # article-word groups that named no code
        self.sentence_code: _Tok | None = None  # last code named in this sentence
        self.last_code: _Tok | None = None
        self.last_code_used = False  # did a group bind to last_code?
        self.adjacent = False  # only commas / punctuation since last_code
        self.after_artnum = False  # an article number (and maybe a comma) just went by
        self.pnum_chain = False  # "(2) and": a bracketed part may follow
        self.after_code = False  # a code just took a group: "368 КК (...), 369 КК"
        self.prev: _Tok | None = None
        self._reset()

    def _reset(self) -> None:
        self.refs: list[_Ref] = []
        self.pre_parts: list[str] = []  # parts for the next article number
        self.part_buf: list[str] = []  # parts not yet known to go before or after
        self.point_buf: list[str] = []  # points (пункт, абзац): parts only if no part follows
        self.part_backward = False  # the part word came right after an article number
        self.conn_after_part = False  # "Art. 342, Part 1 and Art. 369": a list goes on
        self.mode: str | None = None  # "art" / "part" / "point": what a number would be
        self.expect = False  # a number is welcome: after a keyword or a connector
        self.start, self.end = -1, 0
        self.lead: _Tok | None = None  # the code named right before the group
        self.header: _Tok | None = None  # "Articles of the Covenant: 19, 21"
        self.art_open = False  # an article word, then only fillers: a code may follow
        self.continuation = False  # numbers after a code's citation, without a keyword
        self.introduced = False  # "under / по / па" or a part word opened the group
        self.interrupted = self.claimed = self.bracket_seen = False
        self.gap = self.bracket_gap = self.depth = 0

    def feed(self, t: _Tok) -> None:
        prev_artnum, self.after_artnum = self.after_artnum, False
        pnum_chain, self.pnum_chain = self.pnum_chain, False
        after_code, self.after_code = self.after_code, False
        k = t.kind
        if k == "break":
            self._break(t)
        elif k == "code":
            self._code(t)
        elif k in ("art", "part", "point"):
            self._keyword(t, prev_artnum)
        elif k == "same":
            self._same(t)
        elif k == "num":
            self._num(t, after_code)
        elif k == "ord" and self.expect and self.mode in ("part", "point"):
            self._sub_number(t.value, t.end)
        elif k == "pnum" and (prev_artnum or pnum_chain) and self.refs:
            self.refs[-1].parts.append(t.value.strip("() \t"))
            self.end, self.after_artnum, self.pnum_chain = t.end, True, True
        elif k == "conn":
            self._conn(t, prev_artnum, pnum_chain, after_code)
        elif k == "fill":
            self.mode, self.expect = None, False
        elif k == "punct":
            self._punct(t, prev_artnum, after_code)
        else:
            self._word(t)
        if self.depth > 0 and k not in ("code", "break"):
            self.after_code = self.after_code or after_code  # words in brackets keep a list
        if k != "code" and k != "punct" and t.value != ",":
            self.adjacent = False
        if k not in ("fill", "art"):
            self.art_open = self.art_open and k == "punct" and t.value == ":"
        self.prev = t

    def _break(self, t: _Tok) -> None:
        if t.value == ";" and self.header is not None and self.refs:
            # "Articles of the Covenant: 19, paragraph 2; 21": ";" separates list items
            self._resolve_parts(before_article=False)
            self.mode, self.expect = "art", True
            return
        self._flush(clause_end=True)
        self.sentence_code, self.last_code = None, None

    def _conn(self, t: _Tok, prev_artnum: bool, pnum_chain: bool, after_code: bool) -> None:
        closed = self.prev is not None and self.prev.value in CLOSE
        if self.refs and closed and self.mode is None:
            self.mode = "art"  # "340 (...) і 368 (...)"
        self.expect = self.mode is not None
        if t.value == "," and self.prev is not None and self.prev.kind == "art":
            self.mode, self.expect = None, False  # "In this article, 5 experts ..."
        self.conn_after_part = bool(self.part_buf)
        self.after_artnum = prev_artnum and t.value == ","
        self.pnum_chain = pnum_chain
        self.after_code = after_code

    def _punct(self, t: _Tok, prev_artnum: bool, after_code: bool) -> None:
        if t.value in OPEN:
            self.depth, self.bracket_seen = self.depth + 1, True
        elif t.value in CLOSE:
            self.depth = max(0, self.depth - 1)
        self.after_artnum = prev_artnum and t.value == "."  # "ч. 2. ст. 411"
        self.after_code = after_code

    def _keyword(self, t: _Tok, prev_artnum: bool) -> None:
        if self.refs and self.interrupted:
            self._flush(clause_end=False)
        if t.kind == "art":
            self._resolve_parts(before_article=True)
            self.art_open = not self.refs
        elif t.kind == "part":
            self.part_backward = prev_artnum and bool(self.refs)
            self.point_buf = []  # a point under a part is not kept
        if self.start < 0:
            self.start = t.start
            self.introduced = t.kind != "art" or (
                self.prev is not None and self.prev.kind == "fill"
            )
            if self.last_code and self.adjacent and not self.last_code_used:
                self.lead = self.last_code
        self.mode, self.expect, self.end = t.kind, True, t.end

    def _num(self, t: _Tok, after_code: bool) -> None:
        art = _article(t.value)
        if (
            art
            and not self.expect
            and not self.refs
            and self.start < 0
            and after_code
            and not self.depth
        ):
            self.start, self.continuation, self.mode, self.expect = t.start, True, "art", True
        if self.expect and self.mode == "art" and art:
            bare = self.header is not None or self.continuation or self._conn_after_bracket()
            self.refs.append(_Ref(art, self.pre_parts, bare, t.end))
            self.pre_parts, self.bracket_seen, self.after_artnum = [], False, True
        elif self.expect and self.mode in ("part", "point") and PART_RE.fullmatch(t.value):
            self._sub_number(t.value, t.end)
            return
        elif self.expect and self.mode == "part" and art and self.refs and self.part_backward:
            # "ст. 293 ч. 2, 342 ч. 1 УК", "Articles 361-1, part 1, and 361-4": the list of
            # articles goes on after a part; a count ("..., and 150 people") is dropped by _word
            self._resolve_parts(before_article=False)
            self.refs.append(_Ref(art, [], True, t.end))
            self.after_artnum = True
        else:
            self._word(t)
            return
        self.expect, self.end = False, t.end

    def _conn_after_bracket(self) -> bool:
        """ "340 (...) і 368": a number listed after a bracket, without an article word."""
        prev = self.prev
        return prev is not None and prev.kind == "conn" and bool(self.refs) and self.bracket_seen

    def _sub_number(self, value: str, end: int) -> None:
        (self.part_buf if self.mode == "part" else self.point_buf).append(value)
        self.expect, self.end, self.conn_after_part = False, end, False

    def _word(self, t: _Tok) -> None:
        self._resolve_parts(before_article=False)
        self.pre_parts, self.point_buf, self.mode, self.expect = [], [], None, False
        last = self.refs[-1] if self.refs else None
        if last and last.bare and not self.depth and self.prev and self.prev.end == last.end:
            self.refs.pop()  # "статьями УК 15 человек": a count, not an article
        if not self.refs:
            if self.start >= 0:
                self._reset()  # "ч. 1" with no article
            return
        if self.depth:
            self.bracket_gap += 1
            over = self.bracket_gap > MAX_BRACKET_GAP
        else:
            if not self.interrupted:
                self.claimed = t.cap and not self.bracket_seen
            self.interrupted, self.gap = True, self.gap + 1
            over = self.gap > MAX_GAP or self.continuation
        if over:
            self._flush(clause_end=False)

    def _resolve_parts(self, before_article: bool) -> None:
        """Part numbers go to the next article unless they follow an article number
        ("Art. 130, Part 3"); a point stands for a part only when no part is named."""
        parts = self.part_buf or (self.point_buf if before_article else [])
        backward = self.refs and self.part_backward and self.conn_after_part and self.part_buf
        if before_article and not backward:
            self.pre_parts += parts
        elif self.refs:
            self.refs[-1].parts += self.part_buf
        self.part_buf, self.point_buf = [], []
        self.part_backward = self.conn_after_part = False

    def _code(self, t: _Tok) -> None:
        act_in_brackets = not t.value and self.refs and self.depth and self.bracket_seen
        if act_in_brackets:  # "ст. 23.4 (нарушение закона) КоАП"
            self._word(t)
            return
        if not self.refs and self.art_open and self.start >= 0 and self.header is None:
            self.header, self.mode, self.expect, self.end = t, "art", True, t.end
            return
        if self.refs and (self.header is not None or (self.lead is not None and self.interrupted)):
            self._flush(clause_end=False)  # "УК, ст. 342 <words> КоАП": keep the lead
        self._resolve_parts(before_article=False)
        used = bool(self.refs)
        if used:
            self._emit(self.spans, t)
        self._reset()
        self.sentence_code, self.last_code, self.last_code_used = t, t, used
        self.adjacent, self.after_code = True, used

    def _same(self, t: _Tok) -> None:
        """ "part 2 of the same article": the last article cited, with these parts."""
        parts = self.part_buf or self.point_buf
        last = self.last_span
        if self.refs or last is None:
            self._word(t)
            return
        start = self.start if self.start >= 0 else t.start
        self.spans.append(
            _Span(start, t.end, [_Ref(last.refs[-1].article, parts)], last.code, last.qualified)
        )
        self._reset()

    def _flush(self, clause_end: bool) -> None:
        self._resolve_parts(before_article=False)
        if not self.refs or self.continuation:
            pass
        elif self.header is not None:
            self._emit(self.spans, self.header)
        elif self.lead is not None and not self.claimed:
            self._emit(self.spans, self.lead)
            self.last_code_used = True
        elif clause_end and not self.interrupted and self.sentence_code:
            self._emit(self.spans, self.sentence_code)
        elif (self.introduced or any(r.parts for r in self.refs)) and not self.claimed:
            self._emit(self.orphans, None)  # "... по ч. 1 ст. 367 (клевета)", not "Article 19 said"
        self._reset()

    def _emit(self, into: list[_Span], code: _Tok | None) -> None:
        value, qualified = (code.value, code.qualified) if code else ("", False)
        start = min(self.start, code.start) if code else self.start
        end = max(self.end, code.end) if code else self.end
        into.append(_Span(start, end, self.refs, value, qualified))
        if value and into is self.spans:
            self.last_span = into[-1]

    def finish(self) -> _Parser:
        self._flush(clause_end=True)
        return self


_DOTTED = re.compile(r"([0-9]+)\.([0-9])")
_LEADING = re.compile(r"[0-9]+")


def _article_of(ref: _Ref, code: str, g: Grammar) -> str | None:
    """The article number as *code* numbers it, or None if the code has no such article."""
    base_code = code.split("-")[-1]
    article = ref.article
    if code in g.dotted_as_dash:  # the Belarusian edition only: "193.1" is 193¹
        article = _DOTTED.sub(r"\1-\2", article) if _DOTTED.fullmatch(article) else article
    lead = _LEADING.match(article)
    if lead is None or int(lead.group()) > g.max_article.get(base_code, 9999):
        return None
    return article


def _ids(span: _Span, code: str, g: Grammar) -> list[str]:
    """The ids of a span under *code*; articles beyond the code's last one are left out."""
    ids: list[str] = []
    for ref in span.refs:
        article = _article_of(ref, code, g)
        if article is not None:
            base = f"{code}:{article}"
            ids += [f"{base}:{p}" for p in ref.parts] if ref.parts else [base]
    return list(dict.fromkeys(ids))


def citation_flags(text: str) -> list[str]:
    """Numbers cited as articles that their code does not have, for a human to check:
    "ст. 3614 УК" (361-4 with its hyphen lost) -> ["cc:3614: no such article"].
    They are never turned into ids."""
    g = grammar()
    return [
        f"{code}:{ref.article}: no such article"
        for span, code in _resolved(text)
        if code
        for ref in span.refs
        if _article_of(ref, code, g) is None
    ]


def _parse(text: str) -> _Parser:
    """Parse every paragraph that has a digit (a citation never crosses a blank line)."""
    g = grammar()
    folded = _fold(text)
    parser = _Parser()
    pos = 0
    for sep in [*_BLANK_LINE.finditer(folded), None]:
        end = sep.start() if sep else len(folded)
        if _DIGIT.search(folded, pos, end):
            for tok in _tokenize(folded, g, pos, end):
                parser.feed(tok)
            parser.feed(_Tok("break", end, end))
        pos = sep.end() if sep else end
    return parser.finish()


def _foreign_prefix(text: str, g: Grammar) -> str | None:
    """The country whose places the text names, if it names none of Belarus."""
    home = g.contexts.get("")
    if home is not None and home.search(text):
        return None
    found = [p for p, rx in g.contexts.items() if p and rx.search(text)]
    return found[0] if len(found) == 1 else None


def _resolved(text: str) -> list[tuple[_Span, str]]:
    """Each span with the code it finally gets: country from context, implied codes."""
    g = grammar()
    parser = _parse(text)
    spans = [(s, s.code) for s in parser.spans]
    codes = {code for _, code in spans if code}
    if len(codes) == 1 and parser.orphans:  # one code cited: bare articles after it are its
        first = min(s.start for s, code in spans if code)
        spans += [(o, next(iter(codes))) for o in parser.orphans if o.start > first]
        spans.sort(key=lambda sc: sc[0].start)
    prefix = _foreign_prefix(text, g) if codes else None
    if prefix:
        spans = [
            (s, f"{prefix}-{c}" if c and not s.qualified and f"{prefix}-{c}" in g.labels else c)
            for s, c in spans
        ]
    return spans


def find_citation_spans(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, ids) for each citation phrase in *text*, in order.

    Only paragraphs with a digit are tokenised: most of a statement's text is skipped at
    regex speed.  A line break is a space; a blank line ends a sentence.
    """
    g = grammar()
    out: list[tuple[int, int, list[str]]] = []
    for span, code in _resolved(text):
        ids = _ids(span, code, g) if code else []
        if ids:
            out.append((span.start, span.end, ids))
    return out


def extract_citations(text: str) -> list[str]:
    """Canonical ids cited in *text*, in order of first appearance, without duplicates."""
    return cited_ids(find_citation_spans(text))


def cited_ids(spans: Iterable[tuple[int, int, list[str]]]) -> list[str]:
    """The ids of `find_citation_spans`'s spans, in order of first appearance, once each."""
    ids: dict[str, None] = {}
    for _, _, span_ids in spans:
        ids.update(dict.fromkeys(span_ids))
    return list(ids)


def _canonical(token: str) -> str | None:
    m = CANONICAL_RE.fullmatch(token.lower())
    return token.lower() if m and m.group(1) in grammar().labels else None


def parse_citation_query(text: str) -> list[str]:
    """The ids if the whole query is citations (typed ids or phrases), else [].

    Connectors and fillers ("and", "по") may sit between citations; anything else
    (a name, a stray number) means the query is not just a citation.
    """
    query = text.strip()
    if not query or len(query) > MAX_QUERY:
        return []
    pieces = [p for p in re.split(r"[\s,;]{1,10}", query) if p]
    typed = [_canonical(p) for p in pieces]
    if all(typed):
        return list(dict.fromkeys(p for p in typed if p))
    spans = find_citation_spans(query)
    if not spans:
        return []
    rest = query
    for start, end, _ in reversed(spans):
        rest = f"{rest[:start]} {rest[end:]}"
    g = grammar()
    for m in TOKEN_RE.finditer(rest):
        kind = m.lastgroup
        if kind in ("num", "pnum") or (
            kind == "word" and g.words.get(m.group().lower()) not in ("conn", "fill")
        ):
            return []
    return list(dict.fromkeys(i for _, _, ids in spans for i in ids))


def parent_ids(cid: str) -> list[str]:
    """Ancestors of an id, from the code down: "cc:342:1" -> ["cc", "cc:342"]."""
    bits = cid.split(":")
    return [":".join(bits[:n]) for n in range(1, len(bits))]


def with_parents(cids: Iterable[str]) -> set[str]:
    """The ids and all their ancestors: what a statement citing them is found by
    ("cc:342:1" -> {"cc", "cc:342", "cc:342:1"})."""
    return {a for cid in cids for a in (*parent_ids(cid), cid)}


def citation_label(cid: str, lang: str) -> str:
    """A human label for an id in en / be / ru (else en); the id itself if unknown."""
    g = grammar()
    bits = cid.split(":")
    labels = g.labels.get(bits[0].lower())
    if labels is None or len(bits) > 3:
        return cid
    lang = lang if lang in LANGS else "en"
    words = g.label_words[lang]
    names = [labels[lang]]
    names += [
        f"{words[key]} {num}" for key, num in zip(("article", "part"), bits[1:], strict=False)
    ]
    return ", ".join(names)


def article_title(cid: str) -> ArticleTitle | None:
    """The title of the article an id names ("cc:342" or its part "cc:342:1") in
    en / be / ru, from data/article_titles.yaml, or None if the file has none."""
    bits = cid.lower().split(":")
    return article_titles().get(":".join(bits[:2])) if len(bits) >= 2 else None


def title_in(cid: str, lang: str) -> str | None:
    """The article's title in en / be / ru (else en), for an article or a part; None if
    data/article_titles.yaml has none: the label is then shown alone."""
    title = article_title(cid)
    return None if title is None else title.titles[lang if lang in LANGS else "en"]


def titled_label(cid: str, lang: str) -> str:
    """citation_label with the article's title when it is known, for facets and hits:
    "Criminal Code, Art. 342 — Organisation and preparation of actions ..."."""
    label = citation_label(cid, lang)
    title = article_title(cid)
    if title is None:
        return label
    return f"{label} — {title.titles[lang if lang in LANGS else 'en']}"


def known_codes() -> list[str]:
    """Every code id the grammar can produce, foreign ones (ru-cc ...) included."""
    return list(grammar().labels)
