"""UI translations (gettext catalogs compiled by Babel) and locale formats.

The catalogs live in `locale/<lang>/LC_MESSAGES/messages.po` and are compiled
in memory when a language is first used, so neither a fresh checkout nor a
read-only install needs a build step.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from .dates import PartialDate
from .languages import LANGS

UI_LANGS = LANGS
LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The UI catalog of a language, compiled from its .po file in memory at first use:
    nothing to build or write, so a read-only install works as a checkout does."""
    po_path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == "en" or not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


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
