"""Evaluate a query tree over numpy arrays: which documents match, and their BM25 scores.

The query tree is the one `query.py` builds from Whoosh query objects; here
each Term becomes its postings (see postings.py), And/Or/Not become mask
algebra, and scores are BM25 sums, so matching and ranking cost array
operations instead of a matcher walk per document. Phrases are looked up as
word pairs in the `biword` fields the schema indexes for that purpose, when
each adjacent pair is of words the generation's schema pairs.

A score depends on the document and the live documents only, never on how the
index is segmented: document frequencies, the document count and the average
field lengths are counted over live documents from our own masks (Whoosh
counts a document deleted by an update until its segment is merged), averages
are exact integer sums, and whether a term is scored as a frequent one (no
term frequency) follows its live document count, not whether the generation
happens to hold its documents as precomputed bits.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import orjson
from whoosh import query as wq

from .analysis import pair_words_of
from .columns import Columns
from .document_terms import words_of
from .facet_table import COLUMN_FIELD
from .postings import Postings, frequent_threshold
from .statement import whole_text

K1 = 1.2
B = 0.75
PHRASE_FIELDS = {"exact": "biword"}
# a phrase of three words or more answered from word pairs is checked in the texts of
# up to this many documents (its pairs found apart are not the phrase), else by positions
VERIFIED_TEXTS = 500
# a phrase's word (not a frequent one) in up to this many times the documents left to
# check has its positions read whole and kept; one in more, those of the documents left
WHOLE_POSITIONS = 4
# a frequent word's positions are read for up to this many documents (else Whoosh walks)
POSITIONS_DOCUMENTS = 20_000
TITLE_FIELDS = {"title_exact", "title_en", "title_be", "title_ru"}


class SparseTerm(NamedTuple):
    """A term's live documents (distinct, ascending) and their scores."""

    ids: np.ndarray
    scores: np.ndarray


class FrequentTerm(NamedTuple):
    """A frequent term's live documents (a mask of all) and the score of each."""

    mask: np.ndarray
    score: np.float32


