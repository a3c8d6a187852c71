"""Spelling-independent keys for names: Latin and Cyrillic spellings of one name meet.

A journalist may type *Seviarynets*, *Sieviaryniec*, *Severinets* or *Севярынец*; the
archive must find the same person.  :func:`fold_key` maps every such spelling to one
coarse key in three stages.

1. **Romanise.**  NFC-normalise and lowercase; map Łacinka / Czech letters first
   (č→ch, š→sh, ž→zh, dž→dzh, ć→ts, ś→s, ź→z, ł→l, ŭ/ў→u) because ``anyascii`` would
   turn them into bare c/s/z; then ``anyascii`` transliterates Cyrillic and strips other
   diacritics.  Everything but ``a-z0-9`` is dropped (soft sign, apostrophes), and so
   is an English possessive *'s*.  In a word that shows Łacinka or Polish spelling
   (č š ž ŭ ł ć ś ź ń, cz, sz) ``ch`` means х, not ч, and is read as ``kh``
   (Cichanoŭskaja = Tsikhanouskaya).
2. **Skeleton**, applied left to right in this order:

   - ``au``/``eu``/``ou`` → ``av``/``ev``/``ov``: Belarusian ``ў`` after a vowel stands
     where Russian has ``в`` (Клімаў/Климов, Яўген/Евгений, Еўропа/Европа).
   - one symbol per sound class: ``shch szcz sch sh sz`` → ``S``; ``tch ch cz`` → ``C``;
     ``dzh`` → ``J``; ``kh h g`` → ``H`` (Belarusian г is /ɣ/, romanised *h*; Russian
     г is *g*); ``ts tz c`` → ``t``; ``dz`` → ``d``; ``zh`` → ``z``; ``ph`` → ``f``;
     ``x`` → ``ks``; ``w`` → ``v``; ``q`` → ``k``.  ``ts`` and ``dz`` fold into ``t`` and
     ``d`` because Belarusian *цеканне/дзеканне* turns Russian soft т/д into ц/дз
     (Тихановская/Ціханоўская, Дмитрий/Дзмітрый).
   - adjacent repeated letters collapse (Hanna, Таццяна); digits are never touched.
   - vowels ``a e i o u y j`` are dropped, except that a word-initial vowel run becomes
     one marker ``a`` (akanye makes Russian *О-* Belarusian *А-*, and *Ya-/Ye-/E-/I-*
     vary between transliteration schemes).
3. **Given names.**  Forms that differ beyond the skeleton (Мікалай/Николай,
   Вольга/Ольга) are listed in ``data/given_names.yaml``, a list of groups of spellings.
   Every word whose skeleton equals the skeleton of a group member gets the group key,
   ``"="`` + the romanised first member (e.g. ``"=mikalai"``), which no skeleton can
   contain.  Matching on the skeleton rather than on the exact spelling means adding a
   group can only merge keys, never split them (an unlisted *Alexandr* still meets a
   listed *Alexander*).

The key is deliberately coarse (*Maria* and *мир* share ``mr``); use it as a fuzzy name
field next to exact and stemmed fields, not instead of them.  A word with no letters or
digits gives ``""``.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata

import yaml
from anyascii import anyascii

from . import yamldata
from .caches import word_cache

__all__ = ["fold_key", "fold_keys", "fold_heads", "key_heads", "build_name_table"]

_PRE = str.maketrans(
    {
        "č": "ch",
        "š": "sh",
        "ž": "zh",
        "ć": "ts",
        "ś": "s",
        "ź": "z",
        "ł": "l",
        "ŭ": "u",
        "ў": "u",
    }
)  # "dž" needs no entry of its own: d + ž already gives "dzh".

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_POSSESSIVE = re.compile(r"(?<=[a-z])['’ʼ]s$")
_LACINKA = re.compile(r"[čšžŭłćśźń]|[cs]z")
_U_AFTER_VOWEL = re.compile(r"(?<=[aeo])u")
_CLUSTERS: dict[str, str] = {
    "shch": "S",
    "szcz": "S",
    "sch": "S",
    "tch": "C",
    "dzh": "J",
    "sh": "S",
    "sz": "S",
    "ch": "C",
    "cz": "C",
    "kh": "H",
    "zh": "z",
    "ph": "f",
    "ts": "t",
    "tz": "t",
    "dz": "d",
    "x": "ks",
    "w": "v",
    "q": "k",
    "c": "t",
    "g": "H",
    "h": "H",
}
# Alternatives are tried in order at each position, so longer clusters come first.
_CLUSTER_RE = re.compile("|".join(sorted(_CLUSTERS, key=len, reverse=True)))
_DOUBLE = re.compile(r"([a-zA-Z])\1+")
_VOWEL_LETTERS = "aeiouyj"  # dropped from a skeleton; a word-initial run becomes "a"
_VOWELS = re.compile(f"[{_VOWEL_LETTERS}]+")
_STRESS_MARKS = re.compile(r"[\u0300-\u036f]")
_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")

GIVEN_NAMES_RESOURCE = ("data", "given_names.yaml")


# _PRE then anyascii, character by character (anyascii maps each code point alone), for
# the scripts names are written in: Latin with its accents, Cyrillic, Greek, general
# punctuation. One str.translate in C; anyascii reads what is left (4 → 2 µs a word).
_ROMAN = {
    code: anyascii(chr(code).translate(_PRE))
    for block in ((0x80, 0x250), (0x370, 0x530), (0x1E00, 0x1F00), (0x2000, 0x2070))
    for code in range(*block)
}


def _romanise(word: str) -> str:
    """Stage 1: lowercase ASCII letters and digits only."""
    word = _POSSESSIVE.sub("", unicodedata.normalize("NFC", word).lower())
    if "ch" in word and _LACINKA.search(word):
        word = word.replace("ch", "kh")  # Łacinka/Polish "ch" is х, their ч is č/cz
    roman = word.translate(_ROMAN)
    if not roman.isascii():
        roman = anyascii(roman)
    return _NON_ALNUM.sub("", roman.lower())


def _skeleton(roman: str) -> str:
    """Stage 2: consonant skeleton of an already romanised word."""
    s = _U_AFTER_VOWEL.sub("v", roman)
    s = _CLUSTER_RE.sub(lambda m: _CLUSTERS[m.group()], s)
    s = _DOUBLE.sub(r"\1", s)
    lead = _VOWELS.match(s)
    if lead:
        return "a" + _VOWELS.sub("", s[lead.end() :])
    return _VOWELS.sub("", s)


def build_name_table(groups: object, source: str = "given-name table") -> dict[str, str]:
    """Validate parsed YAML *groups* and map each member's skeleton to its group key.

    Raises ``ValueError`` if the data is not a list of non-empty lists of strings, if a
    member has no consonant to match on, or if one skeleton belongs to two groups
    (those groups would have to be merged; the archivist must decide).
    """
    if not isinstance(groups, list):
        raise ValueError(f"{source}: expected a list of groups, got {type(groups).__name__}")
    table: dict[str, str] = {}
    owner: dict[str, str] = {}
    for index, group in enumerate(groups, start=1):
        where = f"{source}: group {index}"
        if not isinstance(group, list) or not group:
            raise ValueError(f"{where}: expected a non-empty list of spellings, got {group!r}")
        for member in group:
            if not isinstance(member, str) or not member.strip():
                raise ValueError(f"{where}: spelling {member!r} is not a non-empty string")
        key = "=" + _romanise(group[0])
        for member in group:
            skel = _skeleton(_romanise(member))
            if len(skel) < 2:
                raise ValueError(f"{where}: {member!r} has no consonants to match on")
            if table.get(skel, key) != key:
                raise ValueError(
                    f"{where}: {member!r} folds like {owner[skel]!r} of another group "
                    f"(skeleton {skel!r}); merge the two groups or drop one spelling"
                )
            table[skel] = key
            owner.setdefault(skel, member)
    return table


@functools.cache
def _name_table() -> dict[str, str]:
    """The packaged given-name table, read and validated once per process."""
    resource = importlib.resources.files("searcharchive").joinpath(*GIVEN_NAMES_RESOURCE)
    try:
        data = yamldata.safe_load(resource.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{'/'.join(GIVEN_NAMES_RESOURCE)}: invalid YAML: {exc}") from exc
    return build_name_table(data, "/".join(GIVEN_NAMES_RESOURCE))


@word_cache(20_000)  # only names are folded at indexing; query and snippet words
def fold_key(word: str) -> str:
    """Fold one token (any case, any script) to its spelling-independent key."""
    skel = _skeleton(_romanise(word))
    return _name_table().get(skel, skel)


HEAD_CHARS = 8  # a word's first characters, which decide its skeleton's first symbol


@word_cache(20_000)
def fold_heads(word: str) -> frozenset[str]:
    """The symbols the key of `word`, or of a word that shares its first two letters
    (a case form: names.lemmatise changes only the ending), can start with: its
    skeleton's first symbol, under both readings of "ch" (a Łacinka letter in an ending
    decides whether it is х or ч). A cheap test before a key is computed: a word whose
    heads miss every head of the keys sought (`key_heads`) cannot match them."""
    start = _romanise(unicodedata.normalize("NFC", word)[:HEAD_CHARS])
    readings = {start, start.replace("kh", "ch"), start.replace("ch", "kh")}
    return frozenset(_skeleton_head(r) for r in readings) - {""}


def _skeleton_head(roman: str) -> str:
    """`_skeleton(roman)[:1]` without building the skeleton: a leading vowel run gives
    "a", else the first symbol of the longest cluster at the start, else the letter
    (no cluster gives a vowel, and doubled letters collapse after the first)."""
    if not roman:
        return ""
    if roman[0] in _VOWEL_LETTERS:
        return "a"
    for size in (4, 3, 2, 1):
        cluster = _CLUSTERS.get(roman[:size])
        if cluster is not None:
            return cluster[:1]
    return roman[0]


def key_heads(key: str) -> frozenset[str]:
    """The first symbols of the skeletons that fold to `key`: its own, or for a given
    name's group key ("=mikalai") those of every spelling the table lists (Mikalai,
    Nikolai)."""
    if not key.startswith("="):
        return frozenset(key[:1])
    return _group_heads().get(key, frozenset())


@functools.cache
def _group_heads() -> dict[str, frozenset[str]]:
    heads: dict[str, set[str]] = {}
    for skeleton, group in _name_table().items():
        heads.setdefault(group, set()).add(skeleton[:1])
    return {group: frozenset(found) for group, found in heads.items()}


def fold_keys(text: str) -> list[str]:
    """Split *text* into words (letters and digits, inner apostrophes) and fold each.

    Stress marks (combining accents left over after NFC, as in *Серге́й*) are removed
    first so they do not split a word.  Words that fold to ``""`` are dropped.
    """
    text = _STRESS_MARKS.sub("", unicodedata.normalize("NFC", text))
    keys = (fold_key(token) for token in _TOKEN.findall(text))
    return [key for key in keys if key]
