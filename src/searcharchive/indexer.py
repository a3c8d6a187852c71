"""Sources -> statements -> a new published index generation, with a report."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from .bulk import BulkWriter
from .catalog import Catalog, CatalogEntry, read_catalog, write_catalog
from .citations import with_parents
from .columns import Columns, write_columns
from .errors import IndexCorrupt, RejectedRecord
from .extraction import Extractor
from .gazetteer import ID_RE
from .index_files import open_index
from .pair_words import choose_pair_words
from .persons import (
    Mention,
    PersonTable,
    build_table,
    index_terms,
    load_table,
    update_table,
    write_table,
)
from .readers import SkippedFile, SourceRecord, check_sources, read_sources, source_bytes
from .readers.base import display_path
from .schema import SCHEMA_VERSION, build_schema
from .segment_writer import TermSegmentWriter
from .statement import Statement, statement_from_mapping, whole_text
from .store import (
    GAZETTEER_KINDS,
    META,
    IndexStore,
    check_schema,
    store_gazetteers,
    stored_gazetteers,
)

MAX_SEGMENTS = 12
# a full build of sources smaller than this (a few hundred statements) is written in this
# process unless processes were asked for: starting the writing processes and merging
# their segments took longer than the build they shared
BULK_FROM_BYTES = 1_000_000
POOL_MB = 64  # postings each writing process holds in memory before it spills a run


@dataclass
class Note:
    """Something a run changed or left out without rejecting a record: a cleaned text, a
    cut list, a statement replaced from another file, a file skipped in a folder."""

    source: str
    where: dict[str, int | str]
    note: str

    def as_json(self) -> dict[str, object]:
        return {"source": self.source, **self.where, "note": self.note}


@dataclass
class IndexReport:
    read: int = 0
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRecord] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    replaced: list[Note] = field(default_factory=list)  # updated from another source file
    generation: str | None = None
    seconds: float = 0.0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    @property
    def accounted(self) -> int:
        """Every record read is indexed, updated, unchanged or rejected: equals `read`."""
        return self.indexed + self.updated + self.unchanged + len(self.rejected)

    def summary(self) -> str:
        published = f", published {self.generation}" if self.generation else ", nothing changed"
        extras = [
            f"{len(items)} {what}"
            for items, what in (
                (self.replaced, "replaced from another file"),
                (self.notes, "noted"),
                (self.skipped, "file skipped" if len(self.skipped) == 1 else "files skipped"),
            )
            if items
        ]
        extra = f" ({', '.join(extras)})" if extras else ""
        return (
            f"read {self.read}, indexed {self.indexed}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {len(self.rejected)}{extra}{published}; "
            f"{self.total} statements in the index; "
            f"{self.rate:,.0f} statements/s in {self.seconds:.1f} s"
        )


TAIL_SHARE = 4  # the segments merged hold at most 1/4 of the smallest segment kept


def tail_to_merge(sizes: Sequence[int]) -> int | None:
    """How many leading segments (of `sizes` documents) to keep, merging the others:
    the fewest whose smallest holds TAIL_SHARE times the documents after them, so a
    merge rewrites few documents; None if no two or more segments at the end are small."""
    for keep in range(1, len(sizes) - 1):
        if TAIL_SHARE * sum(sizes[keep:]) <= min(sizes[:keep]):
            return keep
    return None


def segment_sizes(ix: Any) -> list[int]:
    """The documents of each segment of the index, deleted ones included."""
    with ix.reader() as reader:
        return [leaf.doc_count_all() for leaf, _ in reader.leaf_readers()]


def merging_after(keep: int) -> Callable[[Any, list[Any]], list[Any]]:
    """A Whoosh merge policy: the first `keep` segments stay as they are, in order (their
    document numbers too); the others are merged into the writer's new segment."""

    def policy(writer: Any, segments: list[Any]) -> list[Any]:
        from whoosh.reading import SegmentReader

        for segment in segments[keep:]:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        return list(segments[:keep])

    return policy


