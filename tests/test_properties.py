"""Hostile and broken input: the query parser, the citation grammar, the readers, the record
validation and the indexer never raise on anything, and nothing read is lost without a word.

Property tests run on real components (a real index on disk for searches, real files for the
readers); the corpus of bad files at the end goes through the CLI as a user would run it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from searcharchive.archive import Archive
from searcharchive.citations import extract_citations, find_citation_spans, parse_citation_query
from searcharchive.errors import RejectedRecord
from searcharchive.extraction import Extractor
from searcharchive.gazetteer import Gazetteer
from searcharchive.indexer import Indexer
from searcharchive.query import ParsedQuery, parse_query
from searcharchive.readers import SourceRecord, read_sources
from searcharchive.request import SearchRequest
from searcharchive.statement import Statement, statement_from_mapping

from .conftest import write_jsonl

ORGANIZATIONS = Gazetteer.builtin("organizations")
EXTRACTOR = Extractor.default()
HANG_GUARD = 120  # seconds: generous; only a catastrophic backtracking would reach it
URL_SAFE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,159}")


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------- strategies

SYNTAX = [
    '"', "'", "(", ")", ":", "::", "AND", "OR", "NOT", "and", "-", "+", "*", "?", "~", "~2",
    "^", "^3", "[", "]", "{", "}", "TO", "\\", "/", "«", "»", "„", "“", "”", "’", "title:",
    "person:", "org:", "article:", "tag:", "lang:", "text:", "date:", "article:cc:342",
    'article:"ч. 1 ст. 342 УК"', "org:viasna", "lang:be", "ч. 1 ст. 342 УК", "Art. 342 CC",
    "арт. 342 КК", "Article 23.34 of the Code of Administrative Offenses", "ст.", "ч.", "УК",
    "342", "23.34", "cc:342:1", "Северинец", "Севярынец", "Seviarynets", "Вясна", "Viasna",
    "sev*", "se*", "*", "**", "a*b", "\x00", "\x1b[2J", "\u202e", "\ufeff", "\u0301", "\u200b",
    "𝔘𝔫𝔦", "🙂", "\n", "\t", "\r\n", " ", "%s", "%(count)s", "{0}", "<script>", "&amp;",
]  # fmt: skip
syntax_soup = st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=6)), max_size=40)
query_text = st.one_of(
    st.text(max_size=300),  # any code point but surrogates: control chars, RTL marks, ...
    syntax_soup.map(" ".join),
    syntax_soup.map("".join),
    st.text(alphabet="\"():-*AND OR NOT ст.ч342УКйў'«»", max_size=200),
)
filter_values = st.lists(st.text(max_size=40), max_size=4)


# ---------------------------------------------------------------- the query parser and search


@examples(1000)
@given(text=query_text, exact=st.booleans())
def test_the_query_parser_never_raises(text: str, exact: bool) -> None:
    parsed = parse_query(text, ORGANIZATIONS, exact)
    assert isinstance(parsed, ParsedQuery)
    assert all(isinstance(str(note), str) for note in parsed.notes)


@examples(400)
@given(
    text=query_text,
    tags=filter_values,
    orgs=filter_values,
    articles=filter_values,
    exact=st.booleans(),
    sort=st.sampled_from(["", "relevance", "newest", "oldest"]),
    page=st.integers(min_value=-5, max_value=20_000),
    size=st.integers(min_value=-5, max_value=500),
)
def test_search_on_a_real_index_never_raises(
    archive: Archive,
    text: str,
    tags: list[str],
    orgs: list[str],
    articles: list[str],
    exact: bool,
    sort: str,
    page: int,
    size: int,
) -> None:
    request = SearchRequest(
        q=text,
        tags=tags,
        orgs=orgs,
        articles=articles,
        exact=exact,
        sort=sort,
        page=page,
        size=size,
    )
    result = archive.search(request)
    assert 0 <= len(result.hits) <= result.request.size <= 100
    assert result.total >= len(result.hits)
    json.dumps(result.to_json(), ensure_ascii=False)  # what the API sends


# ---------------------------------------------------------------- the citation grammar


@examples(1000)
@given(text=query_text)
def test_the_citation_grammar_never_raises(text: str) -> None:
    ids = extract_citations(text)
    assert all(isinstance(cid, str) and cid for cid in ids)
    for start, end, span_ids in find_citation_spans(text):
        assert 0 <= start <= end <= len(text) and span_ids
    assert isinstance(parse_citation_query(text), list)


# ---------------------------------------------------------------- the readers

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["id", "lang", "group", "title", "body", "date", "lead", "tags", "organizations"]
FIELDS += ["persons", "articles", "url", "translated_by", "translated_from"]
record_like = st.dictionaries(
    st.sampled_from(FIELDS),
    st.one_of(
        st.text(max_size=80),
        st.lists(st.text(max_size=20), max_size=3),
        json_values,
        st.sampled_from(["en", "be", "ru", "2020-07-10", "2020-07", "10 July 2020", "cc:342:1"]),
    ),
    max_size=len(FIELDS),
)
jsonl_text = st.lists(
    st.one_of(
        record_like.map(lambda r: json.dumps(r, ensure_ascii=False)),
        json_values.map(json.dumps),
        st.text(max_size=60),
    ),
    max_size=8,
).map("\n".join)
html_text = st.lists(
    st.one_of(
        st.sampled_from(
            ["<html>", "<head>", "<title>", "</title>", "<script>", "</script>", "<body>", "<p>"]
            + ["</p>", "<article>", "<div", ">", "<!--", "-->", "<![CDATA[", "&nbsp;", "&#0;"]
            + ['<meta name="date" content="2020-07-10">', "<html lang=be>", "</html>"]
        ),
        st.text(max_size=60),
    ),
    max_size=40,
).map("".join)
tag_page_text = st.lists(
    st.one_of(
        st.sampled_from(["\n", "\n\n", "\n\n\n", " \t\n", "Subscribe to RSS", "joint statement"]),
        st.sampled_from(["We use cookies", "Мы используем cookies", "\r\n", "\r"]),
        st.text(max_size=60),
    ),
    max_size=40,
).map("".join)
file_content = st.one_of(
    st.binary(max_size=2000),
    st.one_of(st.text(max_size=500), jsonl_text, html_text, tag_page_text).map(
        lambda text: text.encode("utf-8")
    ),
    jsonl_text.map(lambda text: text.encode("utf-8") + b"\n\xff\xfe\n"),  # a bad line inside
)
SUFFIXES = [".jsonl", ".json", ".ndjson", ".html", ".htm", ".txt", "", ".bin"]


@examples(300)
@given(content=file_content, suffix=st.sampled_from(SUFFIXES))
def test_the_readers_never_raise_and_every_rejection_has_a_reason(
    content: bytes, suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        items = list(read_sources([path]))
        assert items, "a file gave neither a record nor a rejection"
        for item in items:
            assert isinstance(item, SourceRecord | RejectedRecord)
            if isinstance(item, RejectedRecord):
                assert item.reason and item.source == str(path)
                json.dumps(item.as_json(), ensure_ascii=False)  # rejects.jsonl holds it


@pytest.mark.parametrize(
    "content", ["x", "joint statement\n", "joint statement\n\nSubscribe to RSS\n"]
)
def test_a_tag_page_without_statements_is_reported(tmp_path: Path, content: str) -> None:
    path = tmp_path / "export.txt"
    path.write_text(content, encoding="utf-8")
    assert list(read_sources([path])), "the file was silently read as nothing"


@examples(500)
@given(data=st.one_of(record_like, json_values))
@example(data={"id": "0", "title": "0", "lang": " "})  # a blank lang once stayed blank
def test_record_validation_only_ever_rejects_and_what_it_accepts_round_trips(data: Any) -> None:
    try:
        statement, given_fields = statement_from_mapping(data)
    except RejectedRecord as rejection:
        assert rejection.reason
        return
    statement = EXTRACTOR.enrich(statement, given_fields)
    assert URL_SAFE_ID.fullmatch(statement.id) and URL_SAFE_ID.fullmatch(statement.group)
    assert statement.lang in ("en", "be", "ru")
    stored = json.loads(json.dumps(statement.to_json(), ensure_ascii=False))
    assert Statement.from_json(stored).to_json() == statement.to_json()


# a title with no indexable word once broke the facet columns (kept as an explicit example)
PUNCTUATION_TITLE = (
    b'{"id": "a", "title": "!!!", "body": "b"}\n{"id": "b", "title": "W", "body": "w"}\n'
)


@examples(15)
@example(files=[(PUNCTUATION_TITLE, ".jsonl")])
@given(
    files=st.lists(
        st.tuples(file_content, st.sampled_from([".jsonl", ".html", ".txt", ""])),
        min_size=1,
        max_size=4,
    )
)
def test_the_indexer_accounts_for_every_record_it_reads(
    files: list[tuple[bytes, str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        sources = Path(folder) / "sources"
        sources.mkdir()
        for number, (content, suffix) in enumerate(files):
            (sources / f"file-{number}{suffix}").write_bytes(content)
        read = list(read_sources([sources]))
        index = Path(folder) / "index"
        report = Indexer(index).run([sources], rebuild=True)
        assert report.read == len(read)
        assert report.read == (
            report.indexed + report.updated + report.unchanged + len(report.rejected)
        )
        rejects = (index / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(rejects) == len(report.rejected)
        assert all(json.loads(line)["reason"] for line in rejects)
        if report.indexed:
            assert Archive.open(index).search(SearchRequest(size=1)).total >= 1


def test_a_statement_without_indexable_words_is_indexed(tmp_path: Path) -> None:
    records = [
        {"id": "punctuation", "lang": "en", "title": "!!!", "body": "Words in the body."},
        {"id": "words", "lang": "en", "title": "Words", "body": "Some words."},
    ]
    report = Indexer(tmp_path / "index").run([write_jsonl(tmp_path / "r.jsonl", records)])
    assert report.indexed == 2 and Archive.open(tmp_path / "index").get("punctuation")


# ---------------------------------------------------------------- 100 KB adversarial inputs

N = 100_000
ADVERSARIAL = {
    "article-words": "ст. " * (N // 4),
    "numbers-and-dots": "1." * (N // 2),
    "open-parens": "(" * N,
    "parts-lists": "ч. 1, " * (N // 6),
    "citations-back-to-back": "Article 342, " * (N // 13),
    "code-names": "УК " * (N // 3),
    "dots": "." * N,
    "quotes": '"' * N,
    "dashes": "- " * (N // 2),
    "blank-lines": "\n \n" * (N // 3),
    "month-names": "10 July мая ліпеня " * (N // 20),
    "mixed-syntax": '(title:"ст. 342 OR NOT -viasna* AND « ' * (N // 40),
    "one-long-word": "а" * N,
}


def _within_guard(function: Callable[[], object]) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(function).result(timeout=HANG_GUARD)


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_100kb_adversarial_inputs_complete(archive: Archive, name: str) -> None:
    text = ADVERSARIAL[name]

    def everything() -> None:
        extract_citations(text)
        parse_citation_query(text)
        parse_query(text, ORGANIZATIONS)
        archive.search(SearchRequest(q=text))
        try:
            statement, given_fields = statement_from_mapping({"title": text[:200], "body": text})
        except RejectedRecord:
            pass  # all blank: rejected, as it should be
        else:
            EXTRACTOR.enrich(statement, given_fields)
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "page.txt").write_text("tag\n\n\n" + text, encoding="utf-8")
            (Path(folder) / "page.html").write_text(f"<html><p>{text}</p></html>", "utf-8")
            write_jsonl(Path(folder) / "r.jsonl", [{"title": "t", "body": text}])
            list(read_sources([folder]))

    _within_guard(everything)


# ---------------------------------------------------------------- a corpus of bad files, via the CLI

GOOD = [
    {"id": f"good-{n}", "lang": "en", "title": f"Good statement {n}", "body": f"Viasna {n}."}
    for n in range(5)
]
SUMMARY = re.compile(r"read (\d+), indexed (\d+), updated (\d+), unchanged (\d+), rejected (\d+)")


def bad_corpus(folder: Path) -> dict[str, str]:
    """Write the corpus; returns each bad file's name and a word its rejection reason holds."""
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", GOOD)
    (folder / "binary.jsonl").write_bytes(b'{"id": "x", "title": "t"}\n\x00\x01\x02\xff' * 50)
    (folder / "blob").write_bytes(bytes(range(256)) * 16)
    (folder / "invalid-utf8.jsonl").write_bytes(
        b'{"id": "bad-utf8", "title": "caf\xe9", "body": "x"}\n'
        + json.dumps({"id": "after-bad-line", "title": "After", "body": "ok"}).encode()
        + b"\n"
    )
    with (folder / "huge-line.jsonl").open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "huge", "title": "Huge", "body": "x" * 50_000_000}) + "\n")
    (folder / "nested.jsonl").write_text(
        "[" * 100_000 + "]" * 100_000 + "\n" + '{"a":' * 50_000 + "1" + "}" * 50_000 + "\n"
    )
    (folder / "scripts.html").write_text(
        "<html><head><script>var a = 1;</script></head><body>"
        + "<script>document.write('x')</script>" * 100
        + "</body></html>"
    )
    write_jsonl(
        folder / "duplicates.jsonl",
        [
            {"id": "dup", "title": "First", "body": "first body"},
            {"id": "dup", "title": "Second", "body": "second body"},
            {"id": "dup", "title": "First", "body": "first body"},
        ],
    )
    (folder / "empty.jsonl").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\n\t\n")
    (folder / "not-objects.jsonl").write_text('[1, 2]\n"a string"\n42\nnull\ntrue\n{}\n')
    (folder / "bad-fields.jsonl").write_text(
        '{"id": "../../etc/passwd", "title": "t", "body": "b"}\n'
        '{"title": 5, "body": ["x"]}\n{"title": "t", "lang": "xx"}\n'
        '{"title": "t", "date": "the 45th of Nevember"}\n'
    )
    (folder / "malformed.jsonl").write_text('{"id": "m1", "title": "unterminated\n{not json}\n')
    return {
        "binary.jsonl": "binary",
        "blob": "binary",
        "invalid-utf8.jsonl": "UTF-8",
        "huge-line.jsonl": "longer than",
        "nested.jsonl": "nested too deeply",
        "scripts.html": "no main text",
        "duplicates.jsonl": "duplicate id",
        "empty.jsonl": "empty",
        "blank.txt": "empty",
        "not-objects.jsonl": "JSON object",
        "bad-fields.jsonl": "",
        "malformed.jsonl": "malformed JSON",
    }


