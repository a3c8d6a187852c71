"""Persons a statement names, beyond the gazetteer: in en, be (Cyrillic and Łacinka) and ru.

A person is recognised by one of three cues, each read from capitalised words that stand
next to each other (spaces and at most one line break between them):

1. a **given name** from ``data/person_given_names.tsv`` (in any case form) next to a
   capitalised word, in either order: *Алеся Бяляцкага*, *Maryia Kalesnikava*,
   *Лапко Віталь Алесевіч*; a patronymic may follow the given name; two given names
   may share a surname in the plural (*Дениса и Максима Урбановичей*);
2. **initials** and a surname: *А. Бяляцкі*, *Д.Новика*, *M. Kalesnikava*;
3. a **role word** and a surname: *палітвязень Стэфановіч*, *журналістку Гарашыну*,
   *political prisoner Losik*, *правозащитника Беляцкого*.

The surname is then put in the nominative by rules of Belarusian, Russian and Łacinka
case endings (``lemmatise``), for the gender the given name shows (or, without one, the
surname's own ending), so *Ціханоўскай* and *Ціханоўскага* stay two persons.  When the
given name is in the nominative the surname is taken as written (they agree in case:
*Таццяна Нядбай*), and a woman's surname ending in a consonant does not decline
(*Юліі Лаптановіч*).

Words that look like names but are not persons are kept out: a name after *вуліца*,
*імя*, *премии*, *street*, *prize*..., or before *Prize*, *Street*, *Award*; months,
weekdays and other capitalised words in ``_NOT_SURNAMES``.

No dictionary or model is loaded: the rules and the name table are plain data read once
per process; ``find_persons`` splits the text with one regex and looks words up in
dictionaries, about 1 ms a statement (see README, "Persons", for the libraries measured).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

from .caches import word_cache
from .folding import fold_key
from .languages import CYRILLIC

__all__ = ["Person", "find_persons", "lemmatise", "person_key", "transliterate"]

_UPPER = "A-ZА-ЯЁІЎЄЇҐČŠŽŁĆŚŹŃŬ"
_LOWER = "a-zа-яёіўєїґčšžłćśźńŭ"
_APOS = "'’ʼ"
# A capitalised word (hyphenated parts too: Гацура-Яворская), or an initial with its dot.
_TOKEN_RE = re.compile(
    rf"(?<![\w{_APOS}])(?:(?P<initial>[{_UPPER}])\.|"
    rf"(?P<word>[{_UPPER}][{_LOWER}{_APOS}]+(?:-[{_UPPER}]?[{_LOWER}{_APOS}]+)*)(?![{_UPPER}{_LOWER}]))"
    rf"|(?P<lower>[{_LOWER}]+)"
)
_GAP_RE = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*")


@dataclass(frozen=True)
class Person:
    """One person as a text names them: the nominative and a stable key."""

    given: str  # nominative given name, an initial ("Н.") or ""
    surname: str  # nominative surname
    key: str  # e.g. "ales-bialiatski"; initials give "n-statkevich"
    start: int  # offset of the mention in the text
    gender: str = "m"  # "m" or "f", as the given name or the surname's ending shows
    written: str = ""  # the mention as the text writes it ("Алеся Бяляцкага")

    @property
    def nominative(self) -> str:
        return f"{self.given} {self.surname}".strip()


# Names and their keys recur across statements (clustering reads every mention of the
# archive at each run): their pure functions keep this many recent answers each.
NAME_CACHE = 50_000

# ---------------------------------------------------------------- given names


@dataclass(frozen=True)
class _Given:
    nominative: str
    gender: str  # "m" or "f"
    is_nominative: bool
    group: str = ""  # the first spelling of its line in the table: one name, many spellings


def _given_forms(nominative: str, gender: str) -> set[str]:
    """Regular case forms of a given name (Belarusian, Russian, Łacinka)."""
    n = nominative
    forms = {n}
    low = n.lower()
    if CYRILLIC.search(n):
        if low.endswith(("а", "я")):
            stem = n[:-1]
            soft = low.endswith("я") or low[-2] in "гкхжшчц"
            if low.endswith("ія") or low.endswith("ия"):
                forms |= {stem + e for e in ("і", "ю", "яй", "ёй", "и", "ей", "ии")}
            forms |= {stem + e for e in ("ы", "е", "у", "ай", "ой", "ою", "і", "и", "э")}
            if soft:
                forms |= {stem + e for e in ("і", "ю", "яй", "ёй", "е", "и", "ей")}
        elif low.endswith(("ій", "ий", "ый")):
            stem = n[:-1]
            forms |= {stem + e for e in ("я", "ю", "ем", "ям", "і", "и", "і")}
        elif low.endswith(("й", "ь")):
            stem = n[:-1]
            forms |= {stem + e for e in ("я", "ю", "ем", "ём", "ям", "і", "е")}
        else:
            forms |= {n + e for e in ("а", "у", "ам", "ом", "ым", "ем", "е", "ы")}
            if gender == "m" and re.search(r"[еэ][лрн]$", low):  # Павел → Павла
                forms |= {n[:-2] + n[-1] + e for e in ("а", "у", "ам", "ом")}
    else:
        if low.endswith("ja"):
            stem = n[:-1]
            forms |= {stem + e for e in ("i", "u", "aj", "y")}
        elif low.endswith("a"):
            stem = n[:-1]
            forms |= {stem + e for e in ("y", "i", "u", "aj", "oj", "ie", "e")}
        elif low.endswith("j"):
            stem = n[:-1]
            forms |= {stem + e for e in ("ja", "ju", "jem", "jam")}
        elif low.endswith(("ś", "ć", "ń")):
            stem = n[:-1] + {"ś": "s", "ć": "c", "ń": "n"}[low[-1]]
            forms |= {stem + e for e in ("ia", "iu", "iem", "iam")}
        else:
            forms |= {n + e for e in ("a", "u", "am", "om", "ym", "ie", "e")}
    return forms


@functools.cache
def _spellings() -> dict[str, tuple[str, ...]]:
    """Every spelling of a given name, by its group (filled by ``_given_table``)."""
    return {}


@functools.cache
def _given_table() -> dict[str, _Given]:
    """Every case form of every listed given name → its nominative and gender."""
    resource = importlib.resources.files("searcharchive").joinpath("data", "person_given_names.tsv")
    table: dict[str, _Given] = {}
    irregular: dict[str, _Given] = {}
    for line in resource.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        gender, names = fields[0], [n.strip() for n in fields[1].split(",") if n.strip()]
        group = names[0]
        _spellings()[group] = tuple(names)
        for name in names:
            for form in _given_forms(name, gender):
                table.setdefault(form, _Given(name, gender, form == name, group))
            table[name] = _Given(name, gender, True, group)
        if len(fields) > 2:
            for pair in fields[2].split(","):
                form, _, nominative = pair.partition(">")
                irregular[form.strip()] = _Given(
                    nominative.strip(), gender, form == nominative, group
                )
    table.update(irregular)
    return table


@functools.cache
def _masculine_readings() -> dict[str, _Given]:
    """Forms that are a feminine nominative and a masculine case form (Александра)."""
    readings: dict[str, _Given] = {}
    table = _given_table()
    for given in {g for g in table.values() if g.gender == "m"}:
        for form in _given_forms(given.nominative, "m"):
            other = table.get(form)
            if form != given.nominative and other and other.gender == "f" and other.is_nominative:
                readings[form] = _Given(given.nominative, "m", False)
    return readings


# A surname in a masculine case form: then an ambiguous given name is masculine too.
_MASCULINE_OBLIQUE = re.compile(r"(?:[бвгджзклмнпрстфхцчшщ]а|ага|ого|ава|ова|ева|іна|ина|ына)$")


# Case forms of given names that are common words at the start of a sentence.
_NOT_GIVEN = frozenset({"Яны", "Яне", "Ям", "Вере", "Веры", "Марку", "Ина"})


@functools.cache
def _given_by_fold() -> dict[tuple[str, str], _Given | None]:
    """Given names by gender and the key ``fold_key`` gives every spelling of a group of
    ``data/given_names.yaml`` (Valiancin, Walancin and Valiantsin: ``=valiantsin``);
    None where the key stands for two names of the table."""
    out: dict[tuple[str, str], _Given | None] = {}
    for given in _given_table().values():
        key = fold_key(given.nominative) if given.is_nominative else ""
        if key.startswith("="):
            seen = out.get((key, given.gender), given)
            same = seen is not None and seen.group == given.group
            out[key, given.gender] = given if same else None
    return out


def given_name(word: str) -> _Given | None:
    """The given name a word is, in any case form, or None. A nominative spelling
    the table does not list is read by its folded key when that is the key of one
    listed name (Łacinka *Valiancin* is *Valiantsin*)."""
    word = unicodedata.normalize("NFC", word)
    if word in _NOT_GIVEN:
        return None
    if word[:1] == "Ў":  # Belarusian у after a vowel: і Ўладзімера
        word = "У" + word[1:]
    found = _given_table().get(word)
    if found is None and len(word) >= 4 and word[:1].isupper():
        gender = "f" if word[-1] in "аяaAАЯ" else "m"  # Valiancina, Валянціна
        known = _given_by_fold().get((fold_key(word), gender))
        if known is not None:
            found = _Given(word, known.gender, True, known.group)
    return found


# ---------------------------------------------------------------- lemmatisation

_SOFT_SIGN = "ь"
_SIBILANT = "жшчщц"
# (ending, replacement), longest first within each list; the first that applies wins.
_MASCULINE = [
    # adjectival surnames
    ("скага", "скі"),
    ("скаму", "скі"),
    ("скім", "скі"),
    ("скому", "ский"),
    ("ского", "ский"),
    ("ским", "ский"),
    ("цкага", "цкі"),
    ("цкаму", "цкі"),
    ("цкім", "цкі"),
    ("цкого", "цкий"),
    ("цкому", "цкий"),
    ("цким", "цкий"),
    ("ага", "ы"),
    ("аму", "ы"),
    ("ого", "ый"),
    ("ому", "ый"),
    # possessive surnames (-аў/-оў/-еў/-ін, -ов/-ев/-ин)
    ("авым", "аў"),
    ("овым", "оў"),
    ("евым", "еў"),
    ("ёвым", "ёў"),
    ("іным", "ін"),
    ("ыным", "ын"),
    ("ава", "аў"),
    ("аву", "аў"),
    ("аве", "аў"),
    ("ова", "ов"),
    ("ову", "ов"),
    ("ове", "ов"),
    ("ёва", "ёв"),
    ("ёву", "ёв"),
    ("ева", "ев"),
    ("еву", "ев"),
    ("еве", "ев"),
    ("іна", "ін"),
    ("іну", "ін"),
    ("іне", "ін"),
    ("ына", "ын"),
    ("ыну", "ын"),
    ("ина", "ин"),
    ("ину", "ин"),
    ("иным", "ин"),
    ("ине", "ин"),
    # -енка/-ка surnames (Асіпенка, Лукашэнка): -і/-у/-ам/-ы
    ("енкі", "енка"),
    ("энкі", "энка"),
    ("енку", "енка"),
    ("энку", "энка"),
    ("енкам", "енка"),
    ("энкам", "энка"),
    ("енкай", "енка"),
    ("кі", "ка"),
    ("кой", "ка"),
    ("ки", "ка"),
    ("гі", "га"),
    ("хі", "ха"),
    ("ы", "а"),
]
_FEMININE = [
    ("скай", "ская"),
    ("скую", "ская"),
    ("скае", "ская"),
    ("ской", "ская"),
    ("скую", "ская"),
    ("цкай", "цкая"),
    ("цкую", "цкая"),
    ("цкой", "цкая"),
    ("кай", "кая"),
    ("кой", "кая"),
    ("ай", "а"),
    ("ой", "а"),
    ("ую", "а"),
    ("ей", "я"),
    ("ю", "я"),
    ("ы", "а"),
    ("і", "а"),
    ("и", "а"),
    ("е", "а"),
    ("у", "а"),
]
_LATIN_MASCULINE = [
    ("skaha", "ski"),
    ("skamu", "ski"),
    ("ckaha", "cki"),
    ("ckamu", "cki"),
    ("avym", "aŭ"),
    ("ava", "aŭ"),
    ("avu", "aŭ"),
    ("ovym", "oŭ"),
    ("ova", "oŭ"),
    ("ovu", "oŭ"),
    ("iova", "ioŭ"),
    ("ieva", "ieŭ"),
    ("ina", "in"),
    ("inu", "in"),
    ("yna", "yn"),
    ("ienkam", "ienka"),
    ("enkam", "enka"),
    ("ienki", "ienka"),
    ("enki", "enka"),
    ("ki", "ka"),
    ("hi", "ha"),
    ("y", "a"),
]
_LATIN_FEMININE = [
    ("skaj", "skaja"),
    ("skuju", "skaja"),
    ("ckaj", "ckaja"),
    ("ckuju", "ckaja"),
    ("aj", "a"),
    ("oj", "a"),
    ("y", "a"),
    ("i", "a"),
    ("u", "a"),
    ("ie", "a"),
]
_CONSONANT_CASE = ("ам", "ом", "ем", "ём", "а", "у", "е", "ю", "я")
_LATIN_CONSONANT_CASE = ("am", "om", "iem", "em", "a", "u", "ie", "e")
_ADJ_NOMINATIVE = ("скі", "цкі", "ский", "цкий", "ская", "цкая", "ski", "cki", "skaja", "ckaja")


def _restore_case(original: str, lemma: str) -> str:
    return lemma.upper() if original.isupper() and len(original) > 1 else lemma


def _lemmatise_part(word: str, gender: str) -> str:
    low = word.lower()
    rules: list[tuple[str, str]]
    consonant_case: tuple[str, ...]
    if CYRILLIC.search(word):
        rules, consonant_case, vowels = (
            (_FEMININE if gender == "f" else _MASCULINE),
            _CONSONANT_CASE,
            "аеёиоуыэюяіў",
        )
    else:
        rules, consonant_case, vowels = (
            (_LATIN_FEMININE if gender == "f" else _LATIN_MASCULINE),
            _LATIN_CONSONANT_CASE,
            "aeiouy",
        )
    if low.endswith(_ADJ_NOMINATIVE):
        return word
    if gender == "f":
        if low.endswith(("ская", "цкая", "skaja", "ckaja", "кая")):
            return word
        if low[-1] not in vowels and low[-1] not in "йj":  # Лаптановіч: not declined
            return word
    for ending, replacement in rules:
        if low.endswith(ending) and len(low) - len(ending) >= 2:
            return word[: len(word) - len(ending)] + replacement
    if gender == "f":
        return word
    for ending in consonant_case:
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            stem = word[: len(word) - len(ending)]
            s = stem.lower()
            if s[-1] in vowels and ending not in ("ем", "ём", "ю", "я", "iem"):
                continue
            if s[-1] == "k" or s[-1] == "к":
                if s[-2] not in vowels and ending in ("а", "a", "ам", "am", "у", "u"):
                    # Сапелка, Лукашэнку: the -ка surnames keep their -а
                    return stem + ("а" if CYRILLIC.search(word) else "a")
            if ending in ("ем", "ём", "ю", "я", "iem") and s[-1] in vowels:
                return stem + ("й" if CYRILLIC.search(word) else "j")
            if ending in ("ем", "ю", "я") and s[-1] not in _SIBILANT:
                return stem + _SOFT_SIGN
            if s.endswith(("ц", "c")) and s[-2] not in vowels and s[-2] not in "йj":
                # fleeting vowel: Севярынца → Севярынец, Sieviaryncа → Sieviaryniec
                return stem[:-1] + ("е" if CYRILLIC.search(word) else "ie") + stem[-1]
            return stem
    return word


@word_cache(NAME_CACHE)
def lemmatise(surname: str, gender: str = "m") -> str:
    """The nominative of a surname in any case, for a masculine or feminine person.

    Rules, not a dictionary: ``lemmatise("Бяляцкага") == "Бяляцкі"``,
    ``lemmatise("Ціханоўскай", "f") == "Ціханоўская"``, ``lemmatise("Северинцем") ==
    "Северинец"``, ``lemmatise("Branickaj", "f") == "Branickaja"``.  A nominative is
    returned unchanged, so the function is idempotent.  Each part of a hyphenated
    surname is lemmatised alone (Гацуры-Яворской → Гацура-Яворская).
    """
    return "-".join(
        _fixpoint(part, gender) if len(part) > 2 else part for part in surname.split("-")
    )


def _fixpoint(word: str, gender: str) -> str:
    """Rules applied until nothing changes: no rule makes a word longer, and those that
    keep its length lead to forms no rule changes, so this ends, and a lemma is a
    lemma of itself (Лукашэнкі → Лукашэнка, never → Лукашэнк)."""
    for _ in range(8):
        lemma = _restore_case(word, _lemmatise_part(word, gender))
        if lemma == word:
            break
        word = lemma
    return word


@word_cache(NAME_CACHE)
def surname_gender(surname: str) -> str:
    """The gender a surname alone shows: feminine for -ая/-ва/-на/-скай... endings."""
    low = surname.lower()
    if low.endswith(("ая", "aja", "aya", "скай", "цкай", "ской", "цкой", "скую", "цкую", "skaj")):
        return "f"
    if low.endswith(("ава", "ова", "ева", "ёва", "іна", "ына", "ина", "ava", "ova", "ina", "yna")):
        return "f"
    if low.endswith(("авай", "овай", "евай", "інай", "ынай", "овой", "евой", "иной", "avaj")):
        return "f"
    return "m"


# ---------------------------------------------------------------- keys

_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ё": "io",
        "ж": "zh", "з": "z", "і": "i", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m",
        "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u",
        "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y",
        "ь": "", "ъ": "", "э": "e", "ю": "iu", "я": "ia", "є": "ie", "ї": "i",
        "č": "ch", "š": "sh", "ž": "zh", "ć": "ts", "ś": "s", "ź": "z", "ł": "l", "ŭ": "u",
        "ń": "n",
    }
)  # fmt: skip
_IOTATED = {"е": "ye", "ё": "yo", "ю": "yu", "я": "ya", "є": "ye"}
_AFTER = frozenset("аеёиоуыэюяіўьъ'’ʼ")


@word_cache(NAME_CACHE)
def transliterate(word: str) -> str:
    """Lowercase ASCII in the Belarusian national romanisation (Бяляцкі → bialiatski).

    е ё ю я are ye yo yu ya at the start and after a vowel (Андрэева → andreyeva,
    Ціханоўская → tsikhanouskaya), e io iu ia after a consonant (Статкевіч →
    statkevich, the form the archive's keys use).  Russian Cyrillic
    goes through the same table (Беляцкий → bieliatskii), Łacinka through its letters
    (Daškievič → dashkievich), anything else through anyascii.
    """
    low = unicodedata.normalize("NFC", word).lower()
    out = []
    for part in re.split(r"[-\s]+", low):
        letters = []
        for index, char in enumerate(part):
            if char in _IOTATED and (index == 0 or part[index - 1] in _AFTER):
                letters.append(_IOTATED[char])
            else:
                letters.append(char.translate(_TRANSLIT))
        roman = re.sub(r"[^a-z0-9]", "", anyascii("".join(letters)).lower())
        if roman:
            out.append(roman)
    return "-".join(out)


@word_cache(NAME_CACHE)
def _given_key(given: str) -> str:
    """The given name's key: the given-name table's group (Николай → mikalai)."""
    if given.endswith("."):
        return transliterate(given[:-1])[:1]
    group = fold_key(given)
    if group.startswith("="):
        return group[1:]
    return transliterate(given)


@word_cache(NAME_CACHE)
def person_key(given: str, surname: str) -> str:
    """A stable key for a person the gazetteer does not know: ``ales-bialiatski``."""
    parts = [_given_key(given)] if given else []
    return "-".join([*parts, transliterate(surname)])


# ---------------------------------------------------------------- recognition

_NOT_SURNAMES = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    студзень люты сакавік красавік травень чэрвень ліпень жнівень верасень кастрычнік
    лістапад снежань студзеня лютага сакавіка красавіка траўня чэрвеня ліпеня жніўня
    верасня кастрычніка лістапада снежня
    январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
    января февраля марта апреля мая июня июля августа сентября октября ноября декабря
    the a an and or of in on at to for by with from as is was were he she his her they it
    this that these those but not no if after before during under since when while who
    belarus belarusian minsk russia russian ukraine europe european court article prize
    award street avenue center centre union committee council ministry office republic
    state national international human rights viasna police kgb president
    беларусь беларусі мінск мінску мінска вясна вясны беларуская беларускі
    беларусь беларуси минск минске минска весна весны россия россии москва москве
    і й ў у ва на па пра за да ад з са як што але ці бо калі пасля падчас таксама
    и в во с со по про за до от к ко как что но или если после также был была были
    гомель гомелі гомеля брэст брэсце гродна гродне магілёў віцебск віцебску
    гомеле бресте витебске могилеве магілёва магілёве могилёва могилева віцебска витебска
    брэста бреста гродне гродно полацка полоцка бабруйска бобруйска пінска пинска
    барысава борисова ліды лиды маладзечна молодечно наваполацка новополоцка
    украіна украіны украина украины ukraine гродна гродно hrodna grodno брэст брест brest
    віцебск витебск viciebsk vitebsk магілёў могилев mahiliou mahilioŭ mogilev гомель
    homiel gomel наваполацк новополоцк navapolatsk полацк полоцк polatsk бабруйск бобруйск
    babruisk барысаў борисов barysau пінск пинск pinsk маладзечна молодечно лида ліда lida
    могилёв белорусский белорусская белорусского белорускі беларускага
    вільня вильнюс vilnius варшава warsaw telegram facebook youtube instagram
    part art article code constitution criminal section paragraph
    спецыяльны специальный правовая праваабарончы правозащитный еўрапейскі европейский
    """.split()
)
# Words before a name that make it the name of something else than a person.
_NOT_PERSON_BEFORE = re.compile(
    r"(?:вул(?:іц|иц)\w*|вул\.|ул\.|праспект\w*|проспект\w*|пр\.|імя|имени|імені|"
    r"прэмі\w*|преми\w*|помнік\w*|памятник\w*|плошч\w*|площад\w*|завулак\w*|переул\w*|"
    r"street|avenue|named after|prize|award|справ[аеуы]|дел[аоу]|case)\W*$",
    re.IGNORECASE,
)
_NOT_PERSON_AFTER = re.compile(
    r"^\W*(?:prize|award|street|avenue|square|foundation|fund|prospekt|university|"
    r"лекцы|стыпенд|стипенд)",
    re.IGNORECASE,
)
# Role words in the singular only: a plural ("журналісты Гродна", "lawyers Hrodna")
# is followed by a place or an organisation far more often than by a surname.
_SG_BE = "(?:|а|у|ам|е|ка|кі|ку|кай|кае)"
_SG_RU = "(?:|а|у|ом|е|ка|ки|ку|кой|ке)"
_SG_ADJ = "(?:ы|ый|ага|аму|ым|ого|ому|им|ая|ай|ой|ую)"
_SG_LAT = "(?:|a|u|am|ie|ka|ki|ku|kaj)"
_ROLES = re.compile(
    rf"(?<!\w)(?:палітвязень|палітвязн(?:я|ю|ем|і)|палітвязенк(?:а|і|у|ай)|"
    rf"палітзняволен{_SG_ADJ}|политзаключенн{_SG_ADJ}|"
    rf"политическ(?:ий|ого|ому|им|ая|ой|ую)\s+заключенн{_SG_ADJ}|"
    rf"палітычн(?:ы|ага|аму|ым)\s+вяз(?:ень|ня|ню|нем)|"
    rf"журналіст{_SG_BE}|журналист{_SG_RU}|адвакат{_SG_BE}|адвокат{_SG_RU}|"
    rf"праваабаронц(?:а|у|ай|ам|е)|праваабаронк(?:а|і|у|ай)|правазахісні(?:к|ка|ку|кам)|"
    rf"правозащитни(?:к|ка|ку|ком|це|ца|цу|цей)|актывіст{_SG_BE}|активист{_SG_RU}|"
    rf"блогер{_SG_BE}|блогер{_SG_RU}|палітык(?:|а|у|ам)|политик(?:|а|у|ом)|"
    rf"фатограф{_SG_BE}|фотограф{_SG_RU}|рэдактар(?:|а|у|ам)|редактор(?:|а|у|ом)|"
    rf"пісьменні(?:к|ка|ку|кам|ца|цу|цай)|писател(?:ь|я|ю|ем|ьница|ьницу|ьницы)|"
    rf"паэт(?:|а|у|ам|ка|кі|ку)|поэт(?:|а|у|ом|есса|ессу)|спадар(?:|а|у|ыня|ыні|ыню)|"
    rf"political\s+prisoner|prisoner\s+of\s+conscience|journalist|lawyer|"
    rf"human\s+rights\s+defender|activist|blogger|opposition\s+(?:leader|politician)|"
    rf"mr|mrs|ms|dr|palitviazień|palitviazn(?:ia|iu|iem)|žurnalist{_SG_LAT}|"
    rf"advakat{_SG_LAT}|aktyvist{_SG_LAT})\.?\s+$",
    re.IGNORECASE,
)
_PATRONYMIC = re.compile(
    r"(?:[аеоіиы]?[вў]?іч|[аеоіиы]?[вў]?ич|ьевіч|ьевич|[аео]ўн|[ео]вн|ьеўн|ьевн|ичн|інічн)"
    r"[аеуыіюйомя]{0,3}$"
)


