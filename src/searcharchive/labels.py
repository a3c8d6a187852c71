"""Labels for facet values in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from babel import Locale
from babel.dates import format_skeleton

from .citations import citation_label, parent_ids, title_in
from .facet_table import BY_NAME, Facet, FacetValue
from .facets import FacetCount
from .gazetteer import Gazetteer
from .tags import TagVocabulary


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
        self,
        organizations: Gazetteer,
        persons: Gazetteer,
        tags: TagVocabulary | None = None,
        person_names: Callable[[str, str], str | None] | None = None,
    ):
        self.organizations = organizations
        self.persons = persons
        self.tags = tags or TagVocabulary.builtin()
        # a person cluster's display name (the generation's person table, persons.py)
        self.person_names = person_names

    def label(self, facet: str, value: str, ui_lang: str) -> str:
        if facet in ("org", "mention"):
            entry = self.organizations.get(value)
            return entry.label(ui_lang) if entry else value
        if facet == "person":
            name = self.person_names(value, ui_lang) if self.person_names else None
            if name:
                return name
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
    ) -> dict[str, list[FacetValue]]:
        """Counted values as the API and the page list them, under each facet's key."""
        out: dict[str, list[FacetValue]] = {}
        for name, values in counts.items():
            facet = BY_NAME[name]
            items = [
                FacetValue(
                    facet,
                    item.value,
                    self.label(name, item.value, ui_lang),
                    item.count,
                    item.selected,
                    parent=self.parent(facet, item.value),
                    title=title_in(item.value, ui_lang) if facet.kind == "tree" else None,
                )
                for item in values
            ]
            if facet.by_count:
                items.sort(key=lambda v: (-v.count, v.label))
            out[facet.key] = items
        return out

    @staticmethod
    def parent(facet: Facet, value: str) -> str | None:
        """The value one level up in a nested facet: cc:342 -> cc, 2020-07 -> 2020."""
        if not facet.nested:
            return None
        if facet.kind == "tree":
            parents = parent_ids(value)
            return parents[-1] if parents else None
        return value[:4]
