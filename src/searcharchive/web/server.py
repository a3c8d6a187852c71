"""How `searcharchive serve` runs uvicorn: the timeouts and limits a slow or greedy client meets.

uvicorn closes a keep-alive connection that stays idle for `timeout_keep_alive`,
refuses a request head over `h11_max_incomplete_event_size` bytes, and answers
503 once `limit_concurrency` connections are open; but its h11 protocol has no
timeout for reading a request: a client that sends one header line every few
seconds (or connects and sends nothing) holds a connection for ever. The
protocol below adds one: a request must have arrived whole (head and body)
within `header_timeout` seconds of its first byte (or of the connection, for
its first request), else the connection is closed, with a 408 if part of a
request had come. It is passed to uvicorn as its `http` protocol class; the
timeout reaches `--workers` processes through the environment.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .options import HEADER_TIMEOUT_ENV, ServerOptions

REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 20\r\nconnection: close\r\n\r\nrequest timed out.\r\n"
)
RECEIVED = (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR)  # nothing more to wait for


def header_timeout() -> float:
    try:
        return float(os.environ.get(HEADER_TIMEOUT_ENV, ServerOptions.header_timeout))
    except ValueError:
        return ServerOptions.header_timeout


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for receiving each request."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout()
        self._request_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._request_timer is None and self.conn.their_state is h11.IDLE:
            self._arm()  # the first byte of a request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state in RECEIVED:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._request_timer = self.loop.call_later(self.header_timeout, self._timed_out)

    def _disarm(self) -> None:
        if self._request_timer is not None:
            self._request_timer.cancel()
            self._request_timer = None

    def _timed_out(self) -> None:
        self._request_timer = None
        if self.transport.is_closing() or self.conn.their_state in RECEIVED:
            return
        partial = bool(self.conn.trailing_data[0]) or self.conn.their_state is h11.SEND_BODY
        if partial and self.conn.our_state is h11.IDLE:
            self.transport.write(REQUEST_TIMEOUT)
        self.logger.warning("closed a connection that sent no whole request in time")
        self.transport.close()
