"""The OpenAPI document of the JSON API (web/api.py), served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from ..languages import LANGS
from .api import FACET_NAMES, FACET_SIZE, MAX_FACET_SIZE
from .entities import FILTERS as ENTITY_KINDS
from .facet_listing import MAX_PAGE as MAX_FACET_PAGE
from .facet_listing import MAX_PAGE_SIZE as MAX_FACET_PAGE_SIZE
from .facet_listing import PAGE_SIZE as FACET_PAGE_SIZE
from .facet_listing import SORTS

# The server clamps rather than refuses: the first 20 distinct values are kept, each cut
# to 200 characters; the schema says so in words, not as limits a client must obey.
LIST_PARAM = {"type": "array", "items": {"type": "string"}}
# a blank value (spaces too) is no value: the default, or no limit
BLANK = {"type": "string", "pattern": "^\\s*$"}
DATE_PARAM = {"anyOf": [{"type": "string", "format": "date"}, BLANK]}
INT_PARAM = {"anyOf": [{"type": "integer"}, BLANK]}


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
    _param(
        "tag",
        LIST_PARAM,
        "Tag ids (OR); another spelling of a listed tag is read as its id. The first 20 "
        "distinct values are used.",
        True,
    ),
    _param("org", LIST_PARAM, "Organization ids (OR), e.g. viasna; the first 20 are used.", True),
    _param(
        "person",
        LIST_PARAM,
        "Person ids (OR), as the person facet lists them: statements naming that person in "
        "any spelling; the first 20 are used.",
        True,
    ),
    _param(
        "article",
        LIST_PARAM,
        "Article ids (OR), e.g. cc:342 (includes its parts); the first 20 are used.",
        True,
    ),
    _param(
        "lang",
        {"type": "array", "items": {"type": "string", "enum": [*LANGS, ""]}},
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
    _param("page", INT_PARAM, "Page number, clamped to 1…10,000."),
    _param("size", INT_PARAM, "Results per page, clamped to 1…100."),
    _param(
        "exact",
        {"type": "string"},
        "1 (or true, on, yes): no stemming and no spelling folding; anything else: off.",
    ),
    _param(
        "undated",
        {"type": "string"},
        "1 (or true, on, yes): only statements without a date (from and to are then "
        "ignored); anything else: off.",
    ),
]
FACET_SIZE_PARAMETER = _param(
    "facet_size",
    INT_PARAM,
    f"Values listed per facet (the most counted, plus every selected one), clamped to "
    f"1…{MAX_FACET_SIZE}; default {FACET_SIZE}. facet_totals says how many each facet has; "
    "/api/facets/{facet} lists them all, page by page.",
)
FACET_PARAMETERS = [
    {
        "name": "facet",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": list(FACET_NAMES)},
    },
    *(p for p in SEARCH_PARAMETERS if p["name"] not in ("page", "size", "sort")),
    _param("page", INT_PARAM, f"Page of values, clamped to 1…{MAX_FACET_PAGE:,}."),
    _param(
        "size",
        INT_PARAM,
        f"Values per page, clamped to 1…{MAX_FACET_PAGE_SIZE}; default {FACET_PAGE_SIZE}.",
    ),
    _param(
        "sort",
        {"anyOf": [{"type": "string", "enum": list(SORTS)}, BLANK]},
        "count (default): most counted first; label: A–Z by label in the UI language.",
    ),
    _param(
        "filter",
        {"type": "string"},
        "Only values whose label (in the UI language) or value contains this text, "
        "case-insensitive.",
    ),
    _param(
        "parent",
        {"type": "string"},
        "Tree facets (article): only the values under this one (cc -> its articles); "
        "given empty, the top level (the codes). Absent: every value.",
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
        "parent": {
            "type": ["string", "null"],
            "description": "article and month facets: the value one level up (cc:342 -> cc)",
        },
        "title": {
            "type": ["string", "null"],
            "description": "article facet only: the article's own title in the UI language "
            "(a part, cc:342:1, has its article's), from data/article_titles.yaml; null for "
            "a code or an article without a known title",
        },
    },
}
SEARCH_REQUIRED = "total hits facets undated facet_totals facets_truncated page size".split()
STRINGS = {"type": "array", "items": {"type": "string"}}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
HIT = {
    "type": "object",
    "required": (
        "id lang title date tags organizations authors articles persons group translations"
    ).split(),
    "properties": {
        "id": {"type": "string"},
        "lang": {"type": "string"},
        "title": {"type": "string"},
        "date": {"type": ["string", "null"]},
        "tags": STRINGS,
        "organizations": {**STRINGS, "description": "every organization it names (ids)"},
        "authors": {**STRINGS, "description": "of those, its authors and signatories (ids)"},
        "articles": STRINGS,
        "persons": STRINGS,
        "group": {"type": "string"},
        "lead": {"type": "string"},
        "title_html": {
            "type": "string",
            "description": "HTML: the title escaped, the query's words in <mark> tags",
        },
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
FACET_PAGE = {
    "type": "object",
    "required": ["facet", "total", "page", "size", "values", "generation"],
    "properties": {
        "facet": {"type": "string"},
        "total": {"type": "integer", "description": "How many values the facet has"},
        "page": {"type": "integer"},
        "size": {"type": "integer"},
        "sort": {"type": "string", "enum": list(SORTS)},
        "filter": {"type": "string"},
        "parent": {"type": ["string", "null"]},
        "values": {
            "type": "array",
            "items": {
                **FACET_VALUE,
                "properties": {
                    **FACET_VALUE["properties"],  # type: ignore[dict-item]
                    "children": {
                        "type": "integer",
                        "description": "Tree facets only: how many values are under this one",
                    },
                },
            },
        },
        "generation": {"type": "string"},
    },
}
SEARCH_RESULT: dict[str, Any] = {
    "type": "object",
    "required": SEARCH_REQUIRED,
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
        "undated": {
            "type": "integer",
            "description": "Statements without a date, counted as the year and month facets "
            "are (every filter but the dates applies); undated=1 selects them",
        },
        "facet_totals": {
            **COUNTS,
            "description": "How many values each facet has",
        },
        "facets_truncated": {
            **STRINGS,
            "description": "Facets not all of whose values are listed",
        },
        "notes": STRINGS,
        "generation": {"type": "string"},
    },
}
ENTITY_RESULT: dict[str, Any] = {
    **SEARCH_RESULT,
    "required": [*SEARCH_RESULT["required"], "entity"],
    "properties": {
        **SEARCH_RESULT["properties"],
        "entity": {
            "type": "object",
            "required": ["kind", "facet", "value", "label"],
            "properties": {
                "kind": {"type": "string"},
                "facet": {"type": "string", "description": "the facet whose value it is"},
                "value": {"type": "string"},
                "label": {"type": "string", "description": "its name in the UI language"},
            },
        },
    },
}
ENTITY_PARAMETERS = [
    {
        "name": "kind",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": list(ENTITY_KINDS)},
    },
    {"name": "value", "in": "path", "required": True, "schema": {"type": "string"}},
    *(p for p in SEARCH_PARAMETERS if p["name"] in ("page", "size")),
]
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}


ID_PATH_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "maxLength": 160},
}


def _record(**types: str) -> dict[str, Any]:
    """An object whose every property is required, each of a JSON type."""
    return {
        "type": "object",
        "required": list(types),
        "properties": {name: {"type": kind} for name, kind in types.items()},
    }


COUNTED = {"type": "array", "items": _record(value="string", label="string", count="integer")}
PERSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "names", "spellings", "total", "years", "related", "hits", "links"],
    "properties": {
        "id": {"type": "string"},
        "names": {
            "type": "object",
            "description": "display name per UI language (en, be, ru)",
            "additionalProperties": {"type": "string"},
        },
        "spellings": {
            "type": "array",
            "description": "every spelling seen, with its script (latn, cyrl) and number "
            "of statements",
            "items": _record(text="string", script="string", statements="integer"),
        },
        "total": {"type": "integer", "description": "statements naming the person (groups)"},
        "years": {"type": "object", "additionalProperties": {"type": "integer"}},
        "related": {
            "type": "object",
            "description": "most often in the person's statements: organizations named "
            "(mention), articles cited (article), persons named with them (person)",
            "properties": {"mention": COUNTED, "article": COUNTED, "person": COUNTED},
        },
        "hits": {"type": "array", "items": {"type": "object"}, "description": "newest first"},
        "links": {
            "type": "object",
            "description": "the search person=ID as JSON, Atom feed and CSV",
            "properties": {k: {"type": "string"} for k in ("search", "feed", "csv")},
        },
    },
}


def _lookup(
    summary: str, parameters: list[Any], found: tuple[str, Any], missing: str
) -> dict[str, Any]:
    """A GET path answering `found` (description, schema), 400 or 404 (`missing`)."""
    error_response = {"content": {"application/json": {"schema": ERROR}}}
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": found[0],
                    "content": {"application/json": {"schema": found[1]}},
                },
                "400": {"description": "Bad parameter", **error_response},
                "404": {"description": missing, **error_response},
            },
        }
    }


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
                    "parameters": [*SEARCH_PARAMETERS, FACET_SIZE_PARAMETER],
                    "responses": {
                        "200": {
                            "description": "Results",
                            "content": {"application/json": {"schema": SEARCH_RESULT}},
                        },
                        "400": {"description": "Bad parameter", **error_response},
                    },
                }
            },
            "/api/facets/{facet}": _lookup(
                "All the values of one facet for a search, page by page",
                FACET_PARAMETERS,
                ("Values, most counted first", FACET_PAGE),
                "No such facet",
            ),
            "/api/entities/{kind}/{value}": _lookup(
                "One organization, article or tag: its statements, newest first, and the "
                "facet counts of those statements (its page's data)",
                ENTITY_PARAMETERS,
                ("The statements with this value", ENTITY_RESULT),
                "No statement has this value",
            ),
            "/api/statements/{id}": {
                "get": {
                    "summary": "One statement with its translations",
                    "parameters": [ID_PATH_PARAMETER],
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
            "/api/persons/{id}": {
                "get": {
                    "summary": "One person: names, spellings, and the search person=ID with "
                    "its year counts and the organizations, articles and persons most often "
                    "named with them",
                    "parameters": [
                        ID_PATH_PARAMETER,
                        *[p for p in SEARCH_PARAMETERS if p["name"] in ("page", "size")],
                    ],
                    "responses": {
                        "200": {
                            "description": "The person",
                            "content": {"application/json": {"schema": PERSON_SCHEMA}},
                        },
                        "404": {"description": "No such person", **error_response},
                    },
                }
            },
        },
    }
