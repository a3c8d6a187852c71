"""The citation grammar: `data/codes.yaml` (code names, article and part words in
en/be/ru) loaded once, validated, and compiled into the scanner `citations.py` uses.

A malformed file is refused with a ValueError that names the entry and the problem.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

import yaml

from . import yamldata
from .languages import LANGS

_KEYWORD_KINDS = {
    "article": "art",
    "part": "part",
    "point": "point",
    "same_article": "same",
    "connector": "conn",
    "filler": "fill",
}
MAX_GAP = 4  # other words allowed between the numbers and a following code name
MAX_BRACKET_GAP = 25  # the same, for words inside brackets
MAX_QUERY = 300

_ID_RE = re.compile(r"[a-z]{1,10}")
_ARTICLE = r"[0-9]{1,4}(?:\.[0-9]{1,3}){0,2}(?:-[0-9]{1,2})?"
_PART = r"[0-9]{1,2}(?:\.[0-9])?"
ARTICLE_RE, PART_RE = re.compile(_ARTICLE), re.compile(_PART)
CANONICAL_RE = re.compile(rf"([a-z]{{1,10}}(?:-[a-z]{{1,10}})?)(?::{_ARTICLE}(?::{_PART})?)?")
_UNBOUNDED_RE = re.compile(r"[*+]|\{[0-9]*,\}")
_ESCAPE_RE = re.compile(r"\\.")
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
TOKEN_RE = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<pnum>\([ \t]{0,2}[0-9]{1,3}[ \t]{0,2}\))"
    rf"|(?P<num>[0-9]+(?:\.[0-9]+)*(?:-[0-9]+)*[{SUPERSCRIPTS}]*)"
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
    scanner: re.Pattern[str]  # code / act / country / home names, multiword keywords
    groups: dict[str, tuple[str, str]]  # group name -> (token kind, code id or prefix)
    words: dict[str, str]  # lowercase keyword -> token kind
    dotted: frozenset[str]  # keywords that may be followed by "."
    label_words: dict[str, dict[str, str]]  # lang -> {"article": ..., "part": ...}
    ordinals: dict[str, str] = field(default_factory=dict)  # "першай" -> "1"
    max_article: dict[str, int] = field(default_factory=dict)  # code id -> highest article
    dotted_as_dash: frozenset[str] = frozenset()  # codes whose "193.1" means 193-1
    countries: re.Pattern[str] | None = None  # country names, group per prefix (infixes)
    country_prefixes: dict[str, str] = field(default_factory=dict)  # group name -> prefix
    contexts: dict[str, re.Pattern[str]] = field(default_factory=dict)  # prefix/"" -> places


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
    groups = []
    if root.get("superseded"):  # before the codes: "УК РСФСР" is not "УК"
        groups.append(
            ("code", "", _names(_mapping(root["superseded"], "superseded"), "superseded"))
        )
    groups += [("code", cid, _names(e, f"codes ({cid})")) for cid, e in codes]
    if root.get("acts"):
        groups.append(("code", "", _names(_mapping(root["acts"], "acts"), "acts")))
    groups += [("country", p, _names(e, f"countries ({p})")) for p, e in countries]
    home = _mapping(root["home"], "home") if root.get("home") else None
    if home is not None:
        groups.append(("home", "", _names(home, "home")))
    words, dotted, phrases = _keywords(_mapping(root.get("keywords"), "keywords"))
    groups += [(kind, "", "|".join(pats)) for kind, pats in phrases.items()]
    contexts = {p: _context(e, f"countries ({p})") for p, e in countries if e.get("context")}
    if home is not None and home.get("context"):
        contexts[""] = _context(home, "home")
    label_words = _mapping(root.get("label_words"), "label_words")
    for lang in LANGS:
        m = _mapping(label_words.get(lang), f"label_words.{lang}")
        if not all(isinstance(m.get(key), str) for key in ("article", "part")):
            _fail(f"label_words.{lang}: needs article and part")
    alts = "|".join(f"(?P<g{n}>{alt})" for n, (_, _, alt) in enumerate(groups))
    country_alts = "|".join(
        f"(?P<c{n}>{_names(e, f'countries ({p})')})" for n, (p, e) in enumerate(countries)
    )
    ordinals = _ordinals(root.get("ordinals") or {})
    for word in ordinals:
        if words.setdefault(word, "ord") != "ord":
            _fail(f"ordinals: {word!r} is also a {words[word]} keyword")
    return Grammar(
        labels=labels,
        scanner=re.compile(rf"(?<!\w)(?:{alts})(?:['’]s)?(?!\w)"),
        groups={f"g{n}": (kind, value) for n, (kind, value, _) in enumerate(groups)},
        words=words,
        dotted=frozenset(dotted),
        label_words=label_words,
        ordinals=ordinals,
        max_article={cid: _max_article(e, cid) for cid, e in codes if "max_article" in e},
        dotted_as_dash=frozenset(cid for cid, e in codes if e.get("dotted_as_dash") is True),
        countries=re.compile(rf"(?<!\w)(?:{country_alts})(?!\w)") if countries else None,
        country_prefixes={f"c{n}": p for n, (p, _) in enumerate(countries)},
        contexts=contexts,
    )


def _keywords(
    keywords: dict[str, Any],
) -> tuple[dict[str, str], set[str], dict[str, list[str]]]:
    """Keyword words -> kind, the dotted ones, and multiword keywords as patterns per kind."""
    words: dict[str, str] = {}
    dotted: set[str] = set()
    phrases: dict[str, list[str]] = {}
    for section, kind in _KEYWORD_KINDS.items():
        for lang, lst in _per_lang(
            keywords.get(section) or {}, f"keywords.{section}", False
        ).items():
            for word in _strings(lst, f"keywords.{section}.{lang}"):
                word = word.strip().lower()
                if " " in word:
                    phrases.setdefault(kind, []).append(
                        r"\s{1,3}".join(re.escape(w) for w in word.split())
                    )
                    continue
                if word.endswith("."):
                    word = word[:-1]
                    dotted.add(word)
                if words.setdefault(word, kind) != kind:
                    _fail(f"keywords: {word!r} is both {words[word]} and {section}")
    if "art" not in words.values():
        _fail("keywords.article: no article words")
    return words, dotted, {k: [f"(?i:{p})" for p in v] for k, v in phrases.items()}


def _ordinals(obj: Any) -> dict[str, str]:
    """ordinals: {1: [first, першай, ...]} -> {"first": "1", "першай": "1", ...}."""
    out: dict[str, str] = {}
    for num, lst in _mapping(obj, "ordinals").items():
        if not isinstance(num, int) or not 1 <= num <= 99:
            _fail(f"ordinals: {num!r} is not a number from 1 to 99")
        out.update({w.strip().lower(): str(num) for w in _strings(lst, f"ordinals.{num}")})
    return out


def _max_article(entry: dict[str, Any], cid: str) -> int:
    value = entry["max_article"]
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        _fail(f"codes ({cid}).max_article: expected a positive integer, got {value!r}")
    return value


def _context(entry: dict[str, Any], where: str) -> re.Pattern[str]:
    """The context patterns of a country or of home, one case-insensitive regex."""
    return re.compile(
        rf"(?<!\w)(?:{_names({'names': entry['context']}, where + '.context')})(?!\w)"
    )


@functools.cache
def grammar() -> Grammar:
    resource = importlib.resources.files("searcharchive") / "data" / "codes.yaml"
    try:
        data = yamldata.safe_load(resource.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"codes.yaml: invalid YAML: {exc}") from exc
    return build_grammar(data)


@dataclass(frozen=True)
class ArticleTitle:
    """An article's own title in en / be / ru, and what a lawyer should know of it."""

    titles: dict[str, str]
    edition: str | None = None  # the edition whose numbering the id follows
    note: str | None = None  # renumbering, repeal, other spellings (in English)
    notes: dict[str, str] = field(default_factory=dict)  # the note by language, en at least

    def note_in(self, lang: str) -> tuple[str, str] | None:
        """The note in `lang` if the file gives it, else in English: (text, its language)."""
        if lang in self.notes:
            return self.notes[lang], lang
        return (self.notes["en"], "en") if "en" in self.notes else None


