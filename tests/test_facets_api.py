"""The JSON API caps the values of each facet; `/api/facets/{facet}` pages through the rest.

A real index of 100 statements carrying 1,002 distinct tags (each statement 10 of its own,
plus two shared ones), built by the real Indexer and served by `searcharchive serve`.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .servers import serving_records

RECORDS = 100
OWN_TAGS = 10
ALL_TAGS = {"common", "half"} | {
    f"rare {n:03d}-{k}" for n in range(RECORDS) for k in range(OWN_TAGS)
}


def many_tagged() -> list[dict[str, object]]:
    return [
        {
            "id": f"many-{n:03d}",
            "lang": "en",
            "title": f"Statement {n} with many tags",
            "body": f"Body of statement {n}.",
            "date": f"2022-{n % 12 + 1:02d}-01",
            "tags": [
                "common",
                *(["half"] if n % 2 else []),
                *(f"rare {n:03d}-{k}" for k in range(OWN_TAGS)),
            ],
        }
        for n in range(RECORDS)
    ]


@pytest.fixture(scope="module")
def tagged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("many-tags")
    with serving_records(folder, many_tagged()) as client:
        yield client


def search(client: httpx.Client, **params: object) -> dict:
    response = client.get("/api/search", params=params)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    return response.json()


def test_an_empty_search_lists_the_top_values_and_says_how_many_there_are(
    tagged_site: httpx.Client,
) -> None:
    response = tagged_site.get("/api/search")
    data = response.json()
    tags = data["facets"]["tag"]
    assert len(tags) == 20
    assert [(t["value"], t["count"]) for t in tags[:2]] == [("common", 100), ("half", 50)]
    assert data["facet_totals"]["tag"] == len(ALL_TAGS)
    assert data["facets_truncated"] == ["tag"]
    assert data["facet_totals"]["lang"] == len(data["facets"]["lang"]) == 1
    assert len(response.content) < 20_000  # 76 KB with every value listed, 7 KB now


def test_selected_values_are_always_listed(tagged_site: httpx.Client) -> None:
    data = search(tagged_site, tag="rare 099-9")
    listed = {t["value"]: t for t in data["facets"]["tag"]}
    assert listed["rare 099-9"]["selected"] and listed["rare 099-9"]["count"] == 1
    assert len(listed) == 21 and data["total"] == 1


@pytest.mark.parametrize(("asked", "listed"), [("5", 5), ("100000", 100), ("0", 1), ("-3", 1)])
def test_facet_size_asks_for_more_or_fewer_values_within_a_bound(
    tagged_site: httpx.Client, asked: str, listed: int
) -> None:
    data = search(tagged_site, facet_size=asked)
    assert len(data["facets"]["tag"]) == listed
    assert len(data["facets"]["year"]) == 1  # never more than a facet has


def test_every_value_of_a_facet_can_be_paged(tagged_site: httpx.Client) -> None:
    seen: list[str] = []
    counts: dict[str, int] = {}
    for page in range(1, 6):
        response = tagged_site.get("/api/facets/tag", params={"page": page, "size": 300})
        assert response.status_code == 200, response.text
        data = response.json()
        assert data["facet"] == "tag" and data["total"] == len(ALL_TAGS)
        assert data["page"] == page and data["size"] == 300 and data["generation"]
        seen += [v["value"] for v in data["values"]]
        counts.update({v["value"]: v["count"] for v in data["values"]})
        if page == 5:
            assert data["values"] == []
    assert len(seen) == len(set(seen)) == len(ALL_TAGS) and set(seen) == ALL_TAGS
    assert counts["common"] == 100 and counts["half"] == 50 and counts["rare 042-7"] == 1
    assert seen[:2] == ["common", "half"]


def test_facet_values_follow_the_search(tagged_site: httpx.Client) -> None:
    data = tagged_site.get(
        "/api/facets/tag", params={"from": "2022-01-01", "to": "2022-01-31", "size": 1000}
    ).json()
    # statements 0, 12, ..., 96: all even, so no "half"
    assert data["total"] == 1 + 9 * OWN_TAGS == len(data["values"])
    assert data["values"][0] == {
        "value": "common",
        "label": "common",
        "count": 9,
        "selected": False,
    }


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("/api/facets/nope", 404),
        ("/api/facets/tag?page=abc", 400),
        ("/api/facets/tag?size=x", 400),
        ("/api/facets/tag?sort=sideways", 400),
        ("/api/facets/tag?size=99999&page=99999", 200),
        ("/api/facets/organization", 200),
    ],
)
def test_facet_requests_are_bounded_and_refused_when_bad(
    tagged_site: httpx.Client, target: str, status: int
) -> None:
    response = tagged_site.get(target)
    assert response.status_code == status
    data = response.json()
    assert ("error" in data) == (status != 200)
    if status == 200:
        assert data["size"] <= 1000 and len(data["values"]) <= data["size"]


def test_a_listed_article_comes_with_its_code(output_client: httpx.Client) -> None:
    """The sample corpus cites cao:23.34 and cc:368; one value a facet, cc:368 selected."""
    data = output_client.get("/api/search", params={"facet_size": 1, "article": "cc:368"}).json()
    listed = {a["value"]: a for a in data["facets"]["article"]}
    assert {"cc:368", "cc"} <= set(listed) and len(listed) < data["facet_totals"]["article"]
    assert all(a["parent"] is None or a["parent"] in listed for a in listed.values())
    assert "article" in data["facets_truncated"]