class Evaluator:
    def __init__(self, postings: Postings, columns: Columns, searcher: Any):
        self.postings = postings
        self.columns = columns
        self.searcher = searcher
        # the words whose pairs each field of PHRASE_FIELDS holds, as this index chose them
        self.pair_words: dict[str, frozenset[str]] = {}
        for field, pair_field in PHRASE_FIELDS.items():
            if pair_field not in searcher.schema:
                continue
            words = pair_words_of(getattr(searcher.schema[pair_field], "analyzer", None))
            if words is not None:
                self.pair_words[field] = words
        self.size = columns.size
        self.alive = columns.alive
        live = int(columns.alive.sum())
        self.alive_count = max(1, live)
        # a term in this many live documents is scored by its idf alone (see term)
        self.frequent_docs = frequent_threshold(live)
        self.lengths = {
            name: columns.lengths[name].astype(np.float32) for name in ("title", "body")
        }
        self.averages = {
            name: max(1.0, int(columns.lengths[name][columns.alive].sum(dtype=np.int64)) / live)
            if live
            else 1.0
            for name in ("title", "body")
        }

    def run(self, node: wq.Query) -> tuple[np.ndarray, np.ndarray]:
        """(mask of matching documents, score of each document)."""
        mask, scores = self._eval(node)
        return mask & self.columns.alive, scores

    def _empty(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float32)

    def _idf(self, df: int) -> float:
        return float(np.log(1.0 + (self.alive_count - df + 0.5) / (df + 0.5)))

    def _frequent(self, mask: np.ndarray, count: int, boost: float) -> FrequentTerm:
        """A term in `frequent_docs` live documents or more: documents only, scored by
        idf (low: tf would matter little), so its postings need not be read."""
        return FrequentTerm(mask, np.float32(boost * self._idf(count)))

    def term(self, field: str, text: str, boost: float) -> tuple[np.ndarray, np.ndarray]:
        found = self._term(field, text, boost)
        if isinstance(found, FrequentTerm):
            return found.mask, found.mask * found.score
        mask, scores = self._empty()
        mask[found.ids] = True
        scores[found.ids] = found.scores
        return mask, scores

    def _term(self, field: str, text: str, boost: float) -> FrequentTerm | SparseTerm:
        """A term's documents and scores: a frequent term's mask and its one score, or
        another's few live documents (`SparseTerm`); an OR adds either in place."""
        frequent = self.postings.mask(field, text)
        if frequent is not None:
            frequent &= self.alive
            count = int(np.count_nonzero(frequent))
            if count >= self.frequent_docs:
                return self._frequent(frequent, count, boost)
        ids, tf = self.postings.get(field, text)
        live = self.alive[ids]
        ids, tf = ids[live], tf[live]  # deleted documents neither match nor count
        if len(ids) >= self.frequent_docs:
            mask = np.zeros(self.size, dtype=bool)
            mask[ids] = True
            return self._frequent(mask, len(ids), boost)
        if not len(ids):
            return SparseTerm(ids, tf)
        lengths = self.lengths["title" if field in TITLE_FIELDS else "body"]
        average = self.averages["title" if field in TITLE_FIELDS else "body"]
        norm = K1 * (1 - B + B * lengths[ids] / average)
        return SparseTerm(ids, boost * self._idf(len(ids)) * tf * (K1 + 1) / (tf + norm))

    def phrase(self, node: wq.Phrase) -> tuple[np.ndarray, np.ndarray]:
        words = [w for w in node.words if w]
        pair_field = PHRASE_FIELDS.get(node.fieldname)
        if len(words) == 1:
            return self.term(node.fieldname, words[0], node.boost)
        pair_words = self.pair_words.get(node.fieldname)
        if pair_field is None or pair_words is None:
            return self._positions(node)
        adjacent = list(zip(words, words[1:], strict=False))
        if all(a in pair_words and b in pair_words for a, b in adjacent):
            pairs = [wq.Term(pair_field, f"{a} {b}", boost=node.boost) for a, b in adjacent]
            mask, scores = self._eval(wq.And(pairs))
            if len(words) > 2:  # its pairs may each be in a text, apart
                mask = self._in_sequence(mask, words, node)
                scores = np.where(mask, scores, np.float32(0))
            return mask, scores
        return self._positions(node)

    def _in_sequence(self, mask: np.ndarray, words: list[str], node: wq.Phrase) -> np.ndarray:
        """The documents of `mask` whose text has `words` one after another, as the
        `exact` field's positions would say: read from the few documents' texts, or by
        Whoosh's positions check when they are more than VERIFIED_TEXTS."""
        candidates = np.flatnonzero(mask & self.alive)
        if len(candidates) > VERIFIED_TEXTS:
            return mask & self._positions(node, within=mask & self.alive)[0]
        wanted = f" {' '.join(words)} "
        found = np.zeros(self.size, dtype=bool)
        for docnum in candidates.tolist():
            record = orjson.loads(self.searcher.stored_fields(docnum)["record"])
            text = whole_text(record.get("title", ""), record.get("body", ""))
            tokens = [word.lower() for word in words_of(text)]  # as the exact analyzer
            found[docnum] = wanted in f" {' '.join(tokens)} "
        return found

    def _positions(
        self, node: wq.Query, within: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Documents with the phrase's words one after another (of those `within`, if
        given: others may be found too): from the words' positions (`_adjacent`), else
        by Whoosh's walk."""
        mask, scores = self._empty()
        docs = self._adjacent(node, within) if isinstance(node, wq.Phrase) else None
        if docs is not None:
            mask[docs] = True
            scores[docs] = node.boost * 2.0
            return mask, scores
        try:
            docs = np.fromiter(self.searcher.docs_for_query(node), dtype=np.int64)
        except wq.QueryError:  # a field indexed without positions: the words together
            if isinstance(node, wq.Phrase):
                terms = [wq.Term(node.fieldname, w, boost=node.boost) for w in node.words]
                return self._eval(wq.And(terms))
            return mask, scores
        mask[docs] = True
        scores[docs] = node.boost * 2.0
        return mask, scores

    def _adjacent(self, node: wq.Phrase, within: np.ndarray | None = None) -> np.ndarray | None:
        """The documents (of those `within`, if given) where the words are next to each
        other, from their positions as numpy arrays; None for a field without positions,
        or a frequent word to read in more than POSITIONS_DOCUMENTS documents (Whoosh
        walks those, holding less at a time).

        Only documents that hold every word are looked at: those of the frequent words'
        bits, narrowed by each word's positions in turn, rarest first. A word's positions
        are read whole and kept per generation (`Postings.positions`), unless it is in
        many more documents than are left (WHOLE_POSITIONS): then those of the documents
        left only, from the posting blocks that hold them (a frequent word always: its
        positions would take much memory to keep).
        Whoosh's walk steps through the frequent word's blocks for each document of the
        rarer one, in Python: a full name beside a common given name cost 3-12 ms a
        phrase at 100,000 statements, each time."""
        if node.slop != 1 or len(node.words) < 2:
            return None
        field = node.fieldname
        none = np.empty(0, dtype=np.int64)
        candidates = np.ones(self.size, dtype=bool) if within is None else within.copy()
        bits = [self.postings.mask(field, word) for word in node.words]  # frequent words'
        for documents in bits:
            if documents is not None:
                candidates &= documents
        # then each word's positions, rarest first, narrowing the documents left
        counts = [self.searcher.doc_frequency(field, word) for word in node.words]
        found: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for place in sorted(range(len(node.words)), key=counts.__getitem__):
            left = int(np.count_nonzero(candidates))
            if not left:  # a word missing, or the words never in one text
                return none
            frequent = bits[place] is not None
            if frequent and left > POSITIONS_DOCUMENTS:
                return None
            whole = not frequent and counts[place] <= WHOLE_POSITIONS * left
            arrays = self.postings.positions(
                field, node.words[place], None if whole else candidates
            )
            if arrays is None:
                return None
            found[place] = arrays
            documents = np.zeros(self.size, dtype=bool)
            documents[arrays[0]] = True
            candidates &= documents
        starts: list[np.ndarray] = []
        for place in range(len(node.words)):
            docs, positions = found[place]
            keep = candidates[docs] & (positions >= place)  # not before the text's start
            # a document and where the phrase would start there, as one number: ascending,
            # as the arrays are ordered by document and by position in it
            starts.append(
                (docs[keep].astype(np.int64) << 32) | (positions[keep] - place).astype(np.int64)
            )
        starts.sort(key=len)
        common = starts[0]
        for other in starts[1:]:
            if not len(common) or not len(other):
                return none
            at = np.minimum(np.searchsorted(other, common), len(other) - 1)
            common = common[other[at] == common]
        return np.unique(common >> 32)

    def _eval(self, node: wq.Query) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(node, wq.Term) and node.fieldname.startswith(COLUMN_FIELD):
            mask, scores = self._empty()
            pairs = self.columns.facets.get(node.fieldname[len(COLUMN_FIELD) :])
            if pairs is not None:
                mask[pairs.docs_of(node.text)] = True
            return mask, scores
        if isinstance(node, wq.Term):
            return self.term(node.fieldname, node.text, node.boost)
        if isinstance(node, wq.Phrase):
            return self.phrase(node)
        if isinstance(node, wq.Every):
            return np.ones(self.size, dtype=bool), np.zeros(self.size, dtype=np.float32)
        if isinstance(node, wq.Not):
            mask, _ = self._eval(node.query)
            return ~mask, np.zeros(self.size, dtype=np.float32)
        if isinstance(node, wq.AndNot):
            mask, scores = self._eval(node.a)
            excluded, _ = self._eval(node.b)
            return mask & ~excluded, scores
        if isinstance(node, wq.AndMaybe):
            mask, scores = self._eval(node.a)
            _, extra = self._eval(node.b)
            return mask, scores + np.where(mask, extra, 0)
        if isinstance(node, wq.And):
            result_mask, result_scores = None, None
            for child in node.subqueries:
                mask, scores = self._eval(child)
                result_mask = mask if result_mask is None else result_mask & mask
                result_scores = scores if result_scores is None else result_scores + scores
            if result_mask is None or result_scores is None:
                return self._empty()
            return result_mask, result_scores * node.boost
        if isinstance(node, wq.Or):
            result_mask, result_scores = self._empty()
            for child in node.subqueries:
                if isinstance(child, wq.Term) and not child.fieldname.startswith(COLUMN_FIELD):
                    found = self._term(child.fieldname, child.text, child.boost)
                    if isinstance(found, SparseTerm):  # a term's documents are distinct
                        result_mask[found.ids] = True
                        result_scores[found.ids] += found.scores
                    else:  # its one score where it is: a product (masked writes are slow)
                        result_mask |= found.mask
                        result_scores += found.mask * found.score
                    continue
                mask, scores = self._eval(child)
                result_mask |= mask
                result_scores += scores
            return result_mask, result_scores * node.boost
        if node is wq.NullQuery:
            return self._empty()
        # anything else (never built by query.py today): Whoosh decides, unscored
        mask, scores = self._empty()
        docs = np.fromiter(self.searcher.docs_for_query(node), dtype=np.int64)
        mask[docs] = True
        return mask, scores
