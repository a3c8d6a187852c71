"""A statement's summary: the first paragraph that says something.

A page's text often opens with a dateline ("Hrodna – June 13, 2026"), a subtitle (a
short line without a full stop), or site furniture ("Photo: …", "Share"); a feed entry
or a hit made of those tells the reader nothing, so the lead is the first paragraph that
is none of them (the first paragraph when every one is).
"""

from __future__ import annotations

import re

from .dates import is_dateline

SUBTITLE_WORDS = 16  # a paragraph this short without a sentence's end reads as a heading
SENTENCE_END = re.compile(r"[.!?…:;»”\")]\s*$")
# What a page's furniture starts with (photo and source credits, share and print
# buttons, "read also", tags), in en/ru/be.
BOILERPLATE_STARTS = (
    *("photo", "фото", "фота", "video", "видео", "відэа", "source", "источник", "крыніца"),
    *("share", "поделиться", "падзяліцца", "print", "печать", "друк"),
    *("read (?:also|more)", "читайте также", "чытайце таксама"),
    *("subscribe", "подписаться", "падпісацца", "tags?", "теги", "тэгі"),
)
BOILERPLATE = re.compile(rf"^(?:{'|'.join(BOILERPLATE_STARTS)})(?:\W|$)", re.IGNORECASE)
PARAGRAPHS = re.compile(r"\n\s*\n")


def is_filler(paragraph: str) -> bool:
    """A dateline, a subtitle or boilerplate: not a summary."""
    text = paragraph.strip()
    if is_dateline(text) or BOILERPLATE.match(text):
        return True
    return len(text.split()) <= SUBTITLE_WORDS and not SENTENCE_END.search(text)


def summary_paragraph(body: str) -> str:
    paragraphs = [p.strip() for p in PARAGRAPHS.split(body) if p.strip()]
    return next((p for p in paragraphs if not is_filler(p)), paragraphs[0] if paragraphs else "")
