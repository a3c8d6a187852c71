"""The words whose adjacent pairs a full build indexes (the `biword` field), chosen by
document frequency.

A phrase of two words both chosen is one term lookup (matching.Evaluator.phrase); any
other phrase walks word positions, which costs about as much as the rarer word's
postings. Words in PAIR_SHARE of the documents or more are chosen, besides the fixed
list (analysis.phrase_words), so that phrases of frequent words never walk positions;
each chosen word adds pair terms, which the writer holds in memory and the index
stores. A walk's cost grows with the rarer word's documents, not its share: in a large
archive a word in fewer than 2% of the documents may still be in thousands of them, and
walking its positions beside a very frequent word reads most of that word's postings
(at 300,000 statements: 1,459 documents beside "и", 93 ms; 4,732 beside "на", 203 ms).
So a word in WALK_DOCUMENTS documents is paired too, whatever its share (this changes
nothing up to 100,000 statements, where 2% is that many; MAX_WORDS binds from about
300,000, and a first build counts a sample, in which a word needs MIN_DOCUMENTS: past
300,000 its bound rises with the archive). At 20,000 statements (bench corpus, two
writing processes), against the fixed list alone: 5% pairs 738 words (phrase p95
-25%, index +6%, peak memory +2%), 2% 1,828 (p95 -40 to -60%, index +25%, peak +11%,
build about +18%), 1% 4,056 (p95 -65 to -95%, index +54%, peak +25%).

The document frequencies come from the previous generation's `exact` field when a
rebuild has one (exact, and read from its term table in a second or two), else from a
sample of the input read before indexing (also when the previous generation is
smaller than the sample): the first statements of each source file, in proportion to
its size. Standard input is never read twice: a build from it alone keeps the fixed
list. A word needs MIN_DOCUMENTS too, so a small archive pairs few words besides the
fixed list. An incremental run keeps the words its index was built with (they are in
its schema).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from .analysis import phrase_words
from .document_terms import words_of
from .errors import RejectedRecord
from .index_files import open_index
from .postings import doc_frequencies
from .readers import SourceRecord, is_stdin, iter_files, read_file
from .statement import statement_from_mapping, whole_text

PAIR_SHARE = 0.02  # a word in 2% of the documents or more is paired
WALK_DOCUMENTS = 2000  # and a word in this many documents of the archive, in any share
MIN_DOCUMENTS = 20  # and in this many of the documents counted (all, or a sample)
MAX_WORDS = 5000  # the most frequent, whatever the corpus (each adds pair terms)
SAMPLE_STATEMENTS = 3000  # read from the input's files when there is no generation


def frequent_words(
    frequencies: Mapping[str, int],
    documents: int,
    share: float | None = None,
    archive: int | None = None,
) -> frozenset[str]:
    """The fixed list and the words in `share` (PAIR_SHARE) of `documents` or in
    WALK_DOCUMENTS of the archive's (`archive` documents: `documents` are a sample of
    them, or all of them by default), and in MIN_DOCUMENTS or more (at most MAX_WORDS of
    them, the most frequent)."""
    fixed = phrase_words()
    share = PAIR_SHARE if share is None else share
    scale = documents / max(archive or documents, documents, 1)  # sample per archive
    least = max(MIN_DOCUMENTS, min(share * documents, WALK_DOCUMENTS * scale))
    chosen = sorted(
        (word for word, count in frequencies.items() if count >= least),
        key=lambda word: (-frequencies[word], word),
    )
    return fixed | frozenset(chosen[:MAX_WORDS])


def generation_frequencies(generation: Path) -> tuple[dict[str, int], int] | None:
    """(document frequency of each word of the `exact` field, documents) of a published
    generation; None if it cannot be read (a rebuild is how a damaged index is fixed)."""
    try:
        reader = open_index(generation).reader()
    except Exception:  # any damage: the words come from the input instead
        return None
    try:
        if "exact" not in reader.schema:
            return None
        counts: dict[bytes, int] = {}
        for leaf, _ in reader.leaf_readers():
            for term, frequency in doc_frequencies(leaf, "exact"):
                counts[term] = counts.get(term, 0) + frequency
        documents = reader.doc_count_all()  # deleted ones too, as the frequencies count
    except Exception:
        return None
    finally:
        reader.close()
    return {term.decode("utf-8"): count for term, count in counts.items()}, documents


class Sample(NamedTuple):
    """Document frequencies of the words of a sample of the input."""

    frequencies: Counter[str]
    documents: int  # statements read
    archive: int  # statements the input holds, estimated (at least `documents`)


def sample_frequencies(sources: Sequence[str | Path], statements: int | None = None) -> Sample:
    """The document frequency of each lowercase word over about `statements` statements
    (SAMPLE_STATEMENTS): the first ones of each source file, in proportion to its size.
    Standard input is left out (it can be read once only). The input's statements are
    estimated by its bytes: those of the files read (a file read in part counts the
    bytes before its next record's line), per statement read. An estimate can only pair
    more words, so where the bytes read are not known the whole file is counted (an
    estimate too small keeps the share's rule)."""
    statements = SAMPLE_STATEMENTS if statements is None else statements
    files: list[tuple[Path, bool, int]] = []
    for entry in iter_files(sources):
        if not isinstance(entry, tuple) or is_stdin(entry[0]):
            continue
        path, named = entry
        try:
            files.append((path, named, path.stat().st_size))
        except OSError:
            continue  # reported when it is indexed
    total = sum(size for _, _, size in files)
    counts: Counter[str] = Counter()
    documents = 0  # statements read
    seen_bytes = 0
    read_bytes = 0  # of the input, before the records not read
    for path, named, size in files:
        seen_bytes += size
        wanted = round(statements * seen_bytes / max(total, 1)) - documents  # cumulative
        if wanted <= 0:
            continue
        texts, next_line = _texts(path, named, wanted)
        for text in texts:
            counts.update({word.lower() for word in words_of(text)})
        documents += len(texts)
        read = None if next_line is None else _bytes_before_line(path, next_line)
        read_bytes += size if read is None else min(size, read)
    if not documents or not read_bytes:
        return Sample(counts, documents, documents)
    rest = round((total - read_bytes) * documents / read_bytes)
    return Sample(counts, documents, documents + max(0, rest))


def _texts(path: Path, named: bool, wanted: int) -> tuple[list[str], int | None]:
    """The title and body of the statements among the first `wanted` records of a file,
    and the line of the record after them (None: the file was read to its end, or its
    reader gives no line). The file is closed when they are read."""
    items = read_file(path, named)
    texts: list[str] = []
    try:
        records = (item for item in items if isinstance(item, SourceRecord))
        for record in islice(records, wanted):
            try:
                statement, _ = statement_from_mapping(record.data)
            except (RejectedRecord, RecursionError):
                continue  # rejected when it is indexed
            texts.append(whole_text(statement.title, statement.body))
        following = next(records, None)
    finally:
        items.close()
    line = following.where.get("line") if following is not None else None
    return texts, line if isinstance(line, int) and line > 0 else None


def _bytes_before_line(path: Path, line: int) -> int | None:
    """The bytes of a file's lines before `line` (1 for the first); None if it cannot
    be read. Long lines are read in pieces, never whole."""
    try:
        with path.open("rb") as handle:
            lines = 1
            while lines < line:
                piece = handle.readline(1 << 20)
                if not piece:
                    break
                lines += piece.endswith(b"\n")
            return handle.tell()
    except OSError:
        return None


def choose_pair_words(sources: Sequence[str | Path], previous: Path | None) -> frozenset[str]:
    """The pair words of a full build of `sources`, `previous` the generation it
    replaces (None for a first build)."""
    counted = generation_frequencies(previous) if previous is not None else None
    if counted is None or counted[1] < SAMPLE_STATEMENTS:
        sampled = sample_frequencies(sources)
        if counted is None or sampled.documents > counted[1]:
            return frequent_words(sampled.frequencies, sampled.documents, archive=sampled.archive)
    return frequent_words(*counted)
