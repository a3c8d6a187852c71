"""The server's limits and connection options, as `serve` takes them (no heavy imports:
the CLI reads the defaults for its help)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

RETRY_AFTER_SECONDS = 5
ENVIRONMENT_PREFIX = "SEARCHARCHIVE_MAX_"  # how `serve --workers N` passes limits on
HEADER_TIMEOUT_ENV = "SEARCHARCHIVE_HEADER_TIMEOUT"
# A search or an export holds one of anyio's 40 worker threads at a time: with at most
# 24 + 8 of them, /healthz (which takes a thread but no slot) always finds one free.
MAX_SEARCH_SLOTS = 24
MAX_EXPORT_SLOTS = 8


@dataclass(frozen=True)
class Limits:
    searches: int = 4  # requests reading the index at once (threads); the rest queue
    exports: int = 2  # CSV exports at once
    queued: int = 64  # requests waiting for a slot, per gate; one more gets a 503

    def environment(self) -> dict[str, str]:
        return {f"{ENVIRONMENT_PREFIX}{k.upper()}": str(v) for k, v in asdict(self).items()}

    @classmethod
    def from_environment(cls) -> Limits:
        values = {
            name: int(os.environ[f"{ENVIRONMENT_PREFIX}{name.upper()}"])
            for name in cls.__dataclass_fields__
            if f"{ENVIRONMENT_PREFIX}{name.upper()}" in os.environ
        }
        return cls(**values)


@dataclass(frozen=True)
class ServerOptions:
    """`serve`'s connection options (README: "Serving on the internet")."""

    header_timeout: float = 10.0  # seconds to receive a whole request
    keep_alive_timeout: float = 5.0  # seconds an idle keep-alive connection stays open
    max_connections: int = 500  # open connections (and requests) before uvicorn's 503s
    max_header_bytes: int = 16 * 1024  # a request head larger than this is refused
    forwarded_allow_ips: str = "127.0.0.1"  # proxies whose X-Forwarded-* are believed

    def uvicorn_options(self) -> dict[str, Any]:
        """uvicorn.run's keyword arguments; the header timeout goes by the environment
        (to `--workers` processes too), read by web/server.py's protocol."""
        from .server import GuardedH11Protocol

        os.environ[HEADER_TIMEOUT_ENV] = str(self.header_timeout)
        return {
            "http": GuardedH11Protocol,
            "timeout_keep_alive": self.keep_alive_timeout,
            "limit_concurrency": self.max_connections,
            "h11_max_incomplete_event_size": self.max_header_bytes,
            "proxy_headers": True,
            "forwarded_allow_ips": self.forwarded_allow_ips,
            "server_header": False,
        }
