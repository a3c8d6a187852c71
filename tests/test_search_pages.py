"""The search and statement pages over HTTP (issue 14): paging, dates that cannot be
applied, the active filters, the undated bar, a statement read from a search, summaries."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from searcharchive.archive import Archive
from searcharchive.citations import citation_label
from searcharchive.dates import PartialDate
from searcharchive.facet_table import SELECTABLE, Facet
from searcharchive.i18n import format_partial_date
from searcharchive.request import SearchRequest

from .reading_corpus import (
    CITED,
    CITING,
    DATED,
    DATELINE_LEAD,
    DATELINE_SUMMARY,
    SCRIPT_SOURCE,
    SOURCE,
    TAG,
    TRANSLATED_BE,
    TRANSLATED_EN,
    UNDATED,
    build_reading_index,
)

LANGS = ("en", "be", "ru")


@pytest.fixture(scope="module")
def reading_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_reading_index(tmp_path_factory.mktemp("reading"))


@pytest.fixture(scope="module")
def client(reading_index: Path) -> Iterator[httpx.Client]:
    from .servers import running_server

    with running_server(reading_index) as base:
        with httpx.Client(base_url=base, timeout=30) as client:
            yield client


@pytest.fixture(scope="module")
def archive(reading_index: Path) -> Archive:
    return Archive.open(reading_index)


def hrefs(html: str, css_class: str) -> list[str]:
    """The links inside the first element with this class."""
    start = html.index(f'class="{css_class}"')
    end = html.index("</nav>", start)
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html[start:end])]


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


# --- paging --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_pager_says_page_x_of_n_and_links_first_and_last(
    client: httpx.Client, archive: Archive, lang: str
) -> None:
    total = archive.search(SearchRequest(tags=[TAG])).total
    pages = -(-total // 4)
    assert pages >= 5
    html = client.get(f"/{lang}/", params={"tag": TAG, "size": "4", "page": "3"}).text
    phrase = {"en": "Page 3 of {n}", "be": "Старонка 3 з {n}", "ru": "Страница 3 из {n}"}[lang]
    assert phrase.format(n=pages) in html
    links = hrefs(html, "pager")
    first = {"en": "First", "be": "Першая", "ru": "Первая"}[lang]
    last = {"en": "Last", "be": "Апошняя", "ru": "Последняя"}[lang]
    assert re.search(rf'<a href="[^"]*">{first}</a>', html)
    last_url = unescape(re.search(rf'<a href="([^"]*)">{last}</a>', html).group(1))  # type: ignore[union-attr]
    assert ("page", str(pages)) in query_of(last_url) and ("tag", TAG) in query_of(last_url)
    assert any("page" not in dict(query_of(h)) for h in links)  # "First" is page 1


def test_the_last_and_first_pages_have_no_link_to_themselves(client: httpx.Client) -> None:
    html = client.get("/en/", params={"tag": TAG, "size": "4"}).text
    assert ">First</a>" not in html and ">Last</a>" in html
    last = unescape(re.search(r'<a href="([^"]*)">Last</a>', html).group(1))  # type: ignore[union-attr]
    at_end = client.get(last).text
    assert ">Last</a>" not in at_end and ">First</a>" in at_end


@pytest.mark.parametrize("path", ["/en/", f"/en/tags/{TAG.replace(' ', '%20')}"])
def test_a_page_past_the_end_leads_to_the_last_page(
    client: httpx.Client, archive: Archive, path: str
) -> None:
    total = archive.search(SearchRequest(tags=[TAG])).total
    pages = -(-total // 4)
    response = client.get(path, params={"tag": TAG, "size": "4", "page": "500"})
    assert response.status_code == 303
    target = response.headers["location"]
    assert ("page", str(pages)) in query_of(target)
    landed = client.get(target)
    assert landed.status_code == 200
    assert landed.text.count('class="hit"') + landed.text.count("<li lang=") >= 1


def test_an_empty_search_past_the_end_is_not_redirected(client: httpx.Client) -> None:
    response = client.get("/en/", params={"q": "zzzqqqnothing", "page": "7"})
    assert response.status_code == 200
    assert "No statement matches" in response.text


# --- dates ----------------------------------------------------------------------------

REVERSED = {
    "en": "The “from” date is after the “to” date",
    "be": "Дата «з» пазней за дату «па»",
    "ru": "Дата «с» позже даты «по»",
}


@pytest.mark.parametrize("lang", LANGS)
def test_reversed_dates_keep_the_search_and_say_why_beside_the_dates(
    client: httpx.Client, archive: Archive, lang: str
) -> None:
    params = {"q": "volunteer", "tag": TAG, "from": "2025-01-01", "to": "2024-01-01"}
    response = client.get(f"/{lang}/", params=params)
    assert response.status_code == 200
    html = response.text
    assert 'value="volunteer"' in html and f'name="tag" value="{TAG}"' in html
    problem = re.search(r'<span class="date-problem" id="date-problems"[^>]*>([^<]*)<', html)
    assert problem and REVERSED[lang] in problem.group(1)
    # beside the date fields: inside the same group, after the "to" field
    group = html[html.index('class="option dates"') : html.index("</form>")]
    assert group.index('id="to"') < group.index('id="date-problems"')
    assert 'value="2025-01-01" aria-invalid="true"' in group  # what the reader typed stays
    total = archive.search(SearchRequest(q="volunteer", tags=[TAG])).total
    assert f">{total} " in html.split('id="results-heading"')[1][:40]


@pytest.mark.parametrize("lang", LANGS)
def test_a_date_that_is_not_one_is_named_and_the_other_date_applies(
    client: httpx.Client, archive: Archive, lang: str
) -> None:
    params = {"tag": TAG, "from": "yesterday", "to": "2024-06-30"}
    html = client.get(f"/{lang}/", params=params).text
    assert "“yesterday”" in html or "«yesterday»" in html
    to = datetime(2024, 6, 30).date()
    total = archive.search(SearchRequest(tags=[TAG], date_to=to)).total
    assert total < archive.search(SearchRequest(tags=[TAG])).total
    assert f">{total} " in html.split('id="results-heading"')[1][:40]


@pytest.mark.parametrize("route", ["/api/search", "/feed.atom", "/export.csv"])
@pytest.mark.parametrize("dates", [("2025-01-01", "2024-01-01"), ("yesterday", "")])
def test_the_api_feed_and_csv_still_refuse_bad_dates(
    client: httpx.Client, route: str, dates: tuple[str, str]
) -> None:
    response = client.get(route, params={"from": dates[0], "to": dates[1]})
    assert response.status_code == 400


# --- active filters -------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_active_filters_bar_removes_one_filter_at_a_time(
    client: httpx.Client, lang: str
) -> None:
    params = [
        ("q", "volunteer"),
        ("tag", TAG),
        ("lang", "en"),
        ("from", "2024-01-01"),
        ("undated", "1"),
        ("exact", "1"),
    ]
    html = client.get(f"/{lang}/", params=params).text
    bar = html[
        html.index('class="active-filters"') : html.index("</nav>", html.index("active-filters"))
    ]
    assert bar.count("×") == 5  # tag, language, from, undated, exact
    links = [unescape(h) for h in re.findall(r'href="([^"]*)"', bar)]
    removes, clear = links[:-1], links[-1]
    asked = set(params)
    for url, removed in zip(removes, [p for p in params if p[0] != "q"], strict=True):
        left = set(query_of(url))
        assert removed not in left, (url, removed)
        assert ("q", "volunteer") in left
        assert asked - {removed} - left == set(), (url, removed)
    assert query_of(clear) == [("q", "volunteer")]
    # the bar comes before the first result; a phone's link to the filters counts them
    label = {"en": "Filters (5 active)", "be": "Фільтры (5 актыўных)", "ru": "Фильтры (5 активных)"}
    assert label[lang] in html


def test_no_active_filters_no_bar(client: httpx.Client) -> None:
    html = client.get("/en/", params={"q": "volunteer"}).text
    assert 'class="active-filters"' not in html and "active)" not in html


def test_a_filter_label_is_its_facet_label(client: httpx.Client) -> None:
    html = client.get("/ru/", params={"lang": "en", "org": "viasna"}).text
    bar = html[html.index('class="active-filters"') :]
    bar = bar[: bar.index("</nav>")]
    assert "Английский" in bar or "английский" in bar
    assert "viasna" not in re.sub(r'href="[^"]*"', "", bar)  # a name, not the id


# --- the undated bar -------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_undated_bar_counts_and_selects_undated_statements(
    client: httpx.Client, lang: str
) -> None:
    html = client.get(f"/{lang}/", params={"tag": TAG}).text
    facets = html[html.index('class="facets"') :]
    assert facets.index('class="histogram"') < facets.index("<h3>", facets.index("</section>"))
    bar = re.search(r'<li class="undated"><a href="([^"]*)"[^>]*>.*?class="count">(\d+)<', facets)
    assert bar and int(bar.group(2)) == UNDATED
    years = [int(c) for c in re.findall(r'class="count">(\d+)</span></a></li>', facets)]
    assert sum(years) == DATED + UNDATED  # every statement is under a bar
    url = unescape(bar.group(1))
    assert ("undated", "1") in query_of(url)
    selected = client.get(url).text
    heading = selected.split('id="results-heading"')[1][:40]
    assert f">{UNDATED} " in heading
    hits = selected[selected.index('<ol class="hits">') :]
    undated_word = {"en": "undated", "be": "без даты", "ru": "без даты"}[lang]
    assert hits.count("<time>") == min(UNDATED, 10)
    assert undated_word in hits
    off = re.search(r'<li class="undated"><a href="([^"]*)" aria-current="true"', selected)
    assert off and ("undated", "1") not in query_of(unescape(off.group(1)))


def test_a_year_bar_drops_the_undated_choice(client: httpx.Client) -> None:
    html = client.get("/en/", params={"tag": TAG, "undated": "1"}).text
    facets = html[html.index('class="histogram"') :]
    year = re.search(r'<li><a href="([^"]*)"><span class="label">2024<', facets)
    assert year and "undated" not in unescape(year.group(1))


@pytest.mark.parametrize(
    "params",
    [{"tag": TAG}, {"tag": TAG, "from": "2025-01-01"}, {"q": "volunteer"}, {"q": "Seviarynets"}],
)
def test_the_json_of_a_search_counts_the_undated_as_the_page_s_bar(
    client: httpx.Client, params: dict[str, str]
) -> None:
    """/api/search gives `undated`: what the HTML date chart's undated bar counts (every
    filter but the dates), and what undated=1 finds."""
    html = client.get("/", params=params).text
    bar = re.search(r'<li class="undated"><a [^>]*>.*?class="count">(\d+)<', html)
    data = client.get("/api/search", params=params).json()
    assert data["undated"] == (int(bar.group(1)) if bar else 0)
    undated = {k: v for k, v in params.items() if k not in ("from", "to")}
    found = client.get("/api/search", params={**undated, "undated": "1"}).json()
    assert found["total"] == data["undated"]
    assert data["undated"] == (UNDATED if "tag" in params or params["q"] == "volunteer" else 0)


# --- a statement read from a search ----------------------------------------------------


def test_the_source_is_a_link_that_opens_nothing_of_ours(client: httpx.Client) -> None:
    html = client.get(f"/en/statements/{TRANSLATED_EN}").text
    link = re.search(r'<p class="source">[^<]*<a href="([^"]*)" rel="([^"]*)"', html)
    assert link and unescape(link.group(1)) == SOURCE
    assert set(link.group(2).split()) == {"noopener", "noreferrer", "nofollow"}


def test_a_source_that_is_not_a_web_address_is_only_text(client: httpx.Client) -> None:
    html = client.get(f"/en/statements/{TRANSLATED_BE}").text
    source = html[html.index('<p class="source">') :]
    source = source[: source.index("</p>")]
    assert "<a " not in source and unescape(source).count(SCRIPT_SOURCE) == 1


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("en", "Translated by the archive from Belarusian."),
        ("be", "Пераклад архіва з беларускай мовы."),
        ("ru", "Перевод архива с белорусского языка."),
    ],
)
def test_a_translation_says_from_which_language(
    client: httpx.Client, lang: str, phrase: str
) -> None:
    assert phrase in client.get(f"/{lang}/statements/{TRANSLATED_EN}").text
    assert phrase not in client.get(f"/{lang}/statements/{TRANSLATED_BE}").text


def search_hit(archive: Archive, place: int) -> str:
    request = SearchRequest(q="volunteer", tags=[TAG], sort="oldest", page=place, size=1)
    return archive.search(request).hits[0].statement.id


def test_hits_link_to_their_statement_with_the_search(
    client: httpx.Client, archive: Archive
) -> None:
    html = client.get(
        "/en/", params={"q": "volunteer", "tag": TAG, "sort": "oldest", "page": "2"}
    ).text
    first = re.search(r'<li class="hit"[^>]*>\s*<h3><a href="([^"]*)"', html)
    assert first
    url = unescape(first.group(1))
    assert urlsplit(url).path == f"/en/statements/{search_hit(archive, 11)}"
    assert ("hit", "11") in query_of(url) and ("q", "volunteer") in query_of(url)


@pytest.mark.parametrize("lang", LANGS)
def test_a_statement_from_a_search_marks_its_words_and_leads_on(
    client: httpx.Client, archive: Archive, lang: str
) -> None:
    here = search_hit(archive, 3)
    params = {"q": "volunteer", "tag": TAG, "sort": "oldest", "hit": "3"}
    html = client.get(f"/{lang}/statements/{here}", params=params).text
    article = html[html.index("<article") : html.index("</article>")]
    assert "<mark>volunteer</mark>" in article
    nav = html[html.index('class="in-search"') :]
    nav = nav[: nav.index("</nav>")]
    previous = unescape(re.search(r'<a href="([^"]*)" rel="prev"', nav).group(1))  # type: ignore[union-attr]
    following = unescape(re.search(r'<a href="([^"]*)" rel="next"', nav).group(1))  # type: ignore[union-attr]
    assert urlsplit(previous).path == f"/{lang}/statements/{search_hit(archive, 2)}"
    assert urlsplit(following).path == f"/{lang}/statements/{search_hit(archive, 4)}"
    assert ("hit", "2") in query_of(previous) and ("hit", "4") in query_of(following)
    back = unescape(re.search(r'<a href="([^"]*)"', nav).group(1))  # type: ignore[union-attr]
    assert ("q", "volunteer") in query_of(back) and "hit" not in dict(query_of(back))
    plain = client.get(f"/{lang}/statements/{here}").text
    assert "<mark>" not in plain and 'class="in-search"' not in plain


def test_the_first_hit_has_no_previous_and_the_last_no_next(
    client: httpx.Client, archive: Archive
) -> None:
    total = archive.search(SearchRequest(q="volunteer", tags=[TAG])).total
    first = client.get(
        f"/en/statements/{search_hit(archive, 1)}",
        params={"q": "volunteer", "tag": TAG, "sort": "oldest", "hit": "1"},
    ).text
    assert 'rel="next"' in first and 'rel="prev"' not in first.split("in-search")[1][:900]
    last = client.get(
        f"/en/statements/{search_hit(archive, total)}",
        params={"q": "volunteer", "tag": TAG, "sort": "oldest", "hit": str(total)},
    ).text
    nav = last[last.index('class="in-search"') :]
    assert (
        'rel="prev"' in nav[: nav.index("</nav>")]
        and 'rel="next"' not in nav[: nav.index("</nav>")]
    )


def test_a_statement_url_with_a_bad_search_still_shows_the_statement(client: httpx.Client) -> None:
    response = client.get(
        f"/en/statements/{TRANSLATED_EN}", params={"hit": "x", "from": "nope", "sort": "up"}
    )
    assert response.status_code == 200 and 'class="in-search"' not in response.text


@pytest.mark.parametrize("lang", LANGS)
def test_cite_this_names_title_organizations_date_permalink_and_access_date(
    client: httpx.Client, lang: str
) -> None:
    html = client.get(f"/{lang}/statements/{TRANSLATED_EN}", params={"q": "x", "hit": "1"}).text
    cite = html[html.index('class="cite"') :]
    cite = unescape(re.sub(r"<[^>]+>", "", cite[: cite.index("</section>")]))
    assert "“Volunteer sentenced after a closed hearing”" in cite
    assert "Viasna" in cite or "Вясна" in cite or "Весна" in cite
    assert format_partial_date(PartialDate(2025, 8, 2), lang, "") in cite
    base = str(client.base_url).rstrip("/")
    assert f"{base}/{lang}/statements/{TRANSLATED_EN} (" in cite  # no search in a permalink
    today = datetime.now(UTC).date()
    assert format_partial_date(PartialDate(today.year, today.month, today.day), lang, "") in cite


# --- summaries and the articles a query asked for --------------------------------------


def test_a_lead_skips_a_dateline_and_a_subtitle(client: httpx.Client) -> None:
    found = client.get(f"/api/statements/{DATELINE_LEAD}").json()["statement"]
    assert found["lead"] == DATELINE_SUMMARY
    assert found["date"] == "2026-06-13"  # the dateline is still the date


def test_an_article_query_marks_the_article_it_asked_for(client: httpx.Client) -> None:
    """`article:` is read by the query parser; the hit's list of articles shows it bold."""
    html = client.get("/en/", params={"q": "article:cc:342"}).text
    cited = re.findall(r'<ul class="cited"[^>]*>\s*<li><a href="[^"]*">(<strong>)?', html)
    assert cited == ["<strong>"]


