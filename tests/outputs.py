"""Shared by the output tests: a hostile index, and parsers for every output format.

The index: the sample corpus, the hostile records of conftest, statements with hostile
tags, undated statements and statements of generated hostile text, built by the real
Indexer (the `output_index` fixture in conftest.py; `output_site` serves it with
`searcharchive serve` in a subprocess). Atom is parsed with xml.etree, CSV with the csv
module, HTML with html.parser.
"""

from __future__ import annotations

import csv
import io
import json
import random
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx

from searcharchive.archive import Archive
from searcharchive.indexer import Indexer
from searcharchive.sample import sample_sources
from searcharchive.statement import Statement
from searcharchive.web.clean import encodable, printable
from searcharchive.web.export import CSV_COLUMNS

from .conftest import HOSTILE, write_jsonl

ATOM = "{http://www.w3.org/2005/Atom}"

# ---------------------------------------------------------------- the index

HOSTILE_TAGS = [
    "a/b",
    "ends with a slash/",
    '"quoted" tag',
    "it's",
    "t" * 150,
    "Свабода слова",
    "100%",
    "why?",
    "#hashtag",
    ".hidden",
    "two  spaces inside",
    "a&b <c>",
]
# one tag on 12 statements: its tag page has a second page, linked with the slash in the path
TAGGED = [
    {
        "id": f"tagged-{n:02d}",
        "lang": "en",
        "title": f"Tagged statement {n}",
        "body": f"A statement with awkward tags, number {n}.",
        "date": f"2025-01-{n + 1:02d}",
        "tags": ["a/b", HOSTILE_TAGS[1 + n % (len(HOSTILE_TAGS) - 1)]],
    }
    for n in range(12)
]
UNDATED = [
    {
        "id": f"undated-{n}",
        "lang": "en",
        "title": f"Undated statement {n}",
        "body": "A statement that says nothing of when it was made.",
        "tags": ["undated test"],
    }
    for n in range(2)
] + [
    {
        "id": "dated-among-undated",
        "lang": "en",
        "title": "Dated statement",
        "body": "Minsk, 10 July 2020. A statement with a date.",
        "date": "2020-07-10",
        "tags": ["undated test"],
    }
]

CONTROLS = [chr(c) for c in range(0x20) if c not in (9, 10, 13)] + ["\x7f", "\x85", "\ufffe"]
PIECES = [
    *CONTROLS,
    "\uffff",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "]]>",
    "<![CDATA[",
    "&amp;",
    "&#0;",
    "&",
    "<",
    ">",
    "'",
    '"',
    "</title>",
    "<!--",
    "=",
    "+",
    "-",
    "@",
    '=HYPERLINK("http://evil.invalid","x")',
    "@SUM(A1)",
    "\t",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\u202e",
    "\u200b",
    "\u2028",
    "🙂",
    "𝔘𝔫𝔦",
    "\u0301",
    "Северинец",
    "Севярынец",
    "statement",
    "court",
    "%s",
    "{0}",
    "/",
    "?",
    "#",
    "%",
    "..",
]


def hostile_text(rng: random.Random, pieces: int) -> str:
    """Pieces of markup, quotes, formulas and control characters, and random code points."""
    parts = []
    for _ in range(pieces):
        if rng.random() < 0.7:
            parts.append(rng.choice(PIECES))
        else:
            parts.append(
                chr(rng.choice([rng.randrange(0x20, 0xD7FF), rng.randrange(0x10000, 0x1FFFF)]))
            )
    return "".join(parts)


def generated_records(count: int = 12, seed: int = 15) -> list[dict[str, object]]:
    """Hostile titles, leads, bodies and tags, written once (no surrogates: JSON on disk)."""
    rng = random.Random(seed)
    langs = ["en", "be", "ru"]
    return [
        {
            "id": f"generated-{n:02d}",
            "lang": langs[n % 3],
            "title": hostile_text(rng, 8),
            "lead": hostile_text(rng, 6),
            "body": "statement " + hostile_text(rng, 30) + "\n\n" + hostile_text(rng, 20),
            "tags": [hostile_text(rng, 4) + "g", hostile_text(rng, 3) + "h"],
            **({"date": f"2024-0{n % 9 + 1}-1{n % 9}"} if n % 2 else {}),
        }
        for n in range(count)
    ]


