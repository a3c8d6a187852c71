"""The archive's languages, written once: those of its statements, of its UI, of the
citation grammar's names and of the date parser. Their order is meaningful: a
translation group shows its first language found here, and the `lang` column stores
a language as its position in this tuple."""

from __future__ import annotations

import re

LANGS = ("en", "be", "ru")
# a letter of the Cyrillic block, the script of be and ru texts (and of their names)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
