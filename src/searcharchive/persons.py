"""One person across scripts and languages: the person table of an index generation.

The indexer keeps, per statement, the persons names.py recognised in it (*mentions*:
nominative given name and surname, gender, the form as written, the statement's
language) and after each run clusters all of them into persons:

1. a mention the gazetteer knows (by its regex, or by surname, gender and given name,
   ``Gazetteer.person_id``) belongs to that entry: the archivist's override;
2. a mention with a given name belongs to the cluster of its given-name group and
   folded surname with its gender (``names.given_id``, ``namekeys.surname_key``):
   *Алесь Бяляцкі*, *Ales Bialiatski*, *Алесь Беляцкий* meet; *Сяргей Ціханоўскі* and
   *Святлана Ціханоўская* stay two persons, as do two given names with one surname;
   A full name seen in one statement only whose surname is another full name's with
   one letter left out or added (*Игнат Сидорик*, *Игнат Сидорчик*) is read as that
   person misspelt (``_merge_misspellings``);
3. a mention by surname alone or with an initial joins the one cluster of that surname
   (and initial) if there is exactly one in the archive, else it is a person of its own.

The table is a function of the statements' mentions and the gazetteers only: an
incremental run (the previous generation's mentions, less the statements it re-reads,
plus theirs) gives the same persons as a rebuild, and a person's id does not depend on
the order statements came in.  An id is the gazetteer's, or the key (names.person_key)
of the cluster's preferred spelling: Belarusian, then English, then Russian; the one
in most statements; the smallest key.

Overrides in a persons gazetteer (``index --persons FILE``; see data/persons.yaml):
an entry's ``aliases`` merge spellings (two clusters become one person), and an entry
with ``statements`` claims its name only in the statements listed (two people with
one name: the others keep the computed person).

On disk (per generation), what a server reads apart from what only the indexer needs,
each as a whole file and a small delta beside it (the catalog's scheme, catalog.py):

    persons.json                  persons and statement → person ids
    persons-recent.json           entries changed since persons.json was written whole
    person-mentions.json          every statement's mentions, each first cluster's person
    person-mentions-recent.json   ... the mentions and clusters added since

A run that only adds statements naming persons already clustered as they name them
(``update_table``: the same clusters, each with more statements, no new spelling or
initial that could change a merge) changes their entries and links the whole files
of the previous generation (never written again, so a link is a safe copy); anything
else (a new person, a statement read again with other names, another gazetteer) is
clustered afresh with ``build_table``, which an update must always equal.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson

from .folding import fold_key
from .gazetteer import Entry, Gazetteer
from .index_files import file_identity
from .languages import CYRILLIC, LANGS
from .namekeys import mention_terms, pair_terms, surname_genders, surname_key, surname_terms
from .names import Person, given_id, given_initials, given_name, person_key, surname_gender

__all__ = [
    "FILE",
    "Mention",
    "PersonTable",
    "build_table",
    "load_table",
    "mentions_of",
    "update_table",
]

FILE = "persons.json"
RECENT = "persons-recent.json"
MENTIONS = "person-mentions.json"
MENTIONS_RECENT = "person-mentions-recent.json"
VERSION = 2  # version 1: one persons.json with the mentions, no clusters
RECENT_SHARE = 8  # the whole is written again once recent statements pass 1/8 of it
RECENT_MIN = 2000  # ... and this many
_PREFERRED = {"be": 0, "en": 1, "ru": 2}


@dataclass(frozen=True, slots=True)  # a few per statement, all held by a full build
class Mention:
    """One person as one statement names them."""

    anchor: str  # a gazetteer id the text matched by name, or ""
    given: str  # nominative, an initial ("А.") or ""
    surname: str  # nominative
    gender: str
    written: str  # as the text writes it
    lang: str  # the statement's language

    def to_json(self) -> list[str]:
        return [self.anchor, self.given, self.surname, self.gender, self.written, self.lang]

    @classmethod
    def from_json(cls, value: list[str]) -> Mention:
        return cls(*value)

    @property
    def nominative(self) -> str:
        return f"{self.given} {self.surname}".strip()

    @property
    def full(self) -> bool:
        return bool(self.given) and not self.given.endswith(".")


def mentions_of(persons: Iterable[Person], anchors: Iterable[str], lang: str) -> list[Mention]:
    """A statement's mentions: the recognised persons, then the gazetteer ids its
    regex found that no recognised person stands for (given as anchors)."""
    mentions = [Mention("", p.given, p.surname, p.gender, p.written, lang) for p in persons]
    return mentions + [Mention(a, "", "", "", "", lang) for a in dict.fromkeys(anchors)]


def given_mentions(names: Iterable[str], gazetteer: Gazetteer, lang: str) -> list[Mention]:
    """Mentions of the persons an input record lists by name or id."""
    out = []
    for name in names:
        entry_id = gazetteer.resolve(name)
        if entry_id:  # the name is its id by now (Extractor._resolve): no spelling
            out.append(Mention(entry_id, "", "", "", "" if entry_id == name else name, lang))
            continue
        words = name.split()
        first = given_name(words[0]) if len(words) > 1 else None
        given = first.nominative if first else ""
        surname = words[-1] if words else name
        gender = first.gender if first else surname_gender(surname)
        out.append(Mention("", given, surname, gender, name, lang))
    return out


class StoredMentions(Mapping[str, list[Mention]]):
    """Statements' mentions as stored (JSON lists), decoded when one is read: a run
    that updates the table reads a few of them."""

    def __init__(self, stored: dict[str, list[list[str]]]) -> None:
        self.stored = stored

    def __getitem__(self, sid: str) -> list[Mention]:
        return [Mention.from_json(m) for m in self.stored[sid]]

    def __contains__(self, sid: object) -> bool:
        return sid in self.stored

    def __iter__(self) -> Iterator[str]:
        return iter(self.stored)

    def __len__(self) -> int:
        return len(self.stored)


def stored_mentions(mentions: Mapping[str, list[Mention]]) -> dict[str, list[list[str]]]:
    if isinstance(mentions, StoredMentions):
        return mentions.stored
    return {sid: [m.to_json() for m in ms] for sid, ms in mentions.items()}


@dataclass
class Cluster:
    anchor: str = ""
    mentions: list[tuple[str, Mention]] = field(default_factory=list)  # (statement, mention)
    members: list[str] = field(default_factory=list)  # first clusters' keys merged in


SECTIONS = {FILE: ("persons", "statements"), MENTIONS: ("mentions", "clusters")}
RECENT_OF = {FILE: RECENT, MENTIONS: MENTIONS_RECENT}


@dataclass
class PersonTable:
    """Per generation: id → person, and statement → person ids; for the indexer also
    each statement's mentions and, per first cluster (``_cluster_key``), [person id,
    its statements, its first statement], which ``update_table`` decides from."""

    persons: dict[str, dict[str, Any]]
    statements: dict[str, list[str]]
    mentions: Mapping[str, list[Mention]]
    clusters: dict[str, list[Any]] = field(default_factory=dict)
    gazetteer: str = ""  # fingerprint of the persons gazetteer it was clustered with
    # the generation whose whole files this table extends, and the changes since them
    # (as stored: section -> entries)
    base: Path | None = None
    recent: dict[str, dict[str, Any]] = field(default_factory=dict)

    def sections(self) -> dict[str, Any]:
        """Every section as stored."""
        return {
            "persons": self.persons,
            "statements": self.statements,
            "mentions": stored_mentions(self.mentions),
            "clusters": self.clusters,
        }

    def person(self, person_id: str) -> dict[str, Any] | None:
        return self.persons.get(person_id)

    def prepare_lookups(self) -> None:
        """Build the look-ups `resolve` reads (Generation.warm): at 100,000 statements
        they take ~0.2 s, which the first search of a full name would otherwise wait."""
        _ = self._by_folded, self._by_term

    def of_statement(self, statement_id: str) -> list[str]:
        return self.statements.get(statement_id, [])

    def display_name(self, person_id: str, lang: str) -> str | None:
        """The person's name in `lang` (English, then the id, when it has none)."""
        person = self.persons.get(person_id)
        if person is None:
            return None
        names = person.get("names") or {}
        return names.get(lang) or names.get("en") or person_id

    def resolve(self, text: str) -> list[str]:
        """The persons a spelling typed in a query may be, in any script and case: the
        id itself; a display name or spelling seen, folded; else a given name and
        surname (either order, any case), or a surname alone, by their name keys.
        One id when the spelling names one person."""
        text = " ".join(text.split())
        if text in self.persons:
            return [text]
        exact = sorted(self._by_folded.get(fold_key(text), ()))
        if exact:
            return exact
        words = text.split()
        if len(words) >= 2:
            terms = set(pair_terms(words[0], words[-1]) or [])
            terms = {t for t in terms if t.startswith("n:")}
        elif words:
            terms = set(surname_terms(words[0]))
        else:
            terms = set()
        return sorted(set().union(*(self._by_term.get(term, set()) for term in terms)))

    @cached_property
    def _by_folded(self) -> dict[str, set[str]]:
        """Folded spelling → the persons with it (an index: a query looks up, not scans)."""
        out: dict[str, set[str]] = {}
        for pid, person in self.persons.items():
            for key in {fold_key(n) for n in _spellings(pid, person)} - {""}:
                out.setdefault(key, set()).add(pid)
        return out

    @cached_property
    def _by_term(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for pid, keys in self._terms.items():
            for key in keys:
                out.setdefault(key, set()).add(pid)
        return out

    @cached_property
    def _terms(self) -> dict[str, set[str]]:
        """Per person, the name keys (namekeys.py) of its display names, which are
        nominatives (a query's words are put in the nominative): ``n:`` of given name
        + surname, ``s:`` of the surname. No lemmatising: cheap for many persons."""
        out: dict[str, set[str]] = {}
        for pid, person in self.persons.items():
            keys: set[str] = set()
            for name in (person.get("names") or {}).values():
                words = name.split()
                if not words or words[-1].endswith("."):
                    continue
                given = given_name(words[0]) if len(words) >= 2 else None
                gender = given.gender if given else surname_gender(words[-1])
                key = surname_key(words[-1], gender)
                if key:
                    keys.add(f"s:{key}")
                    if given is not None:
                        keys.add(f"n:{given_id(given.nominative)}:{key}")
            out[pid] = keys
        return out


def _spellings(pid: str, person: Mapping[str, Any]) -> list[str]:
    names = list((person.get("names") or {}).values())
    return [pid, *names, *(s["text"] for s in person.get("spellings") or [])]


def _claims(entry: Entry, mention: Mention) -> bool:
    """Whether a split entry's names fit a mention (surname key, given-name group)."""
    key = surname_key(mention.surname, mention.gender)
    for name in (*entry.names.values(), *entry.aliases):
        words = name.split()
        if not words or surname_key(words[-1], surname_gender(words[-1])) != key:
            continue
        if not mention.full or len(words) < 2 or given_id(words[0]) == given_id(mention.given):
            return True
    return False


def anchor_of(sid: str, m: Mention, gazetteer: Gazetteer) -> str | None:
    """The gazetteer id a mention is: an entry claiming it in this statement, the entry
    the text matched, or the entry of its name."""
    for entry in gazetteer.claims(sid):
        if _claims(entry, m):
            return entry.id
    return m.anchor or gazetteer.person_id(m.given, m.surname)


def _cluster_key(sid: str, m: Mention, gazetteer: Gazetteer) -> str:
    anchor = anchor_of(sid, m, gazetteer)
    if anchor:
        return f"a:{anchor}"
    key = surname_key(m.surname, m.gender)
    if m.full:
        return f"n:{given_id(m.given)}:{key}"
    if m.given:
        return f"i:{given_id(m.given)}:{key}"
    return f"o:{key}"


def _surname_of(m: Mention) -> str:
    return surname_key(m.surname, m.gender)


def _entry_names(entry: Entry) -> list[tuple[str, str]]:
    """(given, surname key) of an entry's full names and aliases."""
    out = []
    for name in (*entry.names.values(), *entry.aliases):
        words = name.split()
        if len(words) >= 2:
            out.append((words[0], surname_key(words[-1], surname_gender(words[-1]))))
    return out


def _attach(clusters: dict[str, Cluster], gazetteer: Gazetteer) -> None:
    """Surname-only and initial mentions join the one full cluster that fits them."""
    by_surname: dict[str, set[str]] = {}
    givens: dict[str, set[str]] = {}  # cluster → initials of its given names
    for key, cluster in clusters.items():
        full = [(m.given, _surname_of(m)) for _, m in cluster.mentions if m.full]
        entry = gazetteer.get(cluster.anchor) if cluster.anchor else None
        if entry is not None:
            full += _entry_names(entry)
        for given, surname in full:
            by_surname.setdefault(surname, set()).add(key)
            givens.setdefault(key, set()).update(given_initials(given))
    for key in sorted(k for k in clusters if k.startswith(("i:", "o:"))):
        _, *rest = key.split(":")
        first = clusters[key].mentions[0][1]
        surnames = {rest[-1]} | {
            surname_key(first.surname, g) for g in surname_genders(first.surname)
        }
        candidates = sorted(set().union(*(by_surname.get(k, set()) for k in surnames)))
        if key.startswith("i:"):
            initial = rest[0]
            candidates = [c for c in candidates if initial in givens.get(c, set())]
        if len(candidates) == 1:
            _join(clusters[candidates[0]], clusters.pop(key))


def _join(target: Cluster, other: Cluster) -> None:
    target.mentions.extend(other.mentions)
    target.members.extend(other.members)


MIN_MISSPELT = 6  # letters of the shorter surname, for a one-letter misspelling


def _inner_deletions(word: str) -> set[str]:
    """The word with one letter left out, neither the first nor the last."""
    return {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)}


