"""Hypothesis strategies for hostile input: query text full of syntax, record-like mappings, and
file contents (JSON Lines, HTML, tag-page text, raw bytes) for the readers."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


SYNTAX = [
    '"', "'", "(", ")", ":", "::", "AND", "OR", "NOT", "and", "-", "+", "*", "?", "~", "~2",
    "^", "^3", "[", "]", "{", "}", "TO", "\\", "/", "«", "»", "„", "“", "”", "’", "title:",
    "person:", "org:", "article:", "tag:", "lang:", "text:", "date:", "article:cc:342",
    'article:"ч. 1 ст. 342 УК"', "org:viasna", "lang:be", "ч. 1 ст. 342 УК", "Art. 342 CC",
    "арт. 342 КК", "Article 23.34 of the Code of Administrative Offenses", "ст.", "ч.", "УК",
    "342", "23.34", "cc:342:1", "Северинец", "Севярынец", "Seviarynets", "Вясна", "Viasna",
    "sev*", "se*", "*", "**", "a*b", "\x00", "\x1b[2J", "\u202e", "\ufeff", "\u0301", "\u200b",
    "𝔘𝔫𝔦", "🙂", "\n", "\t", "\r\n", " ", "%s", "%(count)s", "{0}", "<script>", "&amp;",
]  # fmt: skip
syntax_soup = st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=6)), max_size=40)
query_text = st.one_of(
    st.text(max_size=300),  # any code point but surrogates: control chars, RTL marks, ...
    syntax_soup.map(" ".join),
    syntax_soup.map("".join),
    st.text(alphabet="\"():-*AND OR NOT ст.ч342УКйў'«»", max_size=200),
)
filter_values = st.lists(st.text(max_size=40), max_size=4)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["id", "lang", "group", "title", "body", "date", "lead", "tags", "organizations"]
FIELDS += ["persons", "articles", "url", "translated_by", "translated_from"]
record_like = st.dictionaries(
    st.sampled_from(FIELDS),
    st.one_of(
        st.text(max_size=80),
        st.lists(st.text(max_size=20), max_size=3),
        json_values,
        st.sampled_from(["en", "be", "ru", "2020-07-10", "2020-07", "10 July 2020", "cc:342:1"]),
    ),
    max_size=len(FIELDS),
)
jsonl_text = st.lists(
    st.one_of(
        record_like.map(lambda r: json.dumps(r, ensure_ascii=False)),
        json_values.map(json.dumps),
        st.text(max_size=60),
    ),
    max_size=8,
).map("\n".join)
html_text = st.lists(
    st.one_of(
        st.sampled_from(
            ["<html>", "<head>", "<title>", "</title>", "<script>", "</script>", "<body>", "<p>"]
            + ["</p>", "<article>", "<div", ">", "<!--", "-->", "<![CDATA[", "&nbsp;", "&#0;"]
            + ['<meta name="date" content="2020-07-10">', "<html lang=be>", "</html>"]
        ),
        st.text(max_size=60),
    ),
    max_size=40,
).map("".join)
tag_page_text = st.lists(
    st.one_of(
        st.sampled_from(["\n", "\n\n", "\n\n\n", " \t\n", "Subscribe to RSS", "joint statement"]),
        st.sampled_from(["We use cookies", "Мы используем cookies", "\r\n", "\r"]),
        st.text(max_size=60),
    ),
    max_size=40,
).map("".join)
file_content = st.one_of(
    st.binary(max_size=2000),
    st.one_of(st.text(max_size=500), jsonl_text, html_text, tag_page_text).map(
        lambda text: text.encode("utf-8")
    ),
    jsonl_text.map(lambda text: text.encode("utf-8") + b"\n\xff\xfe\n"),  # a bad line inside
)
SUFFIXES = [".jsonl", ".json", ".ndjson", ".html", ".htm", ".txt", "", ".bin"]
