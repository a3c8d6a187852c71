"""Query pools per class, built from the corpus, and the two orders they are timed in.

Every class has a pool of at least `POOL` distinct requests (when the corpus is
big enough to give them), plus `WARMUP` more that are run before timing and never
timed, so that no timed request has been seen before in the cold pass. Each
request carries the form the peers search: the same words, phrase, article id or
filters; for a name in another script, the peers get every spelling of the person
(the expansion a gazetteer would give them), since they have no folding.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from searcharchive.citations import parse_citation_query
from searcharchive.columns import load_columns
from searcharchive.languages import CYRILLIC
from searcharchive.persons import load_table
from searcharchive.store import IndexStore
from searcharchive.web.entities import FILTERS

from .generate import read_records, read_truth
from .world import ARTICLES, TYPED_CITATIONS, World

SEARCH_CLASSES = (
    "rare",
    "common",
    "and",
    "phrase",
    "name_xscript",
    "citation",
    "citation_faceted",
    "browse_newest",
    "deep_page",
)
# an entity's own page (/persons/{id}, /organizations/{id}, /articles/{id}, /tags/{tag}):
# what its JSON handler computes; the peers have no such page. class -> the entity kind
# (the path of its pages, the request's `kind`)
ENTITY_KINDS = {
    "person_page": "persons",
    "organization_page": "organizations",
    "article_page": "articles",
    "tag_page": "tags",
}
ENTITY_CLASSES = tuple(ENTITY_KINDS)
CLASSES = SEARCH_CLASSES + ENTITY_CLASSES
POOL = 100
UI_LANGS = ("en", "be", "ru")
ENTITY_PAGE_SIZE = 10  # statements a page of an entity's page shows (the default size)
WARMUP = 10
STATS_SAMPLE = 20_000  # documents read for word statistics
BIGRAM_SAMPLE = 4_000
WORD = re.compile(r"[^\W\d_]+")
SENTENCE = re.compile(r"[.,;:!?«»“”\"()\n]+")


@dataclass(frozen=True)
class BenchQuery:
    cls: str
    q: str = ""
    tags: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    sort: str = ""
    page: int = 1
    size: int = 10
    ui_lang: str = "en"
    # what the peers search: "words" (AND), "phrase", "names" (OR of phrases), "article", "all";
    # for an entity page, the entity kind (ENTITY_KINDS), and its id is `terms[0]`
    kind: str = "words"
    terms: tuple[str, ...] = ()

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {
            name: values
            for name, values in (("tag", self.tags), ("org", self.orgs), ("lang", self.langs))
            if values
        }

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Stats:
    docs: int
    df: Counter[str]
    bigram_df: Counter[tuple[str, str]]
    bigram_docs: int
    sample: list[list[str]]  # words of some sampled documents, for pairs


def _sampled(corpus: Path, size: int, limit: int) -> Iterator[dict]:
    step = max(1, size // limit)
    for number, record in enumerate(read_records(corpus)):
        if number % step == 0:
            yield record


def corpus_stats(corpus: Path, size: int) -> Stats:
    df: Counter[str] = Counter()
    bigram_df: Counter[tuple[str, str]] = Counter()
    docs = bigram_docs = 0
    sample: list[list[str]] = []
    bigram_step = max(1, min(size, STATS_SAMPLE) // BIGRAM_SAMPLE)
    for record in _sampled(corpus, size, STATS_SAMPLE):
        text = f"{record['title']}\n{record['body']}"
        words = [w.lower() for w in WORD.findall(text)]
        # dicts, not sets: the counters' order (their ties) must not depend on the hash seed
        df.update(dict.fromkeys(words, 1))
        if docs % bigram_step == 0:
            bigram_docs += 1
            pairs: dict[tuple[str, str], None] = {}
            for chunk in SENTENCE.split(text.lower()):
                tokens = chunk.split()
                pairs.update(dict.fromkeys(zip(tokens, tokens[1:], strict=False)))
            bigram_df.update(p for p in pairs if all(WORD.fullmatch(t) for t in p))
            if len(sample) < 2_000:
                sample.append(words)
        docs += 1
    return Stats(docs, df, bigram_df, bigram_docs, sample)


def _band(df: Counter, docs: int, low: float, high: float, minimum: int = 2) -> list:
    lo, hi = max(minimum, round(low * docs)), max(minimum + 3, round(high * docs))
    return sorted(w for w, n in df.items() if lo <= n <= hi)


def _take(rng: random.Random, items: list, count: int) -> list:
    items = list(items)
    rng.shuffle(items)
    return items[:count]


class PoolBuilder:
    def __init__(self, world: World, corpus: Path, size: int, seed: int, index: Path | None = None):
        """`index`: the built index, whose person table gives the person pages' ids (the
        persons the indexer recognised); without it, no person pages."""
        self.world, self.corpus, self.size, self.index = world, corpus, size, index
        self.rng = random.Random(f"pools/{seed}")
        self.stats = corpus_stats(corpus, size)
        self.truth = list(read_truth(corpus))
        self.want = POOL + WARMUP

    def words(self, low: float, high: float) -> list[str]:
        words = [w for w in _band(self.stats.df, self.stats.docs, low, high) if len(w) >= 4]
        return _take(self.rng, words, self.want)

    def rare(self) -> list[BenchQuery]:
        return [BenchQuery("rare", w, terms=(w,)) for w in self.words(0.0005, 0.002)]

    def common_words(self) -> list[str]:
        words = _band(self.stats.df, self.stats.docs, 0.1, 0.5)
        if len(words) < self.want:  # small corpora: the most frequent words instead
            words = [w for w, _ in self.stats.df.most_common(self.want * 2)]
        return words

    def common(self) -> list[BenchQuery]:
        return [
            BenchQuery("common", w, terms=(w,))
            for w in _take(self.rng, self.common_words(), self.want)
        ]

    def and_(self) -> list[BenchQuery]:
        docs = self.stats.docs
        lo, hi = max(2, 0.02 * docs), 0.3 * docs
        pairs: dict[tuple[str, str], None] = {}
        for _ in range(self.want * 20):
            if len(pairs) >= self.want or not self.stats.sample:
                break
            words = [
                w
                for w in self.rng.choice(self.stats.sample)
                if lo <= self.stats.df[w] <= hi and len(w) > 2
            ]
            if len(set(words)) >= 2:
                a, b = self.rng.sample(sorted(set(words)), 2)
                pairs[(a, b)] = None
        return [BenchQuery("and", f"{a} {b}", terms=(a, b)) for a, b in pairs]

    def phrase(self) -> list[BenchQuery]:
        bigrams = [(p, n) for p, n in self.stats.bigram_df.most_common() if n >= 3 and p[0] != p[1]]
        top = [p for p, _ in bigrams[:300]]
        rest = [p for p, _ in bigrams[300:]]
        chosen = _take(self.rng, top, self.want // 2) + _take(
            self.rng, rest, self.want - self.want // 2
        )
        return [BenchQuery("phrase", f'"{a} {b}"', kind="phrase", terms=(a, b)) for a, b in chosen]

    def name_xscript(self) -> list[BenchQuery]:
        langs_of: dict[int, set[str]] = {}
        for truth in self.truth:
            for ref in truth["person_refs"]:
                langs_of.setdefault(ref, set()).add(truth["lang"])
        queries = []
        for ref in sorted(langs_of):
            person = self.world.persons[ref]
            cyrillic = bool(ref % 2) and "en" in langs_of[ref]
            if cyrillic:
                lang = "be" if ref % 4 == 1 else "ru"
                text = person.names[lang] if ref % 3 == 0 else person.surname[lang]
            elif langs_of[ref] & {"be", "ru"}:
                latin = person.variants or [person.surname["en"]]
                text = person.names["en"] if ref % 3 == 0 else latin[ref % len(latin)]
            else:
                continue
            spellings = [
                *person.forms["en"],
                *person.forms["be"],
                *person.forms["ru"],
                *person.variants,
            ]
            queries.append(
                BenchQuery(
                    "name_xscript", text, kind="names", terms=tuple(dict.fromkeys(spellings))
                )
            )
        return _take(self.rng, queries, self.want)

    def cited(self) -> dict[str, list[int]]:
        """Article id (and each parent article) -> documents citing it."""
        docs: dict[str, list[int]] = {}
        for number, truth in enumerate(self.truth):
            for cid in truth["articles"]:
                parts = cid.split(":")
                for end in range(2, len(parts) + 1):
                    docs.setdefault(":".join(parts[:end]), []).append(number)
        return docs

    def citations(self) -> list[BenchQuery]:
        queries = []
        numbers = {f"{code}:{article}": code for code, article, _ in ARTICLES}
        for cid in sorted(self.cited()):
            parts = cid.split(":")
            code, number = parts[0], parts[1]
            part = parts[2] if len(parts) > 2 else ""
            if f"{code}:{number}" not in numbers:
                continue
            for form in TYPED_CITATIONS[code]:
                if ("{p}" in form) != bool(part):
                    continue
                text = form.format(a=number, p=part)
                if parse_citation_query(text) == [cid]:
                    queries.append(BenchQuery("citation", text, kind="article", terms=(cid,)))
        return _take(self.rng, queries, self.want)

    def citation_faceted(self, citations: list[BenchQuery]) -> list[BenchQuery]:
        cited = self.cited()
        queries = []
        for number, query in enumerate(citations):
            docs = cited[query.terms[0]]
            truth = self.truth[docs[number * 7 % len(docs)]]
            org = truth["organizations"][:1]
            tag = truth["tags"][:1]
            choices = [("tag", "lang"), ("org", "lang"), ("tag", "org")]
            pair = choices[number % 3]
            if not org and "org" in pair:
                pair = ("tag", "lang")
            queries.append(
                BenchQuery(
                    "citation_faceted",
                    query.q,
                    tags=tuple(tag) if "tag" in pair else (),
                    orgs=tuple(org) if "org" in pair else (),
                    langs=(truth["lang"],) if "lang" in pair else (),
                    kind="article",
                    terms=query.terms,
                )
            )
        return queries

    def browse_newest(self) -> list[BenchQuery]:
        queries = [
            BenchQuery("browse_newest", "", sort="newest", page=page, ui_lang=ui_lang, kind="all")
            for page in range(1, self.want // 3 + 2)
            for ui_lang in ("en", "be", "ru")
        ]
        return _take(self.rng, queries, self.want)

    def deep_page(self) -> list[BenchQuery]:
        groups_per_doc = len({t["group"] for t in self.truth}) / max(1, len(self.truth))
        queries = []
        for word in _take(self.rng, self.common_words(), self.want):
            groups = self.stats.df[word] / self.stats.docs * self.size * groups_per_doc
            last = max(2, int(groups // 10 // 2))
            page = min(self.rng.randint(50, 100), last)
            queries.append(
                BenchQuery("deep_page", word, sort="relevance", page=page, terms=(word,))
            )
        return queries

    def entity_counts(self) -> dict[str, Counter[str]]:
        """Per entity class, the values the built index has pages for and how many
        statements have each: the persons of its person table (those the indexer
        recognised), and the organizations named, the articles cited (not a bare code)
        and the tags of its facet columns, as extracted from the generated texts."""
        counts: dict[str, Counter[str]] = {cls: Counter() for cls in ENTITY_CLASSES}
        generation = IndexStore(self.index).current() if self.index else None
        if generation is None:
            return counts
        table = load_table(generation)
        if table is not None:
            counts["person_page"].update(
                {pid: len(person["statements"]) for pid, person in table.persons.items()}
            )
        columns = load_columns(generation)
        for cls, kind in ENTITY_KINDS.items():
            if kind == "persons":
                continue
            pairs = columns.facets[FILTERS[kind].name]
            sizes = np.diff(pairs.starts).tolist()
            counts[cls].update(
                {
                    value: size
                    for value, size in zip(pairs.values, sizes, strict=True)
                    if size and (kind != "articles" or ":" in value)
                }
            )
        return counts

    def entity_pages(self, cls: str, counts: Counter[str]) -> list[BenchQuery]:
        """Pages of frequent and rare entities alike: half the values from the most
        frequent quarter, half from the rest; page 1 in a UI language each, then the
        other languages and pages 2 and 3 (of entities with that many) while the pool
        has room, so that every request is distinct."""
        ranked = sorted(counts, key=lambda value: (-counts[value], value))
        head = ranked[: max(1, len(ranked) // 4)]
        frequent = _take(self.rng, head, self.want // 2)
        values = frequent + _take(self.rng, ranked[len(head) :], self.want - len(frequent))
        queries: list[BenchQuery] = []
        for turn in range(3 * len(UI_LANGS)):
            page, shift = 1 + turn // len(UI_LANGS), turn % len(UI_LANGS)
            for number, value in enumerate(values):
                if page > 1 and counts[value] < 2 * page * ENTITY_PAGE_SIZE:
                    continue
                queries.append(
                    BenchQuery(
                        cls,
                        page=page,
                        ui_lang=UI_LANGS[(number + shift) % len(UI_LANGS)],
                        kind=ENTITY_KINDS[cls],
                        terms=(value,),
                    )
                )
        return _take(self.rng, queries[: self.want], self.want)

    def build(self) -> dict[str, list[BenchQuery]]:
        citations = self.citations()
        pools = {
            "rare": self.rare(),
            "common": self.common(),
            "and": self.and_(),
            "phrase": self.phrase(),
            "name_xscript": self.name_xscript(),
            "citation": citations,
            "citation_faceted": self.citation_faceted(citations),
            "browse_newest": self.browse_newest(),
            "deep_page": self.deep_page(),
        }
        for cls, counts in self.entity_counts().items():
            pools[cls] = self.entity_pages(cls, counts)
        return {name: list(dict.fromkeys(pool)) for name, pool in pools.items()}


def split(pool: list[BenchQuery]) -> tuple[list[BenchQuery], list[BenchQuery]]:
    """(warm-up, timed): the warm-up requests are never timed."""
    warm = max(1, min(WARMUP, len(pool) // 10))
    return pool[-warm:], pool[:-warm]


def mix(pool: list[BenchQuery], count: int, seed: int) -> list[BenchQuery]:
    """What a server sees: Zipf-distributed repeats of the pool's requests."""
    rng = random.Random(f"mix/{seed}/{pool[0].cls if pool else ''}")
    weights = [1.0 / rank for rank in range(1, len(pool) + 1)]
    return rng.choices(pool, weights=weights, k=count) if pool else []


def is_cyrillic(text: str) -> bool:
    return bool(CYRILLIC.search(text))
