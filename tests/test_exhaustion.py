"""Issue #11, "a server one client can exhaust": memory, blocking, slow clients, wildcards.

Each test works on a real index on disk; the server tests talk HTTP to a real
uvicorn server (in a subprocess, or in a thread of this process where the test
must hold a search open at a chosen moment). Nothing here asserts a duration:
where a bound on time is needed it only stops a test that would otherwise hang,
and is far above what a loaded machine needs.
"""

from __future__ import annotations

import csv
import io
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from whoosh import query as wq

from searcharchive import generation as generation_module
from searcharchive import postings
from searcharchive.archive import Archive, SearchResult
from searcharchive.folding import fold_key
from searcharchive.generation import Generation
from searcharchive.query import MAX_EXPANSIONS, parse_query
from searcharchive.request import SearchRequest
from searcharchive.stemming import stem
from searcharchive.web.app import create_app
from searcharchive.web.limits import RETRY_AFTER_SECONDS, Limits

from .faults import figure
from .servers import Server, free_port, serving

HANG_GUARD = 60.0  # seconds: only ever reached by a test that would otherwise hang
LETTERS = "abcdefghijklmnopqrstuvwxyzабвгдежзійклмнопрстуўфхцчшыьэюя"


def random_words(count: int, seed: int = 11) -> list[str]:
    """Words no index holds: what a client sends to fill caches with misses."""
    rng = random.Random(seed)
    return ["".join(rng.choice(LETTERS) for _ in range(rng.randint(6, 12))) for _ in range(count)]


def index_words(archive: Archive, count: int) -> list[str]:
    reader = archive.generation().searcher.reader()
    words = (term.decode("utf-8") for term, _ in reader.iter_field("exact"))
    return [word for word in words if word.isalpha()][:count]


# ---------------------------------------------------------------- 9. memory


@pytest.mark.parametrize(
    ("entries", "max_bytes"),
    [(300, postings.CACHE_BYTES), (1_000_000, 60_000)],
    ids=["entry-bound", "byte-bound"],
)
def test_random_word_queries_leave_the_postings_cache_within_its_bounds(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch, entries: int, max_bytes: int
) -> None:
    """Words not in the index used to cost nothing and were never evicted."""
    monkeypatch.setattr(postings, "CACHE_ENTRIES", entries, raising=False)
    monkeypatch.setattr(postings, "CACHE_BYTES", max_bytes)
    archive = Archive.open(sample_index)  # a new one: its generation's cache takes the bounds
    words = random_words(400)
    for word in words:
        assert archive.search(SearchRequest(q=word)).total == 0
    cache = archive.generation().postings.cache
    figure(
        f"postings cache after 400 random words, bounds {entries}/{max_bytes}",
        (len(cache), cache.bytes),
    )
    assert 0 < len(cache) <= entries
    assert cache.bytes <= max_bytes
    assert len(words) * 9 > min(entries, max_bytes // 512)  # the queries did pass the bound


def test_phrase_checks_leave_whooshs_term_cache_within_its_bound(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh's searcher keeps the idf of every term a phrase check looks up."""
    monkeypatch.setattr(generation_module, "WHOOSH_CACHE_ENTRIES", 50, raising=False)
    archive = Archive.open(sample_index)
    words = index_words(archive, 300)
    for first, second in zip(words[::2], words[1::2], strict=False):
        archive.search(SearchRequest(q=f'"{first} {second}"'))
    assert len(archive.generation().searcher._idf_cache) <= 50
    assert len(words) == 300  # enough distinct words to pass the bound several times


def test_word_caches_keep_no_long_words() -> None:
    """A 500-character query word is computed, not kept: the caches' bytes stay bounded."""
    long_word = "щ" * 400 + "".join(random_words(1, seed=3))
    before = (fold_key.cache_info().currsize, stem.cache_info().currsize)  # type: ignore[attr-defined]
    fold_key(long_word)
    stem(long_word, "ru")
    after = (fold_key.cache_info().currsize, stem.cache_info().currsize)  # type: ignore[attr-defined]
    assert after == before


# ---------------------------------------------------------------- 14. wildcards


def busy_prefixes(archive: Archive, wanted: int) -> list[str]:
    """Three-letter prefixes of the index's words, the most productive first, until
    they expand (each within its own old cap) to more than `wanted` words."""
    counts = Counter(word[:3] for word in index_words(archive, 100_000) if len(word) > 3)
    chosen: list[str] = []
    for prefix, _ in counts.most_common(60):  # 60 × len('pre* OR ') < 500 characters
        chosen.append(prefix)
        if sum(min(counts[p], MAX_EXPANSIONS) for p in chosen) > wanted:
            return chosen
    raise AssertionError("the sample index has too few words for this test")


def test_the_prefixes_of_one_query_expand_to_at_most_the_budget_in_total(
    archive: Archive,
) -> None:
    prefixes = busy_prefixes(archive, MAX_EXPANSIONS)
    text = " OR ".join(f"{prefix}*" for prefix in prefixes)
    parsed = parse_query(text, archive.organizations, reader=archive.generation().searcher.reader())
    assert parsed.query is not None
    exact = [t for t in parsed.query.leaves() if isinstance(t, wq.Term) and t.fieldname == "exact"]
    notes = [str(note) for note in parsed.notes]
    fallbacks = [note for note in notes if "as many as one query may" in note]
    figure(f"{len(prefixes)} prefixes expanded to", len(exact) - len(fallbacks))
    assert len(exact) - len(fallbacks) <= MAX_EXPANSIONS  # one `exact` term per fallback word
    assert any("matches too many words" in note for note in notes)
    result = archive.search(SearchRequest(q=text))  # and the search itself answers
    assert result.total > 0
    assert any("matches too many words" in str(note) for note in result.notes)


# ---------------------------------------------------------------- 10. blocking


class HeldArchive(Archive):
    """A real archive on a real index whose searches, once `hold` is set, wait for
    `release`: a slow export or search held open for exactly as long as a test needs."""

    def __init__(self, index_dir: Path):
        super().__init__(index_dir)
        self.hold = threading.Event()
        self.entered = threading.Event()
        self.release = threading.Event()

    def search(self, request: SearchRequest, at: Generation | None = None) -> SearchResult:
        if self.hold.is_set():
            self.entered.set()
            self.release.wait(HANG_GUARD)
        return super().search(request, at=at)


@contextmanager
def app_server(archive: Archive, limits: Limits) -> Iterator[str]:
    """The real app behind a real uvicorn server, in a thread of this process."""
    app = create_app(archive.store.root, archive=archive, limits=limits)
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: server.started), "the server did not start"
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(HANG_GUARD)


def wait_until(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + HANG_GUARD
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


class Background:
    """One HTTP request in a thread, its response kept."""

    def __init__(self, url: str):
        self.response: httpx.Response | None = None
        self.thread = threading.Thread(target=self._get, args=(url,), daemon=True)
        self.thread.start()

    def _get(self, url: str) -> None:
        self.response = httpx.get(url, timeout=HANG_GUARD)

    def result(self) -> httpx.Response:
        self.thread.join(HANG_GUARD)
        assert self.response is not None, "the request did not complete"
        return self.response


def csv_ids(response: httpx.Response) -> list[str]:
    return [row["id"] for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))]


