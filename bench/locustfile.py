"""A reader's traffic for `python -m bench.load`: searches, facet clicks, statements, feeds.

Query pools come from the served archive itself (its facets and hits), so the
mix follows the corpus; every response must be a 2xx naming the one index
generation it came from (the `x-index-generation` header, equal to the JSON's
when there is one), or, during a full rebuild only, a 404 for a statement the
rebuild removed.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter

from locust import HttpUser, between, events, task

WORDS = [
    "human rights",
    "court",
    "prisoner",
    "Viasna",
    "Весна",
    "Вясна",
    "Северинец",
    "Seviarynets",
    "Klimovich",
    "ч. 1 ст. 342 УК",
    "Art. 342 CC",
    "арт. 130 КК",
    "freedom",
    "свабода",
    "свобода",
    '"political prisoners"',
    "detention -court",
    "title:statement",
    "organizations",
]
POOL: dict[str, list[str]] = {"tag": [], "org": [], "article": [], "id": []}
SERVED_BY: Counter[str] = Counter()  # responses per index generation
# only a full rebuild from another corpus may remove a statement the pools found
REBUILDING = os.environ.get("LOAD_REBUILDING") == "1"


@events.test_stop.add_listener
@events.quitting.add_listener
def write_generations(**_kwargs) -> None:  # type: ignore[no-untyped-def]
    """Tell `bench.load` which generations answered (file named by LOAD_GENERATIONS)."""
    if target := os.environ.get("LOAD_GENERATIONS"):
        with open(target, "w", encoding="utf-8") as out:
            json.dump(dict(SERVED_BY), out)


@events.test_start.add_listener
def build_pools(environment, **_kwargs) -> None:  # type: ignore[no-untyped-def]
    import httpx

    data = httpx.get(f"{environment.host}/api/search", params={"size": 100}, timeout=60).json()
    for facet, key in (("tag", "tag"), ("organization", "org"), ("article", "article")):
        POOL[key] = [item["value"] for item in data["facets"][facet]][:50]
    for word in WORDS[:8]:
        hits = httpx.get(
            f"{environment.host}/api/search", params={"q": word, "size": 20}, timeout=60
        ).json()
        POOL["id"] += [hit["id"] for hit in hits["hits"]]
    POOL["id"] += [hit["id"] for hit in data["hits"]]


def check(response, json_body: bool = False) -> None:  # type: ignore[no-untyped-def]
    if not 200 <= response.status_code < 300:
        response.failure(f"{response.status_code}")
        return
    generation = response.headers.get("x-index-generation")
    SERVED_BY[generation or str(response.status_code)] += 1
    if response.status_code == 200 and not generation:
        response.failure("no x-index-generation header")
        return
    if json_body and response.status_code == 200:
        body = response.json()
        if body.get("generation") != generation:
            response.failure("JSON and header name different generations")
            return
    response.success()


class Reader(HttpUser):
    wait_time = between(0.0, 0.2)

    @task(6)
    def search(self) -> None:
        params = {"q": random.choice(WORDS)}
        if random.random() < 0.3:
            params["sort"] = random.choice(["newest", "oldest"])
        with self.client.get("/", params=params, name="/?q", catch_response=True) as response:
            check(response)

    @task(4)
    def facet_click(self) -> None:
        params: list[tuple[str, str]] = (
            [("q", random.choice(WORDS))] if random.random() < 0.5 else []
        )
        for key in ("tag", "article", "org"):
            if POOL[key] and random.random() < 0.6:
                params.append((key, random.choice(POOL[key])))
        if random.random() < 0.3:
            year = random.randint(2015, 2025)
            params += [("from", f"{year}-01-01"), ("to", f"{year}-12-31")]
        with self.client.get(
            "/api/search", params=params, name="/api/search facets", catch_response=True
        ) as response:
            check(response, json_body=True)

    @task(3)
    def statement(self) -> None:
        if not POOL["id"]:
            return
        statement_id = random.choice(POOL["id"])
        with self.client.get(
            f"/statements/{statement_id}", name="/statements/{id}", catch_response=True
        ) as response:
            if response.status_code == 404 and REBUILDING:  # the rebuild dropped it
                SERVED_BY["404"] += 1
                response.success()
            else:
                check(response)

    @task(1)
    def feed(self) -> None:
        params = {"tag": random.choice(POOL["tag"])} if POOL["tag"] else {"q": "rights"}
        with self.client.get(
            "/feed.atom", params=params, name="/feed.atom", catch_response=True
        ) as response:
            check(response)

    @task(1)
    def page(self) -> None:
        lang = random.choice(["", "/be", "/ru"])
        with self.client.get(
            f"{lang}/", params={"page": random.randint(1, 50)}, name="/?page", catch_response=True
        ) as response:
            check(response)