@functools.cache
def _given_stems() -> frozenset[str]:
    """The first four letters of every Cyrillic given name, to tell patronymics."""
    return frozenset(
        g.nominative.lower()[:4] for g in _given_table().values() if CYRILLIC.search(g.nominative)
    )


@dataclass
class _Token:
    kind: str  # "word", "initial" or "lower"
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    out = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or "lower"
        out.append(_Token(kind, match.group(kind), match.start(), match.end()))
    return out


def _adjacent(text: str, a: _Token, b: _Token) -> bool:
    gap = text[a.end : b.start]
    return len(gap) <= 3 and _GAP_RE.fullmatch(gap) is not None


def _patronymic(word: str) -> bool:
    """Уладзіміравіча, Васільеўны, Алесевіч: a patronymic suffix on a given name's stem."""
    low = word.lower()
    match = _PATRONYMIC.search(low)
    return match is not None and match.start() >= 3 and low[:4] in _given_stems()


def _surname_like(token: _Token) -> bool:
    if token.kind != "word" or len(token.text) < 2:
        return False
    if token.text.lower() in _NOT_SURNAMES or token.text.split("-")[0].lower() in _NOT_SURNAMES:
        return False
    if given_name(token.text) is not None:
        return False
    return not (token.text.isupper() and len(token.text) > 1)


