"""searcharchive: a full-text archive of statements, searchable by article, name,
tag, date and organization.

    from searcharchive import Archive, Indexer, SearchRequest

    Indexer("index").run(["statements.jsonl"])
    result = Archive.open("index").search(SearchRequest(q="Северинец", langs=["en"]))

The names load on first use, so a server never loads the indexer, and the
`searcharchive` command starts without loading the search stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .archive import Archive, Found, Hit, SearchResult
    from .errors import ArchiveError, BadParameter, IndexCorrupt, IndexNotFound, RejectedRecord
    from .indexer import Indexer, IndexReport
    from .request import SearchRequest

_HOMES = {
    "Archive": "archive",
    "Found": "archive",
    "Hit": "archive",
    "SearchResult": "archive",
    "SearchRequest": "request",
    "Indexer": "indexer",
    "IndexReport": "indexer",
    "ArchiveError": "errors",
    "BadParameter": "errors",
    "IndexCorrupt": "errors",
    "IndexNotFound": "errors",
    "RejectedRecord": "errors",
}
__all__ = [
    "Archive",
    "ArchiveError",
    "BadParameter",
    "Found",
    "Hit",
    "IndexCorrupt",
    "IndexNotFound",
    "IndexReport",
    "Indexer",
    "RejectedRecord",
    "SearchRequest",
    "SearchResult",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'searcharchive' has no attribute '{name}'")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
