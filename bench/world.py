"""What a generated corpus is made of, rebuilt from the seed: vocabulary, topics, people, codes.

Both the generator and the query pools build the same `World` from a seed, so
the pools know every spelling of a person or citation without reading it back
from the text.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files

import yaml

from searcharchive.folding import fold_key
from searcharchive.languages import CYRILLIC

from .lexicon import Concept, Person, build_vocabulary, synthetic_persons

VOCABULARY = 30_000
SYNTHETIC_PERSONS = 2_500
ZIPF_S = 1.05
ZIPF_Q = 2.7  # Zipf–Mandelbrot offset: the head is flatter than 1/r, as in real text

# Tags like the original site's, most frequent first; each has a topic of its own words.
TAGS = [
    "joint statement",
    "political prisoners",
    "statement",
    "appeal",
    "human rights defenders",
    "freedom of expression",
    "trials",
    "freedom of association",
    "journalists",
    "torture",
    "elections",
    "extremism",
    "lawyers",
    "death penalty",
    "war in Ukraine",
    "prisoners of conscience",
    "trials in absentia",
    "health in detention",
    "monitoring",
    "international mechanisms",
    "solidarity",
    "exile",
    "freedom of religion",
    "labour rights",
    "language rights",
    "students",
    "culture",
    "children",
    "sanctions",
    "deaths in custody",
]
TOPIC_WORDS = 250

# Cited articles: (code, article, parts it is cited with), most cited first.
ARTICLES = [
    ("cc", "342", ("1", "2")),
    ("cc", "361-1", ("1", "2", "3")),
    ("cc", "130", ("1", "2", "3", "4")),
    ("cc", "369", ()),
    ("cc", "368", ("1",)),
    ("cc", "361-4", ("1",)),
    ("cc", "293", ("1", "2", "3")),
    ("cc", "361", ("1", "2", "3")),
    ("cc", "356", ()),
    ("cc", "411", ("1", "2", "3")),
    ("cc", "423", ("1",)),
    ("cc", "289", ("1", "2")),
    ("cc", "361-3", ("1",)),
    ("cc", "357", ("1",)),
    ("cc", "188", ("1", "2")),
    ("cc", "367", ("1", "2")),
    ("cc", "370", ()),
    ("cc", "243", ("1", "2")),
    ("cc", "209", ("1", "4")),
    ("cc", "328", ("1", "3")),
    ("cao", "24.23", ("1",)),
    ("cao", "19.11", ("1", "2")),
    ("cao", "23.34", ()),
    ("cao", "17.1", ()),
    ("cao", "24.3", ()),
    ("iccpr", "19", ()),
    ("iccpr", "21", ()),
    ("iccpr", "22", ()),
    ("iccpr", "14", ()),
    ("iccpr", "9", ()),
    ("udhr", "19", ()),
    ("cpc", "468", ()),
]

# How a citation is written in a text, per language and code; {a} article, {p} part.
CITATION_FORMS: dict[str, dict[str, list[str]]] = {
    "cc": {
        "en": [
            "Article {a} of the Criminal Code",
            "Art. {a} CC",
            "Article {a} of the Criminal Code of the Republic of Belarus",
            "Part {p} of Article {a} of the Criminal Code",
        ],
        "be": [
            "арт. {a} КК",
            "артыкула {a} Крымінальнага кодэкса",
            "ч. {p} арт. {a} КК",
            "часткі {p} артыкула {a} Крымінальнага кодэкса",
        ],
        "ru": [
            "ст. {a} УК",
            "статьи {a} Уголовного кодекса",
            "ч. {p} ст. {a} УК",
            "ч. {p} ст. {a} УК РБ",
            "части {p} статьи {a} Уголовного кодекса",
        ],
    },
    "cao": {
        "en": [
            "Article {a} of the Code of Administrative Offenses",
            "Part {p} of Article {a} of the Code of Administrative Offences",
        ],
        "be": ["арт. {a} КаАП", "ч. {p} арт. {a} КаАП"],
        "ru": ["ст. {a} КоАП", "ч. {p} ст. {a} КоАП"],
    },
    "cpc": {
        "en": ["Article {a} of the Criminal Procedure Code"],
        "be": ["арт. {a} КПК"],
        "ru": ["ст. {a} УПК"],
    },
    "iccpr": {
        "en": [
            "Article {a} of the International Covenant on Civil and Political Rights",
            "Article {a} of the ICCPR",
        ],
        "be": ["артыкула {a} Міжнароднага пакта аб грамадзянскіх і палітычных правах"],
        "ru": ["статьи {a} Международного пакта о гражданских и политических правах"],
    },
    "udhr": {
        "en": ["Article {a} of the Universal Declaration of Human Rights"],
        "be": ["артыкула {a} Усеагульнай дэкларацыі правоў чалавека"],
        "ru": ["статьи {a} Всеобщей декларации прав человека"],
    },
}
# What a lawyer types in the search box for a citation (the pool of the `citation` class).
TYPED_CITATIONS: dict[str, list[str]] = {
    "cc": [
        "Article {a} of the Criminal Code",
        "Art. {a} CC",
        "ст. {a} УК",
        "арт. {a} КК",
        "статья {a} УК",
        "ч. {p} ст. {a} УК",
        "ч. {p} арт. {a} КК",
        "Part {p} of Article {a} of the Criminal Code",
    ],
    "cao": ["ст. {a} КоАП", "арт. {a} КаАП", "Article {a} of the Code of Administrative Offences"],
    "cpc": ["ст. {a} УПК", "Article {a} of the Criminal Procedure Code"],
    "iccpr": ["Article {a} of the ICCPR", "Art. {a} ICCPR"],
    "udhr": ["Article {a} of the UDHR"],
}

_BELARUSIAN = re.compile(r"[іўІЎ]")
_RUSSIAN = re.compile(r"[ищъэёИЩЪЭ]")


def zipf_cum_weights(n: int, s: float = ZIPF_S, q: float = ZIPF_Q) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + q) ** s for rank in range(1, n + 1)))


def script_forms(names: dict[str, str], aliases: list[str]) -> dict[str, list[str]]:
    """The spellings of a gazetteer entry a text in each language would use."""
    cyrillic = [a for a in aliases if CYRILLIC.search(a)]
    return {
        "en": [names["en"], *(a for a in aliases if not CYRILLIC.search(a))],
        "be": [names["be"], *(a for a in cyrillic if not _RUSSIAN.search(a))],
        "ru": [names["ru"], *(a for a in cyrillic if not _BELARUSIAN.search(a))],
    }


@dataclass
class Organization:
    id: str
    forms: dict[str, list[str]]


def _gazetteer(kind: str) -> list[dict]:
    text = files("searcharchive").joinpath("data", f"{kind}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _sampler(rng: random.Random, cum: list[float]) -> int:
    return bisect.bisect(cum, rng.random() * cum[-1])


class World:
    """The generated archive's vocabulary, organizations and persons for one seed: read,
    never changed, after it is made (`World.of` shares one a process)."""

    @staticmethod
    @cache
    def of(seed: int) -> World:
        """The world of `seed`, made once a process (30,000 concepts take a second or two;
        the generator, the pools and the tests all ask for it)."""
        return World(seed)

    def __init__(self, seed: int):
        self.seed = seed
        rng = random.Random(f"world/{seed}")
        self.vocabulary: list[Concept] = build_vocabulary(VOCABULARY, rng)
        self.word_weights = zipf_cum_weights(VOCABULARY)
        # a topic boosts its own mid-frequency words (ranks 150+), as a tag's statements do
        self.topics = [sorted(rng.sample(range(150, VOCABULARY), TOPIC_WORDS)) for _ in TAGS]
        self.topic_weights = zipf_cum_weights(TOPIC_WORDS, s=0.8)
        self.tag_weights = zipf_cum_weights(len(TAGS), s=1.1, q=1.0)
        self.organizations = [
            Organization(entry["id"], script_forms(entry["name"], entry.get("aliases", [])))
            for entry in _gazetteer("organizations")
        ]
        self.org_weights = zipf_cum_weights(len(self.organizations), s=1.2, q=0.5)
        self.persons = self._gazetteer_persons() + self._synthetic_persons(rng)
        self.person_weights = zipf_cum_weights(len(self.persons), s=0.9, q=3.0)
        self.article_weights = zipf_cum_weights(len(ARTICLES), s=1.0, q=1.0)

    def _gazetteer_persons(self) -> list[Person]:
        persons = []
        for entry in _gazetteer("persons"):
            aliases = entry.get("aliases", [])
            forms = script_forms(entry["name"], aliases)
            variants = [a for a in aliases if not CYRILLIC.search(a)]
            persons.append(Person(entry["id"], entry["name"], forms, variants))
        return persons

    def _synthetic_persons(self, rng: random.Random) -> list[Person]:
        """Synthetic people whose surname does not fold like a gazetteer person's."""
        taken = {fold_key(w) for p in self._gazetteer_persons() for w in p.variants}
        taken |= {fold_key(p.surname["en"]) for p in self._gazetteer_persons()}
        persons = synthetic_persons(SYNTHETIC_PERSONS, rng)
        return [p for p in persons if fold_key(p.surname["en"]) not in taken]

    @cached_property
    def concept_of_word(self) -> dict[str, int]:
        """Lowercased word form -> concept rank (for the query pools)."""
        table: dict[str, int] = {}
        for rank, concept in enumerate(self.vocabulary):
            for forms in concept.forms.values():
                for form in forms:
                    table.setdefault(form.lower(), rank)
        return table

    def word(self, rng: random.Random) -> int:
        return _sampler(rng, self.word_weights)

    def topic_word(self, rng: random.Random, tag: int) -> int:
        return self.topics[tag][_sampler(rng, self.topic_weights)]

    def tag(self, rng: random.Random) -> int:
        return _sampler(rng, self.tag_weights)

    def organization(self, rng: random.Random) -> int:
        return _sampler(rng, self.org_weights)

    def person(self, rng: random.Random) -> int:
        return _sampler(rng, self.person_weights)

    def article(self, rng: random.Random) -> int:
        return _sampler(rng, self.article_weights)
