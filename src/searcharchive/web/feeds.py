"""Atom feeds of any search: the same request as the page, newest first."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from starlette.requests import Request
from starlette.responses import Response

from ..archive import Archive, SearchResult
from ..request import NO_FACET_VALUES, SearchRequest
from ..statement import Statement
from ..tags import TagVocabulary
from .clean import printable
from .headers import GENERATION_HEADER
from .links import feed_url, public_base, statement_url, with_page
from .locale import gettext as _
from .params import search_request

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01T00:00:00Z"  # an undated statement of an index older than `added`
FEED_SIZE = 20


def atom_time(value: str) -> str | None:
    """An ISO 8601 timestamp as Atom writes it (UTC, whole seconds), or None."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_updated(statement: Statement) -> str:
    """Its date, else when it entered the archive: never the clock, or every poll of the
    feed would show undated statements as new."""
    if statement.date:
        return f"{statement.date.start().isoformat()}T00:00:00Z"
    return atom_time(statement.added) or EPOCH


def atom_feed(result: SearchResult, title: str, self_url: str, base_url: str, prefix: str) -> bytes:
    ET.register_namespace("", ATOM)
    tags = TagVocabulary.builtin()
    feed = ET.Element(f"{{{ATOM}}}feed")
    updated = [entry_updated(hit.statement) for hit in result.hits]
    ET.SubElement(feed, f"{{{ATOM}}}title").text = printable(title)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = max(updated, default=EPOCH)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "searcharchive"
    for hit, entry_time in zip(result.hits, updated, strict=True):
        s = hit.statement
        link = statement_url(base_url + prefix, s.id)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = printable(s.title)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link, hreflang=s.lang)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = entry_time
        for tag in s.tags:
            label = printable(tags.label(tag, result.request.ui_lang))
            ET.SubElement(entry, f"{{{ATOM}}}category", term=printable(tag), label=label)
        summary = ET.SubElement(entry, f"{{{ATOM}}}summary", type="text")
        summary.text = printable(s.lead)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def describe(search: SearchRequest) -> str:
    tag, organization, article = _("tag"), _("organization"), _("article")
    parts = [f"“{search.q}”"] if search.q else []
    vocabulary = TagVocabulary.builtin()
    parts += [f"{tag}: {vocabulary.label(t, search.ui_lang)}" for t in search.tags]
    parts += [f"{organization}: {o}" for o in search.orgs]
    parts += [f"{article}: {a}" for a in search.articles]
    return ", ".join(parts) or _("all statements")


def feed_self_url(base: str, prefix: str, search: SearchRequest) -> str:
    """The feed's own address (its Atom id), from the search it answers."""
    params = [p for p in with_page(search, search.page) if p != ("size", str(FEED_SIZE))]
    return base + feed_url(prefix, params)


def feed_response(request: Request, archive: Archive) -> Response:
    search = search_request(request.query_params, request.state.ui_lang, size=FEED_SIZE)
    base, prefix = public_base(request), request.state.lang_prefix
    self_url = feed_self_url(base, prefix, search)
    result = archive.search(
        replace(search, sort=search.sort or "newest", facet_size=NO_FACET_VALUES)
    )
    title = f"searcharchive — {describe(search)}"
    body = atom_feed(result, title, self_url, base, prefix)
    return Response(
        body,
        media_type="application/atom+xml; charset=utf-8",
        headers={GENERATION_HEADER: result.generation},
    )