def whoosh_document(
    statement: Statement, person_names: list[str], name_keys: Sequence[str] = ()
) -> dict[str, Any]:
    text = whole_text(statement.title, statement.body)
    articles = with_parents(statement.articles)
    doc: dict[str, Any] = {
        "id": statement.id,
        "group": statement.group,
        "lang": statement.lang,
        "record": json.dumps(statement.to_record(), ensure_ascii=False),
        "exact": text,
        "title_exact": statement.title,
        "fold": text,
        "biword": text,
        "person": "\n".join(person_names),
        "pname": ",".join(name_keys),
        "tag": ",".join(statement.tags),
        "org": ",".join(statement.authors),
        "mention": ",".join(statement.organizations),
        "article": ",".join(sorted(articles)),
        f"title_{statement.lang}": statement.title,
        f"body_{statement.lang}": statement.body,
    }
    return doc


@dataclass
class Published:
    """What an indexer wrote into the generation it published last, as a next run would
    read it back: a resident indexer (index --watch) starts its next run from these."""

    key: tuple[int, int] | None  # the generation folder's identity (_folder_key)
    table: PersonTable | None = None
    catalog: Catalog | None = None
    columns: Columns | None = None


def _folder_key(path: Path) -> tuple[int, int] | None:
    """A generation folder's identity: another folder of the same name is another."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def now_utc() -> str:
    """The time to the second, one string for its statements (interned: the catalog of a
    build holds one per statement)."""
    return sys.intern(datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"))


def source_key(source: str) -> str:
    """A source file as the catalog remembers it: its absolute path (- for a pipe), one
    string for its statements (interned)."""
    return source if source == "-" else sys.intern(display_path(os.path.abspath(source)))


def default_processes() -> int:
    """Processes for a full build: one per CPU this process may use, at most two
    (each holds its own postings buffer: two keep a 100,000-statement build under 1 GB)."""
    return max(1, min(2, len(os.sched_getaffinity(0))))


class Indexer:
    def __init__(
        self,
        index_dir: str | Path,
        extractor: Extractor | None = None,
        processes: int | None = None,
        gazetteers: Mapping[str, Sequence[Path]] | None = None,
    ):
        """`gazetteers` are an archivist's own files ({"organizations": [...], "persons":
        [...]}), added to the built-in ones and stored with the index, so that servers and
        later runs know them; an incremental run also uses those stored before."""
        self.store = IndexStore(index_dir)
        self.given_extractor = extractor
        self.extractor = extractor or Extractor.default()
        self._compiled_for: list[bytes] = []  # the gazetteer files self.extractor has
        self._published: Published | None = None
        self.gazetteers = {kind: list((gazetteers or {}).get(kind, ())) for kind in GAZETTEER_KINDS}
        # a full build spreads analysis and segment writing over processes; an
        # incremental run appends one small segment in this process (a fork costs more)
        self.processes = processes or default_processes()
        self.processes_asked = processes is not None

    def _worth_processes(self, sources: Sequence[str | Path]) -> bool:
        """Whether a full build of `sources` is spread over processes (BULK_FROM_BYTES)."""
        if self.processes_asked:
            return True
        size = source_bytes(sources)
        return size is None or size >= BULK_FROM_BYTES

    @staticmethod
    def _previous_catalog(current: Path | None, rebuild: bool) -> Catalog:
        """The current generation's catalog; for a rebuild, {} if it cannot be read (a
        rebuild is what every message about a damaged index asks for)."""
        if current is None:
            return Catalog()
        if not rebuild:
            return read_catalog(current)
        try:
            return read_catalog(current)
        except (OSError, ValueError, TypeError, AttributeError):
            return Catalog()

    def _gazetteer_files(self, current: Path | None) -> dict[str, list[Path]]:
        """The gazetteers of this run: for each kind, the files given, else those stored
        with the current generation (none for a rebuild); given files replace stored
        ones, so an edited file is not kept beside its old version."""
        files = {
            kind: list(self.gazetteers[kind]) or stored_gazetteers(current, kind)
            for kind in GAZETTEER_KINDS
        }
        # compiled once for the files' contents: a resident indexer (index --watch)
        # compiles again only when they change
        contents = [path.read_bytes() for kind in GAZETTEER_KINDS for path in files[kind]]
        if self.given_extractor is None and contents != self._compiled_for:
            self.extractor = Extractor.default(files["organizations"], files["persons"])
            self._compiled_for = contents
        return files

    def _statements(
        self, items: Iterable[SourceRecord | RejectedRecord | SkippedFile], report: IndexReport
    ) -> Iterator[tuple[Statement, str, SourceRecord, list[Mention]]]:
        for item in items:
            if isinstance(item, SkippedFile):
                report.skipped.append(item)
                continue
            report.read += 1
            if isinstance(item, RejectedRecord):
                report.rejected.append(item)
                continue
            notes: list[str] = []
            try:
                statement, given = statement_from_mapping(item.data, notes=notes)
                statement, mentions = self.extractor.enrich_with_mentions(statement, given)
            except RejectedRecord as rejection:
                report.rejected.append(item.reject(rejection.reason))
                continue
            except RecursionError:
                report.rejected.append(item.reject("record nested too deeply"))
                continue
            report.notes.extend(Note(item.source, item.where, note) for note in notes)
            yield statement, statement.fingerprint(), item, mentions

    def person_names(self, statement: Statement) -> list[str]:
        """What the `person` field indexes: a gazetteer entry's names and aliases; for a
        person recognised by name (a key such as "siarhei-vinakurau"), the key's words
        capitalised, since the field folds capitalised words only."""
        names = []
        for person in statement.persons:
            entry = self.extractor.persons.get(person)
            if entry:
                names.extend([*entry.names.values(), *entry.aliases])
            elif ID_RE.fullmatch(person):
                names.append(" ".join(word.capitalize() for word in person.split("-")))
            else:
                names.append(person)
        return names

    def run(
        self,
        sources: Iterable[str | Path],
        rebuild: bool = False,
        progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda items: items,
    ) -> IndexReport:
        started = time.perf_counter()
        report = IndexReport()
        sources = list(sources)
        check_sources(sources)  # before the lock: a named pipe would hold it forever
        with self.store.writing():
            current = self.store.current()
            if current is not None and not rebuild:
                check_schema(current)
            gazetteers = self._gazetteer_files(None if rebuild else current)
            # a rebuild starts the index afresh but remembers when each statement came in,
            # as far as the damaged index it may be replacing still tells
            remembered = self._remembered(current)
            previous = (
                remembered.catalog
                if remembered and remembered.catalog and not rebuild
                else self._previous_catalog(current, rebuild)
            )
            catalog = Catalog() if rebuild else previous.copy()
            work = self.store.begin(fresh=rebuild)
            try:
                for kind, files in gazetteers.items():
                    store_gazetteers(work, kind, files)
                self._index_into(
                    work, sources, catalog, previous, report, rebuild, progress, current
                )
            except BaseException:
                self.store.discard(work)
                raise
            finally:  # what was rejected is written down even when the run fails
                self._write_reports(report)
        report.total = len(catalog)
        report.seconds = time.perf_counter() - started
        return report

    def _index_into(
        self,
        work: Path,
        sources: Sequence[str | Path],
        catalog: Catalog,
        previous_catalog: Catalog,
        report: IndexReport,
        rebuild: bool,
        progress: Callable[[Iterable[Any]], Iterable[Any]],
        current: Path | None,
    ) -> None:
        try:
            if whoosh_index.exists_in(str(work)):
                ix = whoosh_index.open_dir(str(work))
            else:
                # a full build: the words whose pairs it indexes, by document frequency
                ix = whoosh_index.create_in(
                    str(work), build_schema(choose_pair_words(sources, current))
                )
            # separate files, not one compound file: Whoosh copies a compound file's
            # postings into memory when it opens it (hundreds of MB per server)
            bulk = rebuild or current is None
            # the segments this run finds (a run holds the index's lock: also at commit)
            sizes = [] if bulk else segment_sizes(ix)
            if bulk and self.processes > 1 and self._worth_processes(sources):
                writer = BulkWriter(ix, self.processes, limitmb=POOL_MB, compound=False)
            elif bulk or len(sizes) < MAX_SEGMENTS:
                # a segment of added documents only, appended without a merge: the
                # faster writer of the same files
                writer = TermSegmentWriter(ix, limitmb=POOL_MB, compound=False)
            else:  # this run's commit merges segments: Whoosh's writer reads them
                writer = ix.writer(limitmb=POOL_MB, compound=False)
        except OSError:
            raise
        except Exception as error:  # a damaged table of contents or segment
            raise IndexCorrupt(
                f"the published index cannot be read ({type(error).__name__}: {error}); "
                "rebuild it with `searcharchive index SOURCE... --rebuild`"
            ) from None
        # each statement's fingerprint, file and line, for a duplicate's message (formatted
        # only then: a string each took ~120 bytes, 35 MB at 300,000 statements)
        seen: dict[str, tuple[str, str, int | str]] = {}
        new_mentions: dict[str, list[Mention]] = {}
        try:
            items = progress(read_sources(sources))
            for statement, fingerprint, item, mentions in self._statements(items, report):
                first = seen.get(statement.id)
                if first is not None:
                    if first[0] != fingerprint:
                        report.rejected.append(
                            item.reject(
                                f"duplicate id '{statement.id}' with different content "
                                f"(first seen at {first[1]}:{first[2]})"
                            )
                        )
                    else:
                        report.unchanged += 1
                    continue
                where = item.where.get("line", item.where.get("element", ""))
                seen[statement.id] = (fingerprint, item.source, where)
                entry = self._catalog_entry(statement, fingerprint, item, previous_catalog, report)
                previous = catalog.get(statement.id)
                if previous is not None and previous.fingerprint == fingerprint:
                    report.unchanged += 1
                    if entry.source != previous.source:  # same text, now from this file
                        catalog[statement.id] = entry
                    continue
                name_keys = index_terms(statement.id, mentions, self.extractor.persons)
                document = whoosh_document(statement, self.person_names(statement), name_keys)
                new_mentions[statement.id] = mentions
                if previous is None:  # the catalog is the index's: the id is not in it
                    writer.add_document(**document)
                    report.indexed += 1
                else:
                    writer.update_document(**document)
                    report.updated += 1
                catalog[statement.id] = entry
        except BaseException:
            writer.cancel()
            raise
        if not (report.indexed or report.updated or rebuild):
            writer.cancel()
            self.store.discard(work)
            return
        kept = self._commit(writer, sizes, rebuild, first=current is None)
        stored_catalog = write_catalog(work, catalog)
        (work / META).write_text(
            json.dumps({"schema_version": SCHEMA_VERSION, "statements": len(catalog)}),
            encoding="utf-8",
        )
        table, updated = self._write_persons(
            work, catalog, new_mentions, None if rebuild else current
        )
        remembered = self._remembered(current)
        columns = write_columns(
            work,
            previous=current if kept is not None else None,
            kept=kept,
            persons=table.statements,
            persons_updated=updated,
            old=remembered.columns if remembered else None,
        )
        report.generation = self.store.publish(work)
        published = self.store.root / report.generation
        table.base = stored_catalog.linked_from = published
        self._published = Published(_folder_key(published), table, stored_catalog, columns)

    @staticmethod
    def _commit(writer: Any, sizes: list[int], rebuild: bool, first: bool) -> int | None:
        """Commit this run's segment after the segments of `sizes` documents; the
        documents of the previous generation whose numbers it kept (for its facet
        columns to be extended), or None.

        An incremental run appends a segment and keeps every older document number.
        Once there are MAX_SEGMENTS, the small segments at the end are merged into
        this run's (`tail_to_merge`), which renumbers their documents only; when
        there is no such tail, Whoosh merges as it sees fit, and the columns are
        built afresh."""
        if rebuild or first:
            writer.commit(optimize=rebuild, merge=True)
            return None
        if len(sizes) < MAX_SEGMENTS:
            writer.commit(merge=False)
            return sum(sizes)
        keep = tail_to_merge(sizes)
        if keep is None:
            writer.commit(merge=True)
            return None
        writer.commit(mergetype=merging_after(keep))
        return sum(sizes[:keep])

    def _write_persons(
        self,
        work: Path,
        catalog: Iterable[str],
        new_mentions: dict[str, list[Mention]],
        current: Path | None,
    ) -> tuple[PersonTable, bool]:
        """The person table of the new generation: the previous one with this run's
        mentions where that decides (persons.update_table), else the previous
        generation's mentions of the statements this run did not re-read, and this
        run's, clustered afresh (the same persons as a rebuild would give). True with
        it when it was updated: older statements kept their persons."""
        remembered = self._remembered(current)
        previous = (remembered and remembered.table) or load_table(current, with_mentions=True)
        if previous is not None:
            updated = update_table(previous, new_mentions, self.extractor.persons)
            if updated is not None:
                return write_table(work, updated), True
        ids = list(catalog)
        if previous is not None:
            old = previous.mentions
        else:  # no table, or a damaged one: the statements' names read again from the index
            old = self._stored_mentions(work, set(ids) - set(new_mentions))
        mentions = {sid: ms for sid in ids if (ms := new_mentions.get(sid, old.get(sid)))}
        return write_table(work, build_table(mentions, self.extractor.persons)), False

    def remember_published(self) -> None:
        """Read the published generation's person table now, for the first run to find
        it in memory (a resident indexer)."""
        current = self.store.current()
        table = load_table(current, with_mentions=True)
        if current is not None and table is not None:
            self._published = Published(_folder_key(current), table)

    def _remembered(self, current: Path | None) -> Published | None:
        """What this indexer published last, if `current` is still that generation (a
        resident indexer need not read it back)."""
        if current is None or self._published is None:
            return None
        return self._published if self._published.key == _folder_key(current) else None

    def _stored_mentions(self, work: Path, wanted: set[str]) -> dict[str, list[Mention]]:
        """The mentions of statements already in the index, from their stored records."""
        found: dict[str, list[Mention]] = {}
        if not wanted:
            return found
        with open_index(work).reader() as reader:
            for stored in reader.all_stored_fields():
                if stored.get("id") not in wanted:
                    continue
                statement = Statement.from_json(json.loads(stored["record"]))
                given = set() if "persons" in statement.extracted else {"persons"}
                enriched = self.extractor.enrich_with_mentions(
                    statement,
                    given | {"lang", "date", "articles", "organizations", "authors", "lead"},
                )
                found[statement.id] = enriched[1]
        return found

    def _catalog_entry(
        self,
        statement: Statement,
        fingerprint: str,
        item: SourceRecord,
        previous_catalog: Catalog,
        report: IndexReport,
    ) -> CatalogEntry:
        """The statement's new catalog entry; sets when it entered the archive, and notes
        a statement that another file's version replaces."""
        source = source_key(item.source)
        earlier = previous_catalog.get(statement.id)
        statement.added = (earlier.added if earlier else "") or now_utc()
        if (
            earlier is not None
            and earlier.source
            and earlier.source != source
            and earlier.fingerprint != fingerprint
        ):
            report.replaced.append(
                Note(
                    item.source,
                    item.where,
                    f"statement '{statement.id}' first read from {earlier.source} is replaced "
                    "by a different version from this file",
                )
            )
        return CatalogEntry(fingerprint, source, statement.added)

    def _write_reports(self, report: IndexReport) -> None:
        """rejects.jsonl (records kept aside) and notes.jsonl (what was changed, replaced
        or skipped). Any text, even a file name that is not UTF-8, can be written."""
        self._write_lines(self.store.rejects_file, [r.as_json() for r in report.rejected])
        notes = [n.as_json() for n in (*report.replaced, *report.notes)]
        notes += [skipped.as_json() for skipped in report.skipped]
        self._write_lines(self.store.notes_file, notes)

    def _write_lines(self, path: Path, rows: list[dict[str, object]]) -> None:
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8", errors="backslashreplace") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        tmp.replace(path)
