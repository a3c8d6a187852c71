"""Partial publication dates and their extraction from en/be/ru statement texts.

A statement's date may be known to the day, the month or only the year; a
:class:`PartialDate` keeps exactly the precision that was known and never
invents a day.  Extraction uses our own month-name tables (all case forms of
the three languages, taraškievica and Łacinka too) and bounded regexes, so it is fast, deterministic and
safe on hostile input; ``dateparser`` is only a lazy fallback for the
free-form date values of input records.
"""

from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, total_ordering
from typing import Any, Literal

from .languages import LANGS

__all__ = ["PartialDate", "extract_date", "parse_date_value"]

MIN_YEAR = 1900
MAX_YEAR = 2100

Precision = Literal["day", "month", "year"]


def day_key(day: date) -> int:
    """A day as the facet columns store it and compare it: 2020-07-10 -> 20200710."""
    return day.year * 10_000 + day.month * 100 + day.day


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, to the month or only to the year.

    Ordering is defined by hand rather than with ``order=True``: the generated
    tuple comparison raises ``TypeError`` as soon as ``None`` meets an int
    (``PartialDate(2020) < PartialDate(2020, 7)``).  Values sort by start date,
    a less precise value first when two start on the same day.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"year {self.year} is outside {MIN_YEAR}..{MAX_YEAR}")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not in 1..12")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(
                    f"day {self.day} is out of range for {self.year:04d}-{self.month:02d}"
                )

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "year" if self.month is None else "month"

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def start(self) -> date:
        """First day of the interval covered."""
        return date(self.year, self.month or 1, self.day or 1)

    def end(self) -> date:
        """Last day of the interval covered (inclusive)."""
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    def sort_key(self) -> int:
        """``start()`` as a yyyymmdd integer, e.g. 20200701 for 2020-07."""
        s = self.start()
        return s.year * 10000 + s.month * 100 + s.day

    def overlaps(self, lo: date | None, hi: date | None) -> bool:
        """Whether the covered interval meets ``[lo, hi]``; ``None`` is unbounded."""
        return (lo is None or self.end() >= lo) and (hi is None or self.start() <= hi)

    def _cmp_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._cmp_key() < other._cmp_key()

    @classmethod
    def parse_iso(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (a trailing time is dropped)."""
        m = _ISO_RE.fullmatch(text.strip())
        if m is None:
            raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
        y, mo, d = m.groups()
        try:
            return cls(int(y), int(mo) if mo else None, int(d) if d else None)
        except ValueError as exc:
            raise ValueError(f"impossible date {text!r}: {exc}") from None


_ISO_RE = re.compile(
    r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
    r")?)?"
)

# --- month names -----------------------------------------------------------

# One month per ";" in calendar order.  Russian: nominative, genitive ("24 мая"),
# prepositional ("в мае"), abbreviations; Belarusian likewise ("у ліпені"), but without
# abbreviations: they are not standard and "ліст" (letter) or "лют" are ordinary words.
_EN = """january jan; february feb; march mar; april apr; may; june jun; july jul;
august aug; september sep sept; october oct; november nov; december dec"""
_RU = """январь января январе янв; февраль февраля феврале фев февр; март марта марте мар;
апрель апреля апреле апр; май мая мае; июнь июня июне июн; июль июля июле июл;
август августа августе авг; сентябрь сентября сентябре сен сент;
октябрь октября октябре окт; ноябрь ноября ноябре ноя нояб; декабрь декабря декабре дек"""
_BE = """студзень студзеня студзені; люты лютага лютым; сакавік сакавіка сакавіку;
красавік красавіка красавіку; травень траўня траўні; чэрвень чэрвеня чэрвені;
ліпень ліпеня ліпені; жнівень жніўня жніўні; верасень верасня верасні;
кастрычнік кастрычніка кастрычніку; лістапад лістапада лістападзе; снежань снежня снежні"""
# Belarusian in the classical orthography (taraškievica) where it differs, and Łacinka.
_BE_CLASSICAL = """; ; ; ; ; ; ; ; верасьня верасьні; ; ; сьнежань сьнежня сьнежні"""
_BE_LATIN = """studzień studzienia studzieni; luty lutaha lutym; sakavik sakavika sakaviku;
krasavik krasavika krasaviku; travień traŭnia traŭni; červień červienia červieni;
lipień lipienia lipieni; žnivień žniŭnia žniŭni; vierasień vieraśnia vieraśni vierasnia;
kastryčnik kastryčnika kastryčniku; listapad listapada listapadzie; śniežań śniežnia śniežni"""


def _spellings(word: str) -> set[str]:
    """Belarusian texts are often typed with Latin ``i`` for ``і`` and ``у`` for ``ў``."""
    options = [{"і": "іi", "ў": "ўу"}.get(ch, ch) for ch in word]
    return {"".join(p) for p in itertools.product(*options)}


MONTHS: dict[str, int] = {}
for _table in (_EN, _RU, _BE, _BE_CLASSICAL, _BE_LATIN):
    for _num, _forms in enumerate(_table.split(";"), start=1):
        for _form in _forms.split():
            for _spelling in _spellings(_form):
                MONTHS[_spelling] = _num

# Longest first so "марта" is preferred to "мар"; (?!\w) keeps "Mayor" out.
_MONTH = r"(?<!\w)(?:{})(?!\w)\.?".format(
    "|".join(re.escape(k) for k in sorted(MONTHS, key=len, reverse=True))
)
_YEAR = r"(?:19[0-9]{2}|20[0-9]{2}|2100)(?![0-9])"
_DAY = r"[0-3]?[0-9](?![0-9])"
_ORD = r"(?:st|nd|rd|th|-го|-га)?"
# "10–11 July 2020": the range's first day is taken.
_RANGE = rf"(?:\s{{0,2}}[-–—]\s{{0,2}}{_DAY}{_ORD})?"
_SP = r"\s{1,3}"
_YEAR_SUFFIX = r"(?:[ \t\u00a0]{0,2}(?:года|году|годзе|г\.|г(?!\w)))?"


def _g(name: str | None, body: str) -> str:
    return f"(?P<{name}>{body})" if name else f"(?:{body})"


def _full_pattern(named: bool) -> str:
    """Day+month+year in word or numeric form; groups ``<form>_d/_m/_y`` if named."""

    def n(form: str, part: str) -> str | None:
        return f"{form}_{part}" if named else None

    def dmy_num(form: str, sep: str, year: str, month: str = "[01]?[0-9]") -> str:
        return (
            rf"(?<![0-9.{sep}]){_g(n(form, 'd'), _DAY)}{sep}{_g(n(form, 'm'), month)}"
            rf"{sep}{_g(n(form, 'y'), year)}"
        )

    dmy = (
        rf"(?<![0-9]){_g(n('dmy', 'd'), _DAY)}{_ORD}{_RANGE}{_SP}(?:of{_SP})?"
        rf"{_g(n('dmy', 'm'), _MONTH)},?{_SP}{_g(n('dmy', 'y'), _YEAR)}"
    )
    mdy = (
        rf"{_g(n('mdy', 'm'), _MONTH)}{_SP}{_g(n('mdy', 'd'), _DAY)}{_ORD}{_RANGE}"
        rf",?{_SP}{_g(n('mdy', 'y'), _YEAR)}"
    )
    iso = (
        rf"(?<![0-9]){_g(n('iso', 'y'), _YEAR)}-{_g(n('iso', 'm'), '[0-9]{2}')}"
        rf"-{_g(n('iso', 'd'), '[0-9]{2}(?![0-9])')}"
    )
    dotted_ymd = (  # 2023.10.12, 2023/10/12
        rf"(?<![0-9./]){_g(n('ymd', 'y'), _YEAR)}(?P<{n('ymd', 's') or 'ymd_s'}>[./])"
        rf"{_g(n('ymd', 'm'), '[01][0-9]')}(?P={n('ymd', 's') or 'ymd_s'})"
        rf"{_g(n('ymd', 'd'), '[0-3][0-9]')}(?![0-9])"
    )
    year_day_month = (  # "2009 29/05", a site's date line
        rf"(?<![0-9]){_g(n('ydm', 'y'), _YEAR)}[ \t]{{1,3}}{_g(n('ydm', 'd'), _DAY)}"
        rf"/{_g(n('ydm', 'm'), '[01]?[0-9]')}(?![0-9/])"
    )
    day_mon_year = (  # 26-Oct-2020
        rf"(?<![0-9]){_g(n('dmon', 'd'), _DAY)}-{_g(n('dmon', 'm'), _MONTH)}"
        rf"-{_g(n('dmon', 'y'), _YEAR)}"
    )
    return "|".join(
        (
            dmy,
            mdy,
            dmy_num("num", r"\.", rf"(?:{_YEAR}|[0-9]{{2}}(?![0-9.]))"),  # 12.03.21
            # 30/11/21; 12/25/2023 (a US site: the second number is no month)
            dmy_num("slash", "/", rf"(?:{_YEAR}|[0-9]{{2}}(?![0-9/]))", "[0-3]?[0-9]"),
            dmy_num("dash", "-", _YEAR),  # 30-03-2017
            iso,
            dotted_ymd,
            year_day_month,
            day_mon_year,
        )
    )


def _month_year_pattern(named: bool) -> str:
    def n(part: str) -> str | None:
        return f"my_{part}" if named else None

    def m(part: str) -> str | None:
        return f"ym_{part}" if named else None

    words = rf"{_g(n('m'), _MONTH)},?{_SP}{_g(n('y'), _YEAR)}"
    iso = rf"(?<![0-9]){_g(m('y'), _YEAR)}-{_g(m('m'), '[01][0-9]')}(?![0-9-])"
    return f"{words}|{iso}"


_FULL_RE = re.compile(_full_pattern(named=True), re.IGNORECASE)
_MONTH_YEAR_RE = re.compile(_month_year_pattern(named=True), re.IGNORECASE)
_YEAR_ONLY_RE = re.compile(rf"(?<![0-9])(?P<yo_y>{_YEAR})")
_TIME = r"(?:[ \t,T]{1,3}[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
_VALUE_FULL_RE = re.compile(
    rf"\s*(?:{_full_pattern(named=True)}){_YEAR_SUFFIX}{_TIME}\s*", re.IGNORECASE
)
_VALUE_MONTH_YEAR_RE = re.compile(
    rf"\s*(?:{_month_year_pattern(named=True)}){_YEAR_SUFFIX}\s*", re.IGNORECASE
)
_HAS_YEAR_RE = re.compile(rf"(?<![0-9]){_YEAR}")
_HAS_DIGIT = re.compile(r"[0-9]")
_YEAR_SUFFIX_RE = re.compile(_YEAR_SUFFIX, re.IGNORECASE)


def _month_number(text: str) -> int:
    # IGNORECASE also matches look-alikes such as "ſ" or "ı"; anything that does not
    # fold back onto a table entry is treated as "not a date" by the callers.
    key = text.rstrip(".").casefold()
    if key not in MONTHS:
        raise ValueError(f"unknown month name {text!r}")
    return MONTHS[key]


def _from_match(m: re.Match[str]) -> PartialDate:
    """Build a PartialDate from a match of one of the named patterns (may raise)."""
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    form = next(iter(groups)).split("_")[0]
    y = int(groups[f"{form}_y"])
    if y < 100:  # "30/11/21": this century unless that would be in the future
        y += 2000 if 2000 + y <= date.today().year else 1900
    raw_m = groups.get(f"{form}_m")
    if raw_m is None:
        return PartialDate(y)
    mo = int(raw_m) if raw_m.isdigit() else _month_number(raw_m)
    d = groups.get(f"{form}_d")
    day = int(d) if d is not None else None
    if form == "slash" and day is not None and mo > 12 >= day:
        day, mo = mo, day  # month/day/year: read so only when day/month cannot be
    return PartialDate(y, mo, day)


# --- where a publication date may stand -----------------------------------------
#
# A statement's publication date is read only from a date line: the text's dateline,
# a site's date line or a byline date, in the opening lines, or a line anywhere that
# a publication label introduces ("Published:", "Дадана:", "Апошняе абнаўленне:").
# A date inside a sentence ("was sentenced on 7.06.2021", "As of November 7, 2024")
# is an event: a text with event dates only stays undated.

OPENING_LINES = 5  # non-empty lines at the top where a bare date line counts


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.IGNORECASE)


# Labels that introduce the publication date, matched at the end of the text before it.
_LABELS = (
    r"(?:^|\W)(?:published|posted|post(?:ed)?(?: by [^\s:]{1,40}(?: [^\s:]{1,40})?)? on"
    r"|date(?: post(?:ed)?)?|last updated"
    r"|updated(?: at| on)?|view adopted|дата(?: публикации| добавления| публікацыі)?"
    r"|опубликован[оа]?|обновлено|добавлено|дадана|апублікаван[аы]?|абноўлена"
    r"|апошняе абнаўлен(?:ь)?не|першая публікацыя|dadana|apublikavana)"
)
_PUBLICATION_LABEL = _words(rf"{_LABELS}[ \t]{{0,3}}[:|]?[ \t]{{0,3}}$")
_PUBLICATION_LABEL_IN_LINE = _words(rf"{_LABELS}(?!\w)")
_UPDATE_LABEL = _words(
    r"(?<!\w)(?:last updated|updated|обновлено|абноўлена|апошняе абнаўлен(?:ь)?не)(?!\w)"
)
# Labels and phrases that make a date an event date: never a publication date.
_EVENT_LABEL = _words(
    r"(?<!\w)(?:as of|as at|submission|submitted|date of communication|meeting"
    r"|entry into force|entered into force|printed|born|данные актуальны|по состоянию на"
    r"|дата распечатки|распечатан|резолютивная часть|вступ\w{0,6} в силу|принят\w{0,3}"
    r"|рождени\w{0,2}|станам на|прыняц\w{0,4}|ухвал\w{0,5}|уступ у сілу|нарадзі\w{0,3}"
    r"|нараджэнн\w{0,2}|суда|заседания|рассмотрения|задержания|ареста|hearing"
    r"|trial|arrest|detention|суду|пасяджэння|затрымання|арышту)(?!\w)"
)
# What may follow a date on its line and still leave it a date line.
_SOURCE_LABEL = _words(
    r"(?:source|by|author|updated|источник|автор|обновлено|крыніца|аўтар|абноўлена)(?!\w)"
    r"|(?:№|n\s?[0-9]|no\.?\s?[0-9])"
)
_DOCUMENT_PREFIX = _words(
    r"^\s{0,3}(?:(?:решение|постановление|приговор|определение|заявление|рашэнне|пастанова|прысуд|заява"
    r"|decision|judg(?:e)?ment|resolution|ruling)(?!\w)[^\n]{0,80}?\s)?(?:от|ад|of|dated)\s{0,3}$"
)
_TOWN_PREFIX = re.compile(r"^\s{0,3}(?:г|м|g)\.\s?[^\W\d_]+(?:[ -][^\W\d_]+)?\s{0,3}$")
_WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday понедельник вторник среда"
    " четверг пятница суббота воскресенье панядзелак аўторак серада чацвер пятніца субота"
    " нядзеля".split()
)
_LETTER_WORD = re.compile(r"\w*[^\W\d_]\w*")
_CLOCK = re.compile(  # "в 01:09", "17.00", "T18:07:52+0300", "at 10:00 am"
    r"(?:(?<!\w)(?:в|у|at|о)[ \t]{1,2})?T?[0-9]{1,2}[:.][0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2}|[ \t]?[ap]\.?m\.?(?!\w))?",
    re.IGNORECASE,
)
_YEARS_AGO = _words(r"\([^()\n]{0,30}(?:таму|назад|ago)\)")
_SEPARATORS = ",:;|/-–—•."
_CREDIT = _words(r"(?:photo|фото|фота|foto|video|видео|відэа)(?!\w)")


@dataclass(frozen=True)
class _Place:
    """How the text before a date on its line reads."""

    ok: bool
    label: bool = False  # a publication label
    place: bool = False  # a place or byline and a separator: "Minsk -", "Strasbourg,"
    document: bool = False  # "Решение от", "Постановление № 5-702/2017 от"


def _prefix(prefix: str, prev_line: str) -> _Place:
    bare = _CLOCK.sub(" ", prefix)
    words = _LETTER_WORD.findall(bare)
    if words and _DOCUMENT_PREFIX.search(bare):  # "Постановление Конституционного Суда от"
        return _Place(True, document=True)
    if _EVENT_LABEL.search(bare) or (not words and _EVENT_LABEL.search(prev_line)):
        return _Place(False)
    if _PUBLICATION_LABEL.search(bare) and len(words) <= 5:
        return _Place(True, label=True)
    if not words:
        return _Place(True, label=bool(_PUBLICATION_LABEL.search(prev_line.strip())))
    if len(words) > 4:
        return _Place(False)
    glued = prefix[-1:].isalpha()  # "Дарья Ерёмина16 сентября 2014 г."
    separated = bare.rstrip()[-1:] in _SEPARATORS
    if glued or separated or _TOWN_PREFIX.match(bare):
        return _Place(True, place=True)
    if all(w.lower() in _WEEKDAYS for w in words):  # "Friday 10 July 2020"
        return _Place(True)
    return _Place(False)


def _suffix_ok(suffix: str, place: _Place) -> bool:
    rest = _CLOCK.sub(" ", _YEARS_AGO.sub(" ", suffix))
    words = _LETTER_WORD.findall(rest)
    if not words:
        return True
    lead = rest.lstrip(" \t" + _SEPARATORS)
    if _CREDIT.match(lead):
        return False  # "Vilnius, May 3, 2023. Photo: BAJ": a caption
    dashed = rest.lstrip()[:1] in "-–—"
    if _SOURCE_LABEL.match(lead) or (place.place and (dashed or rest[:1] == ".")):
        return True  # "MINSK — 12 August 2021 — ...", "Minsk, 12 March 2021. The ..."
    if place.document:
        return len(words) <= 6
    if dashed and not (place.label or place.place):
        return False  # "10 July 2020 – first detention": a chronology entry
    names = all(w[0].isupper() or w.lower() in _WEEKDAYS for w in words)
    return len(words) <= 3 and names


def _in_line(line: str, prev_line: str, today: date, where: str = "opening") -> PartialDate | None:
    """The date of a date line, or None if *line* is not one.  *where*: "opening" (any
    date line), "labelled" (a publication label right before the date) or "closing"
    (only a place and a date, as under a statement's signatures: "Vilnius, 3 March 2023")."""
    for rx, needs in ((_FULL_RE, "day"), (_MONTH_YEAR_RE, "month"), (_YEAR_ONLY_RE, "year")):
        for m in rx.finditer(line):
            try:
                found = _from_match(m)
            except ValueError:
                continue
            place = _prefix(line[: m.start()], prev_line)
            year_suffix = _YEAR_SUFFIX_RE.match(line, m.end())
            end = year_suffix.end() if year_suffix else m.end()
            if not (place.ok and _suffix_ok(line[end:], place)) or found.start() > today:
                return None
            bare_line = not _LETTER_WORD.search(_CLOCK.sub(" ", line[: m.start()] + line[end:]))
            if where == "closing" and not (
                bare_line or place.place and not _LETTER_WORD.search(line[end:])
            ):
                return None
            if where == "labelled" and not place.label:
                return None  # "Дата суда: 12 марта 2021" in the body
            if needs == "month" and not (place.label or place.place):
                return None  # "August 2020" alone heads a chronology
            if needs == "year" and not place.label:
                return None
            return found
    return None


def _publication_date(text: str, today: date) -> PartialDate | None:
    """The first date line; an update stamp ("Updated: …") only if no other date line
    follows it in the opening lines ("Updated: 14 March" above "Published: 12 March")."""
    prev_line = ""
    seen = 0
    updated: PartialDate | None = None
    for line in text.split("\n"):
        if not line.strip():
            continue
        seen += 1
        opening = seen <= OPENING_LINES
        if updated is not None and not opening:
            return updated
        if (opening or _PUBLICATION_LABEL_IN_LINE.search(line)) and _HAS_DIGIT.search(line):
            found = _in_line(line, prev_line, today, "opening" if opening else "labelled")
            if found is not None and updated is None and _UPDATE_LABEL.search(line):
                updated = found
            elif found is not None:
                return found
        prev_line = line
    return updated or _closing_date(text, today)


DATELINE_WORDS = 6  # letter words a paragraph may hold beside its date and be a dateline


def is_dateline(paragraph: str, today: date | None = None) -> bool:
    """Whether a paragraph is only a dateline or a site's date line ("Hrodna – June 13,
    2026", "18.05.2021 / 13:29"): one line, read as a date line, with no sentence."""
    line = paragraph.strip()
    if not line or "\n" in line or not _HAS_DIGIT.search(line):
        return False
    if len(_LETTER_WORD.findall(_CLOCK.sub(" ", line))) > DATELINE_WORDS:
        return False
    return _in_line(line, "", today or date.today()) is not None


CLOSING_LINES = 3  # non-empty lines at the end where a place-and-date line counts


def _closing_date(text: str, today: date) -> PartialDate | None:
    """A statement signed at its end: "Vilnius, 3 March 2023" or a date alone on a line."""
    tail = [line for line in text[-2000:].split("\n") if line.strip()][-CLOSING_LINES:]
    for line in tail:
        if _HAS_DIGIT.search(line):
            found = _in_line(line, "", today, "closing")
            if found is not None:
                return found
    return None


def extract_date(
    text: str, lang: str | None = None, today: date | None = None
) -> PartialDate | None:
    """The publication date of a statement, found in its text, or ``None``.

    Only a date line counts (see above): a dateline or a site's date line in the
    opening lines ("Minsk - July 10, 2020", "18.05.2021 / 13:29", "2009 29/05"), or a
    line that a publication label introduces ("Дадана: 30-03-2017").  A month alone
    needs a place or a label ("Вільнюс, сакавік 2023 г."), a year alone a label.  An
    event date in the body is not a publication date, and no date after *today* (the
    day of indexing) is taken.

    ``lang`` is accepted but month names of all three languages are always
    recognised: be/ru language detection is unreliable and statements quote
    each other across languages, while the month tables barely collide.
    """
    del lang
    return _publication_date(text, today or date.today())


@lru_cache(maxsize=1)
def _date_data_parser() -> Any:
    from dateparser.date import DateDataParser  # slow import: only when needed

    return DateDataParser(
        languages=list(LANGS),
        settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"},
    )


def parse_date_value(value: str) -> PartialDate:
    """Parse a date given in an input record, keeping its precision.

    ISO forms and the forms ``extract_date`` knows are handled here; other
    spellings ("Friday, 10 July 2020", "10/07/2020") go to ``dateparser``.
    A value without a four-digit year is refused, because dateparser would
    otherwise resolve "yesterday" or "July 10" against today's date.
    """
    text = value.strip()
    if _ISO_RE.fullmatch(text):
        return PartialDate.parse_iso(text)
    m = _VALUE_FULL_RE.fullmatch(text) or _VALUE_MONTH_YEAR_RE.fullmatch(text)
    if m is not None:
        try:
            return _from_match(m)
        except ValueError as exc:
            raise ValueError(f"impossible date {value!r}: {exc}") from None
    if 0 < len(text) <= 100 and _HAS_YEAR_RE.search(text):  # a date field, not a text
        data = _date_data_parser().get_date_data(text)
        parts = set(getattr(data, "parts", ()) or ())
        if data.date_obj is not None and "year" in parts:
            obj = data.date_obj
            try:
                if "day" in parts and "month" in parts:
                    return PartialDate(obj.year, obj.month, obj.day)
                if "month" in parts:
                    return PartialDate(obj.year, obj.month)
                return PartialDate(obj.year)
            except ValueError:
                pass
    raise ValueError(f"unrecognised date: {value!r}")