# --- a search that explains itself ------------------------------------------------------


def read_as(html: str) -> str:
    start = html.index('<p class="read-as">')
    return html[start : html.index("</p>", start)]


@pytest.mark.parametrize("lang", LANGS)
def test_a_citation_query_says_how_it_was_read_and_offers_the_whole_article(
    client: httpx.Client, lang: str
) -> None:
    line = read_as(client.get(f"/{lang}/", params={"q": "ч. 1 ст. 342 УК"}).text)
    assert f"<strong>{citation_label(CITED, lang)}</strong>" in line
    whole = re.search(r'<a href="([^"]*)">', line)
    assert whole and citation_label("cc:342", lang) in line
    assert query_of(unescape(whole.group(1))) == [("q", "article:cc:342")]
    found = client.get(unescape(whole.group(1))).text
    assert 'class="hit"' in found


def test_an_article_inside_a_longer_query_is_read_too(client: httpx.Client) -> None:
    line = read_as(client.get("/en/", params={"q": "hearing article:cc:342"}).text)
    assert "<strong>hearing</strong> + <strong>Criminal Code, Art. 342</strong>" in line
    assert "<a " not in line  # a whole article already


def test_other_spellings_matched_are_named_under_the_box(client: httpx.Client) -> None:
    line = read_as(client.get("/en/", params={"q": "Seviarynets"}).text)
    assert "<mark>Севярынец</mark>" in line
    plain = client.get("/en/", params={"q": "volunteer"}).text
    assert 'class="read-as"' not in plain


