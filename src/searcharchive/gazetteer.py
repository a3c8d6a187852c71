"""Gazetteers: known organisations and persons, found by name in statement texts.

The data files (``data/organizations.yaml``, ``data/persons.yaml``) are edited by
archivists; their header comments describe the format and the matching rules.

All names and aliases of a gazetteer are compiled into one alternation regex,
longest alias first, so ``find`` scans a text once whatever the number of
entries.  Belarusian and Russian names are inflected ("Вясна", "Вясны",
"Весной"), so a Cyrillic word is matched by its stem plus a short case ending
instead of exactly; see ``_word_pattern``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from . import yamldata
from .languages import CYRILLIC

KINDS = ("organizations", "persons")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEYS = {"id", "name", "aliases", "note", "statements"}

_APOSTROPHES = "'’ʼ"
# A word of an alias: letters/digits, possibly joined by apostrophes (Х'юман).
_WORD_RE = re.compile(rf"[^\W_]+(?:[{_APOSTROPHES}][^\W_]+)*")
# What may stand between two words of an alias in a text: spaces, hyphens,
# dashes and quotes, so 'Center "Viasna"' finds "Center «Viasna»".
_SEP = r"[\s\-‐‑‒–—\"'«»„“”‟‘’‚‹›]{1,3}"
# Trailing letters an inflected form may lose (Вясна → Вясн-ы, Беларускі → Беларуск-ага)
_DROPPABLE = frozenset("аеёиоуыэюяійь")
# Letters of Belarusian and Russian case endings: -ы, -ой, -ага, -ому, -ами, -аў, -ых ...
# Deliberately without consonants like ш or к, so "Весна" does not find "веснушки".
_ENDING = "[аеёиоуыэюяіўйьмхвг]{0,3}"
# A vowel that disappears before a final consonant when inflected (Севярынец → Севярынца)
_FLEETING = frozenset("еёэо")
_ABBREVIATION_MAX = 5


@dataclass(frozen=True)
class Entry:
    """One organisation or person: display names per language and further spellings."""

    id: str
    names: dict[str, str] = field(hash=False)
    aliases: tuple[str, ...] = ()
    # a person entry that claims its name only in these statements (two people, one
    # name: persons.py); such an entry is not searched for in texts
    statements: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.id


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(unicodedata.normalize("NFC", text))


def _key(name: str) -> str:
    """What ``resolve`` compares: words only, case-folded, ё as е."""
    return " ".join(_words(name)).casefold().replace("ё", "е")


def _char(char: str) -> str:
    if char in "её":
        return "[её]"
    if char in _APOSTROPHES:
        return f"[{_APOSTROPHES}]"
    return re.escape(char)


def _variants(char: str, *, exact: bool) -> list[str]:
    """The characters a word's initial may be in a text (у/ў alternate in Belarusian)."""
    for pair in ("УЎ", "ЕЁ"):
        if char.upper() in pair:
            return list(pair if exact else pair.lower() + pair)
    if exact:
        return [char]
    return [c for c in dict.fromkeys((char.lower(), char.upper())) if len(c) == 1] or [char]


def _word_pattern(word: str, *, whole_alias: bool) -> tuple[list[str], str]:
    """The possible initials and the regex for the rest of one word of an alias.

    A capital initial must stay a capital (so "Весна" does not find "весной", in
    spring); the rest is case-insensitive.  Short all-capital abbreviations, and
    aliases of fewer than four letters, match exactly.  A Cyrillic word of four
    or more letters loses up to two trailing vowels/soft signs and takes up to
    three ending letters; if it ends in е/э/о + consonant, the form without that
    vowel is allowed too.
    """
    if (word.isupper() and len(word) <= _ABBREVIATION_MAX) or (whole_alias and len(word) < 4):
        return [word[0]], re.escape(word[1:])
    stems = [word]
    ending = ""
    if CYRILLIC.search(word) and len(word) >= 4:
        stem = word
        while len(word) - len(stem) < 2 and len(stem) > 3 and stem[-1].lower() in _DROPPABLE:
            stem = stem[:-1]
        stems = [stem]
        if stem == word and word[-2].lower() in _FLEETING:
            stems.append(word[:-2] + word[-1])
        ending = _ENDING
    rests = "|".join("".join(_char(c) for c in stem[1:]) for stem in stems)
    return _variants(word[0], exact=word[0].isupper()), f"(?i:(?:{rests}){ending})"


