"""Record validation (statement.py): bad records are rejected with a reason, accepted ones round-
trip through the stored JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from searcharchive.errors import RejectedRecord
from searcharchive.extraction import Extractor
from searcharchive.statement import Statement, statement_from_mapping

from .strategies import examples, json_values, record_like

EXTRACTOR = Extractor.default()
URL_SAFE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,159}")


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
