"""A corpus of bad files indexed through the CLI as a user would: every record is indexed or
rejected with a reason, and the good ones are searchable."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from searcharchive.archive import Archive
from searcharchive.request import SearchRequest

from .conftest import write_jsonl

URL_SAFE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,159}")


GOOD = [
    {"id": f"good-{n}", "lang": "en", "title": f"Good statement {n}", "body": f"Viasna {n}."}
    for n in range(5)
]
SUMMARY = re.compile(r"read (\d+), indexed (\d+), updated (\d+), unchanged (\d+), rejected (\d+)")


def bad_corpus(folder: Path) -> dict[str, str]:
    """Write the corpus; returns each bad file's name and a word its rejection reason holds."""
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", GOOD)
    (folder / "binary.jsonl").write_bytes(b'{"id": "x", "title": "t"}\n\x00\x01\x02\xff' * 50)
    (folder / "blob").write_bytes(bytes(range(256)) * 16)
    (folder / "invalid-utf8.jsonl").write_bytes(
        b'{"id": "bad-utf8", "title": "caf\xe9", "body": "x"}\n'
        + json.dumps({"id": "after-bad-line", "title": "After", "body": "ok"}).encode()
        + b"\n"
    )
    with (folder / "huge-line.jsonl").open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "huge", "title": "Huge", "body": "x" * 50_000_000}) + "\n")
    (folder / "nested.jsonl").write_text(
        "[" * 100_000 + "]" * 100_000 + "\n" + '{"a":' * 50_000 + "1" + "}" * 50_000 + "\n"
    )
    (folder / "scripts.html").write_text(
        "<html><head><script>var a = 1;</script></head><body>"
        + "<script>document.write('x')</script>" * 100
        + "</body></html>"
    )
    write_jsonl(
        folder / "duplicates.jsonl",
        [
            {"id": "dup", "title": "First", "body": "first body"},
            {"id": "dup", "title": "Second", "body": "second body"},
            {"id": "dup", "title": "First", "body": "first body"},
        ],
    )
    (folder / "empty.jsonl").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\n\t\n")
    (folder / "not-objects.jsonl").write_text('[1, 2]\n"a string"\n42\nnull\ntrue\n{}\n')
    (folder / "bad-fields.jsonl").write_text(
        '{"id": "../../etc/passwd", "title": "t", "body": "b"}\n'
        '{"title": 5, "body": ["x"]}\n{"title": "t", "lang": "xx"}\n'
        '{"title": "t", "date": "the 45th of Nevember"}\n'
    )
    (folder / "malformed.jsonl").write_text('{"id": "m1", "title": "unterminated\n{not json}\n')
    return {
        "binary.jsonl": "binary",
        "blob": "binary",
        "invalid-utf8.jsonl": "UTF-8",
        "huge-line.jsonl": "longer than",
        "nested.jsonl": "nested too deeply",
        "scripts.html": "no main text",
        "duplicates.jsonl": "duplicate id",
        "empty.jsonl": "empty",
        "blank.txt": "empty",
        "not-objects.jsonl": "JSON object",
        "bad-fields.jsonl": "",
        "malformed.jsonl": "malformed JSON",
    }


def test_a_corpus_of_bad_files_is_fully_accounted_for(tmp_path: Path) -> None:
    expected = bad_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    result = subprocess.run(
        [sys.executable, "-m", "searcharchive", "index", str(tmp_path / "corpus")]
        + ["--index", str(index)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr  # 1: something was rejected
    assert "Traceback" not in result.stdout + result.stderr
    print(f"\nFIGURE bad corpus: {SUMMARY.search(result.stdout).group(0)}")  # type: ignore[union-attr]
    read, indexed, updated, unchanged, rejected = map(int, SUMMARY.search(result.stdout).groups())  # type: ignore[union-attr]
    assert read == indexed + updated + unchanged + rejected

    rejects = [
        json.loads(line) for line in (index / "rejects.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(rejects) == rejected
    assert all(r["reason"] and r["source"] and ("line" in r or "element" in r) for r in rejects)
    by_file: dict[str, list[str]] = {}
    for r in rejects:
        by_file.setdefault(Path(r["source"]).name, []).append(r["reason"])
    for name, word in expected.items():
        assert name in by_file, f"{name} was neither indexed nor rejected"
        assert any(word in reason for reason in by_file[name]), (name, by_file[name])
    assert len(by_file["not-objects.jsonl"]) == 6 and len(by_file["bad-fields.jsonl"]) == 4

    archive = Archive.open(index)
    good_ids = [r["id"] for r in GOOD] + ["after-bad-line", "dup"]
    assert all(archive.get(statement_id) for statement_id in good_ids)
    assert indexed == len(good_ids) and unchanged == 1  # the repeated, identical "dup"
    found = archive.get("dup")
    assert (
        found and found.statement.title == "First"
    )  # the first version wins, the other is reported
    assert archive.search(SearchRequest(size=100)).total == indexed

    hits = archive.search(SearchRequest(size=100)).hits
    assert all(URL_SAFE_ID.fullmatch(hit.statement.id) for hit in hits)
