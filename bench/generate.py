"""Realistic synthetic corpora of statements in en/be/ru, reproducible from a seed.

    python -m bench.generate --size 10000 --out corpus/ [--seed 1]
    searcharchive index corpus/ --index index --rebuild

writes `statements-00001.jsonl`, … (5,000 lines a shard) in the input format of
`searcharchive index`, plus two hidden files the indexer skips: `.truth.jsonl`
(per statement, the organizations, persons and articles put into its text, for
the peers, which do no extraction) and `.manifest.json` (size, seed, counts).

A statement is planned once per translation group (words drawn from a Zipf
vocabulary mixed with its tag's topic words, ~375 words with log-normal
variance; organizations, persons and citations at chosen sentences; a date in
2015–2026, some known only to the month) and rendered in each of the group's
languages. About 60% of statements are in a group with a Belarusian and/or
Russian translation, as in the bundled sample. Organizations, articles and
persons are not given as fields: the indexer extracts them from the text.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .world import ARTICLES, CITATION_FORMS, TAGS, World

GENERATOR_VERSION = 1
SHARD_SIZE = 5_000
MEAN_WORDS = 355
SIGMA_WORDS = 0.45
LANGS = ("en", "be", "ru")
ORIGINAL_WEIGHTS = (50, 20, 30)  # en, be, ru
# translation groups: alone, with one translation, with both (≈ 60% of statements translated)
GROUP_SHAPES = ((1, 2, 3), (62, 14, 24))
YEARS = range(2015, 2027)
YEAR_WEIGHTS = (3, 3, 3, 4, 4, 14, 16, 15, 14, 12, 9, 3)
MONTH_ONLY = 0.06
TRANSLATORS = ("searcharchive", "Viasna volunteers", "a volunteer")

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "be": "студзеня лютага сакавіка красавіка траўня чэрвеня ліпеня жніўня верасня кастрычніка лістапада снежня",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
}
MONTHS_NOMINATIVE = {
    "en": MONTHS["en"],
    "be": "студзень люты сакавік красавік травень чэрвень ліпень жнівень верасень кастрычнік лістапад снежань",
    "ru": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
}
CITIES = {
    "en": ["Minsk", "Vilnius", "Warsaw", "Homiel", "Hrodna"],
    "be": ["Мінск", "Вільня", "Варшава", "Гомель", "Гродна"],
    "ru": ["Минск", "Вильнюс", "Варшава", "Гомель", "Гродно"],
}
TITLES = {
    "en": [
        "Joint statement of Belarusian human rights organizations on {x}",
        "Statement on {x}",
        "We demand to investigate {x}",
        "Appeal on {x}",
        "{x}",
        "{x}",
    ],
    "be": [
        "Сумесная заява беларускіх праваабарончых арганізацый пра {x}",
        "Заява пра {x}",
        "Патрабуем расследаваць {x}",
        "Зварот пра {x}",
        "{x}",
        "{x}",
    ],
    "ru": [
        "Совместное заявление белорусских правозащитных организаций о {x}",
        "Заявление о {x}",
        "Требуем расследовать {x}",
        "Обращение о {x}",
        "{x}",
        "{x}",
    ],
}
RELEASE_TITLE = {
    "en": "Immediately release {x}!",
    "be": "Неадкладна вызваліць {x}!",
    "ru": "Немедленно освободить {x}!",
}


@dataclass
class Mention:
    sentence: int
    kind: str  # "org", "person" or "article"
    index: int  # into World.organizations / World.persons / ARTICLES
    part: str = ""
    style: int = 0  # which written form (citations), the same in every language


@dataclass
class Plan:
    """One statement before it is written in a language: what every translation shares."""

    number: int
    langs: list[str]  # the original first
    date: tuple[int, int, int | None]
    tags: list[int]
    sentences: list[list[int]]  # concept ranks per sentence
    paragraph_ends: set[int]
    title_words: list[int]
    title_style: int
    dateline: bool
    mentions: list[Mention] = field(default_factory=list)

    @property
    def group(self) -> str:
        return f"s{self.number:06d}"


def plan_group(world: World, number: int, rng: random.Random, mean_words: int = MEAN_WORDS) -> Plan:
    original = rng.choices(LANGS, weights=ORIGINAL_WEIGHTS)[0]
    shape = rng.choices(*GROUP_SHAPES)[0]
    others = [lang for lang in LANGS if lang != original]
    langs = [original, *rng.sample(others, shape - 1)]
    year = rng.choices(YEARS, weights=YEAR_WEIGHTS)[0]
    month = rng.randint(1, 12) if year < 2026 else rng.randint(1, 6)
    day = None if rng.random() < MONTH_ONLY else rng.randint(1, 28)
    tags = [world.tag(rng)]
    for _ in range(rng.choices((0, 1, 2), weights=(45, 40, 15))[0]):
        tag = world.tag(rng)
        if tag not in tags:
            tags.append(tag)
    mu = math.log(mean_words) - SIGMA_WORDS**2 / 2
    length = min(3000, max(40, round(rng.lognormvariate(mu, SIGMA_WORDS))))
    topic = tags[0]
    words = [
        world.topic_word(rng, topic) if rng.random() < 0.2 else world.word(rng)
        for _ in range(length)
    ]
    sentences: list[list[int]] = []
    paragraph_ends: set[int] = set()
    position, in_paragraph = 0, 0
    limit = rng.randint(2, 5)
    while position < length:
        size = rng.randint(6, 24)
        sentences.append(words[position : position + size])
        position += size
        in_paragraph += 1
        if in_paragraph >= limit:
            paragraph_ends.add(len(sentences) - 1)
            in_paragraph, limit = 0, rng.randint(2, 5)
    plan = Plan(
        number=number,
        langs=langs,
        date=(year, month, day),
        tags=tags,
        sentences=sentences,
        paragraph_ends=paragraph_ends,
        title_words=[
            world.topic_word(rng, topic) if rng.random() < 0.4 else world.word(rng)
            for _ in range(rng.randint(3, 9))
        ],
        title_style=rng.randrange(len(TITLES["en"])),
        dateline=rng.random() < 0.4,
    )
    count = len(sentences)
    orgs: list[int] = []
    for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(25, 35, 22, 12, 6))[0]):
        org = world.organization(rng)
        if org not in orgs:
            orgs.append(org)
            plan.mentions.append(Mention(rng.randrange(count), "org", org))
    persons: list[int] = []
    for _ in range(rng.choices((0, 1, 2, 3), weights=(30, 40, 20, 10))[0]):
        person = world.person(rng)
        if person not in persons:
            persons.append(person)
            for _ in range(rng.randint(1, 3)):
                plan.mentions.append(Mention(rng.randrange(count), "person", person))
    cited: list[int] = []
    for _ in range(rng.choices((0, 1, 2, 3), weights=(45, 35, 15, 5))[0]):
        article = world.article(rng)
        if article in cited:
            continue
        cited.append(article)
        parts = ARTICLES[article][2]
        part = rng.choice(parts) if parts and rng.random() < 0.5 else ""
        plan.mentions.append(
            Mention(rng.randrange(count), "article", article, part, rng.randrange(12))
        )
    return plan


def citation_text(article: int, part: str, style: int, lang: str) -> str:
    code, number, _ = ARTICLES[article]
    forms = CITATION_FORMS[code][lang]
    with_part = [f for f in forms if "{p}" in f]
    without = [f for f in forms if "{p}" not in f]
    pool = with_part if part and with_part else without
    return pool[style % len(pool)].format(a=number, p=part)


def article_id(article: int, part: str, lang: str) -> str:
    code, number, _ = ARTICLES[article]
    has_part = part and any("{p}" in f for f in CITATION_FORMS[code][lang])
    return f"{code}:{number}:{part}" if has_part else f"{code}:{number}"


class Writer:
    """Renders a plan in one language."""

    def __init__(self, world: World, plan: Plan, lang: str, rng: random.Random):
        self.world, self.plan, self.lang, self.rng = world, plan, lang, rng

    def words(self, concepts: list[int]) -> list[str]:
        out = []
        for rank in concepts:
            forms = self.world.vocabulary[rank].forms[self.lang]
            out.append(
                forms[0]
                if len(forms) == 1 or self.rng.random() < 0.6
                else self.rng.choice(forms[1:])
            )
        return out

    def mention(self, mention: Mention) -> str:
        if mention.kind == "org":
            return self.rng.choice(self.world.organizations[mention.index].forms[self.lang])
        if mention.kind == "person":
            forms = self.world.persons[mention.index].forms[self.lang]
            return forms[0] if self.rng.random() < 0.5 else self.rng.choice(forms)
        return citation_text(mention.index, mention.part, mention.style, self.lang)

    def dateline(self) -> str:
        year, month, day = self.plan.date
        city = CITIES[self.lang][self.plan.number % len(CITIES[self.lang])]
        if day is None:
            name = MONTHS_NOMINATIVE[self.lang].split()[month - 1]
            return f"{city}, {name} {year}" + ("" if self.lang == "en" else " г.")
        name = MONTHS[self.lang].split()[month - 1]
        if self.lang == "en":
            return f"{city} – {name} {day}, {year}"
        return f"{city} – {day} {name} {year} г."

    def body(self) -> str:
        by_sentence: dict[int, list[Mention]] = {}
        for mention in self.plan.mentions:
            by_sentence.setdefault(mention.sentence, []).append(mention)
        paragraphs: list[str] = [self.dateline()] if self.plan.dateline else []
        current: list[str] = []
        for number, concepts in enumerate(self.plan.sentences):
            words = self.words(concepts)
            tail = []
            for mention in by_sentence.get(number, []):
                text = self.mention(mention)
                if mention.kind == "article":
                    tail.append(text)  # a citation ends its sentence, so no word runs into it
                else:
                    words.insert(self.rng.randint(0, len(words)), text)
            if tail:
                words.append(", ".join(tail))
            for i in range(len(words) - 1):
                if self.rng.random() < 0.06:
                    words[i] += ","
            sentence = " ".join(words)
            current.append(sentence[:1].upper() + sentence[1:] + ".")
            if number in self.plan.paragraph_ends:
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        persons = [m.index for m in self.plan.mentions if m.kind == "person"]
        if persons and self.plan.title_style == 0:
            name = self.world.persons[persons[0]].names[self.lang]
            return RELEASE_TITLE[self.lang].format(x=name)
        words = " ".join(self.words(self.plan.title_words))
        title = TITLES[self.lang][self.plan.title_style].format(x=words)
        return title[:1].upper() + title[1:]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or "statement"


def render(world: World, plan: Plan, seed: int) -> Iterator[tuple[dict, dict]]:
    """(record, truth) per language of the group; truth lists what was put into the text."""
    en_title = Writer(world, plan, "en", random.Random(f"{seed}/{plan.number}/title")).title()
    group = f"{slug(en_title)}-{plan.group}"
    year, month, day = plan.date
    date = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    for lang in plan.langs:
        writer = Writer(world, plan, lang, random.Random(f"{seed}/{plan.number}/{lang}"))
        record = {
            "id": f"{group}-{lang}",
            "lang": lang,
            "group": group,
            "title": writer.title(),
            "body": writer.body(),
            "date": date,
            "tags": [TAGS[t] for t in plan.tags],
            "url": f"https://example.org/{lang}/statements/{group}",
        }
        if lang != plan.langs[0]:
            record["translated_by"] = TRANSLATORS[plan.number % len(TRANSLATORS)]
            record["translated_from"] = plan.langs[0]
        mentions = plan.mentions
        persons = list(dict.fromkeys(m.index for m in mentions if m.kind == "person"))
        truth = {
            "id": record["id"],
            "group": group,
            "lang": lang,
            "date": date,
            "tags": record["tags"],
            "organizations": list(
                dict.fromkeys(world.organizations[m.index].id for m in mentions if m.kind == "org")
            ),
            "articles": list(
                dict.fromkeys(
                    article_id(m.index, m.part, lang) for m in mentions if m.kind == "article"
                )
            ),
            "persons": [world.persons[p].id for p in persons if world.persons[p].id],
            "person_refs": persons,
        }
        yield record, truth


def generate(
    size: int, seed: int = 1, world: World | None = None, mean_words: int = MEAN_WORDS
) -> Iterator[tuple[dict, dict]]:
    """`size` statements (records and their truth), the same for the same seed; a
    `mean_words` below the default makes shorter texts, for tests that need many
    statements more than long ones."""
    world = world or World.of(seed)
    produced, number = 0, 0
    while produced < size:
        number += 1
        plan = plan_group(world, number, random.Random(f"{seed}/{number}"), mean_words)
        for record, truth in render(world, plan, seed):
            if produced >= size:
                return
            produced += 1
            yield record, truth


def write_corpus(
    size: int,
    out: Path,
    seed: int = 1,
    shard_size: int = SHARD_SIZE,
    mean_words: int = MEAN_WORDS,
) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("statements-*.jsonl"):
        old.unlink()
    counts = {lang: 0 for lang in LANGS}
    groups: dict[str, int] = {}
    words = 0
    shard = None
    with (out / ".truth.jsonl").open("w", encoding="utf-8") as truth_file:
        for number, (record, truth) in enumerate(generate(size, seed, mean_words=mean_words)):
            if number % shard_size == 0:
                if shard:
                    shard.close()
                shard = (out / f"statements-{number // shard_size + 1:05d}.jsonl").open(
                    "w", encoding="utf-8"
                )
            assert shard is not None
            shard.write(json.dumps(record, ensure_ascii=False) + "\n")
            truth_file.write(json.dumps(truth, ensure_ascii=False) + "\n")
            counts[record["lang"]] += 1
            groups[record["group"]] = groups.get(record["group"], 0) + 1
            words += len(record["body"].split())
        if shard:
            shard.close()
    translated = sum(n for n in groups.values() if n > 1)
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "size": size,
        "seed": seed,
        "groups": len(groups),
        "langs": counts,
        "translated_share": round(translated / size, 3) if size else 0.0,
        "mean_body_words": round(words / size, 1) if size else 0.0,
    }
    (out / ".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def read_truth(corpus: Path) -> Iterator[dict]:
    with (corpus / ".truth.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def read_records(corpus: Path) -> Iterator[dict]:
    for path in sorted(corpus.glob("statements-*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--size", type=int, required=True, help="number of statements")
    parser.add_argument("--out", type=Path, required=True, help="folder for the JSONL shards")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shard-size", type=int, default=SHARD_SIZE)
    args = parser.parse_args(argv)
    manifest = write_corpus(args.size, args.out, args.seed, args.shard_size)
    print(json.dumps(manifest), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
