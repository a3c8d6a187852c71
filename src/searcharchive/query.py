"""The user's query -> a Whoosh query over every language's fields.

The query box speaks a syntax users already know: words, "exact phrases",
AND/OR/NOT, -word, fielded `title:`, `person:`, `org:` (by the organization),
`mentions:` (naming it), `article:`, `tag:`,
and a bounded `prefix*`. Each plain word is searched at once as the exact
word (ranked highest), as its stem in every language's fields, and as its
transliteration key, so one query finds every language and script. A legal
citation typed in the box ("ч. 1 ст. 342 УК") is recognised with the ingest
grammar and searches the article field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from whoosh import query as wq
from whoosh.fields import TEXT, Schema
from whoosh.qparser import OperatorsPlugin, PlusMinusPlugin, QueryParser

from .analysis import MIN_FOLD_CHARS, exact_analyzer, fold_form, is_pair, phrase_words
from .citations import find_citation_spans, parse_citation_query
from .errors import N_
from .facet_table import COLUMN_FIELD
from .folding import fold_key
from .gazetteer import Gazetteer
from .languages import LANGS
from .namekeys import pair_terms, split_pair, surname_terms
from .names import given_name
from .persons import PersonTable
from .request import MAX_QUERY_CHARS
from .stemming import stem

MIN_PREFIX = 3
MAX_EXPANSIONS = 200  # words all the prefix* of one query expand to, together
MAX_NAMED_PERSONS = 5  # a full name that is more persons than this is searched for by its words
WEIGHTS = {
    "title_exact": 8.0,
    "exact": 4.0,
    "title": 3.0,
    "body": 1.5,
    "fold": 0.6,
    "pname": 1.0,
}
ARTICLE_FIELD = re.compile(r'\barticle:(?:"([^"]{1,100})"|([^\s"]{1,100}))')
USER_FIELDS = ("text", "title", "person", "org", "mentions", "article", "tag", "lang")
ORGANIZATION_FIELDS = {"org": "org", "mentions": "mention"}  # query field -> index field


@dataclass(frozen=True)
class Note:
    """A remark about how the query was read: a gettext message id and its values."""

    message: str
    values: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.message % dict(self.values)


@dataclass
class ParsedQuery:
    query: wq.Query | None  # None: every statement (an empty query)
    words: list[str] = field(default_factory=list)  # plain words, for snippets and "matched" notes
    articles: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # words looked up as names (namekeys.py)
    persons: list[str] = field(default_factory=list)  # person: resolved to these clusters


def _parser() -> QueryParser:
    schema = Schema(**{name: TEXT(analyzer=exact_analyzer()) for name in USER_FIELDS})
    parser = QueryParser("text", schema)
    parser.add_plugin(PlusMinusPlugin())
    parser.replace_plugin(OperatorsPlugin(AndMaybe=None, Require=None))
    return parser


_PARSER = _parser()


class QueryBuilder:
    def __init__(
        self,
        organizations: Gazetteer,
        exact: bool = False,
        reader: Any = None,
        typed: str = "",
        persons: Callable[[], PersonTable] | None = None,
    ):
        self.typed = typed  # the query as typed: case tells names from common words
        self.organizations = organizations
        self.persons = persons  # the generation's person table, read when first needed
        self.resolved: list[str] = []
        self.exact = exact
        self.reader = reader
        self.notes: list[Note] = []
        self.words: list[str] = []
        self.names: list[str] = []
        self.expansions_left = MAX_EXPANSIONS

    def capitalised(self, word: str) -> str | None:
        """The word as typed if the query typed it with a capital (a name), else None."""
        found = re.search(rf"(?<![\w-]){re.escape(word)}(?!\w)", self.typed, re.IGNORECASE)
        if found is None or not found.group()[:1].isupper():
            return None
        return found.group()

    def name_terms(self, word: str) -> list[wq.Query]:
        """A surname typed alone, in any case: the name keys of the persons recognised
        at indexing (Бяляцкага, Bialiatski → Алеся Бяляцкага). A capitalised word
        that is not a given name; ordinary words never reach the name field."""
        name = self.capitalised(word) if not self.exact else None
        if name is None or len(word) < 3 or given_name(name) is not None:
            return []
        if word.lower() in phrase_words():  # Court, Суд: a frequent word, not a name
            return []
        self.names.append(name)
        return [wq.Term("pname", t, boost=WEIGHTS["pname"]) for t in surname_terms(name)]

    def name_pair(self, first: str, second: str) -> wq.Query | None:
        """A given name and a surname typed next to each other, in either order and any
        case: the persons recognised with that name, or named by the surname alone or
        an initial that fits, and the two words next to each other in either order."""
        if self.exact or len(first) < 2 or len(second) < 2:
            return None
        a, b = (first[:1].upper() + first[1:]), (second[:1].upper() + second[1:])
        pair = split_pair(a, b)
        if pair is None or pair[1].lower() in phrase_words():
            return None  # "demand Ihar": a frequent word is no surname (as in name_terms)
        terms = pair_terms(a, b)
        if terms is None:
            return None
        self.names.extend([a, b])
        parts: list[wq.Query] = [wq.Term("pname", t, boost=WEIGHTS["pname"]) for t in terms]
        parts += [
            wq.Term(COLUMN_FIELD + "person", pid, boost=WEIGHTS["pname"])
            for pid in self.persons_named(f"{first} {second}")
        ]
        parts += [self.phrase([first, second]), self.phrase([second, first])]
        return wq.Or(parts)

    def persons_named(self, name: str) -> list[str]:
        """The person clusters a typed full name is a spelling of (persons.py), so that
        a name finds the statements the person table puts under that person too: a
        surname alone the clusters attach to them, a source's misspelling."""
        if self.persons is None:
            return []
        found = self.persons().resolve(name)
        return found if len(found) <= MAX_NAMED_PERSONS else []

    def word(self, word: str, boost: float = 1.0) -> wq.Query:
        self.words.append(word)
        parts: list[wq.Query] = [
            wq.Term("title_exact", word, boost=WEIGHTS["title_exact"]),
            wq.Term("exact", word, boost=WEIGHTS["exact"]),
        ]
        if not self.exact:
            for lang in LANGS:
                stemmed = stem(word, lang)
                parts.append(wq.Term(f"title_{lang}", stemmed, boost=WEIGHTS["title"]))
                parts.append(wq.Term(f"body_{lang}", stemmed, boost=WEIGHTS["body"]))
            if key := fold_form(word):
                parts.append(wq.Term("fold", key, boost=WEIGHTS["fold"]))
            parts += self.name_terms(word)
        return wq.Or(parts, boost=boost)

    def phrase(self, words: list[str]) -> wq.Query:
        """Adjacent words, as typed (case aside) or in another script through their keys."""
        self.words.extend(words)
        parts: list[wq.Query] = [wq.Phrase("exact", words, boost=WEIGHTS["exact"])]
        if not self.exact and self.names_in(words):
            keys = [fold_key(w) for w in words]
            parts.append(wq.Phrase("fold", keys, boost=WEIGHTS["fold"]))
            hyphenated = self.capitalised("-".join(words))
            if hyphenated is not None:  # a double surname (Гацура-Яворская), in any case
                parts += self.name_terms("-".join(words))
        return wq.Or(parts)

    def names_in(self, words: list[str]) -> bool:
        """Whether a phrase may be a name to look up in other scripts too: long words,
        not all frequent ones, one of them typed with a capital ("Pavel Seviarynets").
        A phrase of common words ("human rights") needs no folding, and checking word
        positions for it in the folded field would cost a walk of two long lists."""
        if not all(len(w) >= MIN_FOLD_CHARS for w in words):
            return False
        if all(is_pair(a, b) for a, b in zip(words, words[1:], strict=False)):
            return False
        return any(
            re.search(rf"(?<!\w){re.escape(w[:1].upper() + w[1:])}", self.typed) for w in words
        )

    def fielded(self, fieldname: str, text: str) -> wq.Query:
        if fieldname == "title":
            parts: list[wq.Query] = [wq.Term("title_exact", text)]
            if not self.exact:
                parts += [wq.Term(f"title_{lang}", stem(text, lang)) for lang in LANGS]
            self.words.append(text)
            return wq.Or(parts)
        if fieldname == "person":
            return self.person(text)
        if fieldname in ORGANIZATION_FIELDS:  # an id, a name or an alias; a quoted id: words
            found = self.organizations.resolve(text) or self.organizations.resolve(
                "-".join(text.split())
            )
            return wq.Term(ORGANIZATION_FIELDS[fieldname], found or text.lower())
        if fieldname == "article":
            ids = parse_citation_query(text) or [text.lower()]
            return wq.Or([wq.Term("article", cid) for cid in ids])
        if fieldname == "tag":
            return wq.Term("tag", text.lower())
        if fieldname == "lang":
            return wq.Term("lang", text.lower())
        return self.word(text)

    def person(self, text: str) -> wq.Query:
        """`person:` a spelling of one person cluster (persons.py: any script and case,
        with or without the given name) filters by that cluster; a spelling that is
        no person, or several, is the name search of the `person` field."""
        if self.persons is not None:
            words = [re.escape(w) for w in text.split()]
            typed = re.search(r"\s+".join(words), self.typed, re.IGNORECASE) if words else None
            table = self.persons()
            hyphenated = "-".join(text.lower().split())  # a quoted id: its words
            found = [hyphenated] if hyphenated in table.persons else []
            found = found or table.resolve(typed.group() if typed else text)
            if len(found) == 1:
                self.resolved.append(found[0])
                return wq.Term(COLUMN_FIELD + "person", found[0])
        return wq.Term("person", fold_key(text))

    def prefix(self, text: str) -> wq.Query:
        stem_text = text.rstrip("*").lower()
        if len(stem_text) < MIN_PREFIX or "*" in stem_text or "?" in stem_text:
            self.notes.append(
                Note(
                    N_(
                        "“%(text)s”: a wildcard needs at least %(count)s letters before the *; searched for the word instead"
                    ),
                    (("text", text), ("count", str(MIN_PREFIX))),
                )
            )
            cleaned = re.sub(r"[*?]", "", text).lower()
            return self.word(cleaned) if cleaned else wq.NullQuery
        if self.reader is None:
            self.words.append(stem_text)
            return wq.Prefix("exact", stem_text)
        if not self.expansions_left:
            self.notes.append(
                Note(
                    N_(
                        "“%(text)s”: the query's wildcards already match %(count)s words, as many as one query may; searched for the word instead"
                    ),
                    (("text", text), ("count", str(MAX_EXPANSIONS))),
                )
            )
            return self.word(stem_text)
        self.words.append(stem_text)
        return self.expanded(text, stem_text)

    def expanded(self, text: str, stem_text: str) -> wq.Query:
        """The words a prefix expands to, within what is left of the query's budget."""
        budget = self.expansions_left
        terms = list(islice(self.reader.expand_prefix("exact", stem_text), budget + 1))
        if len(terms) > budget:
            self.notes.append(
                Note(
                    N_(
                        "“%(text)s” matches too many words; searched for the first %(count)s of them"
                    ),
                    (("text", text), ("count", str(budget))),
                )
            )
        words = [t.decode("utf-8") if isinstance(t, bytes) else t for t in terms[:budget]]
        self.expansions_left -= len(words)
        return wq.Or([wq.Term("exact", w) for w in words]) if words else wq.NullQuery

    def conjunction(self, node: wq.And) -> wq.Query:
        """Words joined by AND (or typed one after another); two neighbours that are a
        given name and a surname are searched as one name (``name_pair``)."""
        children: list[wq.Query] = []
        subqueries = list(node.subqueries)
        index = 0
        while index < len(subqueries):
            child = subqueries[index]
            following = subqueries[index + 1] if index + 1 < len(subqueries) else None
            if _plain(child) and following is not None and _plain(following):
                pair = self.name_pair(child.text, following.text)
                if pair is not None:
                    children.append(pair)
                    index += 2
                    continue
            children.append(self.rewrite(child))
            index += 1
        children = [c for c in children if c is not wq.NullQuery]
        return wq.And(children) if children else wq.NullQuery

    def rewrite(self, node: wq.Query) -> wq.Query:
        """Replace the parser's single-field nodes with our multi-field expansions."""
        if isinstance(node, wq.Term):
            if node.fieldname == "text":
                return self.word(node.text)
            return self.fielded(node.fieldname, node.text)
        if isinstance(node, wq.Phrase):
            words = [w for w in node.words if w]
            if node.fieldname not in ("text", "title"):
                return self.fielded(node.fieldname, " ".join(words))
            return self.phrase(words) if len(words) > 1 else self.word(words[0])
        if isinstance(node, (wq.Prefix, wq.Wildcard)):
            suffix = "*" if isinstance(node, wq.Prefix) else ""
            return self.prefix(node.text + suffix)
        if isinstance(node, wq.Not):
            return wq.Not(self.rewrite(node.query))
        if isinstance(node, wq.compound.BinaryQuery):
            a, b = self.rewrite(node.a), self.rewrite(node.b)
            if b is wq.NullQuery:
                return a
            return type(node)(a, b) if a is not wq.NullQuery else wq.NullQuery
        if isinstance(node, wq.And):
            return self.conjunction(node)
        if isinstance(node, wq.compound.CompoundQuery):
            children = [self.rewrite(child) for child in node.subqueries]
            children = [c for c in children if c is not wq.NullQuery]
            return type(node)(children) if children else wq.NullQuery
        if isinstance(node, wq.Every):
            return wq.Every()
        if node is wq.NullQuery:
            return node
        raise ValueError(f"unsupported query part {type(node).__name__}")