def _merge_misspellings(clusters: dict[str, Cluster]) -> None:
    """A full name seen in one statement only joins the one other full-name cluster of
    its given name and gender whose surname, as written in the same script, has one
    letter more or less inside: *Игнат Сидорик* for *Игнат Сидорчик*, a source's typo,
    is not a person of its own. Not a changed letter (*Шабалін*, *Шабанін* are two
    surnames), nor a short surname (*Попов*, *Попков*), nor two written in other
    scripts (a transliteration differs in more than a letter). Of two such names each
    in one statement, the one later in key order joins the other."""
    full = sorted(k for k in clusters if k.startswith("n:"))
    exact: dict[tuple[str, str], set[str]] = {}
    shorter: dict[tuple[str, str], set[str]] = {}  # a surname less one inner letter
    surnames: dict[str, set[tuple[str, str]]] = {}
    for key in full:
        bucket = key.split(":")[1] + key[-2:]  # the given name's id and ".m" / ".f"
        words = {(bucket, m.surname.lower()) for _, m in clusters[key].mentions}
        surnames[key] = {w for w in words if len(w[1]) >= MIN_MISSPELT}
        for bucket_word in surnames[key]:
            exact.setdefault(bucket_word, set()).add(key)
            for less in _inner_deletions(bucket_word[1]):
                shorter.setdefault((bucket, less), set()).add(key)
    for key in full:
        cluster = clusters.get(key)
        if cluster is None or len({sid for sid, _ in cluster.mentions}) != 1:
            continue
        targets: set[str] = set()
        for bucket, word in surnames[key]:
            targets |= shorter.get((bucket, word), set())
            for less in _inner_deletions(word):
                if len(less) >= MIN_MISSPELT:
                    targets |= exact.get((bucket, less), set())
        targets = {t for t in targets if t != key and t in clusters}
        if len(targets) != 1:
            continue
        (target_key,) = targets
        target = clusters[target_key]
        if len({sid for sid, _ in target.mentions}) == 1 and target_key > key:
            continue  # the other one joins this one, when its turn comes
        _join(target, clusters.pop(key))


