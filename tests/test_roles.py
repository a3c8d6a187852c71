"""Organizations by role: authors and signatories versus organizations a statement names."""

from __future__ import annotations

import httpx
import pytest

from searcharchive.gazetteer import Gazetteer
from searcharchive.roles import organization_roles

ORGS = Gazetteer.builtin("organizations")

# (title, body, expected authors and signatories, expected organizations only named)
CASES = [
    pytest.param(
        "Civic Solidarity Platform statement in connection with the closure of the Moscow Helsinki Group",
        "Members of the network condemn the decision of the court.",
        ["civic-solidarity-platform"],
        ["mhg"],
        id="en-byline-before-noun",
    ),
    pytest.param(
        "Statement by Viasna and the Belarusian Association of Journalists on the arrest of PEN Belarus members",
        "The authorities detained two writers on Tuesday morning, and nobody was told why.",
        ["viasna", "baj"],
        ["pen-belarus"],
        id="en-byline-after-noun",
    ),
    pytest.param(
        "Joint statement on videos published by the Faculty of Law of Belarusian State University",
        "A student of the Faculty of Law of Belarusian State University was filmed confessing. "
        "We, human rights organizations of Belarus, find this unacceptable.",
        [],
        ["bsu-law"],
        id="en-criticised-faculty-is-not-an-author",
    ),
    pytest.param(
        "An appeal to Amnesty International",
        "We ask Amnesty International to recognise the detained students as prisoners of conscience.",
        [],
        ["amnesty-international"],
        id="en-addressee-is-not-an-author",
    ),
    pytest.param(
        "Free the journalists",
        "The authorities detained three journalists in Homiel.\n\n"
        "The statement was signed by Human Rights Watch, FIDH and Front Line Defenders.\n\n"
        "We also call on Amnesty International to act.",
        ["human-rights-watch", "fidh", "front-line-defenders"],
        ["amnesty-international"],
        id="en-signed-by",
    ),
    pytest.param(
        "Stop the persecution",
        "The authorities keep persecuting the Belarusian Helsinki Committee and Viasna.\n\n"
        "Human Rights Watch\nFIDH\nOMCT",
        ["human-rights-watch", "fidh", "omct"],
        ["bhc", "viasna"],
        id="en-closing-list",
    ),
    pytest.param(
        "Release the lawyers",
        "Four lawyers have been disbarred this month for defending protesters.\n\n— Viasna",
        ["viasna"],
        [],
        id="en-signature-line",
    ),
    pytest.param(
        "New political prisoners",
        "(Minsk) – Viasna today called for the release of five students detained in March.",
        ["viasna"],
        [],
        id="en-organization-speaking",
    ),
    pytest.param(
        "Results of the week",
        "12.03.2024 Source: BAJ Press Service\n\nThree journalists were fined this week.",
        ["baj"],
        [],
        id="en-source-line",
    ),
    pytest.param(
        "Заява Беларускай асацыяцыі журналістаў аб затрыманні супрацоўнікаў «Вясны»",
        "Сёння раніцай у Менску затрымалі двух праваабаронцаў.",
        ["baj"],
        ["viasna"],
        id="be-byline-genitive",
    ),
    pytest.param(
        "Свабоду палітвязням",
        "Улады зноў затрымалі журналістаў у Гродне.\n\nПадпісалі:\n"
        "Праваабарончы цэнтр «Вясна»\nБеларуская асацыяцыя журналістаў\nПЭН Беларусь",
        ["viasna", "baj", "pen-belarus"],
        [],
        id="be-signatories-heading",
    ),
    pytest.param(
        "Прысуд у Гомелі",
        "Суд асудзіў трох студэнтаў, паведамляе праваабарончы цэнтр «Вясна». "
        "Суддзя не дазволіў ім сказаць апошняе слова.",
        ["viasna"],
        [],
        id="be-verb-before-organization",
    ),
    pytest.param(
        "Заявление правозащитного центра «Весна» о ликвидации Белорусского Хельсинкского комитета",
        "Решение суда принято без участия представителей организации.",
        ["viasna"],
        ["bhc"],
        id="ru-byline-genitive",
    ),
    pytest.param(
        "Журналисты на свободе",
        "Белорусская ассоциация журналистов (БАЖ) требует освободить задержанных коллег. "
        "Их задержали во время акции.",
        ["baj"],
        [],
        id="ru-organization-speaking",
    ),
    pytest.param(
        "Итоги недели",
        "Суд признал виновными членов «Весны».\n\n1. Освободить всех.\n"
        "2. Прекратить преследование БАЖ.",
        [],
        ["viasna", "baj"],
        id="ru-list-of-demands-is-not-a-signature",
    ),
]


