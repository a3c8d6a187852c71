from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searcharchive import folding
from searcharchive.folding import build_name_table, fold_key, fold_keys

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