def _script(text: str) -> str:
    return "cyrl" if CYRILLIC.search(text) else "latn"


def _names(cluster: Cluster, entry: Entry | None) -> dict[str, str]:
    names: dict[str, str] = {}
    for lang in LANGS:
        counted = Counter(m.nominative for _, m in cluster.mentions if m.lang == lang and m.surname)
        if counted:
            best = max(counted, key=lambda n: (" " in n and "." not in n, counted[n], n))
            names[lang] = best
    if entry is not None:
        names.update(entry.names)
    cyrillic = names.get("be") or names.get("ru")
    if "en" not in names and cyrillic:
        names["en"] = " ".join(w.capitalize() for w in person_key_words(cyrillic))
    for lang, other in (("be", "ru"), ("ru", "be")):
        if lang not in names:
            names[lang] = names.get(other) or names.get("en", "")
    return names


def person_key_words(name: str) -> list[str]:
    words = name.split()
    given = words[0] if len(words) > 1 else ""
    return person_key(given if given and not given.endswith(".") else "", words[-1]).split("-")


def _preferred_id(cluster: Cluster) -> str:
    """The key of the cluster's preferred spelling: a full name before an initial or a
    surname alone; Belarusian, then English, then Russian; most statements; smallest."""
    statements: dict[str, set[str]] = {}
    rank: dict[str, tuple[int, int]] = {}
    for sid, m in cluster.mentions:
        if not m.surname:
            continue
        key = person_key(m.given if m.full else "", m.surname)
        statements.setdefault(key, set()).add(sid)
        this = (0 if m.full else 1, _PREFERRED.get(m.lang, 3))
        rank[key] = min(rank.get(key, this), this)
    return min(statements, key=lambda k: (rank[k], -len(statements[k]), k))


