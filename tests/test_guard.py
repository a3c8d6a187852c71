"""The hang guard fails a test at its bound instead of waiting for the hung work."""

from __future__ import annotations

import threading

import pytest

from .guard import within_guard


def test_the_guard_fails_at_its_bound_while_the_work_still_hangs() -> None:
    release, finished = threading.Event(), threading.Event()

    def hangs() -> None:
        release.wait(60)  # a guard that waits for the work would take this minute
        finished.set()

    try:
        with pytest.raises(pytest.fail.Exception, match="still running after 0.2 s"):
            within_guard(hangs, seconds=0.2)
        assert not finished.is_set(), "the guard waited for the hung work"
    finally:
        release.set()


def test_the_guard_passes_the_work_through_and_raises_what_it_raises() -> None:
    done: list[int] = []
    within_guard(lambda: done.append(1), seconds=60)
    assert done == [1]

    def fails() -> None:
        raise ValueError("the work's own error")

    with pytest.raises(ValueError, match="the work's own error"):
        within_guard(fails, seconds=60)
