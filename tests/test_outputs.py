"""Hostile text in records and in queries: every output parses, and shows it as text.

Records of generated hostile text (control characters, markup, quotes, formula starts,
random code points) are indexed once (tests/outputs.py); hypothesis varies the query.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from searcharchive.archive import Archive
from searcharchive.web.clean import encodable, printable

from .outputs import (
    ATOM,
    PIECES,
    all_statements,
    as_xml_text,
    atom,
    check_csv_titles,
    check_entries,
    csv_rows,
    html_page,
)

query_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.sampled_from(["statement", "Северинец", "court", "tagged", "undated"]),
)


@settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(q=query_text)
@example(q="")  # every statement, hostile ones included
@example(q="\x01\x0b<script>\"'=+-@")
def test_hostile_text_in_records_and_queries_gives_parseable_outputs(
    output_client: httpx.Client, output_archive: Archive, q: str
) -> None:
    listed = {"q": q, "size": "100", "sort": "newest"}  # the feed's order
    feed = atom(output_client.get("/feed.atom", params=listed))
    expected_title = f"searcharchive — “{q[:500]}”" if q else "searcharchive — all statements"
    assert feed.findtext(f"{ATOM}title") == as_xml_text(expected_title)
    ids = check_entries(feed, output_archive)

    api = output_client.get("/api/search", params=listed)
    assert api.status_code == 200
    data = json.loads(api.content)
    for hit in data["hits"]:
        found = output_archive.get(hit["id"])
        assert found is not None and hit["title"] == found.statement.title
    assert ids == [h["id"] for h in data["hits"]]

    rows = csv_rows(output_client.get("/export.csv", params=listed))
    check_csv_titles(rows, output_archive)
    assert [r["id"] for r in rows][: len(data["hits"])] == [h["id"] for h in data["hits"]]

    page = html_page(output_client.get("/", params=listed))
    assert page.inputs["q"] == printable(q[:500])
    assert page.texts["h3 a"] == [
        printable(output_archive.get(h["id"]).statement.title) for h in data["hits"]
    ]  # type: ignore[union-attr]
    if not q:  # the listing holds every statement's face, the generated ones included
        generated = {f"generated-{n:02d}" for n in range(12)}
        assert generated <= {h["id"] for h in data["hits"]}
        assert generated <= set(ids) and generated <= {r["id"] for r in rows}


def test_every_statement_page_parses_with_its_text_escaped(
    output_client: httpx.Client, output_archive: Archive
) -> None:
    for s in all_statements(output_archive):
        if not s.id.startswith(("generated", "hostile")):
            continue
        for prefix in ("", "/be"):
            page = html_page(output_client.get(f"{prefix}/statements/{s.id}"))
            assert page.texts["h1"] == [printable(s.title)]
        data = json.loads(output_client.get(f"/api/statements/{s.id}").content)
        assert data["statement"]["title"] == s.title and data["statement"]["tags"] == s.tags
        feed = atom(output_client.get("/feed.atom", params={"tag": s.tags[0]}))
        assert s.id in check_entries(feed, output_archive) or s.group != s.id


@settings(max_examples=300, derandomize=True, database=None)
@given(
    text=st.text(alphabet=st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=40)
)
def test_any_text_cleaned_for_output_encodes_and_parses_as_xml(text: str) -> None:
    """Lone surrogates (old indexes) and control characters: encodable, XML-safe text."""
    encodable(text).encode("utf-8")
    cleaned = printable(text)
    element = ET.Element("e", attribute=cleaned)
    element.text = cleaned
    parsed = ET.fromstring(ET.tostring(element, encoding="utf-8"))
    assert (parsed.text or "") == as_xml_text(text)
    assert parsed.get("attribute") == cleaned
