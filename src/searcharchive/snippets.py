"""Highlighted snippets: escaped text with only our own <mark> tags added."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from .folding import fold_key
from .stemming import stem

WORD = re.compile(r"\w+")
WIDTH = 240


class Matcher:
    """Decides whether a word of a document matches one of the query's words."""

    def __init__(self, words: Iterable[str], lang: str, exact: bool):
        self.words = {w.lower() for w in words}
        self.lang = lang
        self.exact = exact
        self.stems = {stem(w, lang) for w in self.words}
        self.keys = {fold_key(w) for w in self.words} - {""}

    def exact_match(self, token: str) -> bool:
        lowered = token.lower()
        return lowered in self.words or any(
            lowered.startswith(w) for w in self.words if len(w) >= 3 and w.endswith("*")
        )

    def matches(self, token: str) -> bool:
        if self.exact_match(token):
            return True
        if self.exact:
            return False
        lowered = token.lower()
        return stem(lowered, self.lang) in self.stems or fold_key(lowered) in self.keys

    def other_forms(self, text: str) -> list[str]:
        """Spellings in the text that matched only through folding ("matched Северинец")."""
        if self.exact:
            return []
        forms: dict[str, None] = {}
        for token in WORD.findall(text):
            lowered = token.lower()
            if lowered in self.words or stem(lowered, self.lang) in self.stems:
                continue
            if fold_key(lowered) in self.keys:
                forms[token] = None
        return list(forms)[:5]


def highlight(text: str, matcher: Matcher | None, width: int = WIDTH) -> Markup:
    """The best window of `text` with matched words marked; the text is escaped."""
    if not text:
        return Markup("")
    spans = [m.span() for m in WORD.finditer(text) if matcher and matcher.matches(m.group())]
    start = 0
    if spans:
        start = max(0, spans[0][0] - width // 4)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + 30:
        end += 1
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
