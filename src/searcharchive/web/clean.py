"""Text that every output can carry, whatever an index or a query holds.

Lone surrogates cannot be encoded as UTF-8 (they would turn any page into a 500); XML 1.0
forbids the control characters other than tab, LF and CR, and U+FFFE/U+FFFF, so one of them
in a title makes a whole feed unreadable. HTML gets the same text as XML.
"""

from __future__ import annotations

import re

SURROGATE = re.compile("[\ud800-\udfff]")
NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
LINE_BREAKS = str.maketrans({"\v": " ", "\f": " "})  # a word processor's line and page breaks


def encodable(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD: always encodable as UTF-8."""
    return SURROGATE.sub("\ufffd", text)


def printable(text: str) -> str:
    """`text` as XML 1.0 allows it: vertical tab and form feed become spaces, the other
    forbidden control characters go, lone surrogates become U+FFFD."""
    return NOT_XML.sub("", encodable(text).translate(LINE_BREAKS))
