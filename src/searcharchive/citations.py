"""Legal citations in text ("ч. 1 ст. 342 УК", "Art. 23.34 CAO") -> canonical ids.

Ids are lowercase and colon-separated: ``cc`` (a code), ``cc:342`` (an article),
``cc:342:1`` (part 1 of it).  Foreign codes carry a country prefix (``ru-cc``).
Code names and the article/part vocabulary are data, in ``data/codes.yaml``.

The text is cut into tokens: code names (several words, with an adjacent "РФ" or
"of the Republic of Belarus" folded in), article and part words, numbers,
connectors ("and", ",", "и"), fillers ("of", "the", "по"), other words, and breaks
(". ! ? ;", a blank line).  Article numbers with their parts form a group, bound to

1. the first code named after it, with at most 4 other words in between (words in
   brackets don't count, up to 25): "Article 342 (mass riots) of the Criminal Code";
2. failing that, the code named right before the article word, if no citation used
   it yet ("Criminal Code, Article 342", "УК ст. 342"), unless a capitalised word
   follows the numbers ("..., Article 5 of the Law on Mass Events");
3. failing that, as a list continuation, the last code named in the same sentence,
   if the numbers run straight into the end of the sentence or clause:
   "Article 342 of the Criminal Code and Article 369." -> cc:342, cc:369.

Anything else is dropped: "Article 342" alone is ambiguous.  Part numbers right
before an article word belong to it ("ч. 1 ст. 342", "Part 1 of Article 342");
otherwise to the article before them ("Art. 130, Part 3", "Article 130(3)").
Regexes are bounded or cannot backtrack and tokens are read once: linear time.
"""

from __future__ import annotations

import re
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
    Grammar,
    grammar,
)


@dataclass
class _Tok:
    kind: str  # code country home art part num pnum conn fill word punct break
    start: int
    end: int
    value: str = ""
    cap: bool = False


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
            out.append(_Tok(g.words.get(word, "word"), s, e, word, raw[0].isupper()))
        elif kind in ("num", "pnum"):
            out.append(_Tok(kind, s, e, raw))
        elif raw in ",&":
            out.append(_Tok("conn", s, e, raw))
        else:
            out.append(_Tok("break" if raw in BREAK_CHARS else "punct", s, e, raw))
        pos = e


def _tokenize(text: str, g: Grammar) -> list[_Tok]:
    raw: list[_Tok] = []
    pos = 0
    for m in g.scanner.finditer(text):
        _plain_tokens(text, pos, m.start(), g, raw)
        kind, value = g.groups[m.lastgroup or ""]
        raw.append(_Tok(kind, m.start(), m.end(), value, True))
        pos = m.end()
    _plain_tokens(text, pos, len(text), g, raw)
    out: list[_Tok] = []
    folded = False  # out[-1] is a code that already took a qualifier
    for tok in raw:  # fold "РФ", "of the Republic of Belarus" into the code beside it
        last = out[-1] if out else None
        code, qual = (last, tok) if tok.kind in QUALIFIERS else (tok, last)
        if code and qual and code.kind == "code" and qual.kind in QUALIFIERS and not folded:
            value = f"{qual.value}-{code.value}" if qual.kind == "country" else code.value
            if value in g.labels:  # treaties take no country
                out[-1] = _Tok("code", min(code.start, qual.start), tok.end, value)
                folded = True
                continue
        out.append(tok)
        folded = False
    return out


@dataclass
class _Ref:
    article: str
    parts: list[str]


def _article(raw: str) -> str | None:
    """Normalise an article number ("361¹" -> "361-1"), or None if it can't be one."""
    s = raw.replace("‐", "-").replace("‑", "-")
    cut = len(s.rstrip(SUPERSCRIPTS))
    if cut < len(s):
        if "-" in s:
            return None
        s = s[:cut] + "-" + s[cut:].translate(str.maketrans(SUPERSCRIPTS, "1234567890"))
    return s if ARTICLE_RE.fullmatch(s) else None


