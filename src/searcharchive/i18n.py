"""UI translations (gettext catalogs compiled by Babel) and locale formats.

The catalogs live in `locale/<lang>/LC_MESSAGES/messages.po`; they are compiled
to `.mo` at start when missing or older than their `.po`, so a fresh checkout
needs no extra build step.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from .dates import PartialDate

UI_LANGS = ("en", "be", "ru")
LOCALE_DIR = Path(__file__).parent / "locale"


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> None:
    for po_path in locale_dir.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        tmp = mo_path.with_suffix(".mo.tmp")
        try:
            with tmp.open("wb") as handle:
                write_mo(handle, catalog)
            tmp.replace(mo_path)
        except OSError:
            # a read-only install: use what was compiled at build time
            tmp.unlink(missing_ok=True)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    compile_catalogs()
    return gettext.translation("messages", LOCALE_DIR, languages=[lang], fallback=True)


def negotiate(accept_language: str) -> str:
    """The best UI language for an Accept-Language header; English by default."""
    wanted = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            wanted.append((quality, tag.strip().replace("-", "_")))
    ordered = [tag for quality, tag in sorted(wanted, key=lambda w: -w[0]) if quality > 0]
    return negotiate_locale(ordered, list(UI_LANGS)) or "en"


def format_partial_date(value: PartialDate | None, lang: str, undated: str) -> str:
    if value is None:
        return undated
    if value.precision == "day":
        return format_date(value.start(), format="long", locale=lang)
    if value.precision == "month":
        return format_skeleton("yMMMM", value.start(), locale=lang)
    return str(value.year)


def format_number(number: int, lang: str) -> str:
    return format_decimal(number, locale=lang)


@cache
def native_language_name(code: str) -> str:
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def format_day(value: date, lang: str) -> str:
    return format_date(value, format="medium", locale=lang)
