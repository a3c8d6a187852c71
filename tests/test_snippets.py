"""Highlighted snippets (snippets.py): the window around the first match, the query's words and
the searched articles marked, the text escaped, only our own <mark> tags added."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from searcharchive.analysis import MIN_FOLD_CHARS
from searcharchive.belarusian import dictionary_forms
from searcharchive.citations import find_citation_spans
from searcharchive.folding import fold_key
from searcharchive.snippets import (
    PLACEMENT_LIMIT,
    WIDTH,
    Matcher,
    cited_spans,
    highlight,
    placed_citations,
    plain,
)

from .belarusian_measures import UD_DEV, ud_pairs

INTRO = "An opening sentence of no interest. " * 20
TAIL = " Closing words of no interest." * 20


def matcher(
    words: list[str], lang: str = "en", exact: bool = False, names: list[str] | None = None
) -> Matcher:
    """The one place these tests build a matcher of a query's words (and the words of
    it looked up as names, as parse_query lists them)."""
    return Matcher(words, lang, exact, names or [])


def marked(snippet: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", snippet)


def test_the_window_starts_shortly_before_the_first_match_and_is_bounded() -> None:
    text = INTRO + "The prisoner was moved; the other Prisoners wait." + TAIL
    snippet = str(highlight(text, matcher(["prisoners"])))
    assert marked(snippet) == ["prisoner", "Prisoners"]  # by stem, case aside
    assert snippet.startswith("…") and snippet.endswith("…")
    shown = plain(snippet)
    assert shown.index("The prisoner") <= WIDTH // 4 + len("… ") + 30
    assert len(shown) <= WIDTH + 30 + 2
    assert plain(snippet, "*").count("*") == 4


def test_text_is_escaped_and_only_our_marks_are_markup() -> None:
    text = '<b>A</b> & "<mark>x</mark>" on prisoners.'
    snippet = str(highlight(text, matcher(["prisoners"])))
    assert "<b>" not in snippet and "&lt;b&gt;A&lt;/b&gt; &amp;" in snippet
    assert "&lt;mark&gt;x&lt;/mark&gt;" in snippet
    assert marked(snippet) == ["prisoners"]
    assert plain(snippet) == text  # no window cut: the whole short text, unescaped


def test_without_a_match_the_snippet_is_the_opening() -> None:
    snippet = str(highlight(INTRO + TAIL, matcher(["quokka"])))
    assert not snippet.startswith("…") and marked(snippet) == []
    assert plain(snippet).startswith(INTRO[: WIDTH // 2])
    assert str(highlight("", matcher(["x"]))) == ""


def test_exact_matching_marks_only_the_words_as_typed() -> None:
    text = "The prisoner and the prisoners."
    assert marked(str(highlight(text, matcher(["prisoners"], exact=True)))) == ["prisoners"]
    assert marked(str(highlight(text, matcher(["prisoners"])))) == ["prisoner", "prisoners"]


def test_a_name_matches_in_another_script_only_when_written_as_a_name() -> None:
    snippet = str(highlight("Statement on Seviarynets and Sieviaryniec.", matcher(["Seviarynets"])))
    assert marked(snippet) == ["Seviarynets", "Sieviaryniec"]
    # a lowercase word is not a name: "release" and "rules" share a consonant skeleton
    assert marked(str(highlight("The rules of release.", matcher(["rules"])))) == ["rules"]


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("Bialiatski", "Бяляцкага"),  # a case form, through its nominative's key
        ("Chadava", "Хадаў"),  # whose nominative reads "ch" as х: key Hdv, not Cdv
        ("Chadava", "Hadaŭ"),  # so a form with "h" matches through that key alone
        ("Mikalai", "Николаю"),  # a given name's group: its spellings start m or n
    ],
)
def test_a_name_matches_in_any_form_whatever_its_first_letters_read_as(
    query: str, form: str
) -> None:
    """Words whose key cannot start as the query's keys do are judged without a key
    (folding.fold_heads); these forms start otherwise in writing, yet match."""
    snippet = str(highlight(f"Заява пра {form} і Брэст.", matcher([query], "be", names=[query])))
    assert marked(snippet) == [form]


@pytest.mark.parametrize(
    ("text", "articles", "cited"),
    [
        ("Абвінавачаны па ч. 1 ст. 342 УК і арт. 130 КК.", ["cc:342"], ["ч. 1 ст. 342 УК"]),
        ("Charged under Article 342 of the Criminal Code.", ["cc:342:1"], []),
        ("Charged under Part 1 of Article 342 of the Criminal Code.", ["cc:342"], None),
    ],
)
def test_the_searched_articles_and_their_parts_are_marked(
    text: str, articles: list[str], cited: list[str] | None
) -> None:
    """A search for an article marks its parts too; a search for a part marks no other part."""
    spans = cited_spans(text, articles)
    snippet = str(highlight(text, None, articles=articles))
    assert marked(snippet) == [text[start:end] for start, end in spans]
    if cited is None:
        assert spans, "a part of the searched article is cited"
    else:
        assert [text[start:end] for start, end in spans] == cited
    assert cited_spans(text, []) == []


def test_a_snippet_starts_at_a_citation_that_comes_before_the_words() -> None:
    text = INTRO + "Under ч. 1 ст. 342 УК a prisoner was sentenced." + TAIL
    snippet = str(highlight(text, matcher(["prisoner"]), articles=["cc:342"]))
    assert marked(snippet) == ["ч. 1 ст. 342 УК", "prisoner"]


def test_placed_citations_are_those_of_the_snippet_text_with_its_offsets() -> None:
    """The index keeps the citations of the text a snippet is cut from: the body's (the
    title's, where there is no body), with offsets into that text, and none past the
    characters a snippet is placed within."""
    title = "Па арт. 130 КК"
    body = "Абвінавачаны па ч. 1 ст. 342 УК. " + "Без нумароў. " * 10 + "Арт. 23.34 КоАП."
    found = find_citation_spans(f"{title}\n\n{body}")
    placed = placed_citations(title, body, found)
    assert [(body[start:end], ids) for start, end, ids in placed] == [
        ("ч. 1 ст. 342 УК", ["cc:342:1"]),
        ("Арт. 23.34 КоАП", ["cao:23.34"]),
    ]
    untitled = placed_citations(title, "", find_citation_spans(f"{title}\n\n"))
    assert [title[start:end] for start, end, _ in untitled] == ["арт. 130 КК"]
    far = "Пачатак. " * (PLACEMENT_LIMIT // 9) + "ч. 1 ст. 342 УК."
    whole = f"\n\n{far}"  # the text the index reads: an empty title, a blank line, the body
    assert find_citation_spans(whole)
    assert placed_citations("", far, find_citation_spans(whole)) == []


def test_a_snippet_marks_the_stored_citations_as_the_grammar_would() -> None:
    text = INTRO + "Under ч. 1 ст. 342 УК and Art. 23.34 CAO he was fined." + TAIL
    stored = placed_citations("", text, find_citation_spans(f"\n\n{text}"))  # no title
    for articles in (["cc:342"], ["cao:23.34"], ["cc:342:1", "cao"], ["cc:130"]):
        assert cited_spans(text, articles, stored=stored) == cited_spans(text, articles)
        with_stored = highlight(text, matcher(["fined"]), articles=articles, cited=stored)
        assert with_stored == highlight(text, matcher(["fined"]), articles=articles)


@pytest.mark.parametrize(
    ("words", "lang", "text"),
    [
        (["prisoners", "released"], "en", "The Prisoner was released; prisoners' release is due."),
        (["задержанных"], "ru", "Задержанный и задержанные: задержания продолжаются, Задержанным."),
        (["вызваленне"], "be", "Вызваленне вызваленых, вызвалення няма."),
    ],
)
def test_words_stemmed_in_a_batch_get_the_verdicts_stemmed_one_by_one(
    words: list[str], lang: str, text: str
) -> None:
    tokens = re.findall(r"\w+", text)
    primed = matcher(words, lang)
    primed.prime(tokens)
    one_by_one = matcher(words, lang)
    verdicts = [one_by_one.verdict(token) for token in tokens]
    assert [primed.verdict(token) for token in tokens] == verdicts
    assert Matcher.NO in verdicts and Matcher.DIRECT in verdicts


REAL_STATEMENTS = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "real-dev" / "statements.jsonl"
)


def real_words(lang: str) -> list[str]:
    """The distinct words of the real development statements in `lang`, if present."""
    if not REAL_STATEMENTS.is_file():
        return []
    words: dict[str, None] = {}
    for line in REAL_STATEMENTS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("lang") == lang:
            words.update(dict.fromkeys(re.findall(r"\w+", f"{record['title']} {record['body']}")))
    return list(words)


@pytest.mark.parametrize(
    ("lang", "own"),
    [
        ("en", "Dying detainees were lying in cells; the skies, the news and early trials"),
        ("ru", "Ёлка и елки, объём и объемы, её суды; Ещё узники ждали приговоров"),
    ],
)
def test_the_bounded_scan_skips_only_words_that_cannot_match(lang: str, own: str) -> None:
    """A word judged without stemming (other first letter, not capitalised) would never
    match: every word of our sentences and of the real statements that a query of a word
    with its stem (any form, any case) matches is one the scan looks at."""
    words = re.findall(r"\w+", own) + real_words(lang)
    assert len(words) > 10
    for word in words:
        lowered = word.lower()
        query = matcher([lowered], lang)
        assert query.may_match(lowered) and query.may_match(word), word
    cannot = matcher(["trials"] if lang == "en" else ["суды"], lang)
    assert not cannot.may_match("detainees" if lang == "en" else "узники")
    assert cannot.may_match("Detainees" if lang == "en" else "Узники")  # names fold


def test_the_belarusian_scan_skips_only_words_that_cannot_match() -> None:
    """A Belarusian stem may start with another letter than its word: a folded vowel
    (гарады → горад), a first ў (ўлада), a classical зь (зьява), Łacinka, a dictionary
    form (людзі → чалавек). Every word of our sentence, of the UD Belarusian forms, of
    the dictionary tables and of the real statements is judged by a query of a word
    with its stem; words that start otherwise are not."""
    own = "Людзі ў гарадах: ўлада, зьява, Biełaruś і palitviazni, сłова, ёсць этап, Ґанак, 2020"
    texts = [own, *dictionary_forms(), *real_words("be")]
    if UD_DEV.is_file():
        texts += [
            form for pair in ud_pairs(UD_DEV, frozenset({"NOUN", "ADJ", "VERB"})) for form in pair
        ]
    words = [word for text in texts for word in re.findall(r"\w+", text)]  # as a text splits
    assert len(words) > 1000
    for word in words:
        lowered = word.lower()
        query = matcher([lowered], "be")
        assert query.may_match(lowered) and query.may_match(word), word
    assert matcher(["чалавек"], "be").may_match("людзі")
    assert matcher(["горад"], "be").may_match("гарады")
    assert matcher(["людзі"], "be").matches("людзям")
    assert not matcher(["суд"], "be").may_match("вязні")
    assert matcher(["суд"], "be").may_match("Вязні")  # names fold


@pytest.mark.parametrize(
    ("query", "word", "verdict"),
    [
        ("палітвязні", "palitviaźniaŭ", Matcher.FOLDED),  # Łacinka, lowercase: no key
        ("biełaruś", "Biełarusi", Matcher.DIRECT),  # the query's script: as typed
        ("biełaruś", "Беларусі", Matcher.FOLDED),
    ],
)
def test_a_transliterated_belarusian_word_is_stemmed_whatever_its_first_letter(
    query: str, word: str, verdict: int
) -> None:
    """Words are stemmed only when they start as a word with a query stem may; a
    Belarusian word in Łacinka starts otherwise yet has the stem of its Cyrillic form."""
    assert matcher([query], "be").verdict(word) == verdict


def test_the_scan_judges_no_word_in_exact_mode() -> None:
    assert not matcher(["trials"], "en", exact=True).may_match("trial")
    assert not matcher(["trials"], "en", exact=True).may_match("Trial")


def test_a_name_in_letters_beyond_the_basic_plane_is_found_by_the_scan() -> None:
    """Mathematical bold letters (as some posts write a name) fold like plain ones:
    the scan judges a word that starts with such a capital."""
    bold = "".join(
        chr(0x1D400 + ord(c) - ord("A")) if c.isupper() else chr(0x1D41A + ord(c) - ord("a"))
        for c in "Bialiatski"
    )
    text = f"{'An opening sentence without the name. ' * 20}Then {bold} spoke."
    query = matcher(["bialiatski"], "en")
    assert query.may_match(bold)
    assert marked(highlight(text, query)) == [bold]


def every_word_judged(query: Matcher, text: str) -> list[tuple[int, int]]:
    """Where the words that match are, judged one by one (what `Matcher.spans` skips)."""
    return [m.span() for m in re.finditer(r"\w+", text) if query.matches(m.group())]


def forms_judged_one_by_one(query: Matcher, text: str) -> list[str]:
    """`Matcher.other_forms` as it was written before it judged the scan's words only."""
    if all(w in text.lower() for w in query.words):
        return []
    folded: dict[str, list[str]] = {}
    direct: set[str] = set()
    for token in dict.fromkeys(re.findall(r"\w+", text)):
        verdict = query.verdict(token)
        if verdict == Matcher.FOLDED:
            folded.setdefault(fold_key(token.lower()), []).append(token)
        elif verdict == Matcher.DIRECT and len(token) >= MIN_FOLD_CHARS:
            direct.add(fold_key(token.lower()))
    return list(dict.fromkeys(t for k, ts in folded.items() if k not in direct for t in ts))[:5]