def suggestions_of(html: str) -> list[tuple[str, str]]:
    if 'class="suggestions"' not in html:
        return []
    block = html[html.index('class="suggestions"') : html.index("</ul>", html.index("suggestions"))]
    return [
        (unescape(url), text)
        for url, text in re.findall(r'<li>(?:<a href="([^"]*)">)?([^<(]*)', block)
    ]


def test_no_hits_without_filters_suggests_no_filter_change(client: httpx.Client) -> None:
    html = client.get("/en/", params={"q": "volunteer zzqqxx"}).text
    assert "No statement matches." in html
    assert suggestions_of(html) == [("", "Try fewer words.")]
    assert "remove a filter" not in html.lower() and "Remove the filters" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # "volunteers" is in no text as typed; from 2026 only the dateline statement, which
        # has "volunteer" (a near spelling, test_spelling.py)
        (
            {"q": "volunteers", "exact": "1", "tag": TAG, "from": "2026-01-01"},
            ["Возможно, вы имели в виду «volunteer»?", "Искать и другие написания и формы слов"],
        ),
        ({"q": "Seviarynets", "tag": TAG}, ["Убрать фильтры"]),
        ({"q": "volunteer", "from": "2027-01-01"}, ["Искать за все даты"]),
        # neither change alone finds the Cyrillic-only statement outside the tag
        ({"q": "Seviarynets", "exact": "1", "tag": TAG}, ["Искать без всех этих ограничений"]),
        # every facet of the table is cleared, the person filter too
        (
            {"q": "Seviarynets", "exact": "1", "person": "nobody"},
            ["Искать без всех этих ограничений"],
        ),
    ],
)
def test_no_hits_suggests_only_changes_that_give_hits(
    client: httpx.Client, params: dict[str, str], expected: list[str]
) -> None:
    html = client.get("/ru/", params=params).text
    assert "Нет заявлений, соответствующих поиску." in html
    found = suggestions_of(html)
    assert [text.strip() for _url, text in found] == expected
    for url, _text in found:
        assert 'class="hit"' in client.get(url).text, url


