"""Partial publication dates and their extraction from en/be/ru statement texts.

A statement's date may be known to the day, the month or only the year; a
:class:`PartialDate` keeps exactly the precision that was known and never
invents a day.  Extraction uses our own month-name tables (all case forms of
the three languages) and bounded regexes, so it is fast, deterministic and
safe on hostile input; ``dateparser`` is only a lazy fallback for the
free-form date values of input records.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, total_ordering
from typing import Any, Literal

__all__ = ["PartialDate", "extract_date", "parse_date_value"]

MIN_YEAR = 1900
MAX_YEAR = 2100

Precision = Literal["day", "month", "year"]


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


def _spellings(word: str) -> set[str]:
    """Belarusian texts are often typed with Latin ``i`` for ``і`` and ``у`` for ``ў``."""
    options = [{"і": "іi", "ў": "ўу"}.get(ch, ch) for ch in word]
    return {"".join(p) for p in itertools.product(*options)}


MONTHS: dict[str, int] = {}
for _table in (_EN, _RU, _BE):
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

    dmy = (
        rf"(?<![0-9]){_g(n('dmy', 'd'), _DAY)}{_ORD}{_RANGE}{_SP}(?:of{_SP})?"
        rf"{_g(n('dmy', 'm'), _MONTH)},?{_SP}{_g(n('dmy', 'y'), _YEAR)}"
    )
    mdy = (
        rf"{_g(n('mdy', 'm'), _MONTH)}{_SP}{_g(n('mdy', 'd'), _DAY)}{_ORD}{_RANGE}"
        rf",?{_SP}{_g(n('mdy', 'y'), _YEAR)}"
    )
    num = (
        rf"(?<![0-9.]){_g(n('num', 'd'), _DAY)}\.{_g(n('num', 'm'), '[01]?[0-9]')}\."
        rf"{_g(n('num', 'y'), _YEAR)}"
    )
    iso = (
        rf"(?<![0-9]){_g(n('iso', 'y'), _YEAR)}-{_g(n('iso', 'm'), '[0-9]{2}')}"
        rf"-{_g(n('iso', 'd'), '[0-9]{2}(?![0-9])')}"
    )
    return "|".join((dmy, mdy, num, iso))


def _month_year_pattern(named: bool) -> str:
    return rf"{_g('my_m' if named else None, _MONTH)},?{_SP}{_g('my_y' if named else None, _YEAR)}"


_FULL_RE = re.compile(_full_pattern(named=True), re.IGNORECASE)
_MONTH_YEAR_RE = re.compile(_month_year_pattern(named=True), re.IGNORECASE)
_PLACE = r"[^\W\d_][\w'’.\-]{0,40}(?:[ \t][\w'’.\-]{1,40}){0,3}"
_DATELINE_RE = re.compile(
    rf"^[ \t\u00a0]{{0,20}}(?:(?P<place>{_PLACE})[ \t\u00a0]{{0,3}}[-–—,:][ \t\u00a0]{{0,3}})?"
    rf"(?P<date>{_full_pattern(named=False)}|{_month_year_pattern(named=False)})"
    rf"{_YEAR_SUFFIX}[ \t\u00a0]{{0,20}}(?P<tail>$|[-–—:(])",
    re.IGNORECASE | re.MULTILINE,
)
_TIME = r"(?:[ \t,T]{1,3}[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
_VALUE_FULL_RE = re.compile(
    rf"\s*(?:{_full_pattern(named=True)}){_YEAR_SUFFIX}{_TIME}\s*", re.IGNORECASE
)
_VALUE_MONTH_YEAR_RE = re.compile(
    rf"\s*(?:{_month_year_pattern(named=True)}){_YEAR_SUFFIX}\s*", re.IGNORECASE
)
_HAS_YEAR_RE = re.compile(rf"(?<![0-9]){_YEAR}")


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
    raw_m = groups[f"{form}_m"]
    mo = int(raw_m) if raw_m.isdigit() else _month_number(raw_m)
    d = groups.get(f"{form}_d")
    return PartialDate(y, mo, int(d) if d is not None else None)


def _first_valid(matches: Iterable[re.Match[str]]) -> PartialDate | None:
    for m in matches:
        try:
            return _from_match(m)
        except ValueError:  # "31 February 2020": not a date, keep looking
            continue
    return None


def _dateline(text: str) -> PartialDate | None:
    for m in _DATELINE_RE.finditer(text):
        place = m.group("place")
        if place is not None and not place[0].isupper():
            continue
        # A bare date line counts only if it is alone on its line: "10 July 2020 – arrest
        # of X" is more likely a chronology entry than a dateline.
        if place is None and m.group("tail"):
            continue
        raw = m.group("date")
        found = _FULL_RE.fullmatch(raw) or _MONTH_YEAR_RE.fullmatch(raw)
        if found is not None:
            try:
                return _from_match(found)
            except ValueError:
                continue
    return None


def extract_date(text: str, lang: str | None = None) -> PartialDate | None:
    """The publication date of a statement, found in its text, or ``None``.

    Priority: a dateline at the start of a line ("Minsk - July 10, 2020"), then
    the first full date anywhere, then the first month+year phrase.  A bare
    year, a day without a year, and relative phrases are never a date.

    ``lang`` is accepted but month names of all three languages are always
    recognised: be/ru language detection is unreliable and statements quote
    each other across languages, while the month tables barely collide.
    """
    del lang
    return (
        _dateline(text)
        or _first_valid(_FULL_RE.finditer(text))
        or _first_valid(_MONTH_YEAR_RE.finditer(text))
    )


@lru_cache(maxsize=1)
def _date_data_parser() -> Any:
    from dateparser.date import DateDataParser  # slow import: only when needed

    return DateDataParser(
        languages=["en", "be", "ru"],
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
