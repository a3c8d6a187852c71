"""JSON API: /api/search, /api/statements/{id}, described by /api/openapi.json."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse

from .clean import encodable


class ApiResponse(JSONResponse):
    """JSON that always encodes: an old index may hold lone surrogates (as U+FFFD here)."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return encodable(text).encode("utf-8")


# The server clamps rather than refuses: the first 20 distinct values are kept, each cut
# to 200 characters; the schema says so in words, not as limits a client must obey.
LIST_PARAM = {"type": "array", "items": {"type": "string"}}
DATE_PARAM = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]}


def _param(
    name: str, schema: dict[str, Any], description: str, explode: bool = False
) -> dict[str, Any]:
    parameter = {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }
    if explode:
        parameter.update(style="form", explode=True)
    return parameter


SEARCH_PARAMETERS = [
    _param(
        "q",
        {"type": "string"},
        'Words, "phrases", AND/OR/NOT, -word, title:, person:, org:, article:; a citation '
        "such as 'ч. 1 ст. 342 УК'. Cut to 500 characters.",
    ),
    _param("tag", LIST_PARAM, "Tags (OR); the first 20 distinct values are used.", True),
    _param("org", LIST_PARAM, "Organization ids (OR), e.g. viasna; the first 20 are used.", True),
    _param(
        "article",
        LIST_PARAM,
        "Article ids (OR), e.g. cc:342 (includes its parts); the first 20 are used.",
        True,
    ),
    _param(
        "lang",
        {"type": "array", "items": {"type": "string", "enum": ["en", "be", "ru", ""]}},
        "Languages (OR).",
        True,
    ),
    _param("from", DATE_PARAM, "Published on or after (400 if after 'to'); empty: no limit."),
    _param("to", DATE_PARAM, "Published on or before; empty: no limit."),
    _param(
        "sort",
        {"type": "string", "enum": ["relevance", "newest", "oldest", ""]},
        "Empty (the default): relevance with a query, else newest.",
    ),
    _param("page", {"type": "integer"}, "Page number, clamped to 1…10,000."),
    _param("size", {"type": "integer"}, "Results per page, clamped to 1…100."),
    _param(
        "exact",
        {"type": "string"},
        "1 (or true, on, yes): no stemming and no spelling folding; anything else: off.",
    ),
]

FACET_VALUE = {
    "type": "object",
    "required": ["value", "label", "count", "selected"],
    "properties": {
        "value": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer"},
        "selected": {"type": "boolean"},
        "parent": {"type": ["string", "null"]},
    },
}
STRINGS = {"type": "array", "items": {"type": "string"}}
HIT = {
    "type": "object",
    "required": [
        "id",
        "lang",
        "title",
        "date",
        "tags",
        "organizations",
        "articles",
        "persons",
        "group",
        "translations",
    ],
    "properties": {
        "id": {"type": "string"},
        "lang": {"type": "string"},
        "title": {"type": "string"},
        "date": {"type": ["string", "null"]},
        "tags": STRINGS,
        "organizations": STRINGS,
        "articles": STRINGS,
        "persons": STRINGS,
        "group": {"type": "string"},
        "lead": {"type": "string"},
        "snippet": {"type": "string", "description": "HTML: escaped text with <mark> tags"},
        "matched": STRINGS,
        "translations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "lang": {"type": "string"},
                    "title": {"type": "string"},
                },
            },
        },
    },
}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}


def openapi_schema() -> dict[str, Any]:
    error_response = {"content": {"application/json": {"schema": ERROR}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "searcharchive",
            "version": "1",
            "description": "Search Belarusian human-rights statements in English, Belarusian and Russian.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search with facets",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "Results",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["total", "hits", "facets", "page", "size"],
                                        "properties": {
                                            "total": {"type": "integer"},
                                            "page": {"type": "integer"},
                                            "size": {"type": "integer"},
                                            "sort": {"type": "string"},
                                            "hits": {"type": "array", "items": HIT},
                                            "facets": {
                                                "type": "object",
                                                "additionalProperties": {
                                                    "type": "array",
                                                    "items": FACET_VALUE,
                                                },
                                            },
                                            "notes": STRINGS,
                                            "generation": {"type": "string"},
                                        },
                                    }
                                }
                            },
                        },
                        "400": {"description": "Bad parameter", **error_response},
                    },
                }
            },
            "/api/statements/{id}": {
                "get": {
                    "summary": "One statement with its translations",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "maxLength": 160},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The statement",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["statement", "translations", "generation"],
                                        "properties": {
                                            "statement": {"type": "object"},
                                            "translations": {
                                                "type": "array",
                                                "items": {"type": "object"},
                                            },
                                            "generation": {"type": "string"},
                                        },
                                    }
                                }
                            },
                        },
                        "404": {"description": "No such statement", **error_response},
                    },
                }
            },
        },
    }