def _sentence_start(text: str, token: _Token) -> bool:
    before = text[max(0, token.start - 3) : token.start].rstrip(' \t\u00a0«"„“(')
    return not before or before[-1] in ".!?\n:;–—-»"


def _excluded(text: str, first: _Token, last: _Token) -> bool:
    before = text[max(0, first.start - 30) : first.start]
    after = text[last.end : last.end + 20]
    return bool(_NOT_PERSON_BEFORE.search(before) or _NOT_PERSON_AFTER.match(after))


def _strip_possessive(word: str) -> str:
    return re.sub(rf"[{_APOS}]s$", "", word)


def _reading(given: _Given, form: str, surname: str) -> _Given:
    """Александра Францкевича is Александр's genitive; Александра Ціханоўская is hers."""
    masculine = _masculine_readings().get(form)
    if masculine is not None and _MASCULINE_OBLIQUE.search(surname.lower()):
        return masculine
    return given


_AND = frozenset({"и", "і", "й", "ды", "and", "i"})
_PLURAL = [  # (ending, masculine, feminine) of surnames in the plural: Урбановичей
    ("ичей", "ич", "ич"),
    ("ічаў", "іч", "іч"),
    ("ічей", "іч", "іч"),
    ("ичи", "ич", "ич"),
    ("ічы", "іч", "іч"),
    ("ских", "ский", "ская"),
    ("скіх", "скі", "ская"),
    ("цких", "цкий", "цкая"),
    ("цкіх", "цкі", "цкая"),
    ("овых", "ов", "ова"),
    ("евых", "ев", "ева"),
    ("иных", "ин", "ина"),
    ("авых", "аў", "ава"),
    ("іных", "ін", "іна"),
    ("ыных", "ын", "ына"),
    ("ичами", "ич", "ич"),
    ("ічамі", "іч", "іч"),
    ("ичам", "ич", "ич"),
    ("скими", "ский", "ская"),
    ("скімі", "скі", "ская"),
]  # fmt: skip