def test_healthz_answers_while_an_export_is_held_and_a_full_export_gate_says_503(
    web_index: Path,
) -> None:
    archive = HeldArchive(web_index)
    with app_server(archive, Limits(searches=2, exports=1, queued=0)) as base:
        archive.hold.set()
        export = Background(f"{base}/export.csv?q=Seviarynets")
        assert archive.entered.wait(HANG_GUARD), "the export never reached a search"
        # the export holds its slot, blocked inside a search: the event loop must not be
        health = httpx.get(f"{base}/healthz", timeout=HANG_GUARD)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        refused = httpx.get(f"{base}/export.csv?q=Viasna", timeout=HANG_GUARD)
        openapi = httpx.get(f"{base}/api/openapi.json", timeout=HANG_GUARD)
        assert export.thread.is_alive() and export.response is None  # still in flight
        archive.hold.clear()
        archive.release.set()
        done = export.result()
        again = httpx.get(f"{base}/export.csv?q=Viasna", timeout=HANG_GUARD)
    assert openapi.status_code == 200
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert refused.json() == {"error": "the archive is busy; try again in a few seconds"}
    assert done.status_code == 200
    expected = archive.search(SearchRequest(q="Seviarynets", size=100))
    assert csv_ids(done) == [hit.statement.id for hit in expected.hits]
    assert again.status_code == 200 and csv_ids(again)  # the slot was given back


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/be/?q=Viasna", "page"),
        ("/ru/statements/immediately-release-pavel-seviarynets-ef4ec130b5-be", "page"),
        ("/api/search?q=Viasna", "json"),
        ("/feed.atom?q=Viasna", "json"),
    ],
)
def test_a_full_search_gate_answers_503_with_retry_after_in_the_readers_language(
    web_index: Path, path: str, kind: str
) -> None:
    archive = HeldArchive(web_index)
    with app_server(archive, Limits(searches=1, exports=1, queued=0)) as base:
        archive.hold.set()
        held = Background(f"{base}/api/search?q=Seviarynets")
        assert archive.entered.wait(HANG_GUARD), "the search never started"
        refused = httpx.get(f"{base}{path}", timeout=HANG_GUARD)
        archive.hold.clear()
        archive.release.set()
        assert held.result().status_code == 200
        served = httpx.get(f"{base}{path}", timeout=HANG_GUARD)  # the slot is free again
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert served.status_code == 200
    if kind == "json":
        assert refused.json()["error"].startswith("the archive is busy")
        return
    lang = path.split("/")[1]
    busy = {"be": "Архіў заняты", "ru": "Архив занят"}[lang]
    assert busy in refused.text and "Traceback" not in refused.text
    # pages are rendered in worker threads: the UI language still reaches gettext there
    assert served.headers["content-language"] == lang
    footer = {"be": "Архіў заяў беларускіх", "ru": "Архив заявлений белорусских"}[lang]
    assert footer in served.text