def clear_all_link(html: str) -> str | None:
    tools = html[
        html.index('<p class="tools">') : html.index("</p>", html.index('<p class="tools">'))
    ]
    found = re.search(r'<a href="([^"]*)">Clear all</a>', tools)
    return unescape(found.group(1)) if found else None


@pytest.mark.parametrize(
    "params",
    [{facet.param: "en" if facet.name == "lang" else "anything"} for facet in SELECTABLE]
    + [{"q": "volunteer"}, {"from": "2024-01-01"}, {"to": "2024-01-01"}]
    + [{"undated": "1"}, {"exact": "1"}],
    ids=lambda params: next(iter(params)),
)
def test_clear_all_is_offered_for_every_filter_of_the_facet_table(
    client: httpx.Client, params: dict[str, str]
) -> None:
    html = client.get("/be/", params=params).text
    assert clear_all_link(html.replace("Скінуць усё", "Clear all")) == "/be/"


@pytest.mark.parametrize("facet", SELECTABLE, ids=lambda facet: facet.name)
def test_a_new_search_from_the_box_keeps_every_facet_s_values(
    client: httpx.Client, facet: Facet
) -> None:
    """The box's form carries the chosen values of every facet of the table (the active
    filters bar shows them): a new facet cannot be left out."""
    value = "en" if facet.name == "lang" else "some value"
    html = client.get("/ru/", params={"q": "volunteer", facet.param: value}).text
    form = html[html.index('<form class="search"') : html.index("</form>")]
    assert f'<input type="hidden" name="{facet.param}" value="{value}">' in form