def _plural(surname: str, gender: str) -> str | None:
    """The singular nominative of a surname in the plural, or None if it is not one."""
    low = surname.lower()
    for ending, masculine, feminine in _PLURAL:
        if low.endswith(ending) and len(low) > len(ending) + 2:
            return surname[: len(surname) - len(ending)] + (
                feminine if gender == "f" else masculine
            )
    return None


def _coordinated(text: str, tokens: list[_Token], used: list[bool], i: int) -> int | None:
    """The index of a given name joined to token ``i`` by "и"/"і"/"and", if any."""
    if i < 2 or tokens[i - 1].kind != "lower" or tokens[i - 1].text.lower() not in _AND:
        return None
    first = tokens[i - 2]
    if used[i - 2] or first.kind != "word" or given_name(first.text) is None:
        return None
    gap = text[first.end : tokens[i].start]
    return i - 2 if len(gap) <= 6 and "\n" not in gap else None


# Endings a nominative surname has (Belarusian, Russian, Latin spellings): what a
# capitalised word must end in to be read as a surname from a list alone.
_SURNAME_SHAPE = re.compile(
    r"(?:[іи]ч|ск[іи]й?|цк[іи]й?|[сц]кая|ка|ко|[уюаяо]к|[оеёаэ]ў|[оеёа]в|[іиы]н|[еэ]ц"
    r"|[аоеё]ва|[іиы]на|ян|ич|ic|ich|vič|vic|[sc]k[iy]|[sc]kaya|[sc]kaja|enka|enko|ka|ko"
    r"|[iy]?uk|ak|[oaei]u|[oae]ŭ|[oe]v|[iy]n|[e]t?s|ec|[aoe]va|[iy]na|[iy]an)$"
)