def build_table(mentions: Mapping[str, list[Mention]], gazetteer: Gazetteer) -> PersonTable:
    """Cluster every statement's mentions into persons (see the module's docstring)."""
    clusters: dict[str, Cluster] = {}
    for sid in sorted(mentions):
        for m in mentions[sid]:
            if not m.anchor and not m.surname:
                continue
            key = _cluster_key(sid, m, gazetteer)
            cluster = clusters.setdefault(key, Cluster(key[2:] if key.startswith("a:") else ""))
            cluster.mentions.append((sid, m))
            cluster.members = [key]
    first = {key: _first_cluster(c.mentions) for key, c in clusters.items()}
    _merge_misspellings(clusters)
    _attach(clusters, gazetteer)
    persons: dict[str, dict[str, Any]] = {}
    statements: dict[str, list[str]] = {}
    index: dict[str, list[Any]] = {}
    for key in sorted(clusters, key=lambda k: (not k.startswith("a:"), k)):
        cluster = clusters[key]
        entry = gazetteer.get(cluster.anchor) if cluster.anchor else None
        pid = cluster.anchor or _preferred_id(cluster)
        if pid in persons:  # two clusters whose preferred keys meet: numbered, in key order
            pid = next(f"{pid}-{n}" for n in range(2, 10_000) if f"{pid}-{n}" not in persons)
        persons[pid] = _person(cluster, entry)
        for sid in persons[pid]["statements"]:
            statements.setdefault(sid, []).append(pid)
        for member in cluster.members:
            index[member] = [pid, *first[member]]
    return PersonTable(
        persons,
        {k: sorted(v) for k, v in sorted(statements.items())},
        dict(mentions),
        dict(sorted(index.items())),
        gazetteer.fingerprint,
    )


