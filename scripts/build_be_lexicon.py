"""Derive src/searcharchive/data/be_lexicon.tsv from Debian's hunspell-be dictionary.

    apt-get install hunspell-be
    python scripts/build_be_lexicon.py /usr/share/hunspell/be_BY > src/searcharchive/data/be_lexicon.tsv

hunspell-be (Mikalai Udodau, spell-be.sourceforge.net, CC BY-SA 3.0) lists ~82,000
stems with suffix flags.  Each stem and the forms its suffix rules make are one
word; where our rules (searcharchive.stemming) would give a form another index term
than its stem, the form is written out with the stem it belongs to.  Only those
exceptions are kept (forms the rules already handle are left out), so the table is
small (and verbs are left out); a form that belongs to two stems with different terms is left out too.  The
output is CC BY-SA 3.0, like its source.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

from searcharchive.belarusian import normalise_cyrillic
from searcharchive.stemming import rule_stem_be


def stem(word: str) -> str:
    """The term the rules alone give *word*, spelled as the analysis will see it."""
    return rule_stem_be(normalise_cyrillic(word))


Rule = tuple[str, str, re.Pattern[str]]


def read_suffixes(aff: Path) -> dict[str, list[Rule]]:
    """SFX flag → [(strip, add, condition)] from a Hunspell .aff file."""
    rules: dict[str, list[Rule]] = defaultdict(list)
    for line in aff.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0] == "SFX":
            _, flag, strip, add, condition = parts[:5]
            strip = "" if strip == "0" else strip
            add = "" if add == "0" else add.split("/")[0]
            rules[flag].append((strip, add, re.compile(f"(?:{condition})$")))
    return rules


def expand(word: str, flags: str, rules: dict[str, list[Rule]]) -> set[str]:
    forms = {word}
    for flag in flags:
        for strip, add, condition in rules.get(flag, ()):
            if condition.search(word) and word.endswith(strip):
                forms.add(word[: len(word) - len(strip)] + add)
    return forms


# verbs are listed by their 1st person or infinitive: left to the rules, they would
# be most of the table while the search needs nouns and adjectives most
_VERB_HEAD = re.compile(r"(?:ць|цца|ся|[юу])$")


def exceptions(base: Path) -> dict[str, str]:
    rules = read_suffixes(base.with_suffix(".aff"))
    lines = base.with_suffix(".dic").read_text(encoding="utf-8").splitlines()[1:]
    owners: dict[str, set[str]] = defaultdict(set)  # form -> terms of its stems
    heads: dict[str, set[str]] = defaultdict(set)  # form -> stems whose term it misses
    for line in lines:
        word, _, flags = line.strip().partition("/")
        word = word.lower()
        if not word or _VERB_HEAD.search(word) or not word.replace("'", "").isalpha():
            continue
        term = stem(word)
        for form in expand(word, flags, rules):
            owners[form].add(term)
            if stem(form) != term:
                heads[form].add(word)
    table: dict[str, str] = {}
    for form, stems in heads.items():
        if form.startswith("ў"):  # the analysis reads a word-initial ў as у first
            continue
        own = stem(form)
        if len(stems) == 1 and own not in owners[form] and len(owners[form]) == 1:
            table[form] = next(iter(stems))
    return table


def main() -> None:
    base = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/hunspell/be_BY")
    print("# Derived from hunspell-be 0.53 (c) Mikalai Udodau, CC BY-SA 3.0, by")
    print("# scripts/build_be_lexicon.py: form TAB the dictionary stem it belongs to,")
    print("# for the forms whose index term the rules of stemming.py get wrong, in the official")
    print("# spelling the analysis looks words up in (normalise_cyrillic).")
    table = {
        normalise_cyrillic(form): normalise_cyrillic(head)
        for form, head in sorted(exceptions(base).items())
    }
    for form, head in sorted(table.items()):
        print(f"{form}\t{head}")


if __name__ == "__main__":
    main()