def _surname_shaped(token: _Token) -> bool:
    if not _surname_like(token):
        return False
    gender = surname_gender(token.text)
    return (
        _SURNAME_SHAPE.search(lemmatise(_strip_possessive(token.text), gender).lower()) is not None
    )


def _folded_surnames(word: str) -> set[str]:
    """The folded nominatives a surname in any case may be (either gender)."""
    return {fold_key(lemmatise(_strip_possessive(word), g)) for g in ("m", "f")} - {""}


def _list_neighbours(text: str, tokens: list[_Token], i: int) -> list[int]:
    """Tokens joined to token ``i`` as items of a list: "X і Y", "X, Y", "X and Y"."""
    out = []
    for j, link in ((i - 2, i - 1), (i + 2, i + 1)):
        if 0 <= j < len(tokens) and tokens[link].kind == "lower":
            if tokens[link].text.lower() in _AND:
                a, b = sorted((j, i))
                gap = text[tokens[a].end : tokens[b].start]
                if len(gap) <= 6 and "\n" not in gap:
                    out.append(j)
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens):
            a, b = sorted((j, i))
            if re.fullmatch(r" ?, ?", text[tokens[a].end : tokens[b].start]):
                out.append(j)
    return out


def _add_coordinated(
    text: str, tokens: list[_Token], used: list[bool], found: list[Person]
) -> None:
    """*Бяляцкі і Стэфановіч*, *Bialiatski, Stefanovich and Labkovich*: a capitalised word
    with a surname's ending, listed next to the surname of a person this text names, is
    a person too (by surname alone)."""
    known = {fold_key(p.surname) for p in found if p.surname}
    changed = bool(known)
    while changed:
        changed = False
        for i, token in enumerate(tokens):
            if used[i] or token.kind != "word" or _sentence_start(text, token):
                continue
            if (
                i + 1 < len(tokens)
                and tokens[i + 1].kind == "word"
                and _adjacent(text, token, tokens[i + 1])
            ):
                continue  # two capitalised words: a name or a title, read by the steps above
            if _folded_surnames(token.text) & known:
                continue  # a person already named (Алехиной и Бочкарева after their full names)
            if not any(
                tokens[j].kind == "word" and _folded_surnames(tokens[j].text) & known
                for j in _list_neighbours(text, tokens, i)
            ) or not _surname_shaped(token):
                continue
            gender = surname_gender(token.text)
            person = _make("", token.text, gender, False, token.start, token.text)
            found.append(person)
            known.add(fold_key(person.surname))
            used[i] = changed = True


