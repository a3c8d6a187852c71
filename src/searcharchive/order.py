"""The order of results: the same for any two builds of one corpus, page by page.

A result is a translation group, shown by one of its matching documents (its
face). Document numbers depend on how the index was built, so they decide
nothing here: every tie is broken by the statement id (`Columns.rank`, the
place of a live document's id among all live ids).

- newest / oldest: the face is the matching document in the reader's language,
  else en, be, ru, else the smaller id; groups go by the face's date (undated
  last), then by the face's id;
- relevance: the face is the group's best-scoring matching document (ties: the
  smaller id); groups go by that score, then by the face's id.

The permutations these need are sorted once per generation, so a page of a
date-sorted listing costs two gathers over the documents, not a sort.
"""

from __future__ import annotations

import numpy as np

from .columns import Columns

DATE_BITS = 27  # yyyymmdd < 2**27


def _by(docs: np.ndarray, major: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """`docs` by a non-negative int64 key, then by rank: one sort of unique int64 keys."""
    return docs[np.argsort((major << 32) | rank)]


class Order:
    """The sorted permutations of one generation's live documents, each sorted when
    first asked for: a relevance search needs only `by_group` (a hit's translations),
    so the first search of a new generation sorts once, not five times."""

    def __init__(self, columns: Columns):
        self.group = columns.group
        self.group_count = len(columns.group_names)
        self.rank = columns.rank
        self._live = np.flatnonzero(columns.alive)
        self._lang = columns.lang
        self._date_start = columns.date_start
        self._faces: dict[int, np.ndarray] = {}
        self._by_date: dict[str, np.ndarray] = {}

    def faces(self, preferred: int) -> np.ndarray:
        """Live documents by group, then face preference (the `preferred` language,
        then en, be, ru), then id."""
        found = self._faces.get(preferred)
        if found is None:
            live = self._live
            lang = self._lang[live].astype(np.int64)
            group = self.group[live].astype(np.int64)
            rank = self.rank[live].astype(np.int64)
            found = _by(live, group * 4 + np.where(lang == preferred, 0, lang + 1), rank)
            self._faces[preferred] = found
        return found

    @property
    def by_group(self) -> np.ndarray:
        """Each group's documents in en, be, ru order, then by id."""
        return self.faces(0)

    def by_date(self, sort: str) -> np.ndarray:
        """Live documents newest or oldest first (undated last), then by id."""
        found = self._by_date.get(sort)
        if found is None:
            live = self._live
            dates = self._date_start[live].astype(np.int64)
            undated = (dates == 0).astype(np.int64) << DATE_BITS
            key = (1 << DATE_BITS) - 1 - dates if sort == "newest" else dates
            found = _by(live, undated | key, self.rank[live].astype(np.int64))
            self._by_date[sort] = found
        return found

    def groups(self, mask: np.ndarray) -> int:
        """How many groups have a masked document (the number of results): no sort."""
        present = np.zeros(self.group_count, dtype=bool)
        present[self.group[mask]] = True
        return int(np.count_nonzero(present))

    def _face_mask(self, mask: np.ndarray, preferred: int) -> np.ndarray:
        """Boolean mask of each group's face among the masked documents."""
        order = self.faces(preferred)
        docs = order[mask[order]]
        first = np.ones(len(docs), dtype=bool)
        groups = self.group[docs]
        first[1:] = groups[1:] != groups[:-1]
        faces = np.zeros(len(mask), dtype=bool)
        faces[docs[first]] = True
        return faces

    def dated(
        self, mask: np.ndarray, sort: str, preferred: int, offset: int, size: int
    ) -> np.ndarray:
        """The faces of page [offset, offset + size) by date (`sort`: newest or oldest)."""
        order = self.by_date(sort)
        faces = self._face_mask(mask, preferred)
        return order[faces[order]][offset : offset + size]

    def ranked(
        self, scores: np.ndarray, mask: np.ndarray, offset: int, size: int
    ) -> list[tuple[int, float]]:
        """(face, score) of page [offset, offset + size) by score."""
        docs = np.flatnonzero(mask)
        doc_scores = scores[docs]
        ranks = self.rank[docs]
        wanted = offset + size
        take = min(len(docs), max(wanted * 4, 64))
        while True:
            top = _first(doc_scores, ranks, take)
            top = top[np.lexsort((ranks[top], -doc_scores[top]))]
            # the first document of each group in this order is its face
            _, first = np.unique(self.group[docs[top]], return_index=True)
            faces = top[np.sort(first)]
            if len(faces) >= wanted or take >= len(docs):
                page = faces[offset:wanted]
                pairs = zip(docs[page].tolist(), doc_scores[page].tolist(), strict=True)
                return list(pairs)
            take = min(len(docs), take * 4)


def _first(scores: np.ndarray, ranks: np.ndarray, count: int) -> np.ndarray:
    """Indices of the first `count` documents by score, then rank (in no order): a
    prefix of the whole order, found without sorting it."""
    if count >= len(scores):
        return np.arange(len(scores))
    threshold = -np.partition(-scores, count - 1)[count - 1]
    above = np.flatnonzero(scores > threshold)
    tied = np.flatnonzero(scores == threshold)
    need = count - len(above)  # at least 1: `threshold` is the count-th best score
    if need < len(tied):
        tied = tied[np.argpartition(ranks[tied], need - 1)[:need]]
    return np.concatenate([above, tied])
