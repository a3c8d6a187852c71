"""The JSON API against the OpenAPI document it serves, with schemathesis, over real HTTP.

The server is `searcharchive serve` in a subprocess on the sample corpus plus the hostile
records (the `web_index` fixture behind conftest's `server`). It is started here rather
than through `tests/servers.py`, whose stdout pipe is never read: once about 64 KB of
access log has piled up the server blocks writing it, and schemathesis sends long query
strings that are all logged. The schema is loaded from the running server and its cases
are drawn with `as_strategy` (schemathesis 4.32's `pytest.from_fixture` reads
`Function._nodeid`, which pytest 9 no longer has).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from searcharchive.web.openapi import openapi_schema

from .faults import assert_safe
from .servers import serving

CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
OPERATIONS = ["/api/search", "/api/facets/{facet}", "/api/statements/{id}"]


@pytest.fixture(scope="module")
def api_base(web_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("api-schema") / "server.log"
    with serving(web_index, log) as server:
        yield server.base
        assert "Traceback" not in server.output()


@pytest.fixture(scope="module")
def api_schema(api_base: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{api_base}/api/openapi.json", timeout=30)


def crossed_dates(case: schemathesis.Case) -> bool:
    query = case.query or {}
    start, end = str(query.get("from") or ""), str(query.get("to") or "")
    return bool(start and end and start > end)


def run_cases(
    schema: schemathesis.BaseSchema,
    base: str,
    path: str,
    mode: GenerationMode,
    checks: list,
    examples: int,
) -> None:
    operation = schema[path]["GET"]

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        response = case.call(base_url=base, timeout=30)
        if crossed_dates(case):  # OpenAPI cannot say "from <= to"; the 400 is documented
            case.validate_response(response, checks=[c for c in checks if c in CONFORMANCE])
        else:
            case.validate_response(response, checks=checks)
        assert_safe(response.status_code, response.headers, response.content)

    check()


def test_the_served_document_is_the_one_in_the_code(api_base: str) -> None:
    served = httpx.get(f"{api_base}/api/openapi.json", timeout=30)
    assert served.status_code == 200
    assert served.json() == openapi_schema()


@pytest.mark.parametrize("path", OPERATIONS)
def test_valid_requests_get_documented_answers(
    api_schema: schemathesis.BaseSchema, api_base: str, path: str
) -> None:
    """Never a 500; status, content type, headers and body as documented; valid data accepted."""
    checks = [*CONFORMANCE, positive_data_acceptance]
    run_cases(api_schema, api_base, path, GenerationMode.POSITIVE, checks, 100)


@pytest.mark.parametrize("path", OPERATIONS)
def test_invalid_requests_never_break_the_server(
    api_schema: schemathesis.BaseSchema, api_base: str, path: str
) -> None:
    """Requests outside the document: never a 500, answers still as documented."""
    run_cases(api_schema, api_base, path, GenerationMode.NEGATIVE, CONFORMANCE, 100)


@pytest.mark.parametrize("path", OPERATIONS)
def test_invalid_requests_are_refused(
    api_schema: schemathesis.BaseSchema, api_base: str, path: str
) -> None:
    run_cases(api_schema, api_base, path, GenerationMode.NEGATIVE, [negative_data_rejection], 60)
