"""How much a near-spelling suggestion costs (src/searcharchive/spelling.py), next to
Whoosh's own `terms_within`, on an index of any size.

    python -m bench.generate --size 3000 --out /tmp/corpus
    searcharchive index /tmp/corpus --index /tmp/ix --rebuild
    python -m bench.spelling --index /tmp/ix --words 60

Misspellings are made from words of the index (one letter dropped, doubled, changed or
two swapped, seeded); each is timed through Speller.near and through terms_within at
distance 1 (and 2 for a few), in alternation, so a loaded machine slows both alike.
"Found" is how often the word it was made from is among the suggestions, "first" how
often it is the first (the one a page shows first).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from searcharchive.archive import Archive
from searcharchive.spelling import FIELD, MIN_LETTERS, Speller, script_letters

from .timing import summary


def sample_words(reader: Any, count: int, seed: int) -> list[str]:
    """`count` words of the exact field, 5 to 14 letters of one script, spread evenly."""
    words = [
        text
        for term in reader.lexicon(FIELD)
        if (text := term.decode("utf-8") if isinstance(term, bytes) else term).isalpha()
        and MIN_LETTERS < len(text) < 15
        and script_letters(text)[0]
    ]
    rng = random.Random(seed)
    return sorted(rng.sample(words, min(count, len(words))))


def misspelt(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    letters = script_letters(word)[0]
    edits = [
        word[:i] + word[i + 1 :],
        word[:i] + word[i] + word[i:],
        word[:i] + rng.choice(letters) + word[i + 1 :],
        word[:i] + word[i + 1] + word[i] + word[i + 2 :],
    ]
    return rng.choice([e for e in edits if e != word] or [word + letters[0]])


def timed(work: Callable[[], list[str]]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    found = work()
    return (time.perf_counter() - start) * 1000, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--words", type=int, default=60)
    parser.add_argument("--distance-2", type=int, default=5, help="words timed at distance 2")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    archive = Archive.open(args.index)
    gen = archive.generation()
    reader = gen.searcher.reader()
    speller = Speller(reader, gen.lexicon)
    leaves = [leaf for leaf, _ in reader.leaf_readers()]
    rng = random.Random(args.seed)
    pairs = [(word, misspelt(word, rng)) for word in sample_words(reader, args.words, args.seed)]
    pairs = [(w, m) for w, m in pairs if not any((FIELD, m) in leaf for leaf in leaves)]

    def whoosh(word: str, distance: int) -> list[str]:
        return sorted({t for leaf in leaves for t in leaf.terms_within(FIELD, word, distance)})

    ours: list[float] = []
    theirs: list[float] = []
    theirs_2: list[float] = []
    found = top = 0
    for n, (word, typo) in enumerate(pairs):
        for which in (0, 1) if n % 2 == 0 else (1, 0):
            if which == 0:
                ms, near = timed(lambda typo=typo: speller.near(typo))
                ours.append(ms)
                found += word in near
                top += near[:1] == [word]
            else:
                ms, _ = timed(lambda typo=typo: whoosh(typo, 1))
                theirs.append(ms)
        if n < args.distance_2:
            theirs_2.append(timed(lambda typo=typo: whoosh(typo, 2))[0])
    report = {
        "index": str(args.index),
        "documents": int(gen.columns.alive.sum()),
        "segments": len(leaves),
        "words": len(pairs),
        "speller_near": summary(ours),
        "whoosh_terms_within_1": summary(theirs),
        "whoosh_terms_within_2": summary(theirs_2),
        "speller_max_ms": round(max(ours), 1) if ours else None,
        "found_share": round(found / len(pairs), 3) if pairs else None,
        "first_share": round(top / len(pairs), 3) if pairs else None,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