def build_article_titles(data: Any, known_codes: frozenset[str]) -> dict[str, ArticleTitle]:
    """Validate the parsed article_titles.yaml; ValueError names the entry and the problem."""

    def fail(msg: str) -> NoReturn:
        raise ValueError(f"article_titles.yaml: {msg}")

    if not isinstance(data, dict):
        fail("top level: expected a mapping of article ids")
    out: dict[str, ArticleTitle] = {}
    for cid, entry in data.items():
        m = CANONICAL_RE.fullmatch(str(cid))
        if m is None or str(cid).count(":") != 1 or m.group(1) not in known_codes:
            fail(f"{cid!r}: expected an article id of a known code, such as cc:342")
        if not isinstance(entry, dict):
            fail(f"{cid}: expected a mapping")
        titles = {lang: entry.get(lang) for lang in LANGS}
        if not all(isinstance(t, str) and t.strip() for t in titles.values()):
            fail(f"{cid}: needs a title in each of en, be, ru")
        unknown = set(entry) - {*LANGS, "edition", "note"}
        if unknown:
            fail(f"{cid}: unknown keys {sorted(unknown)}")
        edition, note = entry.get("edition"), entry.get("note")
        # a note is English text, or a mapping of languages with English in it
        notes = {"en": note} if isinstance(note, str) else note
        if notes is not None and (
            not isinstance(notes, dict)
            or not set(notes) <= set(LANGS)
            or not all(isinstance(t, str) and t.strip() for t in notes.values())
            or "en" not in notes
        ):
            fail(f"{cid}: a note is a text, or a mapping of en (required), be, ru to texts")
        notes = {k: str(v).strip() for k, v in (notes or {}).items()}
        out[str(cid)] = ArticleTitle(
            {k: str(v).strip() for k, v in titles.items()},
            None if edition is None else str(edition),
            notes.get("en"),
            notes,
        )
    return out


@functools.cache
def article_titles() -> dict[str, ArticleTitle]:
    resource = importlib.resources.files("searcharchive") / "data" / "article_titles.yaml"
    try:
        data = yamldata.safe_load(resource.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"article_titles.yaml: invalid YAML: {exc}") from exc
    return build_article_titles(data, frozenset(grammar().labels))
