"""The `searcharchive` command as a user runs it, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEED, write_jsonl


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "searcharchive", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


@pytest.mark.parametrize("command", ["index", "search", "serve", "stats"])
def test_help_shows_examples(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert "Examples:" in result.stdout or command == "stats"
    assert "--index" in result.stdout


def test_index_then_search_round_trip(tmp_path: Path) -> None:
    index = str(tmp_path / "index")
    first = run("index", str(SEED), "--index", index)
    assert first.returncode == 0, first.stderr
    assert "read 7, indexed 7, updated 0, unchanged 0, rejected 0" in first.stdout
    assert "statements/s" in first.stdout
    again = run("index", str(SEED), "--index", index)
    assert "indexed 0, updated 0, unchanged 7" in again.stdout

    listing = json.loads(run("search", "", "--index", index, "--json", "--limit", "3").stdout)
    assert listing["total"] == 7 and len(listing["hits"]) == 3
    dates = [h["date"] for h in listing["hits"]]
    assert dates == ["2020-07-10", None, None]  # the one dateline; event dates are not dates
    hit = listing["hits"][0]
    assert {
        "id",
        "lang",
        "title",
        "date",
        "tags",
        "organizations",
        "articles",
        "persons",
        "group",
        "translations",
    } <= set(hit)
    assert set(listing["facets"]) >= {"tag", "organization", "article", "lang", "year"}

    cited = json.loads(run("search", "ст. 23.34 КоАП", "--index", index, "--json").stdout)
    assert [h["id"] for h in cited["hits"]] == ["immediately-release-pavel-seviarynets-ef4ec130b5"]
    assert cited["hits"][0]["articles"] == ["cao:23.34"]

    text = run("search", "Северинец", "--index", index)
    assert text.returncode == 0
    assert (
        "Immediately release Pavel Seviarynets!" in text.stdout
        and "matched Seviarynets" in text.stdout
    )

    filtered = json.loads(run("search", "", "--index", index, "--article", "cc", "--json").stdout)
    assert [h["articles"] for h in filtered["hits"]] == [["cc:368"]]
    ranged = json.loads(
        run(
            "search", "", "--index", index, "--from", "2020-01-01", "--to", "2020-12-31", "--json"
        ).stdout
    )
    assert ranged["total"] == 1

    # an organization a statement criticises is mentioned, not its author
    mentioned = json.loads(
        run("search", "", "--index", index, "--mention", "bsu-law", "--json").stdout
    )
    assert mentioned["total"] >= 1
    assert all("bsu-law" in h["organizations"] for h in mentioned["hits"])
    by = json.loads(run("search", "", "--index", index, "--org", "bsu-law", "--json").stdout)
    assert by["total"] == 0


def test_rejects_exit_non_zero_and_are_kept_aside(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [{"id": "ok", "title": "Fine", "lang": "en"}, ["not", "an", "object"]],
    )
    index = tmp_path / "index"
    result = run("index", str(source), "--index", str(index))
    assert result.returncode == 1
    assert "rejected 1" in result.stdout and "in.jsonl:2" in result.stderr
    (reject,) = [json.loads(line) for line in (index / "rejects.jsonl").read_text().splitlines()]
    assert reject == {
        "source": str(source),
        "line": 2,
        "reason": "a record must be a JSON object, not list",
    }


def test_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    missing = run("search", "x", "--index", str(tmp_path / "none"))
    assert (
        missing.returncode == 2
        and "no index at" in missing.stderr
        and "Traceback" not in missing.stderr
    )
    bad_date = run("search", "x", "--index", str(tmp_path), "--from", "yesterday")
    assert (
        bad_date.returncode == 2
        and "ISO date" in bad_date.stderr
        and "Traceback" not in bad_date.stderr
    )
    (tmp_path / "broken" / "gen-000001").mkdir(parents=True)
    (tmp_path / "broken" / "CURRENT").write_text("gen-000001\n")
    corrupt = run("search", "x", "--index", str(tmp_path / "broken"))
    assert (
        corrupt.returncode == 2
        and "cannot be read" in corrupt.stderr
        and "Traceback" not in corrupt.stderr
    )
