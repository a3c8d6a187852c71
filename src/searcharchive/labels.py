"""Labels for facet values in the reader's language."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_skeleton

from .citations import citation_label, parent_ids, title_in
from .facets import FacetCount
from .gazetteer import Gazetteer
from .tags import TagVocabulary

FACET_KEYS = {"tag": "tag", "org": "organization", "article": "article", "lang": "lang"}


@cache
def language_name(code: str, ui_lang: str) -> str:
    try:
        name = Locale.parse(ui_lang).languages.get(code, code)
    except (ValueError, LookupError):
        name = code
    return name[:1].upper() + name[1:]


@cache
def month_name(value: str, ui_lang: str) -> str:
    year, month = (int(part) for part in value.split("-"))
    return format_skeleton("yMMMM", date(year, month, 1), locale=ui_lang)


class Labeller:
    def __init__(
        self, organizations: Gazetteer, persons: Gazetteer, tags: TagVocabulary | None = None
    ):
        self.organizations = organizations
        self.persons = persons
        self.tags = tags or TagVocabulary.builtin()

    def label(self, facet: str, value: str, ui_lang: str) -> str:
        if facet == "org":
            entry = self.organizations.get(value)
            return entry.label(ui_lang) if entry else value
        if facet == "person":
            entry = self.persons.get(value)
            return entry.label(ui_lang) if entry else value
        if facet == "tag":
            return self.tags.label(value, ui_lang)
        if facet == "article":
            return citation_label(value, ui_lang)
        if facet == "lang":
            return language_name(value, ui_lang)
        if facet == "month":
            return month_name(value, ui_lang)
        return value

    def facets(
        self, counts: dict[str, list[FacetCount]], ui_lang: str
    ) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for facet, values in counts.items():
            items = []
            for item in values:
                entry: dict[str, Any] = {
                    "value": item.value,
                    "label": self.label(facet, item.value, ui_lang),
                    "count": item.count,
                    "selected": item.selected,
                }
                if facet == "article":
                    parents = parent_ids(item.value)
                    entry["parent"] = parents[-1] if parents else None
                    entry["title"] = title_in(item.value, ui_lang)
                if facet == "month":
                    entry["parent"] = item.value[:4]
                items.append(entry)
            if facet in ("tag", "org"):
                items.sort(key=lambda e: (-e["count"], e["label"]))
            out[FACET_KEYS.get(facet, facet)] = items
        return out
