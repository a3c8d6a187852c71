"""The be/ru UI catalogs: complete, not fuzzy, placeholders intact, compilable."""

from __future__ import annotations

import gettext
import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import searcharchive

LOCALE_DIR = Path(searcharchive.__file__).parent / "locale"
LANGS = ["be", "ru"]
PLACEHOLDER_RE = re.compile(r"%\(([^)]+)\)s")


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def catalog(lang: str) -> Catalog:
    return load(LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po", locale=lang)


def template_messages() -> list[Message]:
    return [message for message in load(LOCALE_DIR / "messages.pot") if message.id]


def ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER_RE.findall(text))


def test_template_has_messages() -> None:
    assert len(template_messages()) > 0


@pytest.mark.parametrize("lang", LANGS)
def test_every_template_message_is_translated(lang: str) -> None:
    translated = catalog(lang)
    missing, empty = [], []
    for template in template_messages():
        message = translated.get(template.id)
        if message is None:
            missing.append(template.id)
            continue
        forms = strings(message)
        if template.pluralizable:
            assert message.pluralizable, template.id
            assert len(forms) == translated.num_plurals, template.id
        if not all(form.strip() for form in forms):
            empty.append(template.id)
    assert not missing, f"{lang}: not in catalog: {missing}"
    assert not empty, f"{lang}: empty translation: {empty}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_fuzzy_entries(lang: str) -> None:
    translated = catalog(lang)
    assert not translated.fuzzy, f"{lang}: catalog header is fuzzy"
    fuzzy = [message.id for message in translated if message.id and message.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy entries: {fuzzy}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match(lang: str) -> None:
    wrong = []
    for message in catalog(lang):
        if not message.id:
            continue
        # every msgid form (singular and plural) must agree on the placeholders
        expected = set().union(*(placeholders(msgid) for msgid in ids(message)))
        for form in strings(message):
            if form and placeholders(form) != expected:
                wrong.append((message.id, form))
    assert not wrong, f"{lang}: placeholder mismatch: {wrong}"


@pytest.mark.parametrize("lang", LANGS)
def test_header(lang: str) -> None:
    # read without a locale argument, so Language comes from the header itself
    translated = load(LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po")
    assert str(translated.locale) == lang
    assert translated.num_plurals == 3


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_choose_the_right_form(lang: str) -> None:
    translated = catalog(lang)
    buffer = BytesIO()
    write_mo(buffer, translated)
    buffer.seek(0)
    compiled = gettext.GNUTranslations(buffer)
    plural = next(message for message in translated if message.id and message.pluralizable)
    singular, plural_id = plural.id
    # 1, 21 -> one; 2..4, 22 -> few; 0, 5..20, 25, 111..114 -> many
    expected = {
        0: 2,
        1: 0,
        2: 1,
        4: 1,
        5: 2,
        11: 2,
        12: 2,
        14: 2,
        21: 0,
        22: 1,
        25: 2,
        111: 2,
        112: 2,
    }
    for n, form in expected.items():
        assert compiled.ngettext(singular, plural_id, n) == plural.string[form], n


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_compiles(lang: str) -> None:
    buffer = BytesIO()
    write_mo(buffer, catalog(lang))
    assert len(buffer.getvalue()) > 0


def test_the_template_lists_every_string_in_the_code_and_templates() -> None:
    """A string added to a template or to the code without re-extracting fails here."""
    from babel.messages.extract import extract_from_dir

    root = LOCALE_DIR.parents[2]
    if not (root / "babel.cfg").exists():
        pytest.skip("not a checkout: the templates are extracted at development time")
    method_map = [("src/searcharchive/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(
            str(root), method_map, options, keywords=keywords
        )
    }
    listed = {ids(m)[0] for m in template_messages()}
    assert found - listed == set(), "run scripts/update-catalogs and translate the new strings"
