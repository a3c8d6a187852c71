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
from .languages import LANGS
from .summary import summary_paragraph

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,159}$")
LIST_FIELDS = ("tags", "organizations", "authors", "articles", "persons")
TEXT_FIELDS = ("title", "body", "lead", "url", "translated_by", "translated_from")
# what one record may hold: beyond these a record is not a statement but a mistake (a
# whole book in a body, a keywords list in the tags), and every view of it would pay
MAX_TITLE_CHARS = 1_000
MAX_BODY_CHARS = 1_000_000
MAX_LEAD_CHARS = 1_000
MAX_TAG_CHARS = 200
MAX_VALUES = {"tags": 50, "organizations": 200, "authors": 200, "articles": 200, "persons": 200}
# control characters are not text (and not XML): a vertical tab or form feed pasted from
# a word processor is a line break, the others are dropped; noted when it happens
LINE_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def slugify(text: str, max_len: int = 80) -> str:
    """A URL-safe slug of a title (Cyrillic transliterated, cut at a word)."""
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0]
    return slug or "statement"


def made_up_id(data: dict[str, Any], title: str, body: str) -> str:
    """The id of a record that gives none: a slug of its title and a short hash of what
    makes it this statement. With a source URL, the same URL, language and title are the
    same statement (an edited body updates it; a page of several statements keeps them
    apart); without one, the same title, date, language and first paragraph. So re-reading one input gives the same ids, and two
    statements whose titles share their first 60 characters never share an id."""
    url = _text(data, "url")
    identity = [_text(data, "lang").lower()]
    if url:
        identity += ["url", url, title]
    else:
        identity += [title, str(data.get("date") or ""), first_paragraph(body)]
    digest = hashlib.sha256("\x00".join(identity).encode("utf-8")).hexdigest()[:10]
    return f"{slugify(title or body[:80])}-{digest}"


TITLE_BREAK = "\n\n"  # between the title and the body of `whole_text`


def whole_text(title: str, body: str) -> str:
    """A statement's title and body as one text: what its text fields index (word
    positions run on from the title) and what extraction reads."""
    return f"{title}{TITLE_BREAK}{body}"


def body_offset(title: str) -> int:
    """Where the body starts in `whole_text` (offsets found there, into the body)."""
    return len(title) + len(TITLE_BREAK)


