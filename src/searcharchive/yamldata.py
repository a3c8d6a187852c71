"""YAML data files read with libyaml's parser when PyYAML has it (the usual wheels do).

The pure-Python parser takes about 0.2 s for the packaged files, which every
process (an indexer run of one statement, a server start) pays before it can
do anything; libyaml's takes a tenth of that and builds the same values.
"""

from __future__ import annotations

from typing import Any

import yaml

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """`yaml.safe_load`, through libyaml when available; raises yaml.YAMLError alike."""
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a safe loader, C or Python