def _plain(node: wq.Query) -> bool:
    return isinstance(node, wq.Term) and node.fieldname == "text"


OPERATORS = {"AND", "OR", "NOT"}
EMPTY_FIELD = re.compile(r"\b(\w{1,20}):(?=\s|$)")
# an organization or person id has hyphens, which the parser reads as NOT: quoted, it stays one value
HYPHENATED_ORG = re.compile(r"(?<![\w:])(org|mentions|person):(\w+(?:-\w+)+)")
# so has a hyphenated word (Гацура-Яворская): a phrase of its parts, not "Гацура NOT Яворская"
HYPHENATED_WORD = re.compile(r'(?<![\w:"-])(\w+(?:-\w+)+)(?![\w"])')


def tidy_syntax(text: str) -> tuple[str, list[Note]]:
    """Drop what the parser would misread: dangling operators, empty fields, a lone quote."""
    notes: list[Note] = []
    text = HYPHENATED_ORG.sub(r'\1:"\2"', text)
    if text.count('"') % 2 == 0:
        text = HYPHENATED_WORD.sub(r'"\1"', text)
    for match in EMPTY_FIELD.finditer(text):
        notes.append(
            Note(
                N_("“%(field)s:” needs a word after the colon; ignored"),
                (("field", match.group(1)),),
            )
        )
    text = EMPTY_FIELD.sub(" ", text)
    if text.count('"') % 2:
        notes.append(
            Note(N_("a closing quotation mark is missing; searched for the words as typed"))
        )
        text = text.replace('"', " ")
    tokens = text.split()
    kept: list[str] = []
    dropped: list[str] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in OPERATORS:
            binary = token != "NOT"
            dangling = following is None or following in {"AND", "OR"}
            if dangling or (binary and (not kept or kept[-1] in OPERATORS)):
                dropped.append(token)
                continue
        kept.append(token)
    if dropped:
        notes.append(
            Note(
                N_("AND, OR and NOT need words to join; ignored: %(words)s"),
                (("words", " ".join(dict.fromkeys(dropped))),),
            )
        )
    return " ".join(kept), notes


