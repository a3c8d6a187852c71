"""The bundled sample corpus: the seed tag page and our Belarusian and Russian translations."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def sample_sources() -> list[Path]:
    folder = Path(str(files("searcharchive.sample")))
    return [folder / "joint-statement.txt", folder / "translations.jsonl"]
