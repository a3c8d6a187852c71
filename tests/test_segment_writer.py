"""The segment writer of full builds (segment_writer.py) writes the very files Whoosh's own
writer writes for the same documents, with Whoosh's choices of compression and pickle
protocol: postings, term table, lengths and stored fields, whether its postings stay in
memory or spill to runs on disk, in one block or many. With its own choices, Whoosh reads
the same postings from a smaller file."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index

from searcharchive.document_terms import FieldTerms
from searcharchive.indexer import Indexer, IndexReport, whoosh_document
from searcharchive.persons import index_terms
from searcharchive.readers import read_sources
from searcharchive.schema import build_schema
from searcharchive.segment_writer import TermSegmentWriter, UnsupportedSchema

REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-dev"
pytestmark = pytest.mark.skipif(
    not (REAL_DEV / "statements.jsonl").is_file(), reason=f"no real statements at {REAL_DEV}"
)
COPIES = 8  # each statement eight times: frequent terms span several blocks (of 128)


def documents() -> list[dict[str, Any]]:
    indexer = Indexer("unused", processes=1)
    report = IndexReport()
    sources = read_sources([REAL_DEV / "statements.jsonl"])
    docs = []
    for statement, _, _, mentions in indexer._statements(sources, report):
        keys = index_terms(statement.id, mentions, indexer.extractor.persons)
        docs.append(whoosh_document(statement, indexer.person_names(statement), keys))
    assert docs and not report.rejected
    copies = [{**doc, "id": f"{doc['id']}-{n}"} for n in range(COPIES) for doc in docs]
    return copies + [one_of_a_kind(doc, n) for n, doc in enumerate(docs[:3])]


def one_of_a_kind(doc: dict[str, Any], n: int) -> dict[str, Any]:
    """The document with words no other has added to each analysed text: terms with one
    posting in every kind of field (positions, frequencies, stems, keys)."""
    schema = build_schema()
    texts = {
        name: f"{value} Zorvexant{n} quindlebrook{n} Жвірлаўка{n}"
        for name, value in doc.items()
        if name in schema and isinstance(value, str) and FieldTerms.for_field(schema[name])
    }
    return {**doc, **texts, "id": f"{doc['id']}-one-of-a-kind"}


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    return documents()


def segment_files(folder: Path) -> dict[str, str]:
    """Each segment file's digest by its kind ("pst", "_exact_len.col"; a segment's files
    are named MAIN_<random id>.<kind>), the table of contents and lock left out."""
    return {
        path.name.partition(".")[2]: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.glob("MAIN_*.*")
        if path.suffix != ".seg"
    }


WHOOSH_CHOICES = {"compress_from": 0, "block_protocol": 2}  # every block compressed, pickle 2


def build(
    folder: Path,
    docs: list[dict[str, Any]],
    ours: bool,
    limitmb: int,
    choices: dict[str, int] = WHOOSH_CHOICES,
) -> dict[str, str]:
    """The segment's files (`segment_files`): Whoosh's writer, or ours with `choices`
    of its format (Whoosh's by default; {} for our defaults)."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    if ours:
        writer = TermSegmentWriter(ix, limitmb=limitmb, compound=False, **choices)
    else:
        writer = ix.writer(limitmb=limitmb, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return segment_files(folder)


@pytest.mark.parametrize("limitmb", [1, 64], ids=["spilled-runs", "in-memory"])
def test_same_files_as_whoosh(tmp_path: Path, docs: list[dict[str, Any]], limitmb: int) -> None:
    theirs = build(tmp_path / "whoosh", docs, ours=False, limitmb=limitmb)
    ours = build(tmp_path / "ours", docs, ours=True, limitmb=limitmb)
    assert {"trm", "pst", "_stored.col", "_exact_len.col", "_body_be_len.col"} <= set(theirs)
    assert ours == theirs
    with whoosh_index.open_dir(str(tmp_path / "ours")).reader() as reader:
        longest = max(reader.doc_frequency(field, term) for field, term in reader.all_terms())
        assert reader.doc_frequency("exact", "zorvexant0") == 1  # terms of one posting
    assert longest > 2 * 128  # and postings lists that span several blocks


def postings(folder: Path) -> dict[tuple[str, bytes], Any]:
    """Every term's statistics and postings (document, weight, value) as Whoosh reads them."""
    found = {}
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        for field, term in reader.all_terms():
            info = reader.term_info(field, term)
            matcher = reader.postings(field, term)
            items = []
            while matcher.is_active():
                items.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
            stats += (info.max_weight(), info.min_id(), info.max_id())
            found[(field, term)] = (stats, items)
    return found


@pytest.mark.parametrize(
    "choices",
    [{"block_protocol": 2}, {"compress_from": 0}, {}],
    ids=["short-blocks-uncompressed", "pickle-protocol-4", "both"],
)
def test_our_format_choices_read_the_same(
    tmp_path: Path, docs: list[dict[str, Any]], choices: dict[str, int]
) -> None:
    """By default short blocks are not compressed and blocks are pickled with protocol 4:
    other bytes, the same postings read back, and a smaller postings file."""
    theirs = build(tmp_path / "whoosh", docs, ours=False, limitmb=64)
    ours = build(tmp_path / "ours", docs, ours=True, limitmb=64, choices=choices)
    assert ours["pst"] != theirs["pst"]
    assert {k: v for k, v in ours.items() if k not in ("pst", "trm")} == {
        k: v for k, v in theirs.items() if k not in ("pst", "trm")
    }
    assert postings(tmp_path / "ours") == postings(tmp_path / "whoosh")
    [ours_pst] = (tmp_path / "ours").glob("*.pst")
    [their_pst] = (tmp_path / "whoosh").glob("*.pst")
    assert ours_pst.stat().st_size < their_pst.stat().st_size


def test_spills_runs_when_over_its_limit(tmp_path: Path, docs: list[dict[str, Any]]) -> None:
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = TermSegmentWriter(ix, limitmb=1, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    assert len(writer.pool.runs) >= 2  # the comparison above covers merging runs
    writer.cancel()


def test_refuses_to_merge_segments(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = TermSegmentWriter(ix, compound=False)
    with pytest.raises(UnsupportedSchema):
        writer.add_reader(None)
    writer.cancel()
