"""Entity pages (web/entities.py): an organization, an article, a tag as pages of their own
— the search filtered by that value, newest first, with its years and the organizations,
articles and tags most often beside it — their JSON, and their links from other pages.

The statements of tests/test_facet_pages.py, indexed and served for real.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest

from searcharchive.citations import title_in
from searcharchive.tags import TagVocabulary
from searcharchive.web.entities import TOP_VALUES

from .servers import serving_records
from .test_facet_pages import ALL_TAGS, RECORDS, every, records, rows


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with serving_records(tmp_path_factory.mktemp("entities"), records()) as client:
        yield client


def ok(client: httpx.Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return response.text


def section(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}</h2>")
    return html[start : html.index("</section>", start)]


def bars(html: str) -> dict[str, int]:
    """The year histogram: label -> count."""
    found = re.findall(
        r'<span class="label">([^<]*)</span><meter[^>]*></meter><span class="count">([^<]*)<',
        section(html, "Years"),
    )
    return {label: int(count) for label, count in found}


def titles(html: str) -> list[str]:
    listing = html[html.index('<ol class="listing">') : html.index("</ol>")]
    return [unescape(t) for t in re.findall(r"<h3><a [^>]*>([^<]*)</a></h3>", listing)]


def test_all_tags_are_listed_with_counts_and_translated_labels(site: httpx.Client) -> None:
    html = ok(site, "/ru/tags/")
    assert "<h1>Теги</h1>" in html
    listed = {label: count for _, label, count, _ in rows(html)}
    label = TagVocabulary.builtin().label("political prisoners", "ru")
    assert listed[label] == str(every(3)) and listed["common"] == str(RECORDS)
    assert len(listed) == 1 + RECORDS + 2
    assert 'href="/ru/tags/political%20prisoners"' in html  # each tag's own page


def test_a_tag_page_is_the_search_for_it_newest_first_with_a_year_histogram(
    site: httpx.Client,
) -> None:
    html = ok(site, "/tags/political%20prisoners")
    api = site.get("/api/search", params={"tag": "political prisoners", "sort": "newest"}).json()
    assert f"{api['total']} statements" in html and api["total"] == every(3)
    assert titles(html) == [hit["title"] for hit in api["hits"]]
    years = {
        str(year): sum(1 for n in range(0, RECORDS, 3) if 2019 + n % 3 == year)
        for year in (2019, 2020, 2021)
    }
    assert bars(html) == {y: c for y, c in years.items() if c}
    # each year opens the search for the tag in that year
    assert 'href="/?tag=political+prisoners&amp;from=2019-01-01&amp;to=2019-12-31' in html


def test_an_organization_page_lists_what_is_most_often_beside_it(site: httpx.Client) -> None:
    html = ok(site, "/be/organizations/viasna")
    named = [n for n in range(RECORDS) if n % 4 == 1]
    assert f"{len(named)} заяў" in html or f"{len(named)} заявы" in html
    mentioned = section(html, "Згаданыя арганізацыі")
    assert 'href="/be/organizations/mhg"' in mentioned and "viasna" not in mentioned
    assert 'href="/be/tags/common"' in html and 'href="/be/articles/' in html
    for link in ("/be/feed.atom?mention=viasna", "/be/export.csv?mention=viasna"):
        assert link in html
    assert 'href="/be/api/entities/organizations/viasna"' in html  # its labels in Belarusian too


def test_an_article_page_names_its_code_title_and_parts(site: httpx.Client) -> None:
    for lang, prefix in (("en", ""), ("be", "/be"), ("ru", "/ru")):
        html = ok(site, f"{prefix}/articles/cc:342")
        title = title_in("cc:342", lang)
        assert title and f'<p class="entity-title">{title}</p>' in unescape(html)
        assert f'href="{prefix}/articles/cc"' in html  # its code
        assert f'href="{prefix}/articles/cc%3A342%3A1"' in html  # its part
    code = ok(site, "/articles/cc")
    assert 'href="/articles/cc%3A342"' in section(code, "Articles of the code")
    assert 'href="/articles/cc%3A130"' in section(code, "Articles of the code")
    part = ok(site, "/ARTICLES/cc:342:1".lower().replace("cc:342:1", "CC:342:1"))
    assert f"{every(3)} statements" in part  # any case: article ids are lower case


def test_entity_json_is_the_page_s_data(site: httpx.Client) -> None:
    data = site.get("/api/entities/tags/torture").json()
    assert data["entity"] == {
        "kind": "tags",
        "facet": "tag",
        "value": "torture",
        "label": "torture",
    }
    assert data["total"] == RECORDS // 2 and data["sort"] == "newest"
    dates = [hit["date"] for hit in data["hits"]]
    assert dates == sorted(dates, reverse=True)
    article = site.get("/api/entities/articles/cc:130", headers={"accept-language": "ru"}).json()
    assert article["total"] == every(5) and article["entity"]["value"] == "cc:130"
    schema = site.get("/api/openapi.json").json()
    assert "/api/entities/{kind}/{value}" in schema["paths"]


@pytest.mark.parametrize("prefix", ["/be", "/ru"])
def test_json_links_keep_the_page_s_language(site: httpx.Client, prefix: str) -> None:
    """A /be/ or /ru/ page links its JSON under the same prefix: the labels the JSON gives
    are those the page shows, whatever language the reader's browser asks for."""
    pages = ["/", "/?tag=political+prisoners", "/facets/tag", "/facets/article?parent=cc"]
    pages += ["/tags/political%20prisoners", "/organizations/viasna", "/articles/cc:342"]
    label = TagVocabulary.builtin().label("political prisoners", prefix.strip("/"))
    for path in pages:
        html = ok(site, prefix + path)
        links = [unescape(h) for h in re.findall(r'href="([^"]*/api/[^"]*)"', html)]
        json_links = [link for link in links if link != "/api/openapi.json"]
        assert json_links and all(link.startswith(f"{prefix}/api/") for link in json_links)
        data = site.get(json_links[0], headers={"accept-language": "en"}).json()
        labels = [v["label"] for v in data.get("values") or data["facets"].get("tag", [])]
        assert path.startswith("/facets/article") or label in labels, (path, labels)


