"""Belarusian spelling normalisation: both orthographies and Łacinka to one spelling.

Belarusian is written in the official orthography (*наркамаўка*), in the classical one
(*тарашкевіца*, used by Radio Svaboda, Nasha Niva's archive and many human-rights
texts) and in Latin script (*łacinka*).  :func:`normalise` brings a lowercase word of
any of the three to the official spelling, or close enough to it that the stemmer
(:mod:`searcharchive.stemming`) gives both the same index term.  The rules are the
systematic differences of the classical orthography:

- **assimilative softness**: a soft sign before a consonant that is soft itself is
  not written in the official orthography (*сьвет* → *свет*, *зьняволены* →
  *зняволены*, *песьні* → *песні*, *сьнежня* → *снежня*), except after ``л`` (*вольны*
  in both); doubled soft consonants lose it too (*абмежаваньне* → *абмежаванне*,
  *судзьдзя* → *суддзя*); *бацька* keeps its ь (к is hard there);
- ``дзтв``/``дзк`` are ``дств``/``дск`` (*сьледзтва* / *следства*, *грамадзкі* /
  *грамадскі*); ``ґ`` is ``г``; *ня* is *не*, *зь* is *з*; *Менск* is *Мінск*;
  *зьявіцца* is the second half of *з'явіцца* (the tokenizer splits at apostrophes);
- loanwords: *Эўропа* / *Еўропа*, and the soft л of a few (*калёнія*, *плян*, *кляса*,
  *клюб*); ``э`` for ``е`` and ``зы``/``сы`` for ``зі``/``сі`` (*прэзыдэнт*,
  *сыстэма*) are left to the stemmer's vowel folding, which treats both alike;
- Łacinka is transliterated letter by letter to Cyrillic (*Biełaruś* → *беларусь*,
  *palitviazni* → *палітвязні*), so Latin-script Belarusian gets the same terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib.resources import files

__all__ = [
    "normalise",
    "normalise_cyrillic",
    "from_lacinka",
    "is_lacinka",
    "dictionary_form",
    "LACINKA_ONLY",
]

_CONSONANTS = "бвгґджзйклмнпрстфхцчшўщ"
# ь after a consonant other than л before a consonant that is soft itself (followed
# by a soft vowel or ь): assimilative softness, which the official orthography does
# not write; бацька and восьмы keep their ь (к and м are hard there)
_ASSIMILATIVE_SOFT = re.compile(
    rf"(?<=[{_CONSONANTS.replace('л', '')}])ь(?=(?:дз|[{_CONSONANTS}])[яеёюіь])"
)
_CLASSICAL_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"дз(?=тв|к)"), "дс"),  # сьледзтва / следства, грамадзкі / грамадскі
    (re.compile(r"дзьдз"), "ддз"),  # судзьдзя / суддзя
    # зьявіцца / з'явіцца: the official apostrophe splits the word in two tokens, and
    # the classical one becomes the second of them
    (re.compile(r"^зь(?=[яеёюі])"), ""),
    (re.compile(r"^эў"), "еў"),  # Эўропа, эўра-
    (re.compile(r"^менск"), "мінск"),  # Менск / Мінск
    (re.compile(r"ґ"), "г"),
    (re.compile(r"[’ʼ`]"), "'"),
)
# soft л of loanwords: калёнія / калонія, плян / план, кляса / клас, парлямэнт /
# парламент
_CLASSICAL_LOANS = {
    "калёні": "калоні", "плян": "план", "кляс": "клас", "клюб": "клуб",
    "плятформ": "платформ", "парлям": "парлам", "лёндан": "лондан",
}  # fmt: skip
_CLASSICAL_LOAN = re.compile("^(?:" + "|".join(_CLASSICAL_LOANS) + ")")
# whole words of the classical orthography: ня (не), зь (з), бяз (без)
_CLASSICAL_WORDS = {"ня": "не", "зь": "з", "бяз": "без"}

# Łacinka → Cyrillic: "ia"/"ja" (and e, o, u) are я, е, ё, ю; "l" is soft (ль) and
# "ł" hard (л); "e" alone is э (heta = гэта).
LACINKA_ONLY = frozenset("ćčłńśšźžŭ")
_LACINKA_SOFT_VOWELS = {"a": "я", "e": "е", "o": "ё", "u": "ю", "i": "і"}
_LACINKA_VOWELS = {"a": "а", "e": "э", "o": "о", "u": "у", "y": "ы", "i": "і"}
_LACINKA_CONSONANTS = {
    "dź": "дзь", "dž": "дж", "dz": "дз", "ch": "х",
    "b": "б", "c": "ц", "ć": "ць", "č": "ч", "d": "д", "f": "ф", "g": "г", "h": "г",
    "k": "к", "l": "ль", "ł": "л", "m": "м", "n": "н", "ń": "нь", "p": "п",
    "r": "р", "s": "с", "ś": "сь", "š": "ш", "t": "т", "v": "в", "w": "в", "z": "з",
    "ź": "зь", "ž": "ж", "ŭ": "ў", "x": "кс", "q": "к",
}  # fmt: skip
_LACINKA_TOKEN = re.compile(r"dź|dž|dz|ch|[ij][aeou]|j|[a-zćčłńśšźžŭ]")


def is_lacinka(word: str) -> bool:
    """True for a lowercase word with a letter only Łacinka uses (ł, ś, č, ŭ...)."""
    return not LACINKA_ONLY.isdisjoint(word)


def _lacinka_vowel(out: list[str], token: str) -> str:
    """The Cyrillic vowel for *token*, dropping the soft sign of a preceding ль/сь/..."""
    if len(token) == 2:  # ia, je, ...: я, е, ... (after a consonant: its softness)
        if out and out[-1].endswith("ь"):
            out[-1] = out[-1][:-1]
        return _LACINKA_SOFT_VOWELS[token[1]]
    if token == "j":
        return "й"
    if out and out[-1].endswith("ь"):
        out[-1] = out[-1][:-1]
        return _LACINKA_SOFT_VOWELS.get(token, _LACINKA_VOWELS[token])
    return _LACINKA_VOWELS[token]


def from_lacinka(word: str) -> str:
    """Transliterate a lowercase Łacinka word to Cyrillic, official orthography."""
    out: list[str] = []
    for token in _LACINKA_TOKEN.findall(word):
        if token in _LACINKA_CONSONANTS:
            out.append(_LACINKA_CONSONANTS[token])
        elif token[-1] in _LACINKA_VOWELS or token == "j":
            out.append(_lacinka_vowel(out, token))
        else:
            out.append(token)
    return normalise_cyrillic("".join(out))


def normalise_cyrillic(word: str) -> str:
    """Classical (or official) lowercase Cyrillic spelling → official spelling."""
    word = _CLASSICAL_WORDS.get(word, word)
    word = _CLASSICAL_LOAN.sub(lambda m: _CLASSICAL_LOANS[m.group()], word)
    for pattern, replacement in _CLASSICAL_FIXES:
        word = pattern.sub(replacement, word)
    return _ASSIMILATIVE_SOFT.sub("", word)


@lru_cache(maxsize=100_000)
def normalise(word: str) -> str:
    """A lowercase Belarusian word in any orthography or script → official spelling.

    In a Belarusian text a Latin-script word is Łacinka, or a name or term from
    another language; both are transliterated, which gives names a Cyrillic term that
    their Cyrillic spelling meets too (the exact field keeps the word as written).
    """
    if is_lacinka(word) or (word.isascii() and word.isalpha()):
        return from_lacinka(word)
    return normalise_cyrillic(word)


def _table_lines(name: str) -> Iterator[tuple[str, str]]:
    """(first column, the rest) of each line of a packaged TSV (``#`` lines are comments)."""
    text = (files("searcharchive") / "data" / name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            first, _, rest = line.partition("\t")
            yield first, rest.strip()


def _read_lemmas_first(name: str) -> dict[str, str]:
    """form → dictionary form from a TSV of lemma TAB forms, in any spelling."""
    table: dict[str, str] = {}
    for first, rest in _table_lines(name):
        lemma = first if first.startswith("=") else normalise_cyrillic(first)
        table.update(dict.fromkeys(map(normalise_cyrillic, rest.split()), lemma))
    return table


@cache
def dictionary_forms() -> dict[str, str]:
    """Forms the stemming rules do not reach, mapped to the word they belong to.

    ``data/be_irregular.tsv`` (written for this project: suppletive plurals such as
    людзі → чалавек, дня → дзень, abbreviations such as г → год) wins over
    ``data/be_lexicon.tsv`` (derived from hunspell-be, CC BY-SA 3.0, by
    ``scripts/build_be_lexicon.py``: назе → нага, вёсцы → вёска, ...).
    """
    # the lexicon is written in the official spelling (14,000 forms, read by every
    # process that stems Belarusian: normalising them took a tenth of a second)
    table = dict(_table_lines("be_lexicon.tsv"))
    table.update(_read_lemmas_first("be_irregular.tsv"))
    return table


def dictionary_form(word: str) -> str:
    """*word* (official spelling), or the word it is a form of when the tables say so."""
    return dictionary_forms().get(word, word)
