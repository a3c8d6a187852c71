"""JSON API: /api/search, /api/statements/{id}, described by /api/openapi.json."""

from __future__ import annotations

from typing import Any

LIST_PARAM = {"type": "array", "items": {"type": "string", "maxLength": 200}, "maxItems": 20}


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
        {"type": "string", "maxLength": 500},
        "Words, \"phrases\", AND/OR/NOT, -word, title:, person:, org:, article:; a citation such as 'ч. 1 ст. 342 УК'.",
    ),
    _param("tag", LIST_PARAM, "Tags (OR).", True),
    _param("org", LIST_PARAM, "Organization ids (OR), e.g. viasna.", True),
    _param("article", LIST_PARAM, "Article ids (OR), e.g. cc:342 (includes its parts).", True),
    _param(
        "lang",
        {"type": "array", "items": {"type": "string", "enum": ["en", "be", "ru"]}, "maxItems": 3},
        "Languages (OR).",
        True,
    ),
    _param("from", {"type": "string", "format": "date"}, "Published on or after."),
    _param("to", {"type": "string", "format": "date"}, "Published on or before."),
    _param(
        "sort",
        {"type": "string", "enum": ["relevance", "newest", "oldest"]},
        "Default: relevance with a query, else newest.",
    ),
    _param("page", {"type": "integer", "minimum": 1, "maximum": 10000}, "Page number."),
    _param("size", {"type": "integer", "minimum": 1, "maximum": 100}, "Results per page."),
    _param("exact", {"type": "string", "enum": ["0", "1"]}, "1: no stemming or spelling folding."),
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
                                        "required": ["statement", "translations"],
                                        "properties": {
                                            "statement": {"type": "object"},
                                            "translations": {
                                                "type": "array",
                                                "items": {"type": "object"},
                                            },
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
