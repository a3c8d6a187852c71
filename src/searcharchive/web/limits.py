"""How much one server does at once, and what it says when that is full.

Searches and page renders run in worker threads, never on the event loop, so
`/healthz` and every other request keep being answered while they run. Two
gates bound them: ordinary requests that read the index (pages, feeds, the
API) and CSV exports (up to 100 searches each), each with a few slots and a
bounded queue. A request that finds its gate's slots taken and its queue full
is answered at once with a 503 and `Retry-After` instead of waiting behind
every other one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from .options import RETRY_AFTER_SECONDS, Limits

__all__ = ["RETRY_AFTER_SECONDS", "Busy", "Gate", "Gates", "Limits", "ReleasingStream"]


T = TypeVar("T")


class Busy(Exception):
    """Every slot of a gate is taken and its queue is full: 503, try again later."""


class Ticket:
    """One slot of a gate, held from `enter` to `leave` (possibly across tasks)."""


class Gate:
    """`slots` at once, `queued` more waiting for one; past that, Busy at once."""

    def __init__(self, slots: int, queued: int):
        self._limiter = anyio.CapacityLimiter(max(1, slots))
        self._queued = max(0, queued)
        self._waiting = 0

    async def enter(self) -> Ticket:
        """A slot, after waiting in the queue if need be; Busy if the queue is full."""
        if self._limiter.available_tokens < 1 and self._waiting >= self._queued:
            raise Busy()
        ticket = Ticket()
        self._waiting += 1
        try:
            await self._limiter.acquire_on_behalf_of(ticket)
        finally:
            self._waiting -= 1
        return ticket

    def leave(self, ticket: Ticket) -> None:
        self._limiter.release_on_behalf_of(ticket)

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """`function(*args)` in a worker thread, holding a slot while it runs."""
        ticket = await self.enter()
        try:
            return await run_in_threadpool(function, *args)
        finally:
            self.leave(ticket)


class Gates:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.searches = Gate(limits.searches, limits.queued)
        self.exports = Gate(limits.exports, limits.queued)


class ReleasingStream(StreamingResponse):
    """A streamed response that calls `release` once it has ended, however it ends
    (sent in full, the client gone, an error)."""

    def __init__(self, content: Iterator[bytes], release: Callable[[], None], **options: Any):
        super().__init__(content, **options)
        self._release = release
        self._content = content

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()
            close = getattr(self._content, "close", None)
            if close is not None:
                close()
