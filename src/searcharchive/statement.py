"""The statement record: one statement in one language (DESIGN.md section 2)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from anyascii import anyascii

from .dates import PartialDate, parse_date_value
from .errors import RejectedRecord

LANGS = ("en", "be", "ru")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,159}$")
LIST_FIELDS = ("tags", "organizations", "articles", "persons")


def slugify(text: str, max_len: int = 80) -> str:
    """A stable URL-safe id from a title (Cyrillic transliterated, cut at a word)."""
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0]
    return slug or "statement"


def lead_of(body: str) -> str:
    for paragraph in re.split(r"\n\s*\n", body):
        if paragraph.strip():
            return paragraph.strip()
    return ""


@dataclass
class Statement:
    id: str
    lang: str
    title: str
    body: str
    date: PartialDate | None = None
    lead: str = ""
    tags: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    url: str = ""
    group: str = ""
    translated_by: str = ""
    translated_from: str = ""
    extracted: list[str] = field(default_factory=list)
    added: str = ""  # when it first entered the archive, ISO 8601 UTC; "" in older indexes

    def __post_init__(self) -> None:
        self.group = self.group or self.id
        self.lead = self.lead or lead_of(self.body)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.iso() if self.date else None
        return data

    def fingerprint(self) -> str:
        """A content hash: re-indexing a record with the same hash changes nothing."""
        text = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Statement:
        """Rebuild a statement stored by `to_json` (trusted input, from our own index)."""
        values: dict[str, Any] = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        date = values.get("date")
        values["date"] = PartialDate.parse_iso(date) if date else None
        return cls(**values)


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RejectedRecord(f"field '{key}' must be a string, not {type(value).__name__}")
    return value.strip()


def _string_list(data: dict[str, Any], key: str) -> list[str] | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RejectedRecord(f"field '{key}' must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def statement_from_mapping(data: Any, default_id: str = "") -> tuple[Statement, set[str]]:
    """Validate one input record; return the statement and the fields the input gave.

    Raises RejectedRecord with a reason a person can act on.
    """
    if not isinstance(data, dict):
        raise RejectedRecord(f"a record must be a JSON object, not {type(data).__name__}")
    title, body = _text(data, "title"), _text(data, "body")
    if not title and not body:
        raise RejectedRecord("record has neither title nor body text")
    lang = _text(data, "lang").lower()
    if lang and lang not in LANGS:
        raise RejectedRecord(f"unsupported lang '{lang}' (expected one of {', '.join(LANGS)})")
    # a blank value (" " too) is not given: extraction fills the field in
    given: set[str] = {
        k
        for k, v in data.items()
        if v not in (None, []) and not (isinstance(v, str) and not v.strip())
    }
    record_id = _text(data, "id") or default_id or slugify(title or body[:80])
    if not ID_RE.match(record_id):
        raise RejectedRecord(
            f"id '{record_id[:80]}' is not URL-safe (lowercase letters, digits, '.', '_', '-')"
        )
    group = _text(data, "group")
    if group and not ID_RE.match(group):
        raise RejectedRecord(f"group '{group[:80]}' is not URL-safe")
    date = None
    raw_date = data.get("date")
    if raw_date not in (None, ""):
        if not isinstance(raw_date, str):
            raise RejectedRecord("field 'date' must be a string such as 2020-07-10")
        try:
            date = parse_date_value(raw_date)
        except ValueError as error:
            raise RejectedRecord(f"field 'date': {error}") from None
    statement = Statement(
        id=record_id,
        lang=lang,
        title=title or lead_of(body)[:120],
        body=body,
        date=date,
        lead=_text(data, "lead"),
        url=_text(data, "url"),
        group=group,
        translated_by=_text(data, "translated_by"),
        translated_from=_text(data, "translated_from"),
    )
    for key in LIST_FIELDS:
        values = _string_list(data, key)
        if values is not None:
            setattr(statement, key, values)
    return statement, given
