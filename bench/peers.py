"""The peers, each answering the same requests with the same work as far as it allows.

- `whoosh_groupedby`: the same Whoosh index and the same Whoosh query as ours
  (`searcharchive.query.parse_query`), counted the naive way:
  `searcher.search(q, groupedby=[tag, org, article, lang], limit=10)` (page via
  `search_page`, filters as a Whoosh `filter=` query, browsing by `sortedby`).
- `sqlite_fts5`: an FTS5 table (unicode61 tokenizer, external content) plus a
  facet table, built from the same JSONL; a search materialises its matches once,
  then takes the page (bm25 order or date order), snippets, the total of
  translation groups and each facet's counts of distinct groups with `GROUP BY`,
  every facet counted with the other facets' filters but not its own, as ours.
- `tantivy`: the same documents in tantivy; the page with BM25 (or date order),
  snippets with its SnippetGenerator, and facet counts as terms aggregations with
  a cardinality of groups inside, one aggregation call per distinct filter set.

The peers index each text once, without stemming or transliteration keys, and
take organizations and articles from the generator's truth file instead of
extracting them: both favour them. Builders run as `python -m bench.peers
{sqlite,tantivy} CORPUS OUT` so that the harness can time them and read their
peak memory like ours.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .generate import read_records, read_truth
from .queries import BenchQuery

FACETS = ("tag", "org", "article", "lang", "year", "month")
SNIPPET_CHARS = 240


def peer_docs(corpus: Path) -> Iterator[dict[str, Any]]:
    """The corpus with the truth's facet values, as the peers index it."""
    groups: dict[str, int] = {}
    for number, (record, truth) in enumerate(
        zip(read_records(corpus), read_truth(corpus), strict=True)
    ):
        articles = {
            ":".join(cid.split(":")[:end])
            for cid in truth["articles"]
            for end in range(1, cid.count(":") + 2)
        }
        date = record["date"]
        yield {
            "doc": number,
            "sid": record["id"],
            "grp": groups.setdefault(record["group"], len(groups)),
            "lang": record["lang"],
            "date_key": int((date + "-01")[:10].replace("-", "")),
            "title": record["title"],
            "body": record["body"],
            "facets": {
                "tag": record["tags"],
                "org": truth["organizations"],
                "article": sorted(articles),
                "lang": [record["lang"]],
                "year": [date[:4]],
                "month": [date[:7]],
            },
        }


# ---------------------------------------------------------------- SQLite FTS5


def build_sqlite(corpus: Path, out: Path) -> int:
    out.unlink(missing_ok=True)
    con = sqlite3.connect(out)
    con.executescript(
        """
        CREATE TABLE docs(id INTEGER PRIMARY KEY, sid TEXT, grp INTEGER, lang TEXT,
                          date_key INTEGER, title TEXT, body TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(title, body, content='docs', content_rowid='id',
                                            tokenize='unicode61 remove_diacritics 2');
        CREATE TABLE facet(doc INTEGER, name TEXT, value TEXT, grp INTEGER);
        """
    )
    count = 0
    with con:
        for doc in peer_docs(corpus):
            row = (
                doc["doc"],
                doc["sid"],
                doc["grp"],
                doc["lang"],
                doc["date_key"],
                doc["title"],
                doc["body"],
            )
            con.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            con.execute(
                "INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                (doc["doc"], doc["title"], doc["body"]),
            )
            con.executemany(
                "INSERT INTO facet VALUES (?, ?, ?, ?)",
                [
                    (doc["doc"], name, value, doc["grp"])
                    for name, values in doc["facets"].items()
                    for value in values
                ],
            )
            count += 1
        con.executescript(
            """
            CREATE INDEX facet_value ON facet(name, value, doc);
            CREATE INDEX facet_doc ON facet(doc, name, value, grp);
            CREATE INDEX docs_date ON docs(date_key);
            INSERT INTO fts(fts) VALUES('optimize');
            ANALYZE;
            """
        )
    con.close()
    return count


def fts_quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_match(query: BenchQuery) -> str | None:
    if query.kind == "words":
        return " AND ".join(fts_quote(w) for w in query.terms)
    if query.kind == "phrase":
        return fts_quote(" ".join(query.terms))
    if query.kind == "names":
        return " OR ".join(fts_quote(name) for name in query.terms)
    return None


