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


def _declared() -> set[str]:
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=\[; ]", spec, maxsplit=1)[0] for spec in project["dependencies"]}
    return {name.lower().replace("_", "-") for name in names}


def test_every_module_the_package_imports_is_declared() -> None:
    """A module that arrives only as another package's dependency can vanish with it."""
    import ast
    from importlib.metadata import packages_distributions

    distributions = packages_distributions()
    imported: set[str] = set()
    for path in (ROOT / "src" / "searcharchive").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m in distributions and m not in sys.stdlib_module_names}
    missing = {
        m: distributions[m]
        for m in third_party
        if not {d.lower().replace("_", "-") for d in distributions[m]} & _declared()
    }
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
    assert {"lxml", "lxml-html-clean"} <= _declared()  # trafilatura's HTML cleaning


@pytest.mark.slow
def test_a_fresh_venv_with_its_own_pip_installs_an_archive_that_reads_html(
    tmp_path: Path,
) -> None:
    """As a user installs it: `python3 -m venv` (its bundled pip), `pip install .`, then a
    saved HTML page indexed. Once the first HTML page aborted the run (ImportError)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    page = tmp_path / "statement.html"
    page.write_text(
        "<html lang='en'><head><title>Release the journalists</title></head><body><article>"
        "<h1>Release the journalists</h1>"
        + "<p>The journalists were detained in Minsk on May 3, 2023 for their work.</p>" * 6
        + "</article></body></html>",
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(venv / "bin" / "searcharchive"), "index", str(page), "--index", str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "read 1, indexed 1" in result.stdout