def _first_cluster(mentions: list[tuple[str, Mention]]) -> tuple[int, str]:
    """A first cluster's statements and its first statement (in id order)."""
    sids = {sid for sid, _ in mentions}
    return len(sids), min(sids)


def _person(cluster: Cluster, entry: Entry | None) -> dict[str, Any]:
    """A person's entry in the table: names, spellings seen, statements."""
    spellings: dict[str, set[str]] = {}
    for sid, m in cluster.mentions:
        if m.written:
            spellings.setdefault(m.written, set()).add(sid)
    return {
        "names": _names(cluster, entry),
        "spellings": [
            {"text": text, "script": _script(text), "statements": len(sids)}
            for text, sids in sorted(spellings.items(), key=lambda item: (-len(item[1]), item[0]))
        ],
        "statements": sorted({sid for sid, _ in cluster.mentions}),
    }


def update_table(
    previous: PersonTable, new_mentions: Mapping[str, list[Mention]], gazetteer: Gazetteer
) -> PersonTable | None:
    """The previous table with the mentions of statements a run read, when that gives the
    table ``build_table`` would: every new mention falls in a first cluster that already
    exists and changes nothing its merges were decided by. None when it cannot decide
    (a new person, a statement read again with other names, another gazetteer): the
    caller clusters afresh."""
    if not previous.clusters or previous.gazetteer != gazetteer.fingerprint:
        return None
    added: dict[str, list[tuple[str, Mention, str]]] = {}  # person id -> its new mentions
    fresh: dict[str, list[Mention]] = {}
    for sid in sorted(new_mentions):
        ms = new_mentions[sid]
        if sid in previous.mentions:
            if previous.mentions[sid] != ms:
                return None
            continue
        if not ms:
            continue
        fresh[sid] = ms
        for m in ms:
            if not m.anchor and not m.surname:
                continue
            key = _cluster_key(sid, m, gazetteer)
            known = previous.clusters.get(key)
            if known is None:
                return None
            pid, count, first = known
            # one statement more where there were two or more: no misspelling test
            # changes; a surname alone or an initial keeps its first mention
            if (key.startswith("n:") and count < 2) or (key[0] in "io" and sid < first):
                return None
            added.setdefault(pid, []).append((sid, m, key))
    members: dict[str, set[str]] = {}
    if added:
        for key, (pid, *_) in previous.clusters.items():
            if pid in added:
                members.setdefault(pid, set()).add(key)
    persons: dict[str, dict[str, Any]] = {}
    for pid, new in added.items():
        person = _updated_person(previous, pid, members[pid], new, gazetteer)
        if person is None:
            return None
        persons[pid] = person
    return _with_changes(previous, persons, fresh, added)