class SqliteEngine:
    name = "sqlite_fts5"

    def __init__(self, path: Path):
        self.con = sqlite3.connect(path, check_same_thread=False)
        self.con.execute("PRAGMA temp_store = MEMORY")
        self.con.execute("PRAGMA cache_size = -262144")  # 256 MB page cache, like a warmed server

    def _filter_sql(
        self, filters: dict[str, tuple[str, ...]], column: str, skip: str = ""
    ) -> tuple[str, list]:
        clauses, params = [], []
        for name, values in filters.items():
            if name == skip:
                continue
            marks = ",".join("?" * len(values))
            clauses.append(
                f"{column} IN (SELECT doc FROM facet WHERE name = ? AND value IN ({marks}))"
            )
            params += [name, *values]
        return (" AND ".join(clauses) or "1"), params

    def _matches(self, query: BenchQuery, match: str | None) -> int | None:
        """The query's documents into temp table m (doc, score); None for every document."""
        con = self.con
        con.execute("DROP TABLE IF EXISTS temp.m")
        if match is None and query.kind != "article":
            return None
        con.execute("CREATE TEMP TABLE m(doc INTEGER PRIMARY KEY, score REAL)")
        if match is not None:
            con.execute("INSERT INTO m SELECT rowid, rank FROM fts WHERE fts MATCH ?", (match,))
        else:
            con.execute(
                "INSERT INTO m SELECT doc, 0 FROM facet WHERE name = 'article' AND value = ?",
                (query.terms[0],),
            )
        return int(con.execute("SELECT count(*) FROM m").fetchone()[0])

    def search(self, query: BenchQuery) -> int:
        con = self.con
        match = fts_match(query)
        filters = query.filters()
        offset = (query.page - 1) * query.size
        matched = self._matches(query, match)
        # `IN (SELECT doc FROM m)` lets SQLite probe m by its primary key from either side,
        # which beats a join on a temp table it has no statistics for
        within = "1" if matched is None else "{} IN (SELECT doc FROM m)"
        where, params = self._filter_sql(filters, "d.id")
        if match is not None and query.sort != "newest":
            where_m, params_m = self._filter_sql(filters, "doc")
            page = con.execute(
                f"SELECT doc FROM m WHERE {where_m} ORDER BY score LIMIT ? OFFSET ?",
                [*params_m, query.size, offset],
            ).fetchall()
        else:
            page = con.execute(
                f"SELECT d.id FROM docs d WHERE {within.format('d.id')} AND {where} "
                "ORDER BY d.date_key DESC LIMIT ? OFFSET ?",
                [*params, query.size, offset],
            ).fetchall()
        ids = [row[0] for row in page]
        marks = ",".join("?" * len(ids))
        if match is not None and ids:
            con.execute(
                f"SELECT rowid, title, snippet(fts, 1, '<mark>', '</mark>', '…', 32) FROM fts "
                f"WHERE fts MATCH ? AND rowid IN ({marks})",
                [match, *ids],
            ).fetchall()
        elif ids:
            con.execute(
                f"SELECT id, title, substr(body, 1, {SNIPPET_CHARS}) FROM docs WHERE id IN ({marks})",
                ids,
            ).fetchall()
        total = con.execute(
            f"SELECT count(DISTINCT d.grp) FROM docs d WHERE {within.format('d.id')} AND {where}",
            params,
        ).fetchone()[0]
        for facet in FACETS:
            where_f, params_f = self._filter_sql(filters, "f.doc", skip=facet)
            con.execute(
                f"SELECT f.value, count(DISTINCT f.grp) FROM facet f "
                f"WHERE {within.format('f.doc')} AND f.name = ? AND {where_f} GROUP BY f.value",
                [facet, *params_f],
            ).fetchall()
        return int(total)


# ---------------------------------------------------------------- tantivy


def tantivy_schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("sid", stored=True, tokenizer_name="raw")
    builder.add_integer_field("grp", fast=True, indexed=False)
    builder.add_integer_field("date_key", fast=True, indexed=True)
    builder.add_text_field("title", stored=True)
    builder.add_text_field("body", stored=True)
    for facet in FACETS:
        builder.add_text_field(facet, tokenizer_name="raw", fast=True)
    return builder.build()


def build_tantivy(corpus: Path, out: Path) -> int:
    import shutil

    import tantivy

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    index = tantivy.Index(tantivy_schema(), path=str(out))
    writer = index.writer(heap_size=256_000_000, num_threads=1)  # one thread, like ours
    count = 0
    for doc in peer_docs(corpus):
        fields = {"sid": doc["sid"], "grp": doc["grp"], "date_key": doc["date_key"]}
        fields.update(title=doc["title"], body=doc["body"])
        fields.update({name: values for name, values in doc["facets"].items() if values})
        writer.add_document(tantivy.Document(**fields))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count