def test_clear_all_is_not_offered_when_there_is_nothing_to_clear(client: httpx.Client) -> None:
    assert clear_all_link(client.get("/", params={"sort": "newest"}).text) is None


def test_no_hits_never_suggests_a_change_that_finds_nothing(client: httpx.Client) -> None:
    params = {"q": "zzqqxx", "exact": "1", "tag": TAG, "from": "2026-01-01"}
    html = client.get("/en/", params=params).text
    assert "No statement matches." in html and suggestions_of(html) == []


# --- CSV ------------------------------------------------------------------------------


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("lang", "language", "organization"),
    [
        ("en", "English", 'Human Rights Centre "Viasna"'),
        ("be", "англійская", "Праваабарончы цэнтр «Вясна»"),
        ("ru", "английский", "Правозащитный центр «Весна»"),
    ],
)
def test_csv_names_values_in_the_readers_language_beside_the_ids(
    client: httpx.Client, archive: Archive, lang: str, language: str, organization: str
) -> None:
    rows = csv_rows(client.get(f"/{lang}/export.csv", params={"article": "cc:342"}))
    assert [r["id"] for r in rows] == [f"court-watch-{CITING:02d}"]
    row = rows[0]
    assert row["articles"] == CITED and row["article_labels"] == citation_label(CITED, lang)
    assert row["organizations"] == "viasna" and row["organization_names"] == organization
    assert row["language"].lower() == language.lower()
    assert row["tags"] == TAG and row["tag_labels"]
    found = archive.get(row["id"])
    assert found and row["lead"] == found.statement.lead and row["lead"]


