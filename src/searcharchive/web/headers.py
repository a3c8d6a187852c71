"""Every response's headers in one middleware: the security headers (error pages
included), no cookie ever, and the UI language the response is in (chosen by
web/locale.py, which leaves it in the request's state)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

GENERATION_HEADER = "x-index-generation"  # which published index generation answered
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
        b"font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"interest-cohort=(), camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class HttpMiddleware:
    """An ASGI middleware that acts on HTTP requests only (`http`); others pass through."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class HeadersMiddleware(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.setdefault("state", {})  # shared with the scopes made inside

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"set-cookie"
                ]
                lang = state.get("ui_lang")
                if lang:
                    headers.append((b"content-language", lang.encode("ascii")))
                    if not state.get("lang_prefix"):  # chosen by Accept-Language
                        headers.append((b"vary", b"Accept-Language"))
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)
