"""Name keys: one term per person a statement names, in any script and case form.

The folded field (``fold``) meets *Bialiatski* and *Бяляцкі*, but not *Бяляцкага*: a
case ending adds consonants to the skeleton.  The persons recognised at indexing are
in the nominative (names.py), so their keys are written to a field of their own
(``pname``), and a name typed in a query is put in the nominative the same way before
it is looked up there.  Ordinary words never reach this field: it holds the keys of
recognised persons only, and only capitalised query words are looked up in it.

Terms (the surname key is the folded nominative of its last part and the gender,
``bltk.m``; the given-name key is ``names.given_id``):

* ``s:<surname>``: every mention of the person;
* ``n:<given>:<surname>``: a mention with a given name (*Алеся Бяляцкага*);
* ``i:<initial>:<surname>``: a mention with an initial (*А. Бяляцкі*);
* ``o:<surname>``: a mention by surname alone (*палітвязень Бяляцкі*).

A one-word query looks up ``s:``; a given name next to a surname looks up ``n:`` and
the mentions that may be the same person (``i:`` with its initial, ``o:``), never
another given name's (*Артем Сацук* is not *Siarhei Satsuk*).
"""

from __future__ import annotations

import re

from .caches import word_cache
from .folding import fold_key
from .names import NAME_CACHE, given_id, given_initials, given_name, lemmatise, surname_gender

__all__ = [
    "mention_terms",
    "name_word_keys",
    "pair_terms",
    "split_pair",
    "surname_genders",
    "surname_terms",
]

# Surname endings that only a man's surname has, in the nominative or a case form.
_MASCULINE = re.compile(
    r"(?:(?:ск|цк)(?:і|ий|ага|ого|аму|ому|ім|им)|(?:ski|cki|sky|skiy|skii|skaha|ckaha)"
    r"|(?:аў|оў|еў|ов|ев|ін|ин|ын|au|ou|eu|ov|ev|in|yn|aŭ|oŭ|eŭ))$"
)


# A Latin surname ending in -ic whose č or ć lost its diacritic (Michalevic, Milosevic)
_STRIPPED_IC = re.compile(r"(?<=[a-z])ic$")


@word_cache(NAME_CACHE)
def surname_key(surname: str, gender: str) -> str:
    """``bltk.m``: the folded last part of a nominative surname, and the gender.

    A Latin surname ending in *-ic* is read as *-ič* (a Slavic surname written without
    its diacritics: *Ales Michalevic* is *Michalevič*, *Mikhalevich*)."""
    last = surname.split("-")[-1] if surname else ""
    if _STRIPPED_IC.search(last):
        last = last[:-1] + "č"
    folded = fold_key(last) if last else ""
    return f"{folded}.{gender}" if folded else ""


def mention_terms(given: str, surname: str, gender: str) -> list[str]:
    """The terms of one recognised mention (``given`` nominative, an initial or "").

    Without a given name the gender is a guess from the surname's ending; a surname
    that does not show it (И. Халип, Лаптановіч) gets the terms of both."""
    genders = [gender]
    if (not given or given.endswith(".")) and len(surname_genders(surname)) > 1:
        genders = ["m", "f"]
    terms = []
    for one in genders:
        key = surname_key(surname, one)
        if not key:
            continue
        terms.append(f"s:{key}")
        if not given:
            terms.append(f"o:{key}")
        elif given.endswith("."):
            terms.append(f"i:{given_id(given)}:{key}")
        else:
            terms.append(f"n:{given_id(given)}:{key}")
    return terms


def surname_genders(word: str) -> list[str]:
    """The genders a surname typed alone may be: a -ова/-ская form is a woman's, a
    -скі/-аў one a man's; others (Лаптановіч, Гарашыну) may be either."""
    if surname_gender(word) == "f":
        return ["f"]
    if _MASCULINE.search(word.lower()):
        return ["m"]
    return ["m", "f"]


def surname_terms(word: str) -> list[str]:
    """``s:`` terms of a surname typed in any case: Бяляцкага, Bialiatski → s:bltk.m."""
    keys = (_keys(word, gender) for gender in surname_genders(word))
    return list(dict.fromkeys(f"s:{key}" for each in keys for key in each))


def _keys(surname: str, gender: str, nominative: bool = False) -> list[str]:
    """Keys of a surname typed in the nominative (Нядбай) or in a case (Бяляцкага):
    the form as typed when a nominative given name shows it is one, else its lemma and
    the form as typed (a nominative the rules would read as a case form)."""
    forms = [surname] if nominative else [lemmatise(surname, gender), surname]
    return [key for key in dict.fromkeys(surname_key(f, gender) for f in forms) if key]


@word_cache(NAME_CACHE)  # snippet words: the names of a corpus repeat from hit to hit
def name_word_keys(word: str) -> frozenset[str]:
    """The folded nominatives a capitalised word may stand for (both genders): what a
    text's word is compared on to tell which form matched a name query."""
    return frozenset({fold_key(lemmatise(word, gender)) for gender in ("m", "f")} - {""})


def split_pair(first: str, second: str) -> tuple[str, str] | None:
    """(given name, surname) of two words in either order, or None if neither word is
    a given name (or both are)."""
    for given_word, surname_word in ((first, second), (second, first)):
        if given_name(given_word) is not None and given_name(surname_word) is None:
            return given_word, surname_word
    return None


def pair_terms(first: str, second: str) -> list[str] | None:
    """The terms of a two-word name (given name and surname, either order, any case),
    or None if neither word is a given name."""
    pair = split_pair(first, second)
    if pair is not None:
        given_word, surname_word = pair
        given = given_name(given_word)
        assert given is not None
        genders = (
            [given.gender]
            if given.gender in surname_genders(surname_word)
            else surname_genders(surname_word)
        )
        terms: list[str] = []
        for gender in genders:
            for key in _keys(surname_word, gender, given.is_nominative):
                terms.append(f"n:{given_id(given.nominative)}:{key}")
                terms += [f"i:{i}:{key}" for i in sorted(given_initials(given.nominative))]
                terms.append(f"o:{key}")
        return list(dict.fromkeys(terms)) or None
    return None