def build_output_index(folder: Path) -> Path:
    hostile = write_jsonl(folder / "hostile.jsonl", [*HOSTILE, *TAGGED, *UNDATED])
    generated = folder / "generated.jsonl"
    generated.write_text("".join(json.dumps(r) + "\n" for r in generated_records()), "utf-8")
    index_dir = folder / "index"
    report = Indexer(index_dir).run([*sample_sources(), hostile, generated], rebuild=True)
    assert not report.rejected, [r.as_json() for r in report.rejected]
    return index_dir


def all_statements(truth: Archive) -> list[Statement]:
    gen = truth.generation()
    return [gen.record(int(d)) for d in gen.columns.alive.nonzero()[0]]


# ---------------------------------------------------------------- parsers


ALLOWED_TAGS = set(
    "html head meta title link body a header nav ul li main footer p h1 h2 h3 form label div "
    "input button span aside section ol time mark strong small dl dt dd article meter".split()
)


class Page(HTMLParser):
    """Start tags, attributes, links, and the text of headings and their links."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.links: list[str] = []
        self.inputs: dict[str, str] = {}
        self.open: list[str] = []
        self.texts: dict[str, list[str]] = {"title": [], "h1": [], "h3 a": []}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        self.attributes.update(name for name, _ in attrs)
        if tag in ("a", "link") and values.get("href") is not None:
            self.links.append(values["href"] or "")
        if tag == "input" and values.get("id"):
            self.inputs[values["id"] or ""] = values.get("value") or ""
        if tag not in ("meta", "link", "input"):
            self.open.append(tag)
            for key in self.texts:
                if " ".join(self.open[-len(key.split()) :]) == key:
                    self.texts[key].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        for key, found in self.texts.items():
            if key.split()[-1] in self.open and key.split()[0] in self.open and found:
                found[-1] += data


def html_page(response: httpx.Response) -> Page:
    assert response.headers["content-type"].startswith("text/html"), response.headers
    page = Page(response.text)
    assert page.tags <= ALLOWED_TAGS, page.tags - ALLOWED_TAGS  # markup in text stays text
    assert not any(name.startswith("on") for name in page.attributes), page.attributes
    return page


def as_xml_text(text: str) -> str:
    """What an XML parser reads back for `text` in element content: the characters XML 1.0
    allows (vertical tab and form feed as spaces), line ends normalised."""
    text = encodable(text).replace("\v", " ").replace("\f", " ")
    allowed = "".join(c for c in text if c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff"))
    return allowed.replace("\r\n", "\n").replace("\r", "\n")


def atom(response: httpx.Response) -> ET.Element:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # raises on invalid XML


def entry_id(entry: ET.Element) -> str:
    link = entry.find(f"{ATOM}link")
    assert link is not None
    return (link.get("href") or "").rsplit("/", 1)[-1]


def check_entries(feed: ET.Element, truth: Archive) -> list[str]:
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        found = truth.get(entry_id(entry))
        assert found is not None
        s = found.statement
        assert entry.findtext(f"{ATOM}title") == as_xml_text(s.title)
        assert entry.findtext(f"{ATOM}summary") == as_xml_text(s.lead)
        terms = [c.get("term") for c in entry.findall(f"{ATOM}category")]
        assert terms == [printable(t) for t in s.tags]
        ids.append(s.id)
    return ids


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text[:300]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    for row in rows:
        assert None not in row and len(row) == len(CSV_COLUMNS), row  # no cell spilled over
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values()), row
    return rows


def check_csv_titles(rows: list[dict[str, str]], truth: Archive) -> None:
    for row in rows:
        found = truth.get(row["id"])
        assert found is not None
        assert row["title"] in (found.statement.title, "'" + found.statement.title)
