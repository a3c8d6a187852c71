"""The person facet and filter on the person clusters (persons.py): counts, `person=`,
`person:` resolving any spelling to one cluster, the CLI's --person, and the person
column of incremental runs equal to a rebuild's."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import httpx
import pytest

from searcharchive import Archive, SearchRequest
from searcharchive.columns import load_columns

from .faults import cli
from .test_persons import PEOPLE, _index, _record

SERGEI = "siarhei-tsikhanouski"
SVIATLANA = "sviatlana-tsikhanouskaya"
ALES = "ales-bialiatski"


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """test_persons' statements, indexed for this module (modules run apart)."""
    return _index(tmp_path_factory.mktemp("facet-people"), [PEOPLE])


@pytest.fixture(scope="module")
def archive(people: Path) -> Archive:
    opened = Archive.open(people)
    assert opened.generation().persons.persons, "a person table to facet on"
    return opened


def ids(archive: Archive, **asked: object) -> list[str]:
    result = archive.search(SearchRequest(size=50, **asked))  # type: ignore[arg-type]
    return sorted(hit.statement.id for hit in result.hits)


def test_the_facet_counts_each_person_under_its_display_name(archive: Archive) -> None:
    table = archive.generation().persons
    for lang in ("en", "be", "ru"):
        values = archive.search(SearchRequest(ui_lang=lang)).facets["person"]
        counts = {v.value: v.count for v in values}
        # every person of the table, counted by the statements naming them
        assert counts == {pid: len(p["statements"]) for pid, p in table.persons.items()}
        labels = {v.value: v.label for v in values}
        assert labels[ALES] == table.persons[ALES]["names"][lang]
    be = {v.value: v.label for v in archive.search(SearchRequest(ui_lang="be")).facets["person"]}
    assert be[SERGEI] == "Сяргей Ціханоўскі" and be[SVIATLANA] == "Святлана Ціханоўская"
    values = archive.search(SearchRequest()).facets["person"]
    assert [v.count for v in values] == sorted((v.count for v in values), reverse=True)


def test_the_filter_keeps_the_statements_naming_the_person(archive: Archive) -> None:
    assert ids(archive, persons=[ALES]) == ["be-1", "be-4", "en-1", "ru-1"]
    assert ids(archive, persons=[SERGEI]) == ["be-2", "ru-2"]
    assert ids(archive, persons=[SVIATLANA]) == ["be-3", "en-2"]
    # repeatable: any of them (OR), and the facet counts the others beside the choice
    assert ids(archive, persons=[SERGEI, SVIATLANA]) == ["be-2", "be-3", "en-2", "ru-2"]
    result = archive.search(SearchRequest(persons=[SERGEI]))
    chosen = {v.value: (v.count, v.selected) for v in result.facets["person"]}
    assert chosen[SERGEI] == (2, True) and chosen[SVIATLANA] == (2, False)
    assert ids(archive, persons=["nobody-at-all"]) == []


@pytest.mark.parametrize(
    ("query", "person"),
    [
        ('person:"Sergei Tsikhanouski"', SERGEI),
        ('person:"Siarhei Tsikhanouski"', SERGEI),
        ("person:Тихановскому", SERGEI),  # a case form, another script
        ('person:"Сяргея Ціханоўскага"', SERGEI),
        ('person:"Sviatlana Tsikhanouskaya"', SVIATLANA),
        ("person:Ціханоўская", SVIATLANA),
        ('person:"Алеся Бяляцкага"', ALES),
        ("person:Беляцкий", ALES),
        (f"person:{ALES}", ALES),
    ],
)
def test_person_in_the_query_resolves_any_spelling_to_the_cluster(
    archive: Archive, query: str, person: str
) -> None:
    expected = ids(archive, persons=[person])
    assert ids(archive, q=query) == expected
    notes = [str(n) for n in archive.search(SearchRequest(q=query, ui_lang="be")).notes]
    name = archive.generation().persons.display_name(person, "be")
    assert f"person: searched for {name} in every spelling" in notes


def test_sergei_and_sviatlana_stay_apart_in_the_query(archive: Archive) -> None:
    sergei = ids(archive, q='person:"Сяргей Ціханоўскі"')
    sviatlana = ids(archive, q='person:"Святлана Ціханоўская"')
    assert sergei == ["be-2", "ru-2"] and sviatlana == ["be-3", "en-2"]
    both = ids(archive, q='person:"Сяргей Ціханоўскі" OR person:"Святлана Ціханоўская"')
    assert both == sorted(sergei + sviatlana)
    assert ids(archive, q='-person:"Сяргей Ціханоўскі" Ціханоўская') == sviatlana