def test_what_is_most_often_beside_an_entity_is_counted_in_its_statements(
    site: httpx.Client,
) -> None:
    """Of its own facet too: the tags beside a tag, the articles beside an article are
    counted in the entity's statements, not in the whole archive."""
    torture = site.get("/api/entities/tags/torture").json()  # the odd numbers
    tags = {v["value"]: v["count"] for v in torture["facets"]["tag"]}
    assert tags["common"] == torture["total"] == RECORDS // 2
    assert tags["political prisoners"] == len(range(3, RECORDS, 6))  # not every(3)
    html = ok(site, "/tags/torture")
    assert re.search(
        r'href="/tags/political%20prisoners">.*?<span class="count">'
        + str(len(range(3, RECORDS, 6)))
        + "<",
        section(html, "Tag"),
        re.S,
    )
    common = site.get("/api/entities/tags/common").json()  # every statement: every tag
    assert common["facet_totals"]["tag"] == ALL_TAGS and "tag" in common["facets_truncated"]
    assert len(common["facets"]["tag"]) == TOP_VALUES
    article = site.get("/api/entities/articles/cc:342").json()  # multiples of 3
    cited = {v["value"]: v["count"] for v in article["facets"]["article"]}
    assert cited["cao:24.23"] == every(12) and cited["cc:130"] == every(15)
    assert article["total"] == cited["cc:342"] == every(3)


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/organizations/no-such-group", "There is no organization with this identifier."),
        ("/be/organizations/no-such-group", "Няма арганізацыі з такім ідэнтыфікатарам."),
        ("/ru/articles/cc:999", "Нет статьи с таким идентификатором."),
        ("/be/tags/no%20such%20tag", "Тэга з такой назвай няма."),
    ],
)
def test_unknown_ids_answer_a_translated_404(site: httpx.Client, url: str, text: str) -> None:
    response = site.get(url)
    assert response.status_code == 404 and text in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "url", ["/api/entities/organizations/no-such-group", "/api/entities/people/anyone"]
)
def test_unknown_entities_answer_404_in_json(site: httpx.Client, url: str) -> None:
    response = site.get(url)
    assert response.status_code == 404 and "error" in response.json()


def test_facet_values_keep_their_toggle_and_link_their_page(site: httpx.Client) -> None:
    html = ok(site, "/")
    aside = html[html.index('<aside class="facets"') : html.index("</aside>")]
    assert 'href="/?tag=common"' in aside  # the filter toggle
    pages = [unescape(h) for h in re.findall(r'<a class="entity" href="([^"]*)"', aside)]
    assert "/tags/common" in pages and "/organizations/viasna" in pages
    assert "/articles/cc" in pages
    for page in pages:
        ok(site, page)


def test_a_statement_links_its_organizations_and_articles_pages(site: httpx.Client) -> None:
    html = ok(site, "/statements/facet-001")
    for page in ("/organizations/viasna", "/organizations/mhg"):
        assert f'class="entity" href="{page}"' in html
        ok(site, page)
    html = ok(site, "/statements/facet-000")
    assert 'class="entity" href="/articles/cc%3A342%3A1"' in html
    assert 'href="/?article=cc%3A342%3A1"' in html  # the search for it stays
