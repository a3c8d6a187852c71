"""Shared fixtures: real indexes on disk, built by the real indexer from real files."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import settings

from searcharchive.archive import Archive
from searcharchive.indexer import Indexer
from searcharchive.sample import sample_sources

SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_d134e3591f734dae.txt"
# the package carries a verbatim copy (test_readers checks it against shared/ when present)
SEED = sample_sources()[0]

# Property tests bound their work by examples, never by the clock: a two-core machine
# under load takes longer than Hypothesis's 200 ms default deadline for the first
# example (tables loaded on first use), and a test may not fail for being slow.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

# A suite started in the background of a non-interactive shell (`make test &`) inherits
# SIGINT ignored, and an ignored signal stays ignored across exec: the indexers the Ctrl-C
# tests start would not hear their Ctrl-C. A Python handler is reset to the default on exec.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Test files with slow tests first (in their own order): in a parallel run, workers take
    files in this order as they become free, so the long ones start early instead of one of
    them holding up the end of the run while the other workers stand idle."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample corpus (seed + our be/ru translations), indexed once."""
    index_dir = tmp_path_factory.mktemp("sample") / "index"
    report = Indexer(index_dir).run(sample_sources(), rebuild=True)
    assert not report.rejected, [r.as_json() for r in report.rejected]
    return index_dir


@pytest.fixture(scope="session")
def archive(sample_index: Path) -> Archive:
    return Archive.open(sample_index)


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


HOSTILE = [
    {
        "id": "hostile-en",
        "lang": "en",
        "group": "hostile",
        "title": "<script>alert(1)</script> Statement on Seviarynets",
        "body": 'Text with "><img src=x onerror=alert(1)> inside, about Seviarynets and Viasna.\n\n'
        "Second paragraph <b>bold?</b> &amp; more.",
        "tags": ['=HYPERLINK("http://evil.example","x")', "security test"],
        # a part of a titled article, and an article data/article_titles.yaml has no title for
        "articles": ["cc:342:1", "cc:339"],
        "date": "2021-03-03",
    },
    {
        "id": "hostile-ru",
        "lang": "ru",
        "group": "hostile",
        "title": "=1+2 Заявление о Северинце",
        "body": "Текст <script>alert(1)</script> о Северинце и «Весне».",
        "tags": ["security test"],
        "date": "2021-03-03",
    },
]


@pytest.fixture(scope="session")
def web_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus plus statements whose text tries to inject markup and formulas."""
    folder = tmp_path_factory.mktemp("web")
    hostile = write_jsonl(folder / "hostile.jsonl", HOSTILE)
    index_dir = folder / "index"
    report = Indexer(index_dir).run([*sample_sources(), hostile], rebuild=True)
    assert not report.rejected, [r.as_json() for r in report.rejected]
    return index_dir


@pytest.fixture(scope="session")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus a killed, interrupted or disk-filling indexer is working through."""
    from .faults import BIG, BIG_WORDS, records

    corpus = records("quokka", BIG, words=BIG_WORDS)
    return write_jsonl(tmp_path_factory.mktemp("big") / "quokka.jsonl", corpus)


@pytest.fixture(scope="session")
def server(web_index: Path) -> Iterator[str]:
    from .servers import running_server

    with running_server(web_index) as base:
        yield base


@pytest.fixture(scope="session")
def output_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hostile tags, undated statements and generated hostile text (tests/outputs.py)."""
    from .outputs import build_output_index

    return build_output_index(tmp_path_factory.mktemp("outputs"))


@pytest.fixture(scope="session")
def output_archive(output_index: Path) -> Archive:
    return Archive.open(output_index)


@pytest.fixture(scope="session")
def output_site(output_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from .servers import serving

    log = tmp_path_factory.mktemp("outputs-server") / "server.log"
    with serving(output_index, log) as server:
        yield server.base
        assert "Traceback" not in server.output()


@pytest.fixture(scope="session")
def output_client(output_site: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=output_site, timeout=30) as client:
        yield client