def _updated_person(
    previous: PersonTable,
    pid: str,
    members: set[str],
    new: list[tuple[str, Mention, str]],
    gazetteer: Gazetteer,
) -> dict[str, Any] | None:
    """A person's entry with new mentions, or None if they could change a merge or the
    person's id: a full name of a surname or initial the person did not have, a surname
    spelt anew, another preferred spelling."""
    old = [
        (sid, m, key)
        for sid in previous.persons[pid]["statements"]
        for m in previous.mentions.get(sid, ())
        if (m.anchor or m.surname) and (key := _cluster_key(sid, m, gazetteer)) in members
    ]
    anchor = next((key[2:] for key in members if key.startswith("a:")), "")
    entry = gazetteer.get(anchor) if anchor else None
    full = [(m.given, _surname_of(m)) for _, m, _ in old if m.full]
    full += _entry_names(entry) if entry is not None else []
    surnames = {surname for _, surname in full}
    initials = set().union(*(given_initials(given) for given, _ in full))
    words = {(key, m.surname.lower()) for _, m, key in old}
    for _, m, key in new:
        if m.full and (_surname_of(m) not in surnames or not given_initials(m.given) <= initials):
            return None
        spelt = (key, m.surname.lower())
        if key.startswith("n:") and len(spelt[1]) >= MIN_MISSPELT and spelt not in words:
            return None
    before = Cluster(anchor, [(sid, m) for sid, m, _ in old])
    after = Cluster(anchor, before.mentions + [(sid, m) for sid, m, _ in new])
    if not anchor and _preferred_id(before) != _preferred_id(after):
        return None
    return _person(after, entry)


def _with_changes(
    previous: PersonTable,
    persons: dict[str, dict[str, Any]],
    fresh: dict[str, list[Mention]],
    added: dict[str, list[tuple[str, Mention, str]]],
) -> PersonTable:
    """The previous table with changed persons and new statements, and the changes
    added to its recent ones (what ``write_table`` stores beside the whole files)."""
    statements: dict[str, set[str]] = {}
    clusters: dict[str, list[Any]] = {}
    for pid, new in added.items():
        for sid, _, key in new:
            statements.setdefault(sid, set()).add(pid)
            sids = {s for s, _, k in new if k == key}
            _, count, first = previous.clusters[key]
            clusters[key] = [pid, count + len(sids), min(first, *sids)]
    by_statement = {sid: sorted(pids) for sid, pids in sorted(statements.items())}
    changes: dict[str, dict[str, Any]] = {
        "persons": persons,
        "statements": by_statement,
        "mentions": {sid: [m.to_json() for m in ms] for sid, ms in fresh.items()},
        "clusters": clusters,
    }
    recent = {name: {**previous.recent.get(name, {}), **changes[name]} for name in changes}
    return PersonTable(
        {**previous.persons, **persons},
        {**previous.statements, **by_statement},
        StoredMentions({**stored_mentions(previous.mentions), **changes["mentions"]}),
        {**previous.clusters, **clusters},
        previous.gazetteer,
        previous.base,
        recent,
    )


