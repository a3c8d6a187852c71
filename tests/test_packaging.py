"""The wheel carries what the archive needs: templates, catalogs, static files, sample, data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from .servers import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel and unpacked into a folder of its own."""
    folder = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(folder / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (folder / "dist").glob("searcharchive-*.whl")
    target = folder / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr
    return target


def test_the_installed_wheel_serves_the_sample_in_three_languages(
    installed: Path, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(installed),
    }  # the wheel first; dependencies from this venv
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "searcharchive",
            "serve",
            "--index",
            str(tmp_path / "index"),
            "--port",
            str(port),
        ],
        cwd=tmp_path,  # not the checkout: nothing may come from it
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            __import__("time").sleep(0.2)
        module = subprocess.run(
            [sys.executable, "-c", "import searcharchive; print(searcharchive.__file__)"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        ).stdout
        assert module.startswith(str(installed))
        page = httpx.get(f"{base}/ru/", params={"q": "Северинец"}).text
        assert "Фильтры" in page and "Severinets" not in page and "Северинц" in page
        assert httpx.get(f"{base}/static/style.css").status_code == 200
        assert httpx.get(f"{base}/be/tags/joint%20statement").status_code == 200
        assert httpx.get(f"{base}/api/search").json()["total"] == 7
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
