"""The reader's UI language for the request being served.

Chosen by a URL prefix (/be/…, /ru/…, /en/…), else by Accept-Language; kept in
a context variable so gettext in templates and code needs no request object.
"""

from __future__ import annotations

from contextvars import ContextVar

from starlette.types import Receive, Scope, Send

from ..i18n import UI_LANGS, negotiate, translations
from .headers import HttpMiddleware

current_lang: ContextVar[str] = ContextVar("current_lang", default="en")


def gettext(message: str) -> str:
    return translations(current_lang.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_lang.get()).ngettext(singular, plural, n)


def split_prefix(path: str) -> tuple[str | None, str]:
    for lang in UI_LANGS:
        prefix = f"/{lang}"
        if path == prefix or path.startswith(prefix + "/"):
            return lang, path[len(prefix) :] or "/"
    return None, path


class LocaleMiddleware(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        lang, path = split_prefix(scope["path"])
        if lang is None:
            headers = dict(scope.get("headers") or [])
            accept = headers.get(b"accept-language", b"").decode("latin-1")[:500]
            lang = negotiate(accept)
            prefix = ""
        else:
            prefix = f"/{lang}"
            scope = {**scope, "path": path, "raw_path": path.encode("utf-8")}
        scope.setdefault("state", {})
        scope["state"]["ui_lang"] = lang
        scope["state"]["lang_prefix"] = prefix
        token = current_lang.set(lang)

        try:
            await self.app(scope, receive, send)  # headers.py adds content-language
        finally:
            current_lang.reset(token)
