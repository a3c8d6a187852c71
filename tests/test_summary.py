"""Summaries: the first paragraph that says something (summary.py), and datelines."""

from __future__ import annotations

import pytest

from searcharchive.dates import is_dateline
from searcharchive.statement import made_up_id, statement_from_mapping
from searcharchive.summary import summary_paragraph

STORY = "The district court fined the volunteer for a picture posted two years ago."


@pytest.mark.parametrize(
    "line",
    [
        "Hrodna – June 13, 2026",
        "Minsk - July 10, 2020",
        "Гродна, 13 чэрвеня 2026 г.",
        "Минск, 10 июля 2020 г.",
        "18.05.2021 / 13:29",
    ],
)
def test_a_dateline_is_one(line: str) -> None:
    assert is_dateline(line)


@pytest.mark.parametrize(
    "text",
    [
        STORY,
        "On July 8, 2020 the court in Minsk sentenced the volunteer to fifteen days.",
        "Hrodna – June 13, 2026\nA second line",
        "Without any digits at all",
    ],
)
def test_a_sentence_is_not_a_dateline(text: str) -> None:
    assert not is_dateline(text)


@pytest.mark.parametrize(
    ("body", "summary"),
    [
        (f"Hrodna – June 13, 2026\n\n{STORY}", STORY),
        (f"Appeal of a volunteer fined in Hrodna\n\n{STORY}", STORY),
        (f"Minsk - July 10, 2020\n\nPhoto: the court building\n\n{STORY}", STORY),
        (f"Гродна, 13 чэрвеня 2026 г.\n\nФота: будынак суда\n\n{STORY}", STORY),
        (f"{STORY}\n\nHrodna – June 13, 2026", STORY),
        ("Only a heading\n\nAnother heading", "Only a heading"),  # nothing better
        ("", ""),
    ],
)
def test_the_summary_is_the_first_paragraph_that_says_something(body: str, summary: str) -> None:
    assert summary_paragraph(body) == summary


def test_a_lead_is_the_summary_and_a_made_up_id_keeps_the_first_paragraph() -> None:
    body = f"Hrodna – June 13, 2026\n\n{STORY}"
    statement, _given = statement_from_mapping({"lang": "en", "title": "A fine", "body": body})
    assert statement.lead == STORY
    # the id of a record without one is made from its first paragraph, as before, so a
    # better summary never gives an indexed statement a new address
    other = "Hrodna – June 13, 2026\n\nA different second paragraph."
    record = {"lang": "en", "title": "A fine"}
    assert made_up_id(record, "A fine", body) == made_up_id(record, "A fine", other)
    assert made_up_id(record, "A fine", STORY) != made_up_id(record, "A fine", body)
