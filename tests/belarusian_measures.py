"""Measures of Belarusian analysis used by tests/test_belarusian.py.

A form *reaches* a word when the Belarusian stemming analyzer gives it the same terms
as the word's dictionary form, which is what a search for the dictionary form needs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from searcharchive.analysis import stemming_analyzer
from searcharchive.belarusian import normalise

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
UD_DEV = SHARED / "ud-belarusian-hse" / "be_hse-ud-dev.conllu"
REAL_DEV = SHARED / "real-dev"
FORM_LIST = Path(__file__).resolve().parent / "data" / "belarusian_forms.tsv"

_ANALYZER = stemming_analyzer("be")
_LOAN_Y = re.compile(r"(?<=[зс])ы")


def terms(text: str) -> tuple[str, ...]:
    return tuple(token.text for token in _ANALYZER(text))


def spelling_key(lemma: str) -> str:
    """One key for one word in either orthography (сьвет/свет, газэта/газета)."""
    word = normalise(lemma.lower()).replace("э", "е").replace("ё", "е")
    return _LOAN_Y.sub("і", word)


@dataclass(frozen=True)
class Figures:
    forms: int
    reached: int
    lemmas: int
    merged: int

    @property
    def coverage(self) -> float:
        return self.reached / self.forms

    @property
    def merge_rate(self) -> float:
        return self.merged / self.lemmas


def measure(pairs: Iterable[tuple[str, str]]) -> Figures:
    """(form, dictionary form) pairs → share of forms that reach their dictionary form,
    and share of distinct dictionary forms whose terms are another one's too."""
    pairs = list(pairs)
    reached = sum(terms(form) == terms(lemma) for form, lemma in pairs)
    lemmas = {spelling_key(lemma): lemma for _, lemma in pairs if terms(lemma)}
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for key, lemma in lemmas.items():
        owners[terms(lemma)].add(key)
    merged = sum(len(owners[terms(lemma)]) > 1 for lemma in lemmas.values())
    return Figures(len(pairs), reached, len(lemmas), merged)


def ud_pairs(
    path: Path = UD_DEV, upos: frozenset[str] = frozenset({"NOUN", "ADJ"})
) -> list[tuple[str, str]]:
    """(form, lemma) of every token of the CoNLL-U file with one of the *upos* tags."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) == 10 and fields[0].isdigit() and fields[3] in upos:
            pairs.append((fields[1], fields[2]))
    return pairs


def form_list(path: Path = FORM_LIST) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Our list: (form, dictionary form) pairs and pairs of words that must stay apart."""
    forms: list[tuple[str, str]] = []
    apart: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, first, rest = line.split("\t")
        if kind == "forms":
            forms += [(form, first) for form in [first, *rest.split()]]
        else:
            apart.append((first, rest))
    return forms, apart