@pytest.mark.parametrize("exact", [False, True])
def test_the_words_marked_are_those_a_verdict_on_every_word_gives(exact: bool) -> None:
    """On the real statements and our own sentence: for queries of their words (as they
    are, lowercased, and spelled in the other scripts) the words `spans` marks and the
    spellings `other_forms` reports are those of a verdict on every word."""
    own = "Сябры Paula Sieviaryńca і Севярынца; Seviarynets, Северинец и Беляцкий. Ales Bialiatski"
    texts = [(own, lang) for lang in ("en", "be", "ru")]
    if REAL_STATEMENTS.is_file():
        for line in REAL_STATEMENTS.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts.append((f"{record['title']}\n{record['body']}"[:6000], record["lang"]))
    queries = [["seviarynets"], ["Севярынец".lower()], ["bialiatski"], ["палітвязняў"]]
    for text, _ in texts[::4]:
        words = re.findall(r"\w+", text)
        queries += [[w.lower()] for w in words[7::301]]
    names = ["Seviarynets", "Bialiatski"]
    checked = 0
    for text, lang in texts:
        for words in queries[:: 1 + len(texts) // 20]:
            one_by_one = Matcher(words, lang, exact, names)
            expected = every_word_judged(one_by_one, text)
            query = Matcher(words, lang, exact, names)
            assert query.spans(text, 0, len(text)) == expected, (words, lang)
            assert query.other_forms(text) == forms_judged_one_by_one(one_by_one, text)
            checked += bool(expected)
    # our sentence alone (a clone without ../shared) has fewer queries that mark a word
    assert checked > (20 if REAL_STATEMENTS.is_file() else 5)


def test_a_name_glued_to_an_emoji_is_judged_as_the_name() -> None:
    """A character beyond the Basic Multilingual Plane that is no letter (an emoji, a
    flag) does not start a word for the scan: the name after it is marked."""
    text = f"{INTRO}Сёння 👉Бяляцкага і 🇧🇾Бяляцкага судзяць.{TAIL}"
    query = Matcher(["bialiatski"], "be", False, ["Bialiatski"])
    assert marked(str(highlight(text, query))) == ["Бяляцкага", "Бяляцкага"]
    assert query.other_forms(text) == ["Бяляцкага"]
