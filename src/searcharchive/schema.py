"""The Whoosh schema: text fields per language, exact and folded fields, facet fields."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from .analysis import exact_analyzer, folding_analyzer, pairs_analyzer, stemming_analyzer
from .languages import LANGS

# 5: Belarusian normalisation and morphology (#17); no date_key, fingerprint
# 6: organizations by role: `org` its authors and signatories, `mention` all it names (#14)
# 7: name keys of recognised persons (`pname`, #12), on top of 6's `mention`
# 8: records store their snippet text's citation spans (Statement.cited)
SCHEMA_VERSION = 8


def build_schema(pair_words: frozenset[str] | None = None) -> Schema:
    """The schema of a new index; `pair_words` are the words whose adjacent pairs the
    `biword` field indexes (pair_words.py; None: the fixed list)."""
    fields: dict[str, object] = {
        "id": ID(stored=True, unique=True),
        "group": ID(stored=True),
        "lang": ID(stored=True),
        "record": STORED(),
        "exact": TEXT(analyzer=exact_analyzer(), phrase=True),
        "title_exact": TEXT(analyzer=exact_analyzer(), phrase=False),
        "fold": TEXT(analyzer=folding_analyzer(), phrase=True),
        "person": TEXT(analyzer=folding_analyzer(), phrase=False),
        # name keys of the persons recognised in the text, in the nominative (namekeys.py)
        "pname": KEYWORD(commas=True, lowercase=False),
        # word pairs: a two-word phrase is one term lookup, not a positions walk
        "biword": TEXT(analyzer=pairs_analyzer(pair_words), phrase=False),
        "tag": KEYWORD(commas=True, lowercase=True),
        "org": KEYWORD(commas=True, lowercase=True),  # authors and signatories
        "mention": KEYWORD(commas=True, lowercase=True),  # every organization named
        "article": KEYWORD(commas=True, lowercase=True),
    }
    for lang in LANGS:
        # stemmed fields need no positions: phrases are exact words (the biword field)
        fields[f"title_{lang}"] = TEXT(analyzer=stemming_analyzer(lang), phrase=False)
        fields[f"body_{lang}"] = TEXT(analyzer=stemming_analyzer(lang), phrase=False)
    return Schema(**fields)
