"""Jinja2 environment: autoescaped, gettext from the request's UI language, Babel formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.templating import Jinja2Templates

from ..i18n import UI_LANGS, format_number, format_partial_date, native_language_name
from ..tags import TagVocabulary
from .clean import printable
from .locale import current_lang, gettext, ngettext


def printable_output(value: Any) -> Any:
    """Every {{ expression }}'s text as XML allows it, and encodable (see clean.py)."""
    if isinstance(value, Markup):
        return Markup(printable(str(value)))
    return printable(value) if isinstance(value, str) else value


def templates_dir() -> Path:
    """Inside the installed package (wheel), else the checkout's top-level templates/."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if (candidate / "base.html").exists():
            return candidate
    raise FileNotFoundError("templates/ not found beside the package or in the checkout")


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=printable_output,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["partial_date"] = lambda value: format_partial_date(
        value, current_lang.get(), gettext("undated")
    )
    env.filters["number"] = lambda value: format_number(value, current_lang.get())
    env.globals["ui_langs"] = UI_LANGS
    env.globals["translate_note"] = lambda note: gettext(note.message) % dict(note.values)
    env.globals["language_name"] = native_language_name
    vocabulary = TagVocabulary.builtin()
    env.globals["tag_label"] = lambda tag: vocabulary.label(tag, current_lang.get())
    return Jinja2Templates(env=env)
