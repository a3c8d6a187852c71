"""Persons across scripts and languages (persons.py) and name search in any case form
(namekeys.py, query.py), issue #12.  Sentences written for these tests."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searcharchive import Archive, SearchRequest
from searcharchive.gazetteer import Gazetteer
from searcharchive.indexer import Indexer
from searcharchive.namekeys import (
    mention_terms,
    pair_terms,
    surname_genders,
    surname_key,
    surname_terms,
)
from searcharchive.names import find_persons, lemmatise
from searcharchive.persons import FILE, RECENT, PersonTable, load_table
from searcharchive.query import parse_query

from .conftest import write_jsonl


def _record(sid: str, lang: str, title: str, body: str = "Суд адбыўся.") -> dict[str, str]:
    return {"id": sid, "lang": lang, "title": title, "body": body}


PEOPLE = [
    _record("be-1", "be", "Вызваліць Алеся Бяляцкага", "Лаўрэат Нобелеўскай прэміі ў турме."),
    _record("ru-1", "ru", "Суд над Алесем Беляцким", "Правозащитник остается в колонии."),
    _record("en-1", "en", "Ales Bialiatski remains in prison", "The court refused."),
    _record("be-2", "be", "Ліст Сяргею Ціханоўскаму", "Блогер піша з калоніі."),
    _record("be-3", "be", "Святлана Ціханоўская выступіла ў Вільні", "Яна заклікала да санкцый."),
    _record("en-2", "en", "Sviatlana Tsikhanouskaya met the ministers", "A meeting in Brussels."),
    _record("ru-2", "ru", "Приговор Сергею Тихановскому", "Блогера приговорили к 18 годам."),
    _record("ru-3", "ru", "Суд над Марией Колесниковой", "Политзаключенная в колонии."),
    _record("be-4", "be", "Палітвязень Бяляцкі атрымаў ліст", "Лісты даходзяць рэдка."),
]


def _index(
    tmp_path: Path,
    batches: list[list[dict[str, Any]]],
    gazetteer: Path | None = None,
    resident: bool = False,
) -> Path:
    """Index each batch in turn (the first a rebuild, the others incremental runs), by
    an indexer each or, `resident`, one for all (as `index --watch` does)."""
    index = tmp_path / "index"
    tmp_path.mkdir(parents=True, exist_ok=True)
    persons = {"persons": [gazetteer]} if gazetteer else None
    indexer = Indexer(index, processes=1, gazetteers=persons)
    for number, batch in enumerate(batches):
        source = write_jsonl(tmp_path / f"batch-{number}.jsonl", batch)
        if not resident:
            indexer = Indexer(index, processes=1, gazetteers=persons)
        indexer.run([source], rebuild=number == 0)
    return index


def _load(index: Path) -> PersonTable:
    table = load_table(index / (index / "CURRENT").read_text().strip())
    assert table is not None
    return table


def _table(index: Path) -> dict[str, Any]:
    """What a server reads of the table, and what the next run decides from."""
    table = load_table(index / (index / "CURRENT").read_text().strip(), with_mentions=True)
    assert table is not None
    return {key: table.sections()[key] for key in ("persons", "statements", "clusters")}


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _index(tmp_path_factory.mktemp("people"), [PEOPLE])


@pytest.fixture(scope="module")
def archive(people: Path) -> Archive:
    return Archive.open(people)


def ids(archive: Archive, query: str, exact: bool = False) -> list[str]:
    result = archive.search(SearchRequest(q=query, size=50, exact=exact))
    return sorted(hit.statement.id for hit in result.hits)


# ------------------------------------------------------------ the person table


def test_one_person_across_scripts_and_languages(people: Path) -> None:
    table = _load(people)
    person = table.person("ales-bialiatski")
    assert person is not None
    # the surname alone after a role word joins the one Ales Bialiatski of the archive
    assert person["statements"] == ["be-1", "be-4", "en-1", "ru-1"]
    assert person["names"] == {
        "be": "Алесь Бяляцкі",
        "ru": "Алесь Беляцкий",
        "en": "Ales Bialiatski",
    }
    spellings = {s["text"]: (s["script"], s["statements"]) for s in person["spellings"]}
    assert spellings["Алеся Бяляцкага"] == ("cyrl", 1)
    assert spellings["Ales Bialiatski"] == ("latn", 1)
    assert table.of_statement("be-4") == ["ales-bialiatski"]


def test_the_server_reads_the_table(archive: Archive) -> None:
    table = archive.generation().persons
    assert table.of_statement("ru-1") == ["ales-bialiatski"]
    assert table.person("ales-bialiatski")["names"]["ru"] == "Алесь Беляцкий"


def test_tsikhanouski_and_tsikhanouskaya_stay_two_persons(people: Path) -> None:
    table = _load(people)
    by_statement = {sid: table.of_statement(sid) for sid in ("be-2", "be-3", "en-2", "ru-2")}
    assert by_statement["be-2"] == by_statement["ru-2"]
    assert by_statement["be-3"] == by_statement["en-2"]
    assert by_statement["be-2"] != by_statement["be-3"]
    sergei = table.person(by_statement["be-2"][0])
    sviatlana = table.person(by_statement["be-3"][0])
    assert sergei is not None and sviatlana is not None
    assert sergei["names"]["be"] == "Сяргей Ціханоўскі"
    assert sergei["names"]["ru"] == "Сергей Тихановский"
    assert sviatlana["names"]["en"] == "Sviatlana Tsikhanouskaya"


def test_incremental_runs_give_the_persons_of_a_rebuild(tmp_path: Path) -> None:
    in_steps = _index(tmp_path / "steps", [PEOPLE[:3], PEOPLE[3:6], PEOPLE[6:]])
    rebuilt = _index(tmp_path / "whole", [list(reversed(PEOPLE))])
    assert _table(in_steps) == _table(rebuilt)
    # a statement read again with another text changes its persons only
    changed = [*PEOPLE[:8], _record("be-4", "be", "Журналістка Гарашына атрымала ліст")]
    _index(tmp_path / "steps", [changed])  # a rebuild of the first index, for comparison
    updated = _index(tmp_path / "update", [PEOPLE, changed[-1:]])
    assert _table(updated) == _table(tmp_path / "steps" / "index")
    assert _load(updated).persons["ales-bialiatski"]["statements"] == ["be-1", "en-1", "ru-1"]


# statements naming persons the archive already has, as it already names them; then
# one naming a new person, and one naming a known person by a new surname spelling
KNOWN_AGAIN = [
    _record("up-1", "en", "Ales Bialiatski wrote a letter", "It came after a month."),
    _record("up-2", "be", "Палітвязень Бяляцкі напісаў ліст", "Ліст ішоў месяц."),
    _record("up-3", "ru", "Письмо Алесю Беляцкому", "Его передали адвокату."),
]
SOMEONE_NEW = [
    _record("up-4", "be", "Суд над Ігнатам Сідарчуком", "Яго асудзілі."),
    _record("up-6", "ru", "Игнат Сидарчук остается в СИЗО", "Суд продлил арест."),
]
NEW_SPELLING = [_record("up-5", "be", "Ліст Ігнату Сідарчыку", "Адзін ліст.")]
SAME_AGAIN = [_record("up-7", "ru", "Игнат Сидарчук написал письмо", "Из СИЗО.")]


def _published(index: Path, name: str) -> Path:
    return index / (index / "CURRENT").read_text().strip() / name


def test_known_persons_are_updated_not_clustered_again(tmp_path: Path) -> None:
    batches = [PEOPLE, KNOWN_AGAIN[:1], KNOWN_AGAIN[1:]]
    index = _index(tmp_path / "steps", batches)
    first = tmp_path / "steps" / "index" / "gen-000001" / FILE
    # the whole table is the first generation's, linked; the changes sit beside it
    assert _published(index, FILE).stat().st_ino == first.stat().st_ino
    assert _published(index, RECENT).exists()
    assert _load(index).persons["ales-bialiatski"]["statements"] == [
        "be-1", "be-4", "en-1", "ru-1", "up-1", "up-2", "up-3",
    ]  # fmt: skip
    rebuilt = _index(tmp_path / "whole", [list(reversed([*PEOPLE, *KNOWN_AGAIN]))])
    assert _table(index) == _table(rebuilt)
    # what an update cannot decide is clustered afresh, and still equals a rebuild
    for number, (batch, updated) in enumerate(
        [(SOMEONE_NEW, False), (NEW_SPELLING, False), (SAME_AGAIN, True)]
    ):
        source = write_jsonl(tmp_path / f"more-{number}.jsonl", batch)
        Indexer(index, processes=1).run([source])
        assert _published(index, RECENT).exists() == updated
    everything = [*PEOPLE, *KNOWN_AGAIN, *SOMEONE_NEW, *NEW_SPELLING, *SAME_AGAIN]
    assert _table(index) == _table(_index(tmp_path / "all", [everything]))


GAZETTEER = """
- id: ihnat-sidarchuk
  name: {en: Ihnat Sidarchuk, be: Ігнат Сідарчук}
  aliases: [Ігнат Сідарык]      # one source's spelling: merged into one person