def test_a_spelling_of_no_single_person_is_the_name_search(archive: Archive) -> None:
    result = archive.search(SearchRequest(q="person:Nobodyknown"))
    assert result.total == 0
    assert not any("searched for" in str(n) for n in result.notes)


def test_cli_person_filters_by_the_cluster(people: Path) -> None:
    found = cli(
        "search", "", "--index", str(people), "--person", SERGEI, "--person", ALES, "--json"
    )
    assert found.returncode == 0, found.stderr
    answer = json.loads(found.stdout)
    assert sorted(h["id"] for h in answer["hits"]) == [
        "be-1",
        "be-2",
        "be-4",
        "en-1",
        "ru-1",
        "ru-2",
    ]
    persons = {v["value"]: v for v in answer["facets"]["person"]}
    assert persons[SERGEI]["selected"] and persons[SERGEI]["label"] == "Siarhei Tsikhanouski"
    stats = cli("stats", "--index", str(people))
    assert f"({SERGEI})" in stats.stdout


def _person_column(index: Path) -> dict[str, list[str]]:
    """Statement id -> person values of the published generation's person column."""
    generation = index / (index / "CURRENT").read_text().strip()
    columns = load_columns(generation, with_ids=True)
    assert columns.ids is not None
    pairs = columns.facets["person"]
    out: dict[str, list[str]] = {}
    for value in pairs.values:
        for doc in pairs.docs_of(value).tolist():
            if columns.alive[doc]:
                out.setdefault(columns.ids[doc], []).append(value)
    return {sid: sorted(values) for sid, values in sorted(out.items())}


def test_incremental_runs_give_the_person_column_of_a_rebuild(tmp_path: Path) -> None:
    # "Палітвязень Бяляцкі" (a surname alone) comes first: a person of its own until a
    # later run brings "Алеся Бяляцкага", whom it then joins without being read again
    alone, rest = PEOPLE[-1:], PEOPLE[:-1]
    in_steps = _index(tmp_path / "steps", [alone, rest[:3], rest[3:]])
    rebuilt = _index(tmp_path / "whole", [list(reversed(PEOPLE))])
    assert _person_column(in_steps) == _person_column(rebuilt)
    assert _person_column(in_steps)["be-4"] == [ALES]
    # a statement read again with another text: its persons change, the others' stay
    changed = _record("be-4", "be", "Журналістка Гарашына атрымала ліст")
    updated = _index(tmp_path / "update", [PEOPLE, [changed]])
    again = _index(tmp_path / "again", [[*PEOPLE[:-1], changed]])
    assert _person_column(updated) == _person_column(again)
    assert ALES not in _person_column(updated)["be-4"]
    assert ids(Archive.open(updated), persons=[ALES]) == ["be-1", "en-1", "ru-1"]


@pytest.fixture(scope="module")
def client(people: Path) -> Iterator[httpx.Client]:
    from .servers import running_server

    with running_server(people) as base:
        with httpx.Client(base_url=base, timeout=30) as client:
            yield client


def test_the_page_names_the_person_in_the_facet_and_the_filters_bar(client: httpx.Client) -> None:
    html = client.get("/be/", params={"person": SERGEI}).text
    bar = html[html.index('class="active-filters"') :]
    bar = bar[: bar.index("</nav>")]
    assert (
        "Асоба:" in bar
        and "Сяргей Ціханоўскі" in bar
        and SERGEI not in re.sub(r'href="[^"]*"', "", bar)
    )
    assert "Святлана Ціханоўская" in html  # the facet lists the others
    links = [unescape(h) for h in re.findall(r'href="([^"]*person=[^"]*)"', html)]
    assert any(f"person={SVIATLANA}" in link for link in links)
    api = client.get("/api/search", params=[("person", SERGEI), ("person", SVIATLANA)]).json()
    assert sorted(h["id"] for h in api["hits"]) == ["be-2", "be-3", "en-2", "ru-2"]
    explained = client.get("/ru/", params={"q": 'person:"Sergei Tsikhanouski"'}).text
    assert "person: искали Сергей Тихановский во всех написаниях" in unescape(explained)


def test_openapi_lists_the_person_parameter(client: httpx.Client) -> None:
    document = client.get("/api/openapi.json").json()
    search = next(p for path, p in document["paths"].items() if path.endswith("/search"))
    names = [parameter["name"] for parameter in search["get"]["parameters"]]
    assert "person" in names
