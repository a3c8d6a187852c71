"""Per-language stemming for English, Russian and Belarusian.

English and Russian use the Snowball stemmers through PyStemmer.  Snowball has no
Belarusian stemmer, so Belarusian gets analysis of its own, which brings every form of
a word in either orthography (and Łacinka) to one index term:

- the word is brought to the official orthography (:func:`belarusian.normalise`:
  *сьвет* → *свет*, *Biełaruś* → *беларусь*), and a word-initial ``ў`` becomes ``у``
  (*да ўлады* / *улада*);
- a form the rules cannot reach is replaced by its dictionary form from the tables
  (:func:`belarusian.dictionary_form`: *людзі* → *чалавек*, *назе* → *нага*); an
  entry may give a term of its own instead (*Беларусь*, apart from *беларус*);
- the longest inflection ending from :data:`_BE_ENDINGS` is removed, but only if what
  remains has at least :data:`_BE_MIN_STEM` letters and still contains a vowel, so
  short words and bare roots like *храм* or *суд* are left alone.  Past-tense
  *-ла/-лі/-ло* are deliberately not endings: they would cut *школа* to *шко*;
- a consonant softened before the dative/locative *-е/-э* is restored (*судзе* →
  *суд*, *свеце* → *свет*, *руцэ* → *рука*), unless it is doubled (*суддзе*);
- a fleeting vowel before a final н, к, л, р (е before ц) is dropped, from every
  form alike (*палітвязень*/*палітвязня*, *выпадак*/*выпадку*, *сябар*/*сябры*);
- vowels that alternate with stress are folded: о → а (*горад*/*гарады*), ё and э →
  е, loan *зы/сы* → *зі/сі* (*прэзыдэнт*/*прэзідэнт*), ў → в (*Кіеў*/*Кіева*).

The terms are search keys, not words: *горад* is indexed as *горад*, *гарады* too, but
*слава* and *слова* meet (akanye), as do words that share forms (*палітык*/*палітыка*).
:func:`rule_stem_be` is the rules alone (``scripts/build_be_lexicon.py`` uses it).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import cache

import Stemmer

from .belarusian import LACINKA_ONLY, dictionary_form, dictionary_forms, normalise
from .caches import word_cache

__all__ = [
    "stem",
    "stem_word",
    "stem_tokens",
    "word_starts",
    "BE_LACINKA_LETTER",
    "BE_TRANSLITERATED_START",
    "SNOWBALL_LANGUAGES",
]

SNOWBALL_LANGUAGES: dict[str, str] = {"en": "english", "ru": "russian"}

_BE_MIN_STEM = 3
# words whose stems are kept: the snippets of a page of hits stem each distinct word of
# their windows, and the words of a corpus repeat (at most 64 characters each: caches.py)
STEM_CACHE_WORDS = 100_000
_BE_VOWELS = frozenset("аеёіоуыэюя")
_BE_ENDINGS: frozenset[str] = frozenset(
    # reflexive and 3rd-person-plural verb forms
    "ацца яцца іцца ыцца ецца уцца юцца аюць яюць"
    # -ія / -ыя nouns (арганізацыя, гісторыя) in the oblique cases
    " ыямі іямі ыяй іяй ыях іях ыям іям ыяў іяў"
    # adjectives
    " ага яга аму яму ому ымі імі ая яя ае яе ое ую юю ыя ія ых іх ым ім ай яй ой ёй ы і"
    # nouns
    " амі ямі ьмі ою ёю аю яю ом ём ем ам ям ах ях аў яў оў ёў еў ей ею ыі іі ый ій ыю ію"
    " а я у ю е э о ё ь"
    # infinitives and present tense
    " аць іць ыць ець эць уць юць".split()
)
_BE_BY_LENGTH: tuple[tuple[int, frozenset[str]], ...] = tuple(
    (n, frozenset(e for e in _BE_ENDINGS if len(e) == n))
    for n in sorted({len(e) for e in _BE_ENDINGS}, reverse=True)
)
# consonants that alternate before the dative/locative -е/-э: судзе (суд), свеце (свет),
# руцэ (рука); a doubled consonant (суддзе of суддзя) is the stem's own
_BE_BEFORE_E: dict[str, tuple[tuple[str, str], ...]] = {
    "е": (("дз", "д"), ("ц", "т")),
    "э": (("ц", "к"),),
}
# a vowel between a consonant and a final н, к, л, р (е also before ц) comes and goes
# (fleeting vowel): вязень / вязня, выпадак / выпадку, сябар / сябры, рубель / рубля,
# айчынец / айчынца
_BE_FLEETING = re.compile(r"(?<=[^аеёіоуыэюяў'])(?:[аеёо](?=[нклр]$)|е(?=ц$))")
# vowels that alternate with stress (akanye, yakanye): горад / гарады, бок / бакоў,
# лес / лясы, вёска / вясковы; э for е in loanwords of the classical orthography
_BE_LOAN_Y = re.compile(r"(?<=[зс])ы")  # сыстэма / сістэма, прэзыдэнт / прэзідэнт
_BE_VOWEL_FOLD = str.maketrans({"о": "а", "ё": "е", "э": "е", "ў": "в"})

_local = threading.local()


def _snowball(lang: str) -> Stemmer.Stemmer:
    """This thread's Snowball stemmer for *lang* (PyStemmer objects are not thread-safe)."""
    stemmers: dict[str, Stemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    stemmer = stemmers.get(lang)
    if stemmer is None:
        stemmer = stemmers[lang] = Stemmer.Stemmer(SNOWBALL_LANGUAGES[lang])
    return stemmer


def _strip_ending(word: str) -> tuple[str, str]:
    """Split *word* into stem and the longest ending that leaves a stem with a vowel."""
    for length, endings in _BE_BY_LENGTH:
        rest = len(word) - length
        if (
            rest >= _BE_MIN_STEM
            and word[rest:] in endings
            and not _BE_VOWELS.isdisjoint(word[:rest])
        ):
            return word[:rest], word[rest:]
    return word, ""


def _undo_alternation(stem: str, ending: str) -> str:
    """The consonant of the dictionary form before a dative/locative -е/-э."""
    for softened, plain in _BE_BEFORE_E.get(ending, ()):
        if stem.endswith(softened) and not stem[: -len(softened)].endswith(softened[0]):
            return stem[: -len(softened)] + plain
    return stem


def rule_stem_be(word: str) -> str:
    """The index term the rules give lowercase official-spelling *word* (no tables)."""
    stem, ending = _strip_ending(word)
    stem = _undo_alternation(stem.rstrip("'’ʼь"), ending)
    if len(stem) > _BE_MIN_STEM:
        stem = _BE_FLEETING.sub("", stem)
    return _BE_LOAN_Y.sub("і", stem).translate(_BE_VOWEL_FOLD)


def _stem_be(word: str) -> str:  # cached by stem() and the index's filters, not here
    """The index term of lowercase Belarusian *word* (rules: module doc)."""
    word = normalise(word)
    if word.startswith("ў"):
        word = "у" + word[1:]
    lemma = dictionary_form(word)
    if lemma.startswith("="):  # a term of its own where the rules would merge words
        return lemma[1:]
    return rule_stem_be(lemma)


def stem_word(word: str, lang: str) -> str:
    """Stem one lowercase *word* of language *lang* ("en", "ru" or "be").

    The result is lowercase.  For any other *lang* the word is returned unchanged.
    Not cached: the index's filters keep the stems of their words themselves (through
    :func:`stem` they were kept twice, ~25 MB a writing process).
    """
    if lang == "be":
        return _stem_be(word.lower())
    if lang in SNOWBALL_LANGUAGES:
        return str(_snowball(lang).stemWord(word.lower()))
    return word


@word_cache(STEM_CACHE_WORDS)  # query and snippet words
def stem(word: str, lang: str) -> str:
    """:func:`stem_word`, cached."""
    return stem_word(word, lang)


def stem_tokens(tokens: list[str], lang: str) -> list[str]:
    """Stem every token of *tokens* like :func:`stem` (one batched call for Snowball)."""
    if lang == "be":
        return [_stem_be(token.lower()) for token in tokens]
    if lang in SNOWBALL_LANGUAGES:
        return [str(s) for s in _snowball(lang).stemWords([t.lower() for t in tokens])]
    return list(tokens)


# the letters a word's own spelling may start with, by its stem's first letter, where
# the rules change a word's first letter: vowel folding (горад/гарады: а), a first ў
# read as у, ґ as г. Read by a dictionary form's first letter too (before folding),
# it gives the letters a text's word may start with to be that form: ў, ґ, (э)
_BE_FIRST_LETTERS = {"а": "ао", "е": "еёэ", "у": "уў", "г": "гґ"}
# a classical зь before a vowel is dropped (зьява): a з word may give any stem
_BE_ANY_STEM = "з"
# a Łacinka or other non-Cyrillic word is transliterated: it may give any stem too,
# as may a word with a letter only Łacinka uses (belarusian.is_lacinka: сłова → л)
BE_TRANSLITERATED_START = r"[^\W\u0400-\u04ff]"
_LACINKA_LETTERS = "".join(sorted(LACINKA_ONLY))
BE_LACINKA_LETTER = f"[{_LACINKA_LETTERS}{_LACINKA_LETTERS.upper()}]"


@cache
def _be_first_letters_elsewhere() -> dict[str, str]:
    """Stem → first letters of the dictionary forms that give it though the rules
    would give them another first letter (людзі → чалавек)."""
    found: dict[str, set[str]] = {}
    for form, lemma in dictionary_forms().items():
        if lemma[:1] == form[:1]:  # the rules keep a first letter but for folding
            continue
        stem = _stem_be(form)
        own = form[:1].translate(_BE_VOWEL_FOLD) if form[:1] != "ў" else "у"
        if stem[:1] != own:
            found.setdefault(stem, set()).update(_BE_FIRST_LETTERS.get(form[:1], form[:1]))
    return {stem: "".join(sorted(letters)) for stem, letters in found.items()}


def word_starts(stems: Iterable[str], lang: str) -> frozenset[str]:
    """The first letters a lowercase word of language *lang* may have when its stem is
    one of *stems*: a word that starts otherwise cannot match them by stem, and a
    snippet need not stem it. A Snowball stem starts with its word's first letter (ё
    read as е); a Belarusian one may start with a folded vowel or a dictionary form's
    other letter (людзі). A Belarusian word transliterated (one that starts as
    BE_TRANSLITERATED_START, or has a BE_LACINKA_LETTER) may give any stem: the caller
    judges those words whatever the stems. Empty when no word can."""
    letters: set[str] = set()
    for stem in stems:
        first = stem[:1]
        if lang == "be":
            letters.update(_BE_FIRST_LETTERS.get(first, first))
            letters.update(_be_first_letters_elsewhere().get(stem, ""))
        else:
            letters.update("её" if first == "е" else first)
    letters.discard("")
    if lang == "be":
        letters.update(_BE_ANY_STEM)
    return frozenset(letters)