@pytest.mark.parametrize(("title", "body", "by", "named"), CASES)
def test_authors_and_signatories_apart_from_organizations_named(
    title: str, body: str, by: list[str], named: list[str]
) -> None:
    roles = organization_roles(title, body, ORGS)
    assert roles.by == by
    assert sorted(set(roles.mentions) - set(roles.by)) == sorted(named)
    assert set(roles.by) <= set(roles.mentions)


def test_an_organization_the_gazetteer_does_not_know_is_never_an_author() -> None:
    roles = organization_roles(
        "Statement by the Committee for Free Speech", "We, the Committee, demand…", ORGS
    )
    assert roles.by == [] and roles.mentions == []


def test_roles_read_text_in_any_unicode_normal_form() -> None:
    decomposed = "Заява Беларускай асацыяцыі журналістаў".replace("й", "й")  # й as и + breve
    assert organization_roles(decomposed, "Тэкст.", ORGS).by == ["baj"]


# --- the organization facet by role, on the sample served over HTTP -------------------

PLATFORM = "civic-solidarity-platform-statement-in-connection-with-liquidation-of-the-60df525966"


def _values(data: dict, key: str) -> list[str]:
    return [item["value"] for item in data["facets"][key]]


def test_facet_by_authors_apart_from_organizations_mentioned(server: str) -> None:
    data = httpx.get(f"{server}/api/search", params={"size": 100}).json()
    assert "civic-solidarity-platform" in _values(data, "organization")
    assert "mhg" not in _values(data, "organization")  # named in the platform's statement
    assert {"mhg", "bsu-law", "civic-solidarity-platform"} <= set(_values(data, "mention"))
    by = httpx.get(f"{server}/api/search", params={"org": "civic-solidarity-platform"}).json()
    assert [hit["id"] for hit in by["hits"]] == [PLATFORM]
    assert httpx.get(f"{server}/api/search", params={"org": "mhg"}).json()["total"] == 0
    named = httpx.get(f"{server}/api/search", params={"mention": "mhg"}).json()
    assert [hit["id"] for hit in named["hits"]] == [PLATFORM]
    assert named["hits"][0]["authors"] == ["civic-solidarity-platform"]
    assert named["hits"][0]["organizations"] == ["civic-solidarity-platform", "mhg"]


def test_statement_page_names_its_authors_and_the_organizations_it_mentions(server: str) -> None:
    page = httpx.get(f"{server}/be/statements/{PLATFORM}").text
    authors, mentioned = page.split("Аўтары", 1)[1].split("Згаданыя арганізацыі", 1)
    assert "mhg" not in authors and "org=civic-solidarity-platform" in authors
    assert "mention=mhg" in mentioned.split("</dd>", 1)[0]
    assert "Ад арганізацыі" in httpx.get(f"{server}/be/").text  # the facet's heading


def test_active_filters_name_the_role_of_an_organization(server: str) -> None:
    page = httpx.get(f"{server}/", params={"org": "civic-solidarity-platform"}).text
    assert "By:" in page
    page = httpx.get(f"{server}/ru/", params={"mention": "mhg"}).text
    assert "Упоминает:" in page and "Московская Хельсинкская группа" in page
