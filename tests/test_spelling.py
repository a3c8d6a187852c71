"""Near spellings (spelling.py): a search without hits suggests the query with a misspelt
word respelt as the texts write it, in the script and case it was typed, with how many
statements that finds, and only when it finds some. Sentences written for these tests,
indexed by the real indexer and served for real."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from searcharchive.archive import Archive
from searcharchive.indexer import Indexer
from searcharchive.spelling import edits, respell_query, same_language, script_letters

from .conftest import write_jsonl
from .servers import serving

RECORDS: list[dict[str, object]] = [
    {
        "id": "trial-en",
        "lang": "en",
        "title": "Observers at the trial",
        "body": "Observers documented the trial of the journalist in the regional court.",
        "date": "2025-02-03",
    },
    {
        "id": "lawyers-en",
        "lang": "en",
        "title": "A demand of the lawyers",
        "body": "The lawyers demanded the release of every political prisoner.",
        "date": "2025-03-04",
    },
    {
        "id": "prisoners-be",
        "lang": "be",
        "title": "Вызваліць палітвязняў",
        "body": "Праваабаронцы зноў патрабуюць вызваліць усіх палітвязняў.",
        "date": "2025-04-05",
    },
    {
        "id": "court-ru",
        "lang": "ru",
        "title": "Освободить наблюдателей",
        "body": "Правозащитники требуют освободить наблюдателей, задержанных у здания суда.",
        "date": "2025-05-06",
    },
    {
        "id": "replaced-en",
        "lang": "en",
        "title": "A note that is rewritten",
        "body": "The first version mentions a crocodile.",
        "date": "2025-06-07",
    },
]
# the same statement rewritten: its first version's words remain in Whoosh's segment,
# deleted, until a merge; they must not be suggested
REWRITTEN = {**RECORDS[-1], "body": "The second version mentions a giraffe."}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spelling")
    index_dir = folder / "index"
    first = Indexer(index_dir).run([write_jsonl(folder / "first.jsonl", RECORDS)], rebuild=True)
    assert first.indexed == len(RECORDS) and not first.rejected
    second = Indexer(index_dir).run([write_jsonl(folder / "second.jsonl", [REWRITTEN])])
    assert second.updated == 1 and not second.rejected
    return index_dir


@pytest.fixture(scope="module")
def archive(index: Path) -> Archive:
    return Archive.open(index)


@pytest.fixture(scope="module")
def site(index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    log = tmp_path_factory.mktemp("spelling-server") / "server.log"
    with serving(index, log) as server:
        with httpx.Client(base_url=server.base, timeout=30) as client:
            yield client
        assert "Traceback" not in server.output()


def suggested(html: str) -> list[tuple[str, str, int]]:
    """The "Did you mean" suggestions of a page: (link, text, count)."""
    if 'class="suggestions"' not in html:
        return []
    block = html[html.index('class="suggestions"') : html.index("</ul>", html.index("suggestions"))]
    return [
        (unescape(url), unescape(text), int(count))
        for url, text, count in re.findall(r'<li><a href="([^"]*)">([^<]*)</a> \((\d+)', block)
        if "“" in unescape(text) or "«" in unescape(text)
    ]


def hits(html: str) -> int:
    return html.count('<li class="hit"')


@pytest.mark.parametrize(
    ("ui", "typed", "meant", "heading"),
    [
        ("en", "journalsit", "journalist", "Did you mean “journalist”?"),
        ("en", "Lawyrs demnded", "Lawyers demanded", "Did you mean “Lawyers demanded”?"),
        ("be", "палітвзняў", "палітвязняў", "Магчыма, вы мелі на ўвазе «палітвязняў»?"),
        ("ru", "набюдателей", "наблюдателей", "Возможно, вы имели в виду «наблюдателей»?"),
        ("ru", "ПРАВОЗАЩИНИКИ", "ПРАВОЗАЩИТНИКИ", "Возможно, вы имели в виду «ПРАВОЗАЩИТНИКИ»?"),
    ],
)
def test_a_misspelt_word_gets_a_near_spelling_that_finds_statements(
    site: httpx.Client, ui: str, typed: str, meant: str, heading: str
) -> None:
    page = site.get(f"/{ui}/", params={"q": typed}).text
    assert hits(page) == 0
    [(url, text, count)] = suggested(page)
    assert text == heading
    assert dict(parse_qsl(urlsplit(url).query)) == {"q": meant}
    assert url.startswith(f"/{ui}/?")
    found = site.get(url).text
    assert hits(found) == count > 0
    assert suggested(found) == []


def test_the_near_spelling_keeps_the_filters_and_the_exact_switch(site: httpx.Client) -> None:
    params = {"q": "journalsit", "exact": "1", "from": "2025-01-01", "lang": "en"}
    [(url, _text, count)] = suggested(site.get("/en/", params=params).text)
    assert dict(parse_qsl(urlsplit(url).query)) == {**params, "q": "journalist"}
    assert hits(site.get(url).text) == count == 1


def test_a_near_spelling_that_finds_nothing_under_the_filters_is_not_suggested(
    site: httpx.Client,
) -> None:
    # "journalist" is in a statement of February 2025 only
    page = site.get("/en/", params={"q": "journalsit", "from": "2025-03-01"}).text
    assert "No statement matches." in page
    assert suggested(page) == []


@pytest.mark.parametrize("query", ["journalist", "палітвязняў", "освободить", "Lawyers"])
def test_a_query_with_hits_gets_no_suggestion(site: httpx.Client, query: str) -> None:
    page = site.get("/en/", params={"q": query}).text
    assert hits(page) > 0 and 'class="suggestions"' not in page


@pytest.mark.parametrize("query", ["qxwzvkj", "жщхъфыв", "zzqqxx journalsit"])
def test_nonsense_gets_no_near_spelling(site: httpx.Client, query: str) -> None:
    page = site.get("/en/", params={"q": query}).text
    assert "No statement matches." in page
    assert suggested(page) == []


def test_words_only_a_replaced_version_had_are_not_suggested(archive: Archive) -> None:
    assert archive.near_spellings(["giraffa"]) == {"giraffa": ["giraffe"]}
    assert archive.near_spellings(["crocodila"]) == {}


def test_words_that_find_something_are_not_respelt(archive: Archive) -> None:
    # "journalists" finds "journalist" through its stem; "lawyer" likewise
    assert archive.near_spellings(["journalists", "lawyer", "journalsit"]) == {
        "journalsit": ["journalist"]
    }
    # in exact mode only the word as written finds something
    assert archive.near_spellings(["journalists"], exact=True) == {"journalists": ["journalist"]}


def test_a_suggestion_is_in_the_script_and_language_it_was_typed_in() -> None:
    assert script_letters("палітвязні")[1] == ("be", "ru")
    assert script_letters("journalist")[1] == ("en",)
    assert script_letters("Sieviaryniec")[1] == ("en",)
    assert script_letters("Cichanoŭskaja")[1] == ("be",)
    assert all(re.fullmatch("[a-z]+", e) for e in edits("court", script_letters("court")[0]))
    assert not same_language("палітвязні", "политвязні")
    assert not same_language("освободить", "освабодіть")
    assert same_language("палітвзняў", "палітвязняў")


def test_edits_are_every_word_one_edit_away() -> None:
    found = edits("abc", "abc")
    assert {"bc", "ac", "ab", "bac", "acb", "abcc", "aabc", "bbc", "abb"} <= found
    assert "abc" not in found and "cab" not in found
    assert len(edits("court", "abcdefghijklmnopqrstuvwxyz")) < 2 * 26 * 6 + 2 * 6


def test_a_word_is_respelt_in_the_case_it_was_typed() -> None:
    assert respell_query('title:Journalsit "journalsit court"', "journalsit", "journalist") == (
        'title:Journalist "journalist court"'
    )
    assert respell_query("JOURNALSIT -journalsitx", "journalsit", "journalist") == (
        "JOURNALIST -journalsitx"
    )


def test_the_benchmark_times_both_ways_on_a_real_index(
    index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench.spelling import main

    assert main(["--index", str(index), "--words", "8", "--distance-2", "1"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["words"] >= 5 and report["documents"] == len(RECORDS)
    assert report["speller_near"]["p50_ms"] > 0 and report["whoosh_terms_within_1"]["p50_ms"] > 0
    assert report["found_share"] >= 0.8  # one edit from a word of the index: found again
