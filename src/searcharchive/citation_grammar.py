"""The citation grammar: `data/codes.yaml` (code names, article and part words in
en/be/ru) loaded once, validated, and compiled into the scanner `citations.py` uses.

A malformed file is refused with a ValueError that names the entry and the problem.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass
from typing import Any, NoReturn

import yaml

LANGS = ("en", "be", "ru")
_KEYWORD_KINDS = {"article": "art", "part": "part", "connector": "conn", "filler": "fill"}
MAX_GAP = 4  # other words allowed between the numbers and a following code name
MAX_BRACKET_GAP = 25  # the same, for words inside brackets
MAX_QUERY = 300

_ID_RE = re.compile(r"[a-z]{1,10}")
_ARTICLE = r"[0-9]{1,4}(?:\.[0-9]{1,3})?(?:-[0-9]{1,2})?"
ARTICLE_RE, PART_RE = re.compile(_ARTICLE), re.compile(r"[0-9]{1,2}")
CANONICAL_RE = re.compile(rf"([a-z]{{1,10}}(?:-[a-z]{{1,10}})?)(?::{_ARTICLE}(?::[0-9]{{1,2}})?)?")
_UNBOUNDED_RE = re.compile(r"[*+]|\{[0-9]*,\}")
_ESCAPE_RE = re.compile(r"\\.")
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
TOKEN_RE = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<pnum>\([ \t]{0,2}[0-9]{1,3}[ \t]{0,2}\))"
    rf"|(?P<num>[0-9]+(?:\.[0-9]+)*(?:[-‐‑][0-9]+)*[{SUPERSCRIPTS}]*)"
    r"|(?P<word>[^\W\d_]+(?:[-‐‑'’][^\W\d_]+)*)"
    r"|(?P<other>.)",
    re.S,
)
BREAK_CHARS = frozenset(".!?;…")
OPEN = frozenset("([«“")
CLOSE = frozenset(")]»”")
QUALIFIERS = ("country", "home")


@dataclass(frozen=True)
class Grammar:
    labels: dict[str, dict[str, str]]  # every known code id -> lang -> label
    scanner: re.Pattern[str]  # all code / country / home names, one named group each
    groups: dict[str, tuple[str, str]]  # group name -> (token kind, code id or prefix)
    words: dict[str, str]  # lowercase keyword -> token kind
    dotted: frozenset[str]  # keywords that may be followed by "."
    label_words: dict[str, dict[str, str]]  # lang -> {"article": ..., "part": ...}


def _fail(msg: str) -> NoReturn:
    raise ValueError(f"codes.yaml: {msg}")


def _mapping(obj: Any, where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        _fail(f"{where}: expected a mapping, got {type(obj).__name__}")
    return obj


def _strings(obj: Any, where: str) -> list[str]:
    if obj is not None and not (
        isinstance(obj, list) and all(isinstance(s, str) and s.strip() for s in obj)
    ):
        _fail(f"{where}: expected a list of non-empty strings")
    return list(obj or [])


def _per_lang(obj: Any, where: str, required: bool) -> dict[str, Any]:
    m = _mapping(obj, where)
    for key in m:
        if key not in LANGS:
            _fail(f"{where}: unknown language {key!r} (expected en, be, ru)")
    for lang in LANGS if required else ():
        if not isinstance(m.get(lang), str) or not m[lang].strip():
            _fail(f"{where}.{lang}: missing or empty")
    return m


def _fragment(pattern: str, where: str, ignore_case: bool) -> str:
    bare = _ESCAPE_RE.sub("", pattern)
    if _UNBOUNDED_RE.search(bare):
        _fail(f"{where}: unbounded quantifier in {pattern!r}; use ? or {{0,n}}")
    if "(?P" in bare:
        _fail(f"{where}: named groups are not allowed in {pattern!r}")
    frag = pattern.replace("~", r"\w{0,4}").replace(" ", r"\s{1,3}")
    try:
        re.compile(frag)
    except re.error as exc:
        _fail(f"{where}: bad pattern {pattern!r}: {exc}")
    return f"(?i:{frag})" if ignore_case else frag


def _names(entry: dict[str, Any], where: str) -> str:
    """One regex alternation of an entry's abbrev and names, longest first."""
    frags = [_fragment(p, f"{where}.abbrev", False) for p in _strings(entry.get("abbrev"), where)]
    for lang, pats in _per_lang(entry.get("names") or {}, f"{where}.names", False).items():
        frags += [_fragment(p, f"{where}.names.{lang}", True) for p in _strings(pats, where)]
    if not frags:
        _fail(f"{where}: no abbrev or names")
    return "|".join(sorted(frags, key=len, reverse=True))  # alternation takes the first match