class TantivyEngine:
    name = "tantivy"

    def __init__(self, path: Path):
        import tantivy

        self.t = tantivy
        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _text(self, words: list[str]) -> Any:
        Q, Occur = self.t.Query, self.t.Occur
        words = [w.lower() for w in words]
        parts = []
        for field in ("title", "body"):
            if len(words) == 1:
                parts.append((Occur.Should, Q.term_query(self.schema, field, words[0])))
            else:
                parts.append((Occur.Should, Q.phrase_query(self.schema, field, words)))
        return Q.boolean_query(parts)

    def _tokens(self, text: str) -> list[str]:
        import re

        return re.findall(r"\w+", text.lower())

    def text_query(self, query: BenchQuery) -> Any | None:
        Q, Occur = self.t.Query, self.t.Occur
        if query.kind == "words":
            return Q.boolean_query([(Occur.Must, self._text([w])) for w in query.terms])
        if query.kind == "phrase":
            return self._text(list(query.terms))
        if query.kind == "names":
            return Q.boolean_query(
                [(Occur.Should, self._text(self._tokens(n))) for n in query.terms]
            )
        return None

    def _facet_terms(self, name: str, values: tuple[str, ...]) -> Any:
        Q, Occur = self.t.Query, self.t.Occur
        return Q.boolean_query([(Occur.Should, Q.term_query(self.schema, name, v)) for v in values])

    def _with(self, base: Any, filters: dict[str, tuple[str, ...]], skip: str = "") -> Any:
        Q, Occur = self.t.Query, self.t.Occur
        parts = [(Occur.Must, base)] + [
            (Occur.Must, self._facet_terms(n, v)) for n, v in filters.items() if n != skip
        ]
        return Q.boolean_query(parts) if len(parts) > 1 else base

    def search(self, query: BenchQuery) -> int:
        Q = self.t.Query
        text = self.text_query(query)
        if text is not None:
            base = text
        elif query.kind == "article":
            base = Q.term_query(self.schema, "article", query.terms[0])
        else:
            base = Q.all_query()
        filters = query.filters()
        full = self._with(base, filters)
        offset = (query.page - 1) * query.size
        if text is not None and query.sort != "newest":
            result = self.searcher.search(full, query.size, count=False, offset=offset)
        else:
            result = self.searcher.search(
                full, query.size, count=False, order_by_field="date_key", offset=offset
            )
        docs = [self.searcher.doc(address) for _, address in result.hits]
        if text is not None and docs:
            generator = self.t.SnippetGenerator.create(self.searcher, text, self.schema, "body")
            [generator.snippet_from_doc(doc).to_html() for doc in docs]
        else:
            [doc["body"][0][:SNIPPET_CHARS] for doc in docs]

        def terms(names: list[str]) -> dict:
            agg = {"terms": {"size": 1000}, "aggs": {"g": {"cardinality": {"field": "grp"}}}}
            return {name: {**agg, "terms": {"field": name, "size": 1000}} for name in names}

        # facets without a selection share one call under every filter; a selected one is
        # counted under the others' filters only
        plain = [f for f in FACETS if f not in filters]
        counts = self.searcher.aggregate(
            full, {**terms(plain), "total": {"cardinality": {"field": "grp"}}}
        )
        for name in filters:
            self.searcher.aggregate(self._with(base, filters, skip=name), terms([name]))
        return int(counts["total"]["value"])


# ---------------------------------------------------------------- Whoosh groupedby


class WhooshGroupedbyEngine:
    name = "whoosh_groupedby"

    def __init__(self, index_dir: Path):
        from whoosh import index as whoosh_index
        from whoosh import sorting

        from searcharchive.gazetteer import Gazetteer
        from searcharchive.store import IndexStore

        self.index = whoosh_index.open_dir(str(IndexStore(index_dir).require_current()))
        self.searcher = self.index.searcher()
        self.organizations = Gazetteer.builtin("organizations")
        self.facets = {
            name: sorting.FieldFacet(name, allow_overlap=True)
            for name in ("tag", "mention", "article", "lang")
        }

    def search(self, query: BenchQuery) -> int:
        from whoosh import query as wq

        from searcharchive.query import parse_query

        parsed = parse_query(query.q, self.organizations, False, self.searcher.reader())
        q = parsed.query if parsed.query is not None else wq.Every()
        # the generator's organizations are those its texts name: our index's "mention"
        fields = {"org": "mention"}
        terms = [
            wq.Term(fields.get(name, name), value.lower())
            for name, values in query.filters().items()
            for value in values
        ]
        kwargs: dict[str, Any] = {"groupedby": self.facets}
        if terms:
            kwargs["filter"] = wq.And(terms)
        # our index has no date field Whoosh could sort by (dates live in the facet
        # columns): this baseline answers in index order, which only makes it faster
        results = self.searcher.search_page(q, query.page, pagelen=query.size, **kwargs)
        [hit["record"] for hit in results]
        for name in self.facets:
            results.results.groups(name)
        return len(results)


# ---------------------------------------------------------------- builders as subprocesses


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 3 or args[0] not in ("sqlite", "tantivy"):
        print("usage: python -m bench.peers {sqlite,tantivy} CORPUS OUT", file=sys.stderr)
        return 2
    started = time.perf_counter()
    build = build_sqlite if args[0] == "sqlite" else build_tantivy
    count = build(Path(args[1]), Path(args[2]))
    print(json.dumps({"docs": count, "seconds": time.perf_counter() - started}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