def plain_words(text: str) -> list[str]:
    return [token.text for token in exact_analyzer()(text)]


def parse_query(
    text: str,
    organizations: Gazetteer,
    exact: bool = False,
    reader: Any = None,
    persons: Callable[[], PersonTable] | None = None,
) -> ParsedQuery:
    """Never raises: what cannot be read as syntax is searched as plain words, with a note."""
    text = (text or "").strip()
    notes: list[Note] = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(
            Note(
                N_("the query was cut to its first %(count)s characters"),
                (("count", str(MAX_QUERY_CHARS)),),
            )
        )
    if not text:
        return ParsedQuery(None, notes=notes)
    articles: list[str] = []
    remainder = text
    for match in reversed(list(ARTICLE_FIELD.finditer(text))):
        value = match.group(1) or match.group(2) or ""
        articles = (parse_citation_query(value) or [value.lower()]) + articles
        remainder = remainder[: match.start()] + " " + remainder[match.end() :]
    whole = parse_citation_query(remainder) if remainder.strip() else []
    if whole:
        articles += whole
        remainder = ""
    else:
        for start, end, ids in reversed(find_citation_spans(text)):
            articles = ids + articles
            remainder = remainder[:start] + " " + remainder[end:]
    builder = QueryBuilder(organizations, exact, reader, typed=text, persons=persons)
    parts: list[wq.Query] = []
    if articles:
        parts.append(wq.Or([wq.Term("article", cid) for cid in articles]))
    remainder, syntax_notes = tidy_syntax(remainder)
    notes.extend(syntax_notes)
    if remainder.strip():
        try:
            parsed = _PARSER.parse(remainder)
            rewritten = builder.rewrite(parsed)
        except Exception:  # whoosh's parser raises assorted errors on odd syntax
            rewritten = wq.NullQuery
        if rewritten is wq.NullQuery and plain_words(remainder):
            words = plain_words(remainder)
            notes.append(
                Note(
                    N_("the query could not be read as written; searched for its words: %(words)s"),
                    (("words", " ".join(words)),),
                )
            )
            builder.words = []
            builder.names = []
            rewritten = wq.And([builder.word(w) for w in words])
        if rewritten is not wq.NullQuery:
            parts.append(rewritten)
        elif not articles:
            notes.append(Note(N_("the query has no words to search for; showing every statement")))
    notes.extend(builder.notes)
    if not parts:
        return ParsedQuery(None, [], [], notes)
    query = parts[0] if len(parts) == 1 else wq.And(parts)
    names = list(dict.fromkeys(builder.names))
    persons_found = list(dict.fromkeys(builder.resolved))
    return ParsedQuery(
        query, list(dict.fromkeys(builder.words)), articles, notes, names, persons_found
    )