def index_terms(sid: str, mentions: Iterable[Mention], gazetteer: Gazetteer) -> list[str]:
    """The name-key terms (namekeys.py) of a statement's mentions; a person the
    gazetteer knows gets the terms of its names and aliases too, so a search for any
    of them finds a statement that writes the surname alone."""
    terms: list[str] = []
    for m in mentions:
        if m.surname:
            terms += mention_terms(m.given, m.surname, m.gender)
        anchor = anchor_of(sid, m, gazetteer)
        entry = gazetteer.get(anchor) if anchor else None
        if entry is not None:
            for name in (*entry.names.values(), *entry.aliases):
                words = name.split()
                if len(words) >= 2:
                    given = given_name(words[0])
                    gender = given.gender if given else surname_gender(words[-1])
                    terms += mention_terms(words[0], words[-1], gender)
                else:
                    terms += mention_terms("", words[0], surname_gender(words[0]))[:1]
    return list(dict.fromkeys(terms))


def write_table(generation: Path, table: PersonTable) -> PersonTable:
    """The table's files in the generation being built: its recent changes beside links
    to the whole files it extends, or the whole written afresh once they grow. Returns
    the table as `load_table(generation, with_mentions=True)` would read it."""
    base = table.base
    recent = len(table.recent.get("statements", {}))
    if (
        base is not None
        and table.recent
        and recent <= max(RECENT_MIN, len(table.statements) // RECENT_SHARE)
    ):
        for name, sections in SECTIONS.items():
            os.link(base / name, generation / name)
            changes = {section: table.recent.get(section, {}) for section in sections}
            (generation / RECENT_OF[name]).write_bytes(orjson.dumps(changes))
        return replace(table, base=generation)
    whole = table.sections()
    for name, sections in SECTIONS.items():
        data: dict[str, Any] = {"version": VERSION, "gazetteer": table.gazetteer}
        data.update({section: whole[section] for section in sections})
        (generation / name).write_bytes(orjson.dumps(data, option=orjson.OPT_SORT_KEYS))
    return replace(table, mentions=StoredMentions(whole["mentions"]), base=generation, recent={})


def load_table(generation: Path | None, with_mentions: bool = False) -> PersonTable | None:
    """The generation's person table, or None if it has none (or an unreadable one);
    the mentions and clusters (which only the indexer needs) when asked for."""
    if generation is None:
        return None
    try:
        data = _layers(generation, FILE)
        if data.get("version") not in (1, VERSION):
            return None
        table = PersonTable(data["persons"], data["statements"], {})
        if not with_mentions:
            return table
        # version 1 kept the mentions in persons.json, and no clusters
        more = _layers(generation, MENTIONS) if data["version"] == VERSION else data
        table.mentions = StoredMentions(more["mentions"])
        table.clusters = more.get("clusters") or {}
        table.gazetteer = more.get("gazetteer", "")
        table.base = generation
        table.recent = {
            section: more.get("recent", {}).get(section, {}) for section in ("mentions", "clusters")
        }
        table.recent.update(
            {section: data.get("recent", {}).get(section, {}) for section in SECTIONS[FILE]}
        )
        return table
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


# the whole file of each kind last parsed, by its identity: the generations of runs
# that added to it link the same file, and a server switching to one parses only
# the delta (never changed: sections are copied before anything is laid over them)
_PARSED: dict[str, tuple[tuple[int, int, int, int], dict[str, Any]]] = {}
_PARSED_LOCK = threading.Lock()


def _whole(path: Path) -> dict[str, Any]:
    key = file_identity(path.stat())
    with _PARSED_LOCK:
        parsed = _PARSED.get(path.name)
    if parsed is not None and parsed[0] == key:
        return parsed[1]
    data = orjson.loads(path.read_bytes())
    if isinstance(data, dict):
        with _PARSED_LOCK:
            _PARSED[path.name] = (key, data)
    return data


def _layers(generation: Path, name: str) -> dict[str, Any]:
    """A whole file with its recent changes laid over each section (kept under
    "recent" too, for the next run to add to); the sections are new dicts."""
    data = dict(_whole(generation / name))
    recent_file = generation / RECENT_OF[name]
    if data.get("version") != VERSION:
        return data
    recent: dict[str, Any] = {}
    if recent_file.exists():
        recent = orjson.loads(recent_file.read_bytes())
        data["recent"] = recent
    for section in SECTIONS[name]:
        data[section] = {**data[section], **recent.get(section, {})}
    return data
