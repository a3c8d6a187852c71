"""The archive's languages, written once: those of its statements, of its UI, of the
citation grammar's names and of the date parser. Their order is meaningful: a
translation group shows its first language found here, and the `lang` column stores
a language as its position in this tuple."""

from __future__ import annotations

LANGS = ("en", "be", "ru")