def cut_at_word(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:—–-") + "…"


def first_paragraph(body: str) -> str:
    """The first paragraph, bounded (part of a made-up id: it never changes meaning)."""
    for paragraph in re.split(r"\n\s*\n", body):
        if paragraph.strip():
            return cut_at_word(paragraph.strip(), MAX_LEAD_CHARS)
    return ""


def lead_of(body: str) -> str:
    """The summary paragraph (summary.py), bounded: a feed entry or a hit never carries
    a whole body."""
    return cut_at_word(summary_paragraph(body), MAX_LEAD_CHARS)


MULTILINE_FIELDS = ("body", "lead")


def clean_text(text: str, multiline: bool = True) -> tuple[str, bool]:
    """Text without control characters, and whether any were found. A vertical tab or
    form feed is a line break in a body and a space in a one-line field (a title)."""
    cleaned = CONTROL.sub("", LINE_BREAKS.sub("\n" if multiline else " ", text))
    return cleaned, cleaned != text


CitedSpan = tuple[int, int, list[str]]  # a citation: where it is, the article ids it cites


@dataclass
class Statement:
    id: str
    lang: str
    title: str
    body: str
    date: PartialDate | None = None
    lead: str = ""
    tags: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)  # every organization it names
    authors: list[str] = field(default_factory=list)  # of those, its authors and signatories
    articles: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    url: str = ""
    group: str = ""
    translated_by: str = ""
    translated_from: str = ""
    extracted: list[str] = field(default_factory=list)
    added: str = ""  # when the statement first entered the archive (UTC, ISO 8601)
    # where its snippet's text cites which articles (start, end, ids), found at index time
    # (snippets.placed_citations); None where no grammar ran (articles given by the record).
    # Derived from the text, so kept out of to_json (the API, the fingerprint)
    cited: list[CitedSpan] | None = None

    def __post_init__(self) -> None:
        self.group = self.group or self.id
        self.lead = self.lead or lead_of(self.body)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.iso() if self.date else None
        del data["cited"]
        return data

    def to_record(self) -> dict[str, Any]:
        """What the index stores: `to_json` and the citation spans (read by `from_json`)."""
        return {**self.to_json(), "cited": self.cited}

    def fingerprint(self) -> str:
        """A content hash: re-indexing a record with the same hash changes nothing."""
        content = {k: v for k, v in self.to_json().items() if k != "added"}
        text = json.dumps(content, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Statement:
        """Rebuild a statement stored by `to_json` (trusted input, from our own index)."""
        values: dict[str, Any] = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        date = values.get("date")
        values["date"] = PartialDate.parse_iso(date) if date else None
        cited = values.get("cited")
        if cited is not None:
            values["cited"] = [(start, end, ids) for start, end, ids in cited]
        return cls(**values)


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RejectedRecord(f"field '{key}' must be a string, not {type(value).__name__}")
    return value.strip()


def _string_list(data: dict[str, Any], key: str, notes: list[str]) -> list[str] | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RejectedRecord(f"field '{key}' must be a list of strings")
    values = list(dict.fromkeys(v.strip() for v in value if v.strip()))
    if key == "tags":
        long = [v for v in values if len(v) > MAX_TAG_CHARS]
        if long:
            notes.append(f"{len(long)} tag(s) longer than {MAX_TAG_CHARS} characters left out")
            values = [v for v in values if len(v) <= MAX_TAG_CHARS]
    limit = MAX_VALUES[key]
    if len(values) > limit:
        notes.append(f"'{key}' cut to the first {limit} of {len(values)} values")
        values = values[:limit]
    return values


def _cleaned(data: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """The record with control characters taken out of its text fields (noted)."""
    cleaned = dict(data)
    touched = []
    for key in (*TEXT_FIELDS, *LIST_FIELDS, "id", "group", "lang", "date"):
        value = data.get(key)
        multiline = key in MULTILINE_FIELDS
        if isinstance(value, str):
            cleaned[key], changed = clean_text(value, multiline)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            pairs = [clean_text(v, multiline) for v in value]
            cleaned[key], changed = [v for v, _ in pairs], any(c for _, c in pairs)
        else:
            continue
        if changed:
            touched.append(key)
    if touched:
        notes.append(f"control characters removed from {', '.join(touched)}")
    return cleaned


def _check_size(title: str, body: str) -> None:
    if len(title) > MAX_TITLE_CHARS:
        raise RejectedRecord(
            f"title of {len(title):,} characters is longer than the limit of "
            f"{MAX_TITLE_CHARS:,}: is the text in the title field?"
        )
    if len(body) > MAX_BODY_CHARS:
        raise RejectedRecord(
            f"body of {len(body):,} characters is longer than the limit of {MAX_BODY_CHARS:,} "
            "(a statement is rarely a tenth of that): split it or check the source"
        )


def statement_from_mapping(
    data: Any, default_id: str = "", notes: list[str] | None = None
) -> tuple[Statement, set[str]]:
    """Validate one input record; return the statement and the fields the input gave.
    What was changed on the way in (control characters, lists cut) is added to `notes`.

    Raises RejectedRecord with a reason a person can act on.
    """
    if not isinstance(data, dict):
        raise RejectedRecord(f"a record must be a JSON object, not {type(data).__name__}")
    notes = [] if notes is None else notes
    data = _cleaned(data, notes)
    title, body = _text(data, "title"), _text(data, "body")
    if not title and not body:
        raise RejectedRecord("record has neither title nor body text")
    _check_size(title, body)
    lang = _text(data, "lang").lower()
    if lang and lang not in LANGS:
        raise RejectedRecord(f"unsupported lang '{lang}' (expected one of {', '.join(LANGS)})")
    # a blank value (" " too) is not given: extraction fills the field in
    given: set[str] = {
        k
        for k, v in data.items()
        if v not in (None, []) and not (isinstance(v, str) and not v.strip())
    }
    record_id = _text(data, "id") or default_id or made_up_id(data, title, body)
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
        title=title or first_paragraph(body)[:120],
        body=body,
        date=date,
        lead=cut_at_word(_text(data, "lead"), MAX_LEAD_CHARS),
        url=_text(data, "url"),
        group=group,
        translated_by=_text(data, "translated_by"),
        translated_from=_text(data, "translated_from"),
    )
    for key in LIST_FIELDS:
        values = _string_list(data, key, notes)
        if values is not None:
            setattr(statement, key, values)
    return statement, given