def _entries(root: dict[str, Any], key: str, id_key: str) -> list[tuple[str, dict[str, Any]]]:
    """(id, entry) for each entry of a list of codes or countries, ids checked."""
    items = root.get(key) or []
    if not isinstance(items, list):
        _fail(f"{key}: expected a list")
    out: list[tuple[str, dict[str, Any]]] = []
    for i, raw in enumerate(items):
        entry = _mapping(raw, f"{key}[{i}]")
        ident = entry.get(id_key)
        if not isinstance(ident, str) or not _ID_RE.fullmatch(ident):
            _fail(f"{key}[{i}].{id_key}: expected lowercase latin letters, got {ident!r}")
        if any(ident == seen for seen, _ in out):
            _fail(f"{key}[{i}]: duplicate {id_key} {ident!r}")
        _per_lang(entry.get("label"), f"{key}[{i}] ({ident}).label", required=True)
        if entry.get("national", False) not in (True, False):
            _fail(f"{key}[{i}] ({ident}).national: expected true or false")
        out.append((ident, entry))
    return out


def build_grammar(data: Any) -> Grammar:
    """Validate the parsed codes.yaml and compile it; ValueError names the problem."""
    root = _mapping(data, "top level")
    codes, countries = _entries(root, "codes", "id"), _entries(root, "countries", "prefix")
    if not codes:
        _fail("codes: expected a non-empty list")
    labels = {cid: dict(entry["label"]) for cid, entry in codes}
    for prefix, country in countries:
        for cid, entry in codes:
            if entry.get("national"):
                suffix = country["label"]
                labels[f"{prefix}-{cid}"] = {
                    lang: f"{labels[cid][lang]} {suffix[lang]}" for lang in LANGS
                }
    groups = [("code", cid, _names(e, f"codes ({cid})")) for cid, e in codes]
    groups += [("country", p, _names(e, f"countries ({p})")) for p, e in countries]
    if root.get("home"):
        groups.append(("home", "", _names(_mapping(root["home"], "home"), "home")))
    words: dict[str, str] = {}
    dotted: set[str] = set()
    keywords = _mapping(root.get("keywords"), "keywords")
    for section, kind in _KEYWORD_KINDS.items():
        for lang, lst in _per_lang(
            keywords.get(section) or {}, f"keywords.{section}", False
        ).items():
            for word in _strings(lst, f"keywords.{section}.{lang}"):
                word = word.strip().lower()
                if word.endswith("."):
                    word = word[:-1]
                    dotted.add(word)
                if words.setdefault(word, kind) != kind:
                    _fail(f"keywords: {word!r} is both {words[word]} and {section}")
    if "art" not in words.values():
        _fail("keywords.article: no article words")
    label_words = _mapping(root.get("label_words"), "label_words")
    for lang in LANGS:
        m = _mapping(label_words.get(lang), f"label_words.{lang}")
        if not all(isinstance(m.get(key), str) for key in ("article", "part")):
            _fail(f"label_words.{lang}: needs article and part")
    alts = "|".join(f"(?P<g{n}>{alt})" for n, (_, _, alt) in enumerate(groups))
    return Grammar(
        labels=labels,
        scanner=re.compile(rf"(?<!\w)(?:{alts})(?!\w)"),
        groups={f"g{n}": (kind, value) for n, (kind, value, _) in enumerate(groups)},
        words=words,
        dotted=frozenset(dotted),
        label_words=label_words,
    )


@functools.cache
def grammar() -> Grammar:
    resource = importlib.resources.files("searcharchive") / "data" / "codes.yaml"
    try:
        data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"codes.yaml: invalid YAML: {exc}") from exc
    return build_grammar(data)
