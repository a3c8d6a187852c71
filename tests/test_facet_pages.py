"""The facet page, /facets/{facet}: every value of a facet for a search, sorted, filtered
and paged, the article tree a level at a time; it lists what /api/facets/{facet} lists.

A real index of statements written here (many tags, articles of two codes), built by the
real Indexer and served by `searcharchive serve`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from searcharchive.tags import TagVocabulary

from .servers import serving_records

RECORDS = 45
LISTED = 12  # values a facet shows on the search page (links.SHOWN_VALUES)


def records() -> list[dict[str, object]]:
    out = []
    for n in range(RECORDS):
        articles = ["cc:342:1"] if n % 3 == 0 else []
        articles += ["cc:130"] if n % 5 == 0 else []
        articles += ["cao:24.23"] if n % 4 == 0 else []
        out.append(
            {
                "id": f"facet-{n:03d}",
                "lang": "en",
                "title": f"Statement number {n} about a picket",
                "body": f"The text of statement {n}: a picket, a fine, an appeal."
                + (" The court heard the case." if n % 2 else ""),
                "date": f"{2019 + n % 3}-{n % 12 + 1:02d}-02",
                # by Viasna (every 4th, from 1), naming the Moscow Helsinki Group too
                **(
                    {"authors": ["viasna"], "organizations": ["viasna", "mhg"]}
                    if n % 4 == 1
                    else {}
                ),
                "tags": [
                    "common",
                    f"topic {n:02d}",
                    *(["political prisoners"] if n % 3 == 0 else []),
                    *(["torture"] if n % 2 else []),
                ],
                "articles": articles,
            }
        )
    return out


ALL_TAGS = 1 + RECORDS + 2


def every(k: int) -> int:
    """How many of the statements have a number divisible by k."""
    return len(range(0, RECORDS, k))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("facet-pages")
    with serving_records(folder, records()) as client:
        yield client


ROW = re.compile(
    r'<li>\s*<a href="([^"]*)"[^>]*>.*?class="label">(.*?)</span>.*?'
    r'class="count">(.*?)</span>\s*</a>(?:\s*<a class="entity"[^>]*>.*?</a>)?'
    r'(?:\s*<a class="open" href="([^"]*)")?',
    re.S,
)


def rows(html: str) -> list[tuple[str, str, str, str]]:
    """(toggle URL, label, count, open URL) of each value the facet page lists."""
    if '<ul class="facet-values">' not in html:
        return []
    start = html.index('<ul class="facet-values">')
    block = html[start : html.index("</ul>", start)]
    return [tuple(unescape(part) for part in row) for row in ROW.findall(block)]  # type: ignore[misc]


def page(client: httpx.Client, url: str, **params: object) -> str:
    # (httpx would drop the URL's own query for an empty `params`)
    response = client.get(url, params=params) if params else client.get(url)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text[:500]
    return response.text


def show_all_link(html: str, key: str) -> str:
    found = re.findall(rf'<a class="all" href="(/(?:\w\w/)?facets/{key}[^"]*)">([^<]*)</a>', html)
    assert len(found) == 1, found
    return unescape(found[0][0])


def test_the_search_page_shows_the_top_tags_and_links_to_all_of_them(site: httpx.Client) -> None:
    html = page(site, "/", q="picket", lang="en")
    assert re.search(rf"Show all {ALL_TAGS}\b", html)
    url = show_all_link(html, "tag")
    assert ("q", "picket") in parse_qsl(urlsplit(url).query)  # the search is kept
    assert ("lang", "en") in parse_qsl(urlsplit(url).query)
    listed = rows(page(site, url))
    assert len(listed) == ALL_TAGS  # fewer than a page: all on one
    assert listed[0][1:3] == ("common", str(RECORDS))
    assert {label for _, label, _, _ in listed} >= {"topic 00", "topic 44", "torture"}
    toggle = dict(parse_qsl(urlsplit(listed[0][0]).query))
    assert toggle == {"q": "picket", "lang": "en", "tag": "common"}


def test_the_search_page_lists_the_first_values_of_the_full_listing(site: httpx.Client) -> None:
    """The page asks the archive only for the values it shows (and those tied with the
    last): 45 tags are tied at one statement past the third, and the page lists the
    same ones, in the same order, as the facet page that counts and labels them all."""
    html = page(site, "/", q="picket")
    section = html[html.index("<h3>Tag</h3>") :]
    section = section[: section.index("</section>")]
    shown = [unescape(label) for label in re.findall(r'class="label">(.*?)</span>', section)]
    listed = [label for _, label, _, _ in rows(page(site, show_all_link(html, "tag")))]
    assert len(shown) == LISTED
    assert shown == listed[:LISTED]
    assert shown[3:5] == ["topic 00", "topic 01"]  # the tie at one statement, by label


def test_a_facet_with_few_values_has_no_show_all_link(site: httpx.Client) -> None:
    html = page(site, "/")
    assert 'href="/facets/lang' not in html


def test_the_counts_follow_the_search(site: httpx.Client) -> None:
    listed = rows(page(site, "/facets/tag", q="court"))  # the odd statements
    counts = {label: int(count) for _, label, count, _ in listed}
    assert counts["common"] == counts["torture"] == RECORDS // 2
    assert "topic 00" not in counts and counts["topic 01"] == 1


def test_values_sort_a_to_z_or_by_count(site: httpx.Client) -> None:
    by_count = [int(count) for _, _, count, _ in rows(page(site, "/facets/tag"))]
    assert by_count == sorted(by_count, reverse=True) and by_count[0] == RECORDS
    labels = [label for _, label, _, _ in rows(page(site, "/facets/tag", sort="label"))]
    assert labels == sorted(labels, key=str.casefold) and labels[0] == "common"


def test_the_filter_box_matches_labels_in_the_ui_language_in_any_case(site: httpx.Client) -> None:
    vocabulary = TagVocabulary.builtin()
    be = vocabulary.label("political prisoners", "be")
    listed = rows(page(site, "/be/facets/tag", filter=be[2:6].upper()))
    assert [(label, count) for _, label, count, _ in listed] == [(be, str(every(3)))]
    assert rows(page(site, "/facets/tag", filter="TOPIC 4")) == rows(
        page(site, "/facets/tag", filter="topic 4")
    )
    assert len(rows(page(site, "/facets/tag", filter="topic 4"))) == 5  # 40…44


def test_a_long_listing_is_paged_and_every_value_appears_once(site: httpx.Client) -> None:
    seen: list[str] = []
    url: str | None = "/facets/tag?size=10&sort=label"
    while url:
        html = page(site, url)
        seen += [label for _, label, _, _ in rows(html)]
        following = re.search(r'<a href="([^"]*)" rel="next">', html)
        url = unescape(following.group(1)) if following else None
    assert len(seen) == len(set(seen)) == ALL_TAGS


@pytest.mark.parametrize("accept", ["en", "ru", "be"])
def test_json_and_html_list_the_same_values(site: httpx.Client, accept: str) -> None:
    """The page's JSON link keeps its language (/ru/api/…): the same labels, filtered and
    sorted the same, whatever language the reader's browser asks for."""
    html = page(site, "/ru/facets/tag", sort="label", filter="t", q="picket")
    json_url = unescape(re.findall(r'href="(/ru/api/facets/tag[^"]*)"', html)[0])
    data = site.get(json_url, headers={"accept-language": accept}).json()
    assert [(v["label"], str(v["count"])) for v in data["values"]] == [
        (label, count) for _, label, count, _ in rows(html)
    ]
    assert data["sort"] == "label" and data["filter"] == "t"


