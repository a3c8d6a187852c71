"""The tag vocabulary: one id per tag, its name in each UI language, and the other
spellings input records use (data/tags.yaml, extended by further files like the
gazetteers). A tag it does not list is shown as written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

from .yamldata import safe_load

_SPACES = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class Tag:
    id: str
    names: dict[str, str] = field(hash=False)
    aliases: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.id


class TagVocabulary:
    def __init__(self, tags: list[Tag]) -> None:
        self._tags = {tag.id: tag for tag in tags}
        self._by_key: dict[str, str] = {}
        for tag in tags:
            for spelling in (tag.id, *tag.names.values(), *tag.aliases):
                owner = self._by_key.setdefault(_key(spelling), tag.id)
                if owner != tag.id:
                    raise ValueError(f"'{spelling}' names both tag '{owner}' and '{tag.id}'")

    @classmethod
    def load(cls, *paths: str | Path | Traversable) -> TagVocabulary:
        """Read data files in order; a later file may add tags or rename earlier ones.
        Raises ValueError naming the file and the entry on any problem."""
        tags: dict[str, Tag] = {}
        for path in paths:
            source = path if isinstance(path, Traversable) else Path(path)
            try:
                data = safe_load(source.read_text(encoding="utf-8")) or []
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
                raise ValueError(f"{source}: cannot read the tag vocabulary: {error}") from None
            if not isinstance(data, list):
                raise ValueError(f"{source}: expected a list of tags")
            for number, entry in enumerate(data, 1):
                tag = _tag(entry, f"{source}: entry {number}")
                known = tags.get(tag.id)
                if known:
                    tag = Tag(tag.id, {**known.names, **tag.names}, known.aliases + tag.aliases)
                tags[tag.id] = tag
        return cls(list(tags.values()))

    @classmethod
    def builtin(cls) -> TagVocabulary:
        return _builtin()

    def resolve(self, spelling: str) -> str | None:
        """The id of a tag as an input record spells it, or None when it is not listed."""
        return self._by_key.get(_key(spelling))

    def label(self, tag: str, lang: str) -> str:
        known = self._tags.get(tag)
        return known.label(lang) if known else tag


def _tag(entry: object, where: str) -> Tag:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
        raise ValueError(f"{where}: a tag needs an 'id'")
    names = entry.get("name") or {}
    aliases = entry.get("aliases") or []
    if not isinstance(names, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in names.items()
    ):
        raise ValueError(f"{where} ('{entry['id']}'): 'name' maps languages to names")
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValueError(f"{where} ('{entry['id']}'): 'aliases' is a list of spellings")
    return Tag(entry["id"], dict(names), tuple(aliases))


@cache
def _builtin() -> TagVocabulary:
    return TagVocabulary.load(files("searcharchive") / "data" / "tags.yaml")
