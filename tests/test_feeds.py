"""Atom feeds of a search (web/feeds.py), on a real index: the same hits as the search, in
its order, dated by their statements."""

from __future__ import annotations

from dataclasses import replace
from xml.etree import ElementTree as ET

import pytest

from searcharchive.archive import Archive
from searcharchive.request import SearchRequest
from searcharchive.web.feeds import ATOM, EPOCH, atom_feed, atom_time, entry_updated

BASE = "https://archive.example"
NS = {"a": ATOM}


def test_an_atom_feed_has_the_hits_of_the_search_in_its_order(archive: Archive) -> None:
    result = archive.search(SearchRequest(sort="newest", size=5))
    feed = ET.fromstring(atom_feed(result, "Newest", f"{BASE}/feed.atom", BASE, "/be"))
    assert feed.findtext("a:title", namespaces=NS) == "Newest"
    assert feed.find("a:link[@rel='self']", NS).get("href") == f"{BASE}/feed.atom"  # type: ignore[union-attr]
    entries = feed.findall("a:entry", NS)
    assert [e.findtext("a:id", namespaces=NS) for e in entries] == [
        f"{BASE}/be/statements/{hit.statement.id}" for hit in result.hits
    ]
    for entry, hit in zip(entries, result.hits, strict=True):
        assert entry.findtext("a:title", namespaces=NS) == hit.statement.title
        link = entry.find("a:link[@rel='alternate']", NS)
        assert link is not None and link.get("hreflang") == hit.statement.lang
        assert [c.get("term") for c in entry.findall("a:category", NS)] == hit.statement.tags
    times = [e.findtext("a:updated", namespaces=NS) or "" for e in entries]
    assert times == [entry_updated(hit.statement) for hit in result.hits]
    assert feed.findtext("a:updated", namespaces=NS) == max(times)


def test_an_empty_feed_is_valid_and_dated_at_the_epoch(archive: Archive) -> None:
    result = archive.search(SearchRequest(q="zzzxqwv"))
    feed = ET.fromstring(atom_feed(result, "Nothing", f"{BASE}/feed.atom", BASE, ""))
    assert feed.findall("a:entry", NS) == []
    assert feed.findtext("a:updated", namespaces=NS) == EPOCH


def test_an_entry_is_dated_by_its_statement_never_by_the_clock(archive: Archive) -> None:
    statement = archive.search(SearchRequest(size=1)).hits[0].statement
    assert statement.date is not None
    assert entry_updated(statement) == f"{statement.date.start().isoformat()}T00:00:00Z"
    undated = replace(statement, date=None)
    assert entry_updated(undated) == atom_time(statement.added)
    assert entry_updated(replace(undated, added="")) == EPOCH


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("2021-03-04T05:06:07+03:00", "2021-03-04T02:06:07Z"),
        ("2021-03-04T05:06:07.999", "2021-03-04T05:06:07Z"),  # no zone: taken as UTC
        ("2021-03-04", "2021-03-04T00:00:00Z"),
        ("yesterday", None),
        ("", None),
    ],
)
def test_atom_times_are_utc_whole_seconds(value: str, written: str | None) -> None:
    assert atom_time(value) == written