def _alias_branches(words: Sequence[str], first_group: int) -> list[str]:
    """One regex branch per possible initial letter of the alias.

    Each branch starts with a plain literal, which lets the regex engine skip
    ahead to candidate initials instead of trying every branch at every
    position; the word-start check therefore comes after the first letter
    (``(?<!\\w.)``), and the named group marking the alias is an empty one at
    the end of the branch (``g<first_group>``, ``g<first_group + 1>``, ...).
    """
    whole = len(words) == 1
    initials, tail = _word_pattern(words[0], whole_alias=whole)
    for word in words[1:]:
        chars, rest = _word_pattern(word, whole_alias=whole)
        head = re.escape(chars[0]) if len(chars) == 1 else f"[{re.escape(''.join(chars))}]"
        tail += f"{_SEP}{head}{rest}"
    return [
        rf"{re.escape(c)}(?<!\w.){tail}(?P<g{first_group + i}>)" for i, c in enumerate(initials)
    ]


class Gazetteer:
    """A set of entries with a compiled matcher; build with ``load`` or ``builtin``."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries: dict[str, Entry] = {e.id: e for e in entries}
        self._by_key: dict[str, str] = {}
        spellings: dict[tuple[str, ...], str] = {}
        self._claims: dict[str, list[Entry]] = {}
        for entry in self._entries.values():
            for statement in entry.statements:
                self._claims.setdefault(statement, []).append(entry)
            if entry.statements:
                continue
            for name in (*entry.names.values(), *entry.aliases):
                self._by_key.setdefault(_key(name), entry.id)
                words = tuple(_words(name))
                if words:
                    spellings.setdefault(words, entry.id)
        ordered = sorted(spellings.items(), key=lambda item: -len(" ".join(item[0])))
        self._group_ids: dict[str, str] = {}
        branches: list[str] = []
        for words, entry_id in ordered:
            for branch in _alias_branches(words, len(branches)):
                self._group_ids[f"g{len(branches)}"] = entry_id
                branches.append(branch)
        self._branches = branches
        self._people: dict[tuple[str, str], dict[str, str]] | None = None

    @classmethod
    def load(cls, *paths: str | Path | Traversable) -> Gazetteer:
        """Read data files in order; a later file may add entries or extend earlier ones.

        Repeating an id adds its aliases and replaces the names it gives.  Raises
        ``ValueError`` naming the file and the entry on any problem.
        """
        entries: dict[str, Entry] = {}
        owner: dict[str, str] = {}  # resolve key -> id, to refuse ambiguous aliases
        for path in paths:
            source = Path(path) if isinstance(path, str) else path
            where = str(source)
            try:
                data = yamldata.safe_load(source.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
                raise ValueError(f"{where}: cannot read gazetteer: {error}") from error
            if data is None:
                continue
            if not isinstance(data, list):
                raise ValueError(f"{where}: expected a list of entries, got {type(data).__name__}")
            seen: set[str] = set()
            for number, raw in enumerate(data, start=1):
                entry = _parse_entry(raw, f"{where}: entry {number}", entries)
                if entry.id in seen:
                    raise ValueError(f"{where}: entry {number} ({entry.id}): id repeated in file")
                seen.add(entry.id)
                old = entries.get(entry.id)
                if old is not None:
                    extra = tuple(a for a in entry.aliases if a not in old.aliases)
                    more = tuple(s for s in entry.statements if s not in old.statements)
                    entry = Entry(
                        entry.id,
                        {**old.names, **entry.names},
                        old.aliases + extra,
                        old.statements + more,
                    )
                for name in () if entry.statements else (*entry.names.values(), *entry.aliases):
                    other = owner.setdefault(_key(name), entry.id)
                    if other != entry.id:
                        raise ValueError(
                            f"{where}: entry {number} ({entry.id}): "
                            f"name or alias {name!r} already belongs to {other!r}"
                        )
                entries[entry.id] = entry
        return cls(entries.values())

    @classmethod
    def builtin(cls, kind: str, extra: Sequence[Path] = ()) -> Gazetteer:
        """The packaged gazetteer of ``kind`` ("organizations" or "persons") plus ``extra``."""
        if kind not in KINDS:
            raise ValueError(f"unknown gazetteer {kind!r}; expected one of {', '.join(KINDS)}")
        if not extra:
            return _builtin(kind)
        return cls.load(files("searcharchive") / "data" / f"{kind}.yaml", *extra)

    def find(self, text: str) -> list[str]:
        """Ids of the entries named in ``text``, in order of first mention."""
        return list(dict.fromkeys(entry_id for _, _, entry_id in self.mentions(text)))

    @cached_property
    def _regex(self) -> re.Pattern[str] | None:
        """The matcher of every spelling, compiled on first use (~50 ms a gazetteer): a
        server or a search looks names up but does not find them in texts."""
        if not self._branches:
            return None
        return re.compile(rf"(?:{'|'.join(self._branches)})(?!\w)")

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """Every mention in ``text`` as (start, end, id), offsets into its NFC form."""
        if self._regex is None or not text:
            return []
        return [
            (match.start(), match.end(), self._group_ids[match.lastgroup or ""])
            for match in self._regex.finditer(unicodedata.normalize("NFC", text))
        ]

    def resolve(self, name: str) -> str | None:
        """The id for a name given in an input record (an id, a name or an alias)."""
        if name in self._entries:
            return name
        return self._by_key.get(_key(name))

    def person_id(self, given: str, surname: str) -> str | None:
        """The id of the entry a recognised person is, if the gazetteer knows them.

        Compared on the folded surname and its gender (so Ціханоўская is not
        Ціханоўскі) and the given name's table group; an initial ("А.") or no
        given name matches when only one entry fits.
        """
        from .names import given_id, surname_id

        if self._people is None:
            people: dict[tuple[str, str], dict[str, str]] = {}
            for entry in self._entries.values():
                if entry.statements:
                    continue
                for name in (*entry.names.values(), *entry.aliases):
                    words = _words(name)
                    if len(words) >= 2:
                        by_given = people.setdefault(surname_id(words[-1]), {})
                        by_given.setdefault(given_id(words[0]), entry.id)
                        by_given.setdefault(given_id(words[0][0] + "."), entry.id)
            self._people = people
        by_given = self._people.get(surname_id(surname), {})
        if given:
            return by_given.get(given_id(given))
        ids = set(by_given.values())
        return ids.pop() if len(ids) == 1 else None

    def claims(self, statement_id: str) -> list[Entry]:
        """Entries that claim their name in this statement only (``statements:``)."""
        return self._claims.get(statement_id, [])

    def get(self, id: str) -> Entry | None:
        return self._entries.get(id)

    @cached_property
    def fingerprint(self) -> str:
        """A digest of every entry: two gazetteers with equal fingerprints decide alike."""
        rows = sorted(
            (e.id, sorted(e.names.items()), e.aliases, e.statements) for e in self._entries.values()
        )
        return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()[:32]

    def label(self, id: str, lang: str) -> str:
        entry = self._entries.get(id)
        return entry.label(lang) if entry else id

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())


def _parse_entry(raw: Any, where: str, earlier: dict[str, Entry]) -> Entry:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping with id, name and aliases")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not ID_RE.fullmatch(entry_id):
        raise ValueError(f"{where}: id {entry_id!r} must match {ID_RE.pattern}")
    where = f"{where} ({entry_id})"
    unknown = sorted(str(key) for key in raw if key not in _KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}")
    names = raw.get("name", {})
    if not isinstance(names, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in names.items()
    ):
        raise ValueError(f"{where}: name must map languages to non-empty strings")
    if "en" not in names and entry_id not in earlier:
        raise ValueError(f"{where}: name.en is required")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValueError(f"{where}: aliases must be a list of strings")
    for text in (*names.values(), *aliases):
        if not _words(text):
            raise ValueError(f"{where}: {text!r} has no letters to match")
    statements = raw.get("statements", [])
    if not isinstance(statements, list) or not all(
        isinstance(s, str) and s.strip() for s in statements
    ):
        raise ValueError(f"{where}: statements must be a list of statement ids")
    return Entry(
        entry_id,
        dict(names),
        tuple(dict.fromkeys(a.strip() for a in aliases)),
        tuple(dict.fromkeys(statements)),
    )


@cache
def _builtin(kind: str) -> Gazetteer:
    """Packaged gazetteers are read once per process: they do not change at run time."""
    return Gazetteer.load(files("searcharchive") / "data" / f"{kind}.yaml")
