"""Readers: the seed tag page, JSON Lines, saved HTML; bad input is reported, never lost."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searcharchive.errors import RejectedRecord
from searcharchive.readers import SourceRecord, read_sources, source_bytes
from searcharchive.sample import sample_sources

from .conftest import SHARED_SEED, write_jsonl
from .strategies import SUFFIXES, examples, file_content


def split(
    items: list[SourceRecord | RejectedRecord],
) -> tuple[list[SourceRecord], list[RejectedRecord]]:
    records = [i for i in items if isinstance(i, SourceRecord)]
    rejected = [i for i in items if isinstance(i, RejectedRecord)]
    return records, rejected


def test_tag_page_gives_seven_statements_without_boilerplate() -> None:
    records, rejected = split(list(read_sources([sample_sources()[0]])))
    assert not rejected
    assert len(records) == 7
    assert all(r.data["tags"] == ["joint statement"] for r in records)
    titles = [r.data["title"] for r in records]
    assert titles[0].startswith(
        "Joint statement of Belarusian human rights organizations on the distribution"
    )
    assert titles[-1] == "Immediately release Pavel Seviarynets!"
    bodies = "\n".join(r.data["body"] for r in records)
    assert "Subscribe to RSS" not in bodies
    assert "cookies" not in bodies
    seviarynets = records[-1].data["body"]
    assert seviarynets.startswith("Joint statement of human rights and other civil society")
    assert "Minsk - July 10, 2020" in seviarynets
    assert records[-1].where["line"] > records[0].where["line"] > 1


def test_tag_page_in_other_spacing_and_languages(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "заявы\n\nЗаява першая\n\n\nПершы абзац.\n\nДругі абзац.\n\n\n"
        "Заява другая\n\n\nТэкст.\n\n\nПадпісацца на RSS - заявы\n\n"
        "Мы выкарыстоўваем cookies, каб палепшыць ваш карыстальніцкі вопыт. Больш інфармацыі тут.\n",
        encoding="utf-8",
    )
    records, rejected = split(list(read_sources([page])))
    assert not rejected
    assert [r.data["title"] for r in records] == ["Заява першая", "Заява другая"]
    assert records[0].data["body"] == "Першы абзац.\n\nДругі абзац."


def test_jsonl_reports_each_bad_line_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = '{"id": "a", "title": "A", "body": "text", "lang": "en"}\n'
    path.write_bytes(
        good.encode()
        + b'{"id": "b", "title": \n'  # malformed JSON
        + b"[1, 2, 3]\n"  # not an object
        + b'{"id": "c", "title": "caf\xe9"}\n'  # Latin-1, not UTF-8
        + b"\n"
        + good.replace('"a"', '"d"').encode()
    )
    records, rejected = split(list(read_sources([path])))
    assert [r.data["id"] for r in records if isinstance(r.data, dict)] == ["a", "d"]
    lines = {r.where["line"]: r.reason for r in rejected}
    assert 2 in lines and "malformed JSON" in lines[2]
    assert 4 in lines and "UTF-8" in lines[4]
    # a JSON value that is not an object is read, then refused by the record validation
    assert any(isinstance(r.data, list) and r.where["line"] == 3 for r in records)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.jsonl", b"", "empty file"),
        ("blank.txt", b"\n\n  \n", "empty file"),
        ("picture.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.txt", "tag\n\n\nTitle\n\n\ncaf\xe9".encode("latin-1"), "UTF-8"),
        ("nested.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested too deeply"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    records, rejected = split(list(read_sources([path])))
    assert not records
    assert len(rejected) == 1 and reason in rejected[0].reason
    assert rejected[0].source == str(path)


def test_html_page_main_text_title_and_date(tmp_path: Path) -> None:
    page = tmp_path / "statement.html"
    paragraphs = "".join(
        f"<p>Paragraph {i}: the Saviecki District Court of Minsk sentenced Pavel Seviarynets "
        f"under Art 23.34 of the Code of Administrative Offenses, which violated the rules.</p>"
        for i in range(6)
    )
    page.write_text(
        "<!doctype html><html lang='en'><head><title>Immediately release Pavel Seviarynets! | Site</title>"
        "<meta property='article:published_time' content='2020-07-10'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Immediately release Pavel Seviarynets!</h1>{paragraphs}</article>"
        "<footer>This website uses cookies.</footer></body></html>",
        encoding="utf-8",
    )
    records, rejected = split(list(read_sources([page])))
    assert not rejected
    (record,) = records
    assert "Seviarynets" in record.data["title"]
    assert "Paragraph 5" in record.data["body"]
    assert "Home" not in record.data["body"]
    assert record.data["date"] == "2020-07-10"


def test_html_page_with_no_text_is_rejected(tmp_path: Path) -> None:
    page = tmp_path / "scripts.html"
    page.write_text(
        "<html><head><script>var a = 1;</script></head><body><script>b()</script></body></html>"
    )
    records, rejected = split(list(read_sources([page])))
    assert not records
    assert "no main text" in rejected[0].reason


def test_folders_are_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    write_jsonl(tmp_path / "b" / "two.jsonl", [{"id": "two", "title": "Two"}])
    write_jsonl(tmp_path / "one.jsonl", [{"id": "one", "title": "One"}])
    (tmp_path / ".hidden.jsonl").write_text("garbage")
    records, rejected = split(list(read_sources([tmp_path])))
    assert not rejected
    assert [r.data["id"] for r in records] == ["two", "one"]


def test_the_bundled_sample_is_the_seed_verbatim() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert sample_sources()[0].read_bytes() == SHARED_SEED.read_bytes()


def test_in_a_folder_only_statement_files_are_read_and_others_are_reported(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "good.jsonl", [{"id": "good", "title": "Good"}])
    (tmp_path / "notes.py").write_text("print('not a statement')\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.txt").write_text("cache")
    records, rejected = split(list(read_sources([tmp_path])))
    assert [r.data["id"] for r in records] == ["good"]
    (reject,) = rejected
    assert reject.source.endswith("notes.py") and "unknown extension .py" in reject.reason
    _, named = split(list(read_sources([tmp_path / "notes.py"])))  # named: read as asked
    (reason,) = [r.reason for r in named]
    assert reason.startswith("not a tag-page export: there is a tag line but no statements")


def test_a_malformed_json_line_is_reported_at_its_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"id": "broken", "title": "oops", \n', encoding="utf-8")
    (rejection,) = split(list(read_sources([path])))[1]
    assert rejection.reason.endswith("at column 35"), rejection.reason


# ---------------------------------------------------------------- hostile files


@examples(300)
@given(content=file_content, suffix=st.sampled_from(SUFFIXES))
def test_the_readers_never_raise_and_every_rejection_has_a_reason(
    content: bytes, suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        items = list(read_sources([path]))
        assert items, "a file gave neither a record nor a rejection"
        for item in items:
            assert isinstance(item, SourceRecord | RejectedRecord)
            if isinstance(item, RejectedRecord):
                assert item.reason and item.source == str(path)
                json.dumps(item.as_json(), ensure_ascii=False)  # rejects.jsonl holds it


@pytest.mark.parametrize(
    "content", ["x", "joint statement\n", "joint statement\n\nSubscribe to RSS\n"]
)
def test_a_tag_page_without_statements_is_reported(tmp_path: Path, content: str) -> None:
    path = tmp_path / "export.txt"
    path.write_text(content, encoding="utf-8")
    assert list(read_sources([path])), "the file was silently read as nothing"


def test_source_bytes_counts_the_files_named_and_those_in_folders(tmp_path: Path) -> None:
    (tmp_path / "folder" / "deeper").mkdir(parents=True)
    (tmp_path / "folder" / "a.jsonl").write_bytes(b"x" * 100)
    (tmp_path / "folder" / "deeper" / "b.html").write_bytes(b"y" * 20)
    (tmp_path / "one.jsonl").write_bytes(b"z" * 7)
    named = [tmp_path / "folder", tmp_path / "one.jsonl", tmp_path / "missing.jsonl"]
    assert source_bytes(named) == 127
    assert source_bytes([tmp_path / "one.jsonl", "-"]) is None  # a stream's length is unknown