def test_the_article_tree_is_opened_a_level_at_a_time(site: httpx.Client) -> None:
    html = page(site, "/")
    aside = html[html.index('<aside class="facets"') : html.index("</aside>")]
    assert "Art. 342" not in aside  # codes only: no 3,600 px tree
    codes = rows(page(site, show_all_link(html, "article")))
    assert [label for _, label, _, _ in codes] == [
        "Criminal Code",
        "Code of Administrative Offences",
    ]
    criminal = codes[0]
    articles = rows(page(site, criminal[3]))
    assert [(label, count) for _, label, count, _ in articles] == [
        ("Criminal Code, Art. 342", str(every(3))),
        ("Criminal Code, Art. 130", str(every(5))),
    ]
    parts = rows(page(site, articles[0][3]))
    assert len(parts) == 1 and parts[0][1].startswith("Criminal Code, Art. 342, Part 1")
    assert parts[0][3] == ""  # nothing below a part
    selected = page(site, parts[0][0])  # the part selected on the search page
    aside = selected[selected.index('<aside class="facets"') : selected.index("</aside>")]
    assert "Art. 342, Part 1" in aside and "Art. 130" not in aside


def test_a_selected_value_is_marked_and_toggles_off(site: httpx.Client) -> None:
    listed = rows(page(site, "/facets/tag", tag="torture"))
    torture = next(row for row in listed if row[1] == "torture")
    assert dict(parse_qsl(urlsplit(torture[0]).query)) == {}
    html = page(site, "/facets/tag", tag="torture")
    assert 'class="selected" aria-current="true"' in html


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/facets/nope", 404, "There is no filter with this name."),
        ("/be/facets/nope", 404, "Няма фільтра з такой назвай."),
        ("/facets/year", 404, "There is no filter with this name."),
        ("/facets/tag?sort=sideways", 400, "'sort' must be count or label"),
        ("/facets/tag?page=x", 400, "must be a whole number"),
        ("/facets/tag?page=99999", 200, "No value matches."),
    ],
)
def test_bad_addresses_answer_a_page_in_the_reader_s_language(
    site: httpx.Client, url: str, status: int, text: str
) -> None:
    response = site.get(url)
    assert response.status_code == status
    assert text in unescape(response.text) and "Traceback" not in response.text
