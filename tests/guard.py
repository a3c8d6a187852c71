"""A bound on work that might hang (a catastrophic backtracking, a lock never released)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

HANG_GUARD = 120.0  # seconds: generous; only a catastrophic backtracking would reach it


def within_guard(function: Callable[[], object], seconds: float = HANG_GUARD) -> None:
    """Run `function`, failing the test once `seconds` have passed, without waiting for it.

    The work runs in a daemon thread: a hung one is left behind (it cannot be killed, and it
    does not keep the test process from exiting) instead of holding the test past its bound.
    An exception raised by the work is raised here.
    """
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            function()
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            outcome.append(error)
        else:
            outcome.append(None)

    worker = threading.Thread(target=run, name="hang-guard", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"still running after {seconds:g} s: it hangs", pytrace=False)
    if outcome[0] is not None:
        raise outcome[0]
