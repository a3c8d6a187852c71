"""The test harness's server: a port taken before the server binds it is not a failed test."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from . import servers


def test_a_server_that_loses_its_port_is_started_again_on_another(
    sample_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = int(taken.getsockname()[1])
        ports = iter([busy, servers.free_port()])
        monkeypatch.setattr(servers, "free_port", lambda: next(ports))
        with servers.serving(sample_index, tmp_path / "server.log") as server:
            assert server.base != f"http://127.0.0.1:{busy}"
            assert httpx.get(f"{server.base}/healthz", timeout=10).status_code == 200


def test_a_server_that_fails_for_another_reason_is_not_started_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    free_port = servers.free_port

    def counted() -> int:
        calls.append(1)
        return free_port()

    monkeypatch.setattr(servers, "free_port", counted)
    index = tmp_path / "index"
    index.mkdir()
    (index / "CURRENT").write_bytes(b"\x00\xffnot a generation\n")  # serve refuses to start
    with pytest.raises(RuntimeError, match="server exited with 2"):
        with servers.serving(index, tmp_path / "server.log"):
            pass
    assert len(calls) == 1
