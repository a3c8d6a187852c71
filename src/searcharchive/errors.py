"""Domain errors: each carries a message fit to show a user as it is."""

from __future__ import annotations


class ArchiveError(Exception):
    """Base class: the message is for the user, never a traceback."""


class IndexNotFound(ArchiveError):
    pass


class IndexCorrupt(ArchiveError):
    pass


class BadParameter(ArchiveError):
    pass


class RejectedRecord(ArchiveError):
    """A source record that cannot become a statement; `where` is the line or element."""

    def __init__(self, reason: str, source: str = "", where: dict[str, int | str] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.source = source
        self.where = where or {}

    def as_json(self) -> dict[str, object]:
        return {"source": self.source, **self.where, "reason": self.reason}
