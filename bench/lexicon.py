"""Word lists for en/be/ru: a hand-written core, a pseudo-word tail, given names and surnames.

A *concept* is one row of the vocabulary, rendered in each language; a statement
is a sequence of concepts, so its translations are the same sequence rendered in
another language (word-aligned, not grammatical, but with the term statistics of
a translation: the same rare words, the same names, the same citations).

Ranks follow the order of the rows: the core (function words, then the domain
words of human-rights statements, some of them multi-word like "human rights")
takes the head of the Zipf distribution, and pseudo-words built from each
language's syllables take the long tail. Belarusian pseudo-words are derived from
the Russian ones the way the real words differ (akanye, і for и, ў after vowels),
so stems and transliteration keys relate across the two like real cognates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

CORE_WORDS = Path(__file__).with_name("core_words.txt")

# Syllable material for the pseudo-word tail.
EN_ONSETS = "b c d f g h j k l m n p r s t v w br cr dr fr gr pr tr bl cl fl gl pl sl st sp sc sh ch th wh".split()
EN_VOWELS = "a e i o u a e i o u a e i o ea ee ai ou oo".split()
EN_CODAS = ["", "", "", "n", "r", "t", "l", "m", "nd", "nt", "st", "ck", "rn", "ll"]
EN_SUFFIXES = ["", "", "", "s", "ed", "ing", "ion", "ity", "al", "ment", "ness", "er", "ly"]
RU_ONSETS = (
    "б в г д ж з к л м н п р с т ф х ц ч ш щ бр вр гр др кр пр тр ст сп ск зв св пл бл".split()
)
RU_VOWELS = "а о е и у ы я ё ю а о е и о".split()
RU_CODAS = ["", "", "", "н", "р", "с", "т", "л", "к", "в", "м", "ст", "нк"]
# noun-, adjective- and verb-like endings with their Belarusian counterparts
RU_ENDINGS = "_ а ы у ой ом ами ов ость ение ский ного ать ует".replace("_", "").split(" ")
BE_ENDINGS = "_ а ы у ой ам амі аў асць энне скі нага аць уе".replace("_", "").split(" ")

# Given names: (be, ru, Latin as in Belarusian passports, Latin from Russian); all in
# the project's given-name table, so any spelling folds to one key.
GIVEN_NAMES = [
    ("Мікалай", "Николай", "Mikalai", "Nikolai"),
    ("Уладзімір", "Владимир", "Uladzimir", "Vladimir"),
    ("Аляксандр", "Александр", "Aliaksandr", "Aleksandr"),
    ("Сяргей", "Сергей", "Siarhei", "Sergei"),
    ("Ігар", "Игорь", "Ihar", "Igor"),
    ("Аляксей", "Алексей", "Aliaksei", "Aleksey"),
    ("Павел", "Павел", "Pavel", "Pavel"),
    ("Валянцін", "Валентин", "Valiantsin", "Valentin"),
    ("Уладзіслаў", "Владислав", "Uladzislau", "Vladislav"),
    ("Яўген", "Евгений", "Yauhen", "Evgeny"),
    ("Андрэй", "Андрей", "Andrei", "Andrey"),
    ("Дзмітрый", "Дмитрий", "Dzmitry", "Dmitry"),
    ("Марыя", "Мария", "Maryia", "Maria"),
    ("Леанід", "Леонид", "Leanid", "Leonid"),
    ("Віктар", "Виктор", "Viktar", "Viktor"),
    ("Ганна", "Анна", "Hanna", "Anna"),
    ("Кацярына", "Екатерина", "Katsiaryna", "Ekaterina"),
    ("Юрый", "Юрий", "Yury", "Yuri"),
    ("Ірына", "Ирина", "Iryna", "Irina"),
    ("Таццяна", "Татьяна", "Tatsiana", "Tatiana"),
    ("Вольга", "Ольга", "Volha", "Olga"),
    ("Міхаіл", "Михаил", "Mikhail", "Mikhail"),
]
FEMININE = {"Марыя", "Ганна", "Кацярына", "Ірына", "Таццяна", "Вольга"}

# Surname classes: (ru nominative, ru oblique forms, be nominative, be oblique forms)
# with "~" for the root; feminine forms where the class has them.
SURNAME_CLASSES = [
    ("~ович", ["~овича", "~овичу", "~овичем"], "~овіч", ["~овіча", "~овічу", "~овічам"]),
    ("~евич", ["~евича", "~евичу"], "~евіч", ["~евіча", "~евічу"]),
    ("~енко", [], "~енка", []),
    ("~ов", ["~ова", "~ову", "~овым"], "~оў", ["~ова", "~ову", "~овым"]),
    ("~ин", ["~ина", "~ину"], "~ін", ["~іна", "~іну"]),
    ("~ец", ["~ца", "~цу"], "~ец", ["~ца", "~цу"]),
    ("~ик", ["~ика", "~ику"], "~ік", ["~іка", "~іку"]),
    ("~ский", ["~ского", "~скому"], "~скі", ["~скага", "~скаму"]),
]
FEMININE_CLASSES = {
    3: ("~ова", ["~овой"], "~ава", ["~авай"]),
    4: ("~ина", ["~иной"], "~іна", ["~інай"]),
    7: ("~ская", ["~ской"], "~ская", ["~скай"]),
}

BE_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "ie", "ё": "io",
    "ж": "zh", "з": "z", "і": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "'": "",
}  # fmt: skip
RU_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
LACINKA = {
    "а": "a", "б": "b", "в": "v", "г": "h", "д": "d", "е": "ie", "ё": "io", "ж": "ž",
    "з": "z", "і": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "ŭ", "ф": "f", "х": "ch",
    "ц": "c", "ч": "č", "ш": "š", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "'": "",
}  # fmt: skip


def romanise(word: str, table: dict[str, str]) -> str:
    out = "".join(table.get(ch.lower(), ch.lower()) for ch in word)
    return out[:1].upper() + out[1:] if word[:1].isupper() else out


def belarusianise(ru: str) -> str:
    """A Russian pseudo-word as a Belarusian cognate: akanye, і for и, ы after hard consonants."""
    out = []
    for i, ch in enumerate(ru):
        if ch == "о" and i > 1:
            ch = "а"
        elif ch == "и":
            ch = "і" if i == 0 or ru[i - 1] not in "жшчцр" else "ы"
        elif ch == "щ":
            ch = "шч"
        elif ch == "в" and i == len(ru) - 1 and i and ru[i - 1] in "аоеу":
            ch = "ў"
        elif ch == "е" and i and ru[i - 1] in "жшчцр":
            ch = "э"
        out.append(ch)
    return "".join(out)


@dataclass
class Concept:
    forms: dict[str, list[str]]  # per language: the base form first, then inflected forms


def core_concepts() -> list[Concept]:
    concepts = []
    for line in CORE_WORDS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        en, be, ru = line.split("|")
        concepts.append(Concept({"en": [en], "be": be.split("/"), "ru": ru.split("/")}))
    return concepts


def _syllables(rng: random.Random, onsets: list[str], vowels: list[str], codas: list[str]) -> str:
    count = rng.choices((1, 2, 3, 4), weights=(4, 6, 3, 1))[0]
    return "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(count)) + rng.choice(
        codas
    )


def build_vocabulary(size: int, rng: random.Random) -> list[Concept]:
    """The core, then pseudo-words up to `size` concepts; each word unique in its language."""
    concepts = core_concepts()
    seen: dict[str, set[str]] = {lang: set() for lang in ("en", "be", "ru")}
    for concept in concepts:
        for lang, forms in concept.forms.items():
            seen[lang].update(f.lower() for f in forms)
    while len(concepts) < size:
        en_stem = _syllables(rng, EN_ONSETS, EN_VOWELS, EN_CODAS)
        ru_stem = _syllables(rng, RU_ONSETS, RU_VOWELS, RU_CODAS)
        if en_stem in seen["en"] or ru_stem in seen["ru"]:
            continue
        endings = sorted(rng.sample(range(len(RU_ENDINGS)), 3))
        en_suffix = rng.choice(EN_SUFFIXES)
        en_forms = [en_stem + en_suffix]
        if en_suffix in ("", "ion", "ity", "ment", "ness", "er"):
            en_forms.append(en_forms[0] + "s")
        ru_forms = [ru_stem + RU_ENDINGS[e] for e in endings]
        be_forms = [belarusianise(ru_stem) + BE_ENDINGS[e] for e in endings]
        if any(f in seen["en"] for f in en_forms) or any(f in seen["ru"] for f in ru_forms):
            continue
        if any(f in seen["be"] for f in be_forms):
            continue
        for lang, forms in (("en", en_forms), ("be", be_forms), ("ru", ru_forms)):
            seen[lang].update(forms)
        concepts.append(Concept({"en": en_forms, "be": be_forms, "ru": ru_forms}))
    return concepts


@dataclass
class Person:
    """A person with their name in each script; `forms` are the spellings a text may use."""

    id: str | None  # gazetteer id when the archive's gazetteer knows them
    names: dict[str, str]  # en, be, ru display names
    forms: dict[str, list[str]]  # en, be, ru: spellings used in texts of that language
    variants: list[str]  # further Latin spellings a journalist may type

    @property
    def surname(self) -> dict[str, str]:
        return {lang: name.split()[-1] for lang, name in self.names.items()}


def synthetic_persons(count: int, rng: random.Random) -> list[Person]:
    """Belarusian-sounding persons, not in the gazetteer: found only through text and folding."""
    persons: list[Person] = []
    seen: set[str] = set()
    while len(persons) < count:
        root = rng.choice(RU_ONSETS).capitalize() + rng.choice("аоеиу") + rng.choice(RU_ONSETS)
        if rng.random() < 0.5:
            root += rng.choice("аоеиу") + rng.choice("кнлрмст")
        given = rng.choice(GIVEN_NAMES)
        klass = rng.randrange(len(SURNAME_CLASSES))
        forms_of = SURNAME_CLASSES[klass]
        if given[0] in FEMININE:
            if klass not in FEMININE_CLASSES:
                continue
            forms_of = FEMININE_CLASSES[klass]
        ru_nom, ru_obl, be_nom_t, be_obl = forms_of
        be_root = belarusianise(root.lower()).capitalize()
        ru_s = ru_nom.replace("~", root)
        be_s = be_nom_t.replace("~", be_root)
        if ru_s in seen:
            continue
        seen.add(ru_s)
        en_s = romanise(be_s, BE_LATIN)
        names = {"en": f"{given[2]} {en_s}", "be": f"{given[0]} {be_s}", "ru": f"{given[1]} {ru_s}"}
        forms = {
            "en": [names["en"], en_s],
            "be": [names["be"], be_s, *(f.replace("~", be_root) for f in be_obl)],
            "ru": [names["ru"], ru_s, *(f.replace("~", root) for f in ru_obl)],
        }
        variants = [romanise(ru_s, RU_LATIN), romanise(be_s, LACINKA)]
        variants = [v for v in dict.fromkeys(variants) if v != en_s]
        persons.append(Person(None, names, forms, variants))
    return persons
