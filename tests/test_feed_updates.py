"""Feeds that stay put: an entry's <updated> never comes from the clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx
import pytest

from searcharchive.archive import Archive
from searcharchive.statement import Statement

from .outputs import ATOM, atom, entry_id

EPOCH = "1970-01-01T00:00:00Z"


def moment(text: str | None) -> datetime:
    assert text and text.endswith("Z"), text  # RFC 3339 in UTC
    return datetime.fromisoformat(text)


def expected_updated(statement: Statement) -> datetime:
    """The statement's date, else when it entered the archive (`added`, which older
    indexes lack), else the epoch: nothing that changes between two polls."""
    if statement.date:
        return datetime.combine(statement.date.start(), datetime.min.time(), UTC)
    return datetime.fromisoformat(statement.added or EPOCH)


@pytest.mark.parametrize(
    "params", [{"tag": "undated test"}, {"q": "nothing-matches-this-xyzzy"}, {}]
)
def test_a_feed_polled_twice_is_the_same_bytes(
    output_client: httpx.Client, output_archive: Archive, params: dict[str, str]
) -> None:
    first = output_client.get("/feed.atom", params=params)
    time.sleep(1.1)  # the clock's second has changed: anything taken from it would show
    second = output_client.get("/feed.atom", params=params)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    feed = atom(first)
    entries = feed.findall(f"{ATOM}entry")
    updated = []
    for entry in entries:
        found = output_archive.get(entry_id(entry))
        assert found is not None
        assert moment(entry.findtext(f"{ATOM}updated")) == expected_updated(found.statement)
        updated.append(expected_updated(found.statement))
    newest = max(updated, default=datetime.fromisoformat(EPOCH))
    assert moment(feed.findtext(f"{ATOM}updated")) == newest
    if params.get("tag"):
        assert len(entries) == 3
