"""Per-language stemming for English, Russian and Belarusian.

English and Russian use the Snowball stemmers through PyStemmer.  Snowball has no
Belarusian stemmer, so Belarusian gets a light suffix stripper of its own:

- a word-initial ``ў`` becomes ``у`` first: Belarusian writes ``ў`` for ``у`` after a
  vowel-final word (*да ўлады* / *улада*), so the same word appears with both letters;
- then the longest inflection ending from :data:`_BE_ENDINGS` (noun, adjective and
  infinitive / present-tense verb endings, reflexive *-цца*) is removed, but only if
  what remains has at least :data:`_BE_MIN_STEM` letters and still contains a vowel,
  so short words and bare roots like *храм* or *суд* are left alone.  Past-tense
  *-ла/-лі/-ло* are deliberately not endings: they would cut *школа* to *шко*;
- a stem that ends in ``ў`` gets ``в`` instead, because ``ў`` alternates with ``в``
  at the end of a stem (*Кіеў* / *Кіева*, *Львоў* / *Львова*);
- a trailing apostrophe left by the cut (*сям'я* → *сям'*) is dropped.

The stripper is purely orthographic: it conflates inflected forms well enough for
search (*правоў/правы/правам*, *арганізацыі/арганізацыя/арганізацый*) but does not
know stress alternations (*вясна/вёсны*) or stem-internal changes (*воўк/ваўка*).
"""

from __future__ import annotations

import threading

import Stemmer

from .caches import word_cache

__all__ = ["stem", "stem_tokens", "SNOWBALL_LANGUAGES"]

SNOWBALL_LANGUAGES: dict[str, str] = {"en": "english", "ru": "russian"}

_BE_MIN_STEM = 3
_BE_VOWELS = frozenset("аеёіоуыэюя")
_BE_ENDINGS: frozenset[str] = frozenset(
    # reflexive and 3rd-person-plural verb forms
    "ацца яцца іцца ыцца ецца уцца юцца аюць яюць"
    # -ія / -ыя nouns (арганізацыя, гісторыя) in the oblique cases
    " ыямі іямі ыяй іяй ыях іях ыям іям"
    # adjectives
    " ага яга аму яму ымі імі ая яя ае яе ую юю ыя ія ых іх ым ім ай яй ой ёй ы і"
    # nouns
    " амі ямі ою ёю аю яю ом ём ам ям ах ях аў яў оў ёў еў ей ею ыі іі ый ій ыю ію"
    " а я у ю е э о ё ь"
    # infinitives and present tense
    " аць яць іць ыць ець эць уць юць".split()
)
_BE_BY_LENGTH: tuple[tuple[int, frozenset[str]], ...] = tuple(
    (n, frozenset(e for e in _BE_ENDINGS if len(e) == n))
    for n in sorted({len(e) for e in _BE_ENDINGS}, reverse=True)
)

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


def _stem_be(word: str) -> str:
    """Strip one Belarusian inflection ending from lowercase *word* (rules: module doc)."""
    if word.startswith("ў"):
        word = "у" + word[1:]
    for length, endings in _BE_BY_LENGTH:
        rest = len(word) - length
        if (
            rest >= _BE_MIN_STEM
            and word[rest:] in endings
            and not _BE_VOWELS.isdisjoint(word[:rest])
        ):
            word = word[:rest]
            break
    word = word.rstrip("'’ʼ")
    if word.endswith("ў") and len(word) > 1:
        word = word[:-1] + "в"
    return word


@word_cache(20_000)  # query and snippet words; indexing caches in its filters
def stem(word: str, lang: str) -> str:
    """Stem one lowercase *word* of language *lang* ("en", "ru" or "be").

    The result is lowercase.  For any other *lang* the word is returned unchanged.
    """
    if lang == "be":
        return _stem_be(word.lower())
    if lang in SNOWBALL_LANGUAGES:
        return str(_snowball(lang).stemWord(word.lower()))
    return word


def stem_tokens(tokens: list[str], lang: str) -> list[str]:
    """Stem every token of *tokens* like :func:`stem` (one batched call for Snowball)."""
    if lang == "be":
        return [_stem_be(token.lower()) for token in tokens]
    if lang in SNOWBALL_LANGUAGES:
        return [str(s) for s in _snowball(lang).stemWords([t.lower() for t in tokens])]
    return list(tokens)