def test_the_csv_export_is_streamed_from_one_generation(server: str, web_index: Path) -> None:
    with httpx.stream("GET", f"{server}/export.csv", timeout=HANG_GUARD) as response:
        chunks = list(response.iter_raw())
        headers = response.headers
    assert response.status_code == 200
    assert "content-length" not in headers and headers["transfer-encoding"] == "chunked"
    assert headers["x-index-generation"].startswith("gen-")
    text = b"".join(chunks).decode("utf-8-sig")
    ids = [row["id"] for row in csv.DictReader(io.StringIO(text))]
    expected = Archive.open(web_index).search(SearchRequest(size=100))
    assert ids == [hit.statement.id for hit in expected.hits] and len(ids) == expected.total


# ---------------------------------------------------------------- 13. slow clients


@pytest.fixture(scope="module")
def guarded_server(web_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real `searcharchive serve` with a short request deadline and three connections."""
    log = tmp_path_factory.mktemp("guarded") / "server.log"
    options = ("--header-timeout", "2", "--keep-alive-timeout", "120", "--max-connections", "3")
    with serving(web_index, log, options=options) as server:
        yield server


def connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=HANG_GUARD)
    sock.settimeout(0.5)
    return sock


def trickle(sock: socket.socket, lines: list[bytes]) -> tuple[bytes, int]:
    """Send `lines` one every half second until the server closes the connection:
    what it answered, and how many lines it took. Bounded by HANG_GUARD."""
    answer = b""
    sent = 0
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline:
        try:
            data = sock.recv(4096)
        except TimeoutError:
            try:
                sock.sendall(lines[sent % len(lines)] if lines else b"")
            except OSError:  # reset by the server
                return answer, sent
            sent += 1
            continue
        except OSError:
            return answer, sent
        if not data:
            return answer, sent
        answer += data
    raise AssertionError(f"still connected after {HANG_GUARD:.0f} s and {sent} lines")


def test_a_client_sending_one_header_line_at_a_time_is_disconnected(
    guarded_server: Server,
) -> None:
    sock = connect(guarded_server.base)
    with sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        headers = [f"X-Slow-{n}: {'a' * 20}\r\n".encode() for n in range(1000)]
        answer, sent = trickle(sock, headers)
    figure("header lines sent before the slow client was disconnected", sent)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:100]
    assert sent < 1000
    assert httpx.get(f"{guarded_server.base}/healthz", timeout=HANG_GUARD).status_code == 200


def test_a_client_that_connects_and_sends_nothing_is_disconnected(
    guarded_server: Server,
) -> None:
    with connect(guarded_server.base) as sock:
        answer, _ = trickle(sock, [])
    assert answer == b""


def test_past_the_connection_limit_requests_get_a_503(guarded_server: Server) -> None:
    """Connections kept alive after their answer count against the limit of three: by
    the third one at the latest (sooner if an earlier test's connection is still being
    closed), a request is answered 503 by uvicorn."""
    opened: list[socket.socket] = []
    answers: list[bytes] = []
    try:
        while len(opened) < 3 and not (answers and answers[-1].startswith(b"HTTP/1.1 503 ")):
            opened.append(connect(guarded_server.base))
            answers.append(ask(opened[-1]))
    finally:
        for sock in opened:
            sock.close()
    figure("connections opened until a 503", len(answers))
    assert answers[-1].startswith(b"HTTP/1.1 503 "), [a[:20] for a in answers]
    assert all(a.startswith(b"HTTP/1.1 200 ") for a in answers[:-1])


def ask(sock: socket.socket) -> bytes:
    """One GET /healthz on a kept-alive connection; its answer, read whole."""
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    sock.settimeout(HANG_GUARD)
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(4096)
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(4096)
    return answer