class _Parser:
    """The state machine described in the module docstring: feed() tokens, then finish()."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int, list[str]]] = []
        self.sentence_code: str | None = None  # last code named in this sentence
        self.last_code: _Tok | None = None
        self.last_code_used = False  # did a group bind to last_code?
        self.adjacent = False  # only commas / punctuation since last_code
        self.prev_artnum = False  # previous token was an article number
        self._reset()

    def _reset(self) -> None:
        self.refs: list[_Ref] = []
        self.pre_parts: list[str] = []  # parts for the next article number
        self.part_buf: list[str] = []  # parts not yet known to go before or after
        self.conn_after_part = False
        self.mode: str | None = None  # "art" / "part": what a number would be
        self.expect = False  # a number is welcome: after a keyword or a connector
        self.start, self.end = -1, 0
        self.lead: _Tok | None = None  # the code named right before the group
        self.interrupted = self.claimed = self.bracket_seen = False
        self.gap = self.bracket_gap = self.depth = 0

    def feed(self, t: _Tok) -> None:
        prev_artnum, self.prev_artnum = self.prev_artnum, False
        k = t.kind
        if k == "break":
            self._flush(clause_end=True)
            self.sentence_code, self.last_code = None, None
        elif k == "code":
            self._code(t)
        elif k in ("art", "part"):
            self._keyword(t)
        elif k == "num":
            self._num(t)
        elif k == "pnum" and prev_artnum:
            self.refs[-1].parts.append(t.value.strip("() \t"))
            self.end = t.end
        elif k == "conn":
            self.expect = self.mode is not None
            self.conn_after_part = bool(self.part_buf)
        elif k == "fill":
            self.mode, self.expect = None, False
        elif k == "punct":
            if t.value in OPEN:
                self.depth, self.bracket_seen = self.depth + 1, True
            elif t.value in CLOSE:
                self.depth = max(0, self.depth - 1)
        else:
            self._word(t)
        if k != "code" and k != "punct" and t.value != ",":
            self.adjacent = False

    def _keyword(self, t: _Tok) -> None:
        if self.refs and self.interrupted:
            self._flush(clause_end=False)
        if t.kind == "art":
            self._resolve_parts(before_article=True)
        if self.start < 0:
            self.start = t.start
            if self.last_code and self.adjacent and not self.last_code_used:
                self.lead = self.last_code
        self.mode, self.expect, self.end = t.kind, True, t.end

    def _num(self, t: _Tok) -> None:
        if self.expect and self.mode == "art" and (art := _article(t.value)):
            self.refs.append(_Ref(art, self.pre_parts))
            self.pre_parts, self.bracket_seen, self.prev_artnum = [], False, True
        elif self.expect and self.mode == "part" and PART_RE.fullmatch(t.value):
            self.part_buf.append(t.value)
            self.conn_after_part = False
        else:
            self._word(t)
            return
        self.expect, self.end = False, t.end

    def _word(self, t: _Tok) -> None:
        self._resolve_parts(before_article=False)
        self.pre_parts, self.mode, self.expect = [], None, False
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
            over = self.gap > MAX_GAP
        if over:
            self._flush(clause_end=False)

    def _resolve_parts(self, before_article: bool) -> None:
        """Part numbers go to the next article if one follows directly, else the last one."""
        if before_article and not (self.refs and self.conn_after_part):
            self.pre_parts += self.part_buf
        elif self.refs:
            self.refs[-1].parts += self.part_buf
        self.part_buf = []

    def _code(self, t: _Tok) -> None:
        if self.refs and self.lead is not None and self.interrupted:
            self._flush(clause_end=False)  # "УК, ст. 342 <words> КоАП": keep the lead
        self._resolve_parts(before_article=False)
        used = bool(self.refs)
        if used:
            self._emit(self.start, t.end, t.value)
        self._reset()
        self.sentence_code, self.last_code, self.last_code_used = t.value, t, used
        self.adjacent = True

    def _flush(self, clause_end: bool) -> None:
        self._resolve_parts(before_article=False)
        if self.refs and self.lead is not None and not self.claimed:
            self._emit(self.lead.start, self.end, self.lead.value)
            self.last_code_used = True
        elif self.refs and clause_end and not self.interrupted and self.sentence_code:
            self._emit(self.start, self.end, self.sentence_code)
        self._reset()

    def _emit(self, start: int, end: int, code: str) -> None:
        ids: list[str] = []
        for ref in self.refs:
            base = f"{code}:{ref.article}"
            ids += [f"{base}:{p}" for p in ref.parts] if ref.parts else [base]
        self.spans.append((start, max(end, self.end), list(dict.fromkeys(ids))))

    def finish(self) -> list[tuple[int, int, list[str]]]:
        self._flush(clause_end=True)
        return self.spans


_DIGIT = re.compile(r"\d")


def find_citation_spans(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, ids) for each citation phrase in *text*, in order.

    A citation has a number and never crosses a line break, so only lines with
    a digit are tokenised: most of a statement's text is skipped at regex speed.
    """
    spans: list[tuple[int, int, list[str]]] = []
    compiled = grammar()
    offset = 0
    for line in text.split("\n"):
        if _DIGIT.search(line):
            parser = _Parser()
            for tok in _tokenize(line, compiled):
                parser.feed(tok)
            spans += [(start + offset, end + offset, ids) for start, end, ids in parser.finish()]
        offset += len(line) + 1
    return spans


def extract_citations(text: str) -> list[str]:
    """Canonical ids cited in *text*, in order of first appearance, without duplicates."""
    ids: dict[str, None] = {}
    for _, _, span_ids in find_citation_spans(text):
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


def known_codes() -> list[str]:
    """Every code id the grammar can produce, foreign ones (ru-cc ...) included."""
    return list(grammar().labels)
