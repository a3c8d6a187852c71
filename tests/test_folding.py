from __future__ import annotations

import itertools
import json
import re
import unicodedata
from pathlib import Path

import pytest
from anyascii import anyascii
from hypothesis import given
from hypothesis import strategies as st

from searcharchive import folding
from searcharchive.folding import build_name_table, fold_key, fold_keys
from searcharchive.names import lemmatise

SAME_KEY_GROUPS = [
    ["Seviarynets", "Severinets", "Sieviaryniec", "Sevyarynets", "Севярынец", "Северинец"],
    ["Klimovich", "Klimovič", "Klimovitch", "Клімовіч", "Климович"],
    ["Viasna", "Vyasna", "Вясна", "Весна"],
    ["Aliaksandr", "Alexander", "Аляксандр", "Александр"],
    ["Siarhei", "Sergei", "Sergey", "Сяргей", "Сергей"],
    ["Ihar", "Igor", "Ігар", "Игорь"],
    ["Bialiatski", "Byalyatsky", "Bialacki", "Бяляцкі", "Беляцкий"],
    ["Labkovich", "Лабковіч", "Лабкович"],
    ["Stefanovich", "Стефановіч", "Стефанович"],
    # rules beyond the brief's list: ў/в, цеканне, Łacinka "ch" = х
    ["Tsikhanouskaya", "Ціханоўская", "Тихановская", "Cichanoŭskaja"],
    ["Klimau", "Клімаў", "Климов"],
    ["Lukashenka", "Лукашэнка", "Лукашенко", "Łukašenka"],
]
SAME_KEY_PAIRS = [pair for group in SAME_KEY_GROUPS for pair in itertools.combinations(group, 2)]

GIVEN_NAME_GROUPS = [
    ["Mikalai", "Nikolai", "Nikolay", "Mikola", "Мікалай", "Николай", "Мікола"],
    ["Uladzimir", "Vladimir", "Uladzimer", "Уладзімір", "Владимир"],
    ["Aliaksei", "Alexei", "Aleksey", "Аляксей", "Алексей"],
    ["Pavel", "Paval", "Павел", "Павал"],
    ["Valiantsin", "Valentin", "Валянцін", "Валентин"],
    ["Uladzislau", "Vladislav", "Уладзіслаў", "Владислав"],
    ["Yauhen", "Evgeny", "Yevgeny", "Яўген", "Евгений"],
    ["Dzmitry", "Dmitry", "Дзмітрый", "Дмитрий"],
    ["Nasta", "Anastasia", "Наста", "Анастасия"],
    ["Hanna", "Anna", "Ганна", "Анна"],
    ["Katsiaryna", "Ekaterina", "Кацярына", "Екатерина"],
    ["Tatsiana", "Tatiana", "Таццяна", "Татьяна"],
    ["Volha", "Olga", "Вольга", "Ольга"],
    ["Mikhail", "Mikhas", "Міхаіл", "Михаил"],
    ["Piotr", "Petr", "Пётр"],
]
GIVEN_NAME_PAIRS = [
    pair for group in GIVEN_NAME_GROUPS for pair in itertools.combinations(group, 2)
]

DIFFERENT_KEY_PAIRS = [
    ("Klimovich", "Kalinovsky"),
    ("Viasna", "Minsk"),
    ("Seviarynets", "Sevastopol"),
    ("Ales", "Aliaksandr"),
    ("Алесь", "Александр"),
    ("Mikalai", "Mikhail"),
    ("Maryia", "Marfa"),
    ("Yury", "Iryna"),
]


@pytest.mark.parametrize(("a", "b"), SAME_KEY_PAIRS)
def test_spellings_of_one_name_share_a_key(a: str, b: str) -> None:
    assert fold_key(a) == fold_key(b)


@pytest.mark.parametrize(("a", "b"), GIVEN_NAME_PAIRS)
def test_given_name_table_bridges_forms(a: str, b: str) -> None:
    assert fold_key(a) == fold_key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT_KEY_PAIRS)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert fold_key(a) != fold_key(b)


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Mikalai", "=mikalai"),
        ("Николай", "=mikalai"),
        ("Алесь", "=ales"),
        ("Aleś", "=ales"),
        ("Alexandr", "=aliaksandr"),  # not listed, but shares the skeleton
    ],
)
def test_group_key_comes_from_first_member(word: str, key: str) -> None:
    assert fold_key(word) == key


@pytest.mark.parametrize("word", ["Seviarynets", "Klimovich", "Bialiatski", "Viasna"])
def test_skeleton_keys_cannot_look_like_group_keys(word: str) -> None:
    assert not fold_key(word).startswith("=")


@pytest.mark.parametrize("number", ["342", "2020", "1001", "0"])
def test_numbers_are_kept(number: str) -> None:
    assert fold_key(number) == number


@pytest.mark.parametrize("word", ["", "'", "...", "—"])
def test_words_without_letters_fold_to_empty(word: str) -> None:
    assert fold_key(word) == ""