def test_a_corpus_of_bad_files_is_fully_accounted_for(tmp_path: Path) -> None:
    expected = bad_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    result = subprocess.run(
        [sys.executable, "-m", "searcharchive", "index", str(tmp_path / "corpus")]
        + ["--index", str(index)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr  # 1: something was rejected
    assert "Traceback" not in result.stdout + result.stderr
    print(f"\nFIGURE bad corpus: {SUMMARY.search(result.stdout).group(0)}")  # type: ignore[union-attr]
    read, indexed, updated, unchanged, rejected = map(int, SUMMARY.search(result.stdout).groups())  # type: ignore[union-attr]
    assert read == indexed + updated + unchanged + rejected

    rejects = [
        json.loads(line) for line in (index / "rejects.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(rejects) == rejected
    assert all(r["reason"] and r["source"] and ("line" in r or "element" in r) for r in rejects)
    by_file: dict[str, list[str]] = {}
    for r in rejects:
        by_file.setdefault(Path(r["source"]).name, []).append(r["reason"])
    for name, word in expected.items():
        assert name in by_file, f"{name} was neither indexed nor rejected"
        assert any(word in reason for reason in by_file[name]), (name, by_file[name])
    assert len(by_file["not-objects.jsonl"]) == 6 and len(by_file["bad-fields.jsonl"]) == 4

    archive = Archive.open(index)
    good_ids = [r["id"] for r in GOOD] + ["after-bad-line", "dup"]
    assert all(archive.get(statement_id) for statement_id in good_ids)
    assert indexed == len(good_ids) and unchanged == 1  # the repeated, identical "dup"
    found = archive.get("dup")
    assert (
        found and found.statement.title == "First"
    )  # the first version wins, the other is reported
    assert archive.search(SearchRequest(size=100)).total == indexed

    hits = archive.search(SearchRequest(size=100)).hits
    assert all(URL_SAFE_ID.fullmatch(hit.statement.id) for hit in hits)