- id: andrei-aliaksandrau-economist
  name: {en: Andrei Aliaksandrau, be: Андрэй Аляксандраў}
  statements: [be-econ]          # this statement's Andrei Aliaksandrau is another man
"""

SHARED_NAME = [
    _record("be-sid-1", "be", "Ігнат Сідарчук застаецца ў СІЗА"),
    _record("be-sid-2", "be", "Ліст Ігнату Сідарыку"),
    _record("be-journ", "be", "Журналіст Андрэй Аляксандраў вызвалены"),
    _record("be-journ-2", "be", "Андрэя Аляксандрава пасадзілі"),
    _record("be-econ", "be", "Эканаміст Андрэй Аляксандраў пра падаткі"),
]


def test_gazetteer_merges_and_splits(tmp_path: Path) -> None:
    plain = _table(_index(tmp_path / "plain", [SHARED_NAME]))
    # without the archivist, two spellings are two persons, and one name is one person
    assert plain["statements"]["be-sid-1"] != plain["statements"]["be-sid-2"]
    assert plain["statements"]["be-journ"] == plain["statements"]["be-econ"]
    gazetteer = tmp_path / "persons.yaml"
    gazetteer.write_text(GAZETTEER, encoding="utf-8")
    table = _table(_index(tmp_path / "curated", [SHARED_NAME], gazetteer))
    statements = table["statements"]
    assert statements["be-sid-1"] == statements["be-sid-2"] == ["ihnat-sidarchuk"]
    assert statements["be-econ"] == ["andrei-aliaksandrau-economist"]
    assert statements["be-journ"] == statements["be-journ-2"] != statements["be-econ"]
    assert table["persons"]["ihnat-sidarchuk"]["names"]["en"] == "Ihnat Sidarchuk"


def test_a_split_entry_is_not_searched_for_in_texts(tmp_path: Path) -> None:
    gazetteer = tmp_path / "persons.yaml"
    gazetteer.write_text(GAZETTEER, encoding="utf-8")
    loaded = Gazetteer.builtin("persons", [gazetteer])
    assert "andrei-aliaksandrau-economist" not in loaded.find("Андрэй Аляксандраў сказаў")
    assert loaded.person_id("Андрэй", "Аляксандраў") is None
    assert loaded.get("andrei-aliaksandrau-economist").statements == ("be-econ",)


def test_a_bad_statements_list_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  name: {en: X Y}\n  statements: be-1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="statements must be a list"):
        Gazetteer.load(bad)


# ------------------------------------------------------------ name search


@pytest.mark.parametrize(
    "query",
    ["Bialiatski", "Бяляцкі", "Беляцкий", "Ales Bialiatski", "Алесь Бяляцкі", "Бяляцкага Алеся"],
)
def test_any_spelling_finds_every_case_form(archive: Archive, query: str) -> None:
    assert ids(archive, query) == ["be-1", "be-4", "en-1", "ru-1"]


def test_a_feminine_surname_finds_its_case_forms(archive: Archive) -> None:
    assert ids(archive, "Kalesnikava") == ["ru-3"]
    assert ids(archive, "Tsikhanouskaya") == ["be-3", "en-2"]
    assert ids(archive, "Сергей Тихановский") == ["be-2", "ru-2"]


def test_the_note_names_the_form_that_matched(archive: Archive) -> None:
    result = archive.search(SearchRequest(q="Bialiatski", size=50))
    forms = {hit.statement.id: hit.matched_forms for hit in result.hits}
    assert "Бяляцкага" in forms["be-1"]
    assert "Беляцким" in forms["ru-1"]


def test_exact_turns_name_keys_off(archive: Archive) -> None:
    assert ids(archive, "Бяляцкі", exact=True) == ["be-4"]
    parsed = parse_query("Бяляцкі", Gazetteer([]), exact=True)
    assert "pname" not in repr(parsed.query)


def test_ordinary_words_do_not_look_up_names() -> None:
    for query in ("суд над журналістамі", "political prisoners", "права чалавека"):
        parsed = parse_query(query, Gazetteer([]))
        assert "pname" not in repr(parsed.query), query
    assert "pname" in repr(parse_query("Бяляцкага", Gazetteer([])).query)
    # a frequent word typed with a capital at the start of a query is no name either
    for query in ("Court ruling", "Суд над журналістамі", "Human rights"):
        assert "pname" not in repr(parse_query(query, Gazetteer([])).query), query


def test_a_given_name_beside_a_frequent_word_is_two_words() -> None:
    """ "demand Ihar" asks for both words, not for a person surnamed Demand: a frequent
    word is no surname, as it is no name alone (and its phrase was a positions walk)."""
    for query in ("demand Ihar", "Ihar statement", "суд Алесь"):
        parsed = parse_query(query, Gazetteer([]))
        assert "pname" not in repr(parsed.query), query
        assert "Phrase" not in repr(parsed.query), query
    assert "pname" in repr(parse_query("Ihar Losik", Gazetteer([])).query)


def test_another_given_name_is_another_person(archive: Archive) -> None:
    # one surname, two given names: a full name finds its own person only
    assert ids(archive, "Святлана Ціханоўская") == ["be-3", "en-2"]
    assert ids(archive, "Сяргей Ціханоўскі") == ["be-2", "ru-2"]


# ------------------------------------------------------------ each case form

FORMS = [
    # (sentence, a query in the nominative that must find it)
    ("Вызваліце Алеся Бяляцкага!", "Алесь Бяляцкі"),  # -ага
    ("Ліст Алесю Бяляцкаму дайшоў.", "Алесь Бяляцкі"),  # -аму
    ("Размова з Алесем Бяляцкім была доўгай.", "Алесь Бяляцкі"),  # -ым/-ім
    ("Суд над Марфай Рабковай", "Марфа Рабкова"),  # -ай
    ("Ліст ад Марфы Рабковай", "Марфа Рабкова"),  # -ай (genitive)
    ("Падтрымайце Марфу Рабкову.", "Марфа Рабкова"),  # -у
    ("Сустрэча з Паўлам Севярынцам", "Павел Севярынец"),  # -ец → -ца
    ("Справа Паўла Севярынца", "Павел Севярынец"),  # -ец → -ца
    ("Прысуд Святлане Ціханоўскай", "Святлана Ціханоўская"),  # -ская → -скай
    ("Падтрымайце Святлану Ціханоўскую", "Святлана Ціханоўская"),  # -ую
    ("Суд над Марией Колесниковой", "Мария Колесникова"),  # -ой
    ("Приговор Сергею Тихановскому", "Сергей Тихановский"),  # Russian dative
    ("Письмо от Сергея Тихановского", "Сергей Тихановский"),  # Russian genitive
    ("Встреча с Сергеем Тихановским", "Сергей Тихановский"),  # Russian instrumental
    ("Письмо от Николая Статкевича", "Мікалай Статкевіч"),  # Russian genitive, -ич
    ("Вызвалілі Уладзімера Лабковіча", "Uladzimir Labkovich"),  # -а
]


@pytest.fixture(scope="module")
def forms_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    records = [
        _record(f"form-{n}", "ru" if "ы" not in s and "і" not in s else "be", s, "Тэкст.")
        for n, (s, _) in enumerate(FORMS)
    ]
    return Archive.open(_index(tmp_path_factory.mktemp("forms"), [records]))


@pytest.mark.parametrize(("number", "sentence", "query"), [(n, *f) for n, f in enumerate(FORMS)])
def test_each_case_form_is_found_by_the_nominative(
    forms_archive: Archive, number: int, sentence: str, query: str
) -> None:
    assert f"form-{number}" in ids(forms_archive, query), sentence
    surname = query.split()[-1]
    assert f"form-{number}" in ids(forms_archive, surname), sentence


def test_forms_of_one_person_are_one_person(forms_archive: Archive) -> None:
    found = ids(forms_archive, "Ales Bialiatski")
    assert found == ["form-0", "form-1", "form-2"]
    assert ids(forms_archive, "Sviatlana Tsikhanouskaya") == ["form-8", "form-9"]
    assert ids(forms_archive, "Siarhei Tsikhanouski") == ["form-11", "form-12", "form-13"]


# ------------------------------------------------------------ properties

SURNAMES = st.sampled_from(
    ["Бяляцкі", "Ціханоўская", "Севярынец", "Рабкова", "Лаптановіч", "Колесникова",
     "Тихановский", "Kalesnikava", "Daškievič", "Branickaja", "Лукашэнка", "Вінакураў"]
)  # fmt: skip
ENDINGS = st.sampled_from(["", "а", "у", "ай", "ой", "ую", "ага", "аму", "ым", "ім", "ы", "ам"])


@given(SURNAMES, ENDINGS, st.sampled_from(["m", "f"]))
def test_lemmatisation_is_idempotent_and_queries_meet_the_index(
    surname: str, ending: str, gender: str
) -> None:
    word = surname + ending
    lemma = lemmatise(word, gender)
    assert lemmatise(lemma, gender) == lemma
    assert surname_key(lemma, gender) == surname_key(lemmatise(lemma, gender), gender)
    # what indexing writes for the form read as this gender, a query of the form finds
    if gender in surname_genders(word):
        assert f"s:{surname_key(lemma, gender)}" in surname_terms(word)


@given(st.text(alphabet="АБВЯЎІаеёюяіўьк ЛСМ.-'", max_size=30), st.text(max_size=20))
def test_any_query_gives_name_terms_without_error(first: str, second: str) -> None:
    for word in (first, second):
        assert all(term.startswith("s:") for term in surname_terms(word))
    terms = pair_terms(first, second)
    assert terms is None or all(t[:2] in ("n:", "i:", "o:") for t in terms)


def test_a_recognised_person_is_found_by_its_written_form() -> None:
    """What indexing writes for a person, the query of its written form looks up."""
    for sentence, _query in FORMS:
        for person in find_persons(sentence):
            words = person.written.split()
            indexed = set(mention_terms(person.given, person.surname, person.gender))
            queried = set(pair_terms(words[0], words[-1]) or [])
            assert indexed & queried, person


def test_persons_given_in_the_input_join_the_table(tmp_path: Path) -> None:
    given = {**_record("en-given", "en", "A letter", "No names here."), "persons": []}
    given["persons"] = ["Ales Bialiatski", "Ivan Piatrou"]
    found = _record("be-found", "be", "Суд над Іванам Пятровым")
    table = _load(_index(tmp_path, [[given, found]]))
    assert table.of_statement("en-given") == ["ales-bialiatski", "ivan-piatrou"]
    assert table.of_statement("be-found") == ["ivan-piatrou"]
    spellings = [s["text"] for s in table.persons["ales-bialiatski"]["spellings"]]
    assert spellings == []  # an id is no spelling


def test_a_damaged_table_is_read_again_from_the_index(tmp_path: Path) -> None:
    index = _index(tmp_path / "damaged", [PEOPLE[:5]])
    current = (index / "CURRENT").read_text().strip()
    (index / current / FILE).write_text("{not json", encoding="utf-8")
    source = write_jsonl(tmp_path / "rest.jsonl", PEOPLE[5:])
    Indexer(index, processes=1).run([source])  # incremental, over the damaged table
    rebuilt = _index(tmp_path / "whole", [PEOPLE])
    assert _table(index) == _table(rebuilt)


# ------------------------------------------------------------ the clusters decide what a name finds

KIN = [
    # a surname alone, listed next to a person named in full
    _record("be-k1", "be", "Суд над Аляксеем Дрыгавым", "Дрыгаў і Жаркевіч чакаюць апеляцыі."),
    _record("be-k2", "be", "Юрый Жаркевіч вызвалены", "Ён вярнуўся дадому."),
    # one source writes the surname with a letter left out
    _record("ru-k1", "ru", "Игнат Мирончиков осужден", "Суд назначил три года."),
    _record("ru-k2", "ru", "Приговор: Игнат Мирончиков", "Апелляция отклонена."),
    _record("ru-k3", "ru", "Список политзаключенных пополнился", "В списке Игнат Мирончков."),
    # Алесь is the Belarusian form of Аляксандр: one person written either way
    _record("be-k3", "be", "Алесь Гарбунец пра суд", "Інтэрв'ю."),
    _record("en-k1", "en", "Aliaksandr Harbunets detained", "He was taken from home."),
    # two people whose surnames differ by a changed letter stay two
    _record("be-k4", "be", "Таццяна Шабаліна ў СІЗА", "Суд."),
    _record("be-k5", "be", "Таццяна Шабаніна выйшла", "Свабода."),
]


@pytest.fixture(scope="module")
def kin(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return Archive.open(_index(tmp_path_factory.mktemp("kin"), [KIN]))


def test_a_surname_listed_next_to_a_person_is_a_person(kin: Archive) -> None:
    table = kin.generation().persons
    leon = table.of_statement("be-k2")
    assert leon and set(leon) <= set(table.of_statement("be-k1"))
    # and a search by the full name finds the statement that lists the surname alone
    assert ids(kin, "Юрый Жаркевіч") == ["be-k1", "be-k2"]
    assert ids(kin, "Yury Zharkevich") == ["be-k1", "be-k2"]


def test_a_one_statement_misspelling_joins_the_person(kin: Archive) -> None:
    table = kin.generation().persons
    assert table.of_statement("ru-k3") == table.of_statement("ru-k1")
    person = table.person(table.of_statement("ru-k1")[0])
    assert person is not None and person["names"]["ru"] == "Игнат Мирончиков"
    assert "Игнат Мирончков" in {s["text"] for s in person["spellings"]}
    assert ids(kin, "Игнат Мирончиков") == ["ru-k1", "ru-k2", "ru-k3"]


def test_a_changed_letter_is_another_person(kin: Archive) -> None:
    table = kin.generation().persons
    assert table.of_statement("be-k4") != table.of_statement("be-k5")
    assert ids(kin, "Таццяна Шабаліна") == ["be-k4"]


def test_ales_and_aliaksandr_are_one_person(kin: Archive) -> None:
    table = kin.generation().persons
    assert table.of_statement("be-k3") == table.of_statement("en-k1")
    assert ids(kin, "Ales Harbunets") == ["be-k3", "en-k1"]
    assert ids(kin, "Аляксандр Гарбунец") == ["be-k3", "en-k1"]


def test_exact_does_not_read_the_clusters(kin: Archive) -> None:
    assert ids(kin, "Игнат Мирончиков", exact=True) == ["ru-k1", "ru-k2"]


ALL_STATEMENTS = [
    *PEOPLE,
    *KNOWN_AGAIN,
    *SOMEONE_NEW,
    *NEW_SPELLING,
    *SAME_AGAIN,
    *KIN,
    *SHARED_NAME,
    *[_record(f"be-f{n}", "be", text) for n, (text, _) in enumerate(FORMS)],
]


@pytest.mark.parametrize(("seed", "resident"), [(1, False), (2, False), (3, True)])
def test_statement_by_statement_gives_the_persons_of_one_run(
    tmp_path: Path, seed: int, resident: bool
) -> None:
    """Every statement indexed by a run of its own, in a shuffled order (updates where
    they decide, clustering afresh where not), by an indexer each or by one that keeps
    the table it published: the table of one run over them all."""
    statements = list(ALL_STATEMENTS)
    random.Random(seed).shuffle(statements)
    one_by_one = _index(tmp_path / "steps", [[s] for s in statements], resident=resident)
    assert _table(one_by_one) == _table(_index(tmp_path / "whole", [ALL_STATEMENTS]))