def _make(
    given: str, surname_word: str, gender: str, nominative_case: bool, start: int, written: str
) -> Person:
    surname = _strip_possessive(surname_word)
    if not nominative_case:
        surname = lemmatise(surname, gender)
    return Person(given, surname, person_key(given, surname), start, gender, written)


def find_persons(text: str) -> list[Person]:
    """The persons ``text`` names, each once (first mention), in order of mention."""
    text = unicodedata.normalize("NFC", text)
    tokens = _tokens(text)
    used = [False] * len(tokens)
    found: list[Person] = []
    count = len(tokens)

    def adjacent(i: int, j: int) -> bool:
        return 0 <= i < count and 0 <= j < count and _adjacent(text, tokens[i], tokens[j])

    # 1. given name + [patronymic] + surname, or surname + given name + [patronymic]
    for i, token in enumerate(tokens):
        if used[i] or token.kind != "word":
            continue
        given = given_name(token.text)
        if given is None:
            continue
        k = i - 1
        before_ok = (
            adjacent(k, i)
            and not used[k]
            and _surname_like(tokens[k])
            and not _excluded(text, tokens[k], token)
        )
        j = i + 1
        patronymic = adjacent(i, j) and tokens[j].kind == "word" and _patronymic(tokens[j].text)
        if patronymic and adjacent(j, j + 1) and _surname_like(tokens[j + 1]):
            j += 1  # given name, patronymic, surname
        elif patronymic and before_ok:
            j = count  # surname, given name, patronymic (Лапко Віталь Алесевіч)
        if j < count and adjacent(j - 1, j) and _surname_like(tokens[j]) and not used[j]:
            if _excluded(text, token, tokens[j]):
                used[i] = used[j] = True
                continue
            given = _reading(given, token.text, tokens[j].text)
            first = _coordinated(text, tokens, used, i)
            plural = _plural(tokens[j].text, given.gender) if first is not None else None
            if first is not None and plural is not None:
                # Дениса и Максима Урбановичей: two persons, one surname in the plural
                other = given_name(tokens[first].text)
                assert other is not None
                written = text[tokens[first].start : tokens[j].end]
                for one, at in ((other, tokens[first].start), (given, token.start)):
                    surname = _plural(tokens[j].text, one.gender) or plural
                    key = person_key(one.nominative, surname)
                    found.append(Person(one.nominative, surname, key, at, one.gender, written))
                used[first] = True
            else:
                found.append(
                    _make(given.nominative, tokens[j].text, given.gender, given.is_nominative,
                          token.start, text[token.start : tokens[j].end])
                )  # fmt: skip
            used[i : j + 1] = [True] * (j + 1 - i)
            continue
        if before_ok and (patronymic or not _sentence_start(text, tokens[k])):
            given = _reading(given, token.text, tokens[k].text)
            end = i + (2 if patronymic else 1)
            found.append(
                _make(given.nominative, tokens[k].text, given.gender, given.is_nominative,
                      tokens[k].start, text[tokens[k].start : tokens[end - 1].end])
            )  # fmt: skip
            used[k:end] = [True] * (end - k)
    # 2. initials + surname
    for i, token in enumerate(tokens):
        if used[i] or token.kind != "initial":
            continue
        j = i + 1
        initials = [token.text]
        while (
            j < count and tokens[j].kind == "initial" and adjacent(j - 1, j) and len(initials) < 2
        ):
            initials.append(tokens[j].text)
            j += 1
        if j < count and _surname_like(tokens[j]) and not used[j]:
            gap = text[tokens[j - 1].end : tokens[j].start]
            if len(gap) > 2 or "\n\n" in gap:
                continue
            if i > 0 and tokens[i - 1].kind == "initial" and adjacent(i - 1, i):
                continue
            word = tokens[j].text
            gender = surname_gender(word)
            written = text[token.start : tokens[j].end]
            found.append(_make(initials[0] + ".", word, gender, False, token.start, written))
            used[i : j + 1] = [True] * (j + 1 - i)
    # 3. role word + surname
    for i, token in enumerate(tokens):
        if used[i] or not _surname_like(token) or _sentence_start(text, token):
            continue
        before = text[max(0, token.start - 40) : token.start]
        role = _ROLES.search(before)
        if role is None:
            continue
        after = text[token.end : token.end + 3]
        if (i + 1 < count and adjacent(i, i + 1) and tokens[i + 1].kind == "word") or re.match(
            rf"\s+[{_UPPER}]{{2}}", after
        ):
            continue  # two capitalised words: a title or an organisation, not a surname
        feminine = re.search(r"(?:к[аіуеиы]|кай|кой|ниц\w*|ня|ні|ню|есс\w)\.?\s*$", role.group())
        gender = "f" if feminine else surname_gender(token.text)
        found.append(_make("", token.text, gender, False, token.start, token.text))
        used[i] = True
    # 4. a surname alone joined by "і"/"and" or a comma to one this text names as a person
    _add_coordinated(text, tokens, used, found)
    found.sort(key=lambda p: p.start)
    unique: dict[str, Person] = {}
    full: dict[tuple[str, str], list[Person]] = {}
    for person in found:
        if person.given and not person.given.endswith("."):
            full.setdefault(surname_id(person.surname), []).append(person)
    for person in found:
        if not person.given or person.given.endswith("."):
            # А. Бяляцкі or палітвязень Бяляцкі after Алесь Бяляцкі: the same person
            same = [
                p
                for p in full.get(surname_id(person.surname), [])
                if not person.given or _given_key(p.given)[:1] == _given_key(person.given)
            ]
            if len(same) == 1:
                continue
        unique.setdefault(person.key, person)
    return list(unique.values())


@word_cache(NAME_CACHE)
def surname_id(surname: str) -> tuple[str, str]:
    """What two spellings of one surname share: its folded key and its gender."""
    return fold_key(surname.split("-")[-1]), surname_gender(surname)


@word_cache(NAME_CACHE)
def given_id(given: str) -> str:
    """What two spellings of one given name share (an initial: its first letter): the
    folded first spelling of its line in the given-name table (Цімох and Tsimafei meet),
    else the given name folded."""
    if given.endswith("."):
        return _given_key(given)
    known = given_name(given)
    return fold_key(known.group if known and known.group else given)


@word_cache(NAME_CACHE)
def given_initials(given: str) -> frozenset[str]:
    """The initials a given name may be written with in any script and spelling
    (Мікалай: М., Н. for Николай, M., N.)."""
    if given.endswith("."):
        return frozenset({_given_key(given)})
    known = given_name(given)
    spellings = _spellings().get(known.group, ()) if known else ()
    return frozenset(_given_key(s[:1] + ".") for s in (given, *spellings)) - {""}
