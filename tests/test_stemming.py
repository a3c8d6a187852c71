from __future__ import annotations

import itertools
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searcharchive.stemming import stem, stem_tokens

BE_SAME_STEM_GROUPS = [
    ["Крымінальнага", "Крымінальны", "Крымінальнай", "Крымінальным"],
    ["правоў", "правы", "правам", "праваў"],
    ["арганізацыі", "арганізацыя", "арганізацый", "арганізацыю"],
    ["кодэкса", "кодэкс", "кодэксу"],
    ["палітвязня", "палітвязні", "палітвязняў"],
    ["праваабаронцы", "праваабаронцаў", "праваабаронцам"],
    ["свабоды", "свабода", "свабоду"],
    ["заява", "заявы", "заяве"],
    # documented extras: initial ў/у, stem-final ў/в, soft sign, apostrophe
    ["улада", "ўлада", "улады"],
    ["Кіеў", "Кіева"],
    ["Беларусь", "Беларусі"],
    ["сям'я", "сям'і"],
]
BE_SAME_STEM_PAIRS = [
    pair for group in BE_SAME_STEM_GROUPS for pair in itertools.combinations(group, 2)
]

BE_DIFFERENT_STEM_PAIRS = [
    ("вясна", "вясёлы"),
    ("суд", "суддзя"),
    ("свабода", "заява"),
]

LANGS = ["en", "ru", "be"]


@pytest.mark.parametrize(("a", "b"), BE_SAME_STEM_PAIRS)
def test_belarusian_forms_share_a_stem(a: str, b: str) -> None:
    assert stem(a.lower(), "be") == stem(b.lower(), "be")


@pytest.mark.parametrize(("a", "b"), BE_DIFFERENT_STEM_PAIRS)
def test_belarusian_words_stay_apart(a: str, b: str) -> None:
    assert stem(a, "be") != stem(b, "be")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("крымінальнага", "крымінальн"),
        ("арганізацыямі", "арганізац"),
        ("суд", "суд"),  # no ending
        ("храм", "храм"),  # stem would have no vowel
        ("ява", "ява"),  # stem would be shorter than three letters
    ],
)
def test_belarusian_stems(word: str, expected: str) -> None:
    assert stem(word, "be") == expected


@pytest.mark.parametrize(
    ("lang", "a", "b"),
    [
        ("en", "prisoners", "prisoner"),
        ("en", "detained", "detain"),
        ("ru", "кодекса", "кодекс"),
        ("ru", "организации", "организация"),
        ("ru", "правозащитников", "правозащитник"),
        ("ru", "ёлки", "елки"),
    ],
)
def test_snowball_languages(lang: str, a: str, b: str) -> None:
    assert stem(a, lang) == stem(b, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_output_is_lowercase(lang: str) -> None:
    assert stem("Кодэкс", lang) == stem("Кодэкс", lang).lower()
    assert stem("Prisoners", lang) == stem("Prisoners", lang).lower()


@pytest.mark.parametrize("lang", ["de", "", "EN", "uk"])
def test_unknown_language_leaves_word_unchanged(lang: str) -> None:
    assert stem("Prisoners", lang) == "Prisoners"
    assert stem_tokens(["Prisoners", "Свабода"], lang) == ["Prisoners", "Свабода"]


@pytest.mark.parametrize("lang", LANGS)
def test_stem_tokens_matches_stem(lang: str) -> None:
    tokens = ["правоў", "кодекса", "prisoners", "Свабоды", "342", ""]
    assert stem_tokens(tokens, lang) == [stem(t, lang) for t in tokens]


def test_stemmers_work_from_several_threads() -> None:
    words = ["организации", "правозащитников"] * 200
    expected = stem_tokens(words, "ru")
    results: list[list[str]] = []

    def work() -> None:
        results.append([stem(w, "ru") for w in words])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


@given(st.text(), st.sampled_from([*LANGS, "xx"]))
def test_stem_never_raises(text: str, lang: str) -> None:
    assert isinstance(stem(text, lang), str)


@given(st.lists(st.text()), st.sampled_from(LANGS))
def test_stem_tokens_never_raises(tokens: list[str], lang: str) -> None:
    result = stem_tokens(tokens, lang)
    assert len(result) == len(tokens)
    assert all(isinstance(s, str) for s in result)