def test_case_does_not_matter() -> None:
    assert fold_key("SEVIARYNETS") == fold_key("seviarynets") == fold_key("Севярынец")


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Севярынец і Klimovich", [fold_key("Seviarynets"), fold_key("і"), "klmvC"]),
        ("Серге\u0301й", [fold_key("Сергей")]),  # stress mark does not split the word
        ("сям'я, сямʼя", [fold_key("сям'я")] * 2),
        ("Bialiatski’s arrest", [fold_key("Bialiatski"), fold_key("arrest")]),
        ("10 July 2020, №342", ["10", fold_key("July"), "2020", "342"]),
        ("", []),
        ("— , !", []),
    ],
)
def test_fold_keys_tokenizes_and_folds(text: str, keys: list[str]) -> None:
    assert fold_keys(text) == keys


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"Mikalai": ["Nikolai"]}, "expected a list of groups"),
        ("Mikalai", "expected a list of groups"),
        ([["Mikalai"], []], "group 2"),
        ([["Mikalai", 7]], "not a non-empty string"),
        ([["Mikalai", " "]], "not a non-empty string"),
        ([["Ia"]], "no consonants"),
        ([["Mikalai"], ["Mikola"]], "merge the two groups"),
    ],
)
def test_malformed_name_table_is_rejected(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_name_table(data)


def test_packaged_name_table_loads_once() -> None:
    table = folding._name_table()
    assert folding._name_table() is table
    assert table[folding._skeleton(folding._romanise("Nikolay"))] == "=mikalai"


@given(st.text())
def test_fold_key_never_raises(text: str) -> None:
    assert isinstance(fold_key(text), str)


@given(st.text())
def test_fold_keys_never_raises(text: str) -> None:
    keys = fold_keys(text)
    assert isinstance(keys, list)
    assert all(isinstance(key, str) and key for key in keys)


# --- heads: what a key can start with, the snippets' cheap test before a key --------

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ROMAN_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _real_words() -> list[str]:
    """Distinct words of the real statements and the Belarusian treebank's forms,
    each also capitalised (a name in a sentence)."""
    texts = []
    for line in (SHARED_DATA / "real-dev" / "statements.jsonl").read_text().splitlines():
        record = json.loads(line)
        texts.append(f"{record['title']} {record['body']}")
    treebank = SHARED_DATA / "ud-belarusian-hse" / "be_hse-ud-dev.conllu"
    for line in treebank.read_text().splitlines():
        fields = line.split("\t")
        if len(fields) > 2 and fields[0].isdigit():
            texts.append(f"{fields[1]} {fields[2]}")
    words = {w for text in texts for w in re.findall(r"[^\W\d_][\w'’-]*", text)}
    return sorted(words | {w[:1].upper() + w[1:] for w in words})


@pytest.mark.skipif(not (SHARED_DATA / "real-dev").exists(), reason="../shared is not here")
def test_the_key_of_every_case_form_starts_with_one_of_the_words_heads() -> None:
    """snippets.Matcher judges a capitalised word NO when its heads miss the heads of
    the keys sought: sound only if a word's own key and the key of each nominative
    names.lemmatise gives it start with one of its heads, on every real word."""
    words = _real_words()
    assert len(words) > 15_000
    missed = []
    for word in words:
        heads = folding.fold_heads(word)
        for form in {word, lemmatise(word, "m"), lemmatise(word, "f")}:
            key = fold_key(form)
            if key and not folding.key_heads(key) & heads:
                missed.append((word, form, key))
    assert missed == []


def test_heads_follow_the_given_name_table() -> None:
    # Мікалая folds through the table to "=mikalai", whose spellings start m or n
    assert folding.key_heads(fold_key("Мікалая")) >= {"m", "n"}
    assert folding.fold_heads("Николаю") & folding.key_heads(fold_key("Mikalai"))
    assert not folding.fold_heads("Бяляцкага") & folding.key_heads(fold_key("Seviarynets"))


@pytest.mark.parametrize(("word", "heads"), [("Chadava", {"C", "H"}), ("Алесь", {"a"})])
def test_heads_read_ch_both_ways_and_vowels_as_a(word: str, heads: set[str]) -> None:
    # "Chadava" has no Łacinka letter but its nominative Chadaŭ has: then ch is х (H)
    assert folding.fold_heads(word) == heads
    assert folding.key_heads(fold_key(lemmatise(word))) <= heads


@given(st.text(alphabet=ROMAN_LETTERS))
def test_skeleton_head_is_the_skeletons_first_symbol(roman: str) -> None:
    assert folding._skeleton_head(roman) == folding._skeleton(roman)[:1]


@given(st.text())
def test_romanise_is_anyascii_after_the_pre_mapping(text: str) -> None:
    """The translate table (_ROMAN) is anyascii code point by code point."""
    word = folding._POSSESSIVE.sub("", unicodedata.normalize("NFC", text).lower())
    if "ch" in word and folding._LACINKA.search(word):
        word = word.replace("ch", "kh")
    expected = folding._NON_ALNUM.sub("", anyascii(word.translate(folding._PRE)).lower())
    assert folding._romanise(text) == expected