def test_csv_lead_is_the_summary(client: httpx.Client) -> None:
    rows = csv_rows(client.get("/en/export.csv", params={"q": "Hrodna"}))
    assert {r["id"]: r["lead"] for r in rows}[DATELINE_LEAD] == DATELINE_SUMMARY


@pytest.mark.parametrize(
    ("params", "stem"),
    [
        ({"article": "cc:342"}, "statements-cc-342"),
        ({}, "statements"),
        ({"q": "volunteer", "tag": TAG}, "statements-volunteer-court-watch"),
        ({"lang": "be", "from": "2025-01-01"}, "statements-be-from-2025-01-01"),
    ],
)
def test_csv_file_name_says_what_it_holds(
    client: httpx.Client, params: dict[str, str], stem: str
) -> None:
    response = client.get("/en/export.csv", params=params)
    disposition = response.headers["content-disposition"]
    today = datetime.now(UTC).date().isoformat()
    assert disposition == f'attachment; filename="{stem}-{today}.csv"'


# --- tags in the reader's language ----------------------------------------------------

JOINT = {"en": "joint statement", "be": "сумесная заява", "ru": "совместное заявление"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_tag_is_named_in_the_readers_language_with_one_id_in_urls(
    client: httpx.Client, lang: str
) -> None:
    html = client.get(f"/{lang}/", params={"q": "appeal"}).text
    facets = html[html.index('class="facets"') :]
    link = re.search(
        rf'<a href="([^"]*)">\s*<span class="box"[^>]*>☐</span>\s*'
        rf'<span class="label">{JOINT[lang]}</span>',
        facets,
    )
    assert link and ("tag", "joint statement") in query_of(unescape(link.group(1)))
    hits = html[html.index('<ol class="hits">') :]
    assert f'<a href="/{lang}/tags/joint%20statement">{JOINT[lang]}</a>' in hits
    statement = client.get(f"/{lang}/statements/aliased-tag").text
    assert f'<a href="/{lang}/tags/joint%20statement">{JOINT[lang]}</a>' in statement
    listing = client.get(f"/{lang}/tags/joint%20statement").text
    assert f"<h1>{JOINT[lang]}</h1>" in listing
    chosen = client.get(f"/{lang}/", params={"tag": "joint statement"}).text
    bar = chosen[chosen.index('class="active-filters"') :]
    assert JOINT[lang] in bar[: bar.index("</nav>")]


def test_another_spelling_of_a_tag_leads_to_its_one_address(client: httpx.Client) -> None:
    response = client.get("/be/tags/Joint%20Statements", params={"page": "1"})
    assert response.status_code == 301
    assert response.headers["location"] == "/be/tags/joint%20statement?page=1"
    spelled = client.get("/en/", params={"tag": "Сумесная заява"}).text
    same = client.get("/en/", params={"tag": "joint statement"}).text
    heading = 'id="results-heading">'
    assert spelled.split(heading)[1][:30] == same.split(heading)[1][:30]


def test_feeds_and_csv_carry_the_tag_label(client: httpx.Client) -> None:
    feed = client.get("/ru/feed.atom", params={"tag": "joint statement"}).text
    assert f'term="joint statement" label="{JOINT["ru"]}"' in feed
    rows = csv_rows(client.get("/be/export.csv", params={"tag": "joint statement"}))
    assert [(r["tags"], r["tag_labels"]) for r in rows] == [("joint statement", JOINT["be"])]


def test_an_unlisted_tag_is_shown_as_written(client: httpx.Client) -> None:
    html = client.get("/ru/", params={"tag": TAG, "size": "1"}).text
    assert f'<span class="label">{TAG}</span>' in html
