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
from .languages import LANGS
from .tags import TagVocabulary

# the names of a generation's facet values, per facet and UI language: only values its
# documents have are kept (not a request's selected values that none has), and no more
# than this many per facet and language
NAME_CACHE_ENTRIES = 100_000

Names = tuple[str, str | None, str | None]  # label, parent, title


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
        # (facet, UI language) -> value -> names: plain dicts, as a page of facets looks up
        # thousands of values (a dict's get and set are atomic: threads may share them)
        self._names: dict[tuple[str, str], dict[str, Names]] = {}

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
            items = []
            for item in values:
                label, parent, title = self.names(facet, item.value, ui_lang, item.count > 0)
                items.append(
                    FacetValue(facet, item.value, label, item.count, item.selected, parent, title)
                )
            if facet.by_count:
                items.sort(key=lambda v: (-v.count, v.label))
            out[facet.key] = items
        return out

    def names(self, facet: Facet, value: str, ui_lang: str, keep: bool) -> Names:
        """A value's label, parent and title in `ui_lang`, computed once per generation
        for values its documents have (`keep`): a page lists the same values again."""
        if not keep or ui_lang not in LANGS:  # a value or a language a client made up
            return self._computed(facet, value, ui_lang)
        names = self._names.setdefault((facet.name, ui_lang), {})
        known = names.get(value)
        if known is None:
            known = self._computed(facet, value, ui_lang)
            if len(names) < NAME_CACHE_ENTRIES:
                names[value] = known
        return known

    def _computed(self, facet: Facet, value: str, ui_lang: str) -> Names:
        title = title_in(value, ui_lang) if facet.kind == "tree" else None
        return (self.label(facet.name, value, ui_lang), self.parent(facet, value), title)

    def names_kept(self) -> int:
        """How many values' names are kept, over every facet and language."""
        return sum(len(names) for names in list(self._names.values()))

    @staticmethod
    def parent(facet: Facet, value: str) -> str | None:
        """The value one level up in a nested facet: cc:342 -> cc, 2020-07 -> 2020."""
        if not facet.nested:
            return None
        if facet.kind == "tree":
            parents = parent_ids(value)
            return parents[-1] if parents else None
        return value[:4]
