"""Domain errors: each carries a message fit to show a user as it is."""

from __future__ import annotations

from collections.abc import Callable


def N_(message: str) -> str:
    """Marks a message for the translators; it is translated where it is shown."""
    return message


class ArchiveError(Exception):
    """Base class: the message is for the user, never a traceback."""


class IndexNotFound(ArchiveError):
    pass


class IndexCorrupt(ArchiveError):
    pass


class BadParameter(ArchiveError):
    """A refused parameter: a gettext message id and its values. `str()` is the English
    message (the CLI's); `translated(gettext)` is the reader's (the web's)."""

    def __init__(self, message: str, **values: str):
        self.message = message
        self.values = values
        super().__init__(message % values if values else message)

    def translated(self, gettext: Callable[[str], str]) -> str:
        text = gettext(self.message)
        return text % self.values if self.values else text


class BadDate(BadParameter):
    """A date parameter that cannot be read, or a range that ends before it starts. The
    API, feeds and exports refuse it like any BadParameter; an HTML search page collects
    it (`problems`), searches without that date and shows `beside` (a message id with
    the same values) next to the date fields."""

    def __init__(self, message: str, beside: str, **values: str):
        super().__init__(message, **values)
        self.beside = beside

    def translated_beside(self, gettext: Callable[[str], str]) -> str:
        text = gettext(self.beside)
        return text % self.values if self.values else text


class RejectedRecord(ArchiveError):
    """A source record that cannot become a statement; `where` is the line or element."""

    def __init__(self, reason: str, source: str = "", where: dict[str, int | str] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.source = source
        self.where = where or {}

    def as_json(self) -> dict[str, object]:
        return {"source": self.source, **self.where, "reason": self.reason}
