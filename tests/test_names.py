"""Name recognition (searcharchive.names) and the persons a statement gets (issue #12)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searcharchive.extraction import Extractor
from searcharchive.folding import fold_key
from searcharchive.gazetteer import Gazetteer
from searcharchive.names import find_persons, lemmatise, person_key, transliterate

REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-dev"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.default()


def names(text: str) -> list[str]:
    return [p.nominative for p in find_persons(text)]


# ------------------------------------------------------------ own sentences

CASES = [
    # Belarusian, every case of a masculine name
    ("Суд пакінуў у сіле прысуд Алесю Бяляцкаму.", ["Алесь Бяляцкі"]),
    ("Прысуд Алеся Бяляцкага застаўся ў сіле.", ["Алесь Бяляцкі"]),
    ("Мы ганарымся Алесем Бяляцкім.", ["Алесь Бяляцкі"]),
    ("Ліст ад Сяргея Вінакурава прыйшоў учора.", ["Сяргей Вінакураў"]),
    ("Суд над Міхасём Бутылінам.", ["Міхась Бутылін"]),
    ("Сустрэча з Паўлам Севярынцам адбылася.", ["Павел Севярынец"]),
    ("Цімафея Дранчука асудзілі.", ["Цімафей Дранчук"]),
    ("Пра Уладзімера Асіпенкі пішуць мала.", ["Уладзімер Асіпенка"]),
    ("Дзмітрыя Каханоўскага пераслядуюць.", ["Дзмітрый Каханоўскі"]),
    ("Яго завуць Андрэй Астрацоў.", ["Андрэй Астрацоў"]),
    # Belarusian feminine
    ("Лісты Святланай Галаўнёвай не даходзяць.", ["Святлана Галаўнёва"]),
    ("Адвакат наведала Марфу Рабкову.", ["Марфа Рабкова"]),
    ("Прысуд Таццяне Ціханоўскай агучылі.", ["Таццяна Ціханоўская"]),
    ("Лісты Юліі Лаптановіч не даходзяць.", ["Юлія Лаптановіч"]),
    ("Таццяна Нядбай выступіла.", ["Таццяна Нядбай"]),
    # Russian cases
    ("Суд над Николаем Статкевичем продолжился.", ["Николай Статкевич"]),
    ("Приговор Юрию Савицкому оставлен в силе.", ["Юрий Савицкий"]),
    ("Встреча с Павлом Северинцем.", ["Павел Северинец"]),
    ("Задержали Александра Козулина и Виталия Зародея.", ["Александр Козулин", "Виталий Зародей"]),
    ("Поддержите Татьяну Каневскую.", ["Татьяна Каневская"]),
    ("Письма Елизаветой Пакетовой переданы.", ["Елизавета Пакетова"]),
    ("Суд над Татьяной Гацурой-Яворской.", ["Татьяна Гацура-Яворская"]),
    # Łacinka and English
    ("Sud nad Mikałajem Dziemidzienkam.", ["Mikałaj Dziemidzienka"]),
    ("Pierasled Źmitra Daškieviča i Eniry Branickaj.", ["Źmicier Daškievič", "Enira Branickaja"]),
    (
        "Viktar Babaryka's lawyers and Maryia Kalesnikava.",
        ["Viktar Babaryka", "Maryia Kalesnikava"],
    ),
    # both orders, patronymics
    ("Затрыманы Лапко Віталь Алесевіч, 1980 г.н.", ["Віталь Лапко"]),
    ("Вольгі Васільеўны Дашкевіч няма дома.", ["Вольга Дашкевіч"]),
    ("Обвиняемый Дзядзюн Дмитрий Владимирович.", ["Дмитрий Дзядзюн"]),
    ("Among them, Arestovich Alexander and others.", ["Alexander Arestovich"]),
    # two given names, one surname in the plural
    ("Дениса и Максима Урбановичей оштрафовали.", ["Денис Урбанович", "Максим Урбанович"]),
    ("Суд над Денисом и Максимом Урбановичами.", ["Денис Урбанович", "Максим Урбанович"]),
    ("Сяргея і Святланы Ціханоўскіх", ["Сяргей Ціханоўскі", "Святлана Ціханоўская"]),
    # initials
    ("Пра гэта напісаў А. Бяляцкі.", ["А. Бяляцкі"]),
    ("Адвакат Д.Новика заявіў пратэст.", ["Д. Новик"]),
    ("Пазней з'явіўся П. Северинцу ліст.", ["П. Северинец"]),
    ("Support for M. Kalesnikava grows.", ["M. Kalesnikava"]),
    ("Адзін з іх — А. Б. Сапелка.", ["А. Сапелка"]),
    # role words
    ("Палітвязень Стэфановіч перададзены ў калонію.", ["Стэфановіч"]),
    ("Суд асудзіў журналістку Гарашыну.", ["Гарашына"]),
    ("Political prisoner Losik was moved.", ["Losik"]),
    ("Свидание с правозащитником Беляцким не дали.", ["Беляцкий"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_finds_persons_in_the_nominative(text: str, expected: list[str]) -> None:
    assert names(text) == expected


NEGATIVES = [
    "Ён жыве на вуліцы Багдановіча.",
    "На вуліца Янкі Купалы ставяць помнік.",
    "Прэмія імя Андрэя Сахарава ўручаецца штогод.",
    "The Andrei Sakharov Prize went to the opposition.",
    "Праспект Францыска Скарыны перакрылі.",
    "Праваабарончы цэнтр «Вясна» і Беларуская асацыяцыя журналістаў.",
    "Human Rights Center Viasna and the Belarusian Association of Journalists.",
    "Правозащитный центр «Весна» и Белорусская ассоциация журналистов.",
    "У Мінску 12 Студзеня адбылася акцыя.",
    "Вясной 2021 года Верховный суд отклонил жалобу.",
    "Яны прыйшлі. Сёння Суд разгледзеў справу.",
    "On Monday, March 3, the Court of Appeal met.",
    "Журналисты БелаПАН сообщили об этом.",
    "Член Партии БНФ выступил.",
    "Журналісты Гродна і адвакаты Брэста выступілі.",
    "Political prisoners Brest and Hrodna were moved; lawyers Viciebsk too.",
    "Адвокат Telegram-канала не пришел.",
    "The chairms Hrodna office.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_finds_no_person(text: str) -> None:
    assert names(text) == []


def test_masculine_and_feminine_stay_apart(extractor: Extractor) -> None:
    text = "Сяргея Ціханоўскага асудзілі, Святлана Ціханоўская выехала. Sergei Tikhanovsky."
    persons = find_persons(text)
    assert [p.nominative for p in persons] == [
        "Сяргей Ціханоўскі",
        "Святлана Ціханоўская",
        "Sergei Tikhanovsky",
    ]
    keys = extractor.find_persons(text)
    assert keys[:2] == ["siarhei-tsikhanouski", "sviatlana-tsikhanouskaya"]
    assert keys[2] == "siarhei-tikhanovsky"  # another spelling: one key per spelling


def test_a_later_short_mention_is_the_same_person() -> None:
    text = "Алесь Бяляцкі ў турме. Палітвязень Бяляцкі піша лісты. А. Бяляцкі — лаўрэат."
    assert [p.key for p in find_persons(text)] == ["ales-bialiatski"]


def test_keys() -> None:
    assert person_key("Алесь", "Бяляцкі") == "ales-bialiatski"
    assert person_key("Николай", "Статкевич") == "mikalai-statkevich"
    assert person_key("Н.", "Статкевич") == "n-statkevich"
    assert person_key("Святлана", "Ціханоўская") == "sviatlana-tsikhanouskaya"
    assert transliterate("Daškievič") == "dashkievich"


def test_the_gazetteer_wins(extractor: Extractor) -> None:
    text = "Суд над Алесем Бяляцкім, Марфай Рабковай і Андрэем Чапюком; Лукашэнкі."
    assert extractor.find_persons(text) == [
        "ales-bialiatski",
        "marfa-rabkova",
        "andrei-chapiuk",
        "aliaksandr-lukashenka",
    ]
    own = Gazetteer([*Gazetteer.builtin("persons")])
    assert own.person_id("Сяргей", "Вінакураў") is None
    assert own.person_id("А.", "Бяляцкі") == "ales-bialiatski"
    assert own.person_id("", "Стэфановіч") == "valiantsin-stefanovich"


@pytest.mark.parametrize(
    ("word", "gender", "nominative"),
    [
        ("Бяляцкага", "m", "Бяляцкі"),
        ("Бяляцкім", "m", "Бяляцкі"),
        ("Ціханоўскай", "f", "Ціханоўская"),
        ("Ціханоўскую", "f", "Ціханоўская"),
        ("Северинцем", "m", "Северинец"),
        ("Севярынца", "m", "Севярынец"),
        ("Кобеца", "m", "Кобец"),
        ("Лукашэнкі", "m", "Лукашэнка"),
        ("Вінакурава", "m", "Вінакураў"),
        ("Некляева", "m", "Некляев"),
        ("Савицкого", "m", "Савицкий"),
        ("Каневскую", "f", "Каневская"),
        ("Рабковай", "f", "Рабкова"),
        ("Шабановой", "f", "Шабанова"),
        ("Лаптановіч", "f", "Лаптановіч"),
        ("Branickaj", "f", "Branickaja"),
        ("Daškieviča", "m", "Daškievič"),
        ("Šałajki", "m", "Šałajka"),
    ],
)
def test_lemmatise(word: str, gender: str, nominative: str) -> None:
    assert lemmatise(word, gender) == nominative
    assert lemmatise(nominative, gender) == nominative


SURNAME = st.from_regex(
    r"\A[А-ЯІЎ][а-яіўё]{1,8}(ага|аму|ым|у|а|ай|ой|ую|ец|ца|ская|скай|ого|ому|ей)?\Z"
    r"|\A[A-ZŠŽČŁ][a-zščžłŭ]{1,8}(a|y|aj|am|u)?\Z"
)


@given(SURNAME, st.sampled_from(["m", "f"]))
def test_lemmatise_is_idempotent(surname: str, gender: str) -> None:
    once = lemmatise(surname, gender)
    assert lemmatise(once, gender) == once


# ------------------------------------------------------------ the development set

FLOOR = {  # recall, precision per language reached on real-dev (persons, all named)
    "en": (0.99, 0.99),  # 101/101, 101/101
    "be": (0.98, 0.99),  # 86/87, 86/86
    # 87/88: Завадский in "Дело Шеремета и Завадского" is a real person (a cameraman
    # tried with Sheremet) whom the gold does not list
    "ru": (0.99, 0.98),  # 87/87, 87/88
}


def _parts(key_or_name: str) -> tuple[str, str]:
    """(folded surname, given name or initial) of a key or a nominative name."""
    words = [w for w in re.split(r"[\s\-]+", key_or_name.replace("(", " ")) if w]
    words = [w for w in words if not re.match(r"малодш|старэйш|junior", w)]
    return fold_key(words[-1]), (words[0].rstrip(".") if len(words) > 1 else "")


def _same(gold: tuple[str, str], got: tuple[str, str]) -> bool:
    """A person found is a gold person when it has the gold key, or the same surname (folded key), and a compatible given name: missing on either side,
    the same given-name group, or the same initial after transliteration."""
    (surname_a, given_a), (surname_b, given_b) = gold, got
    if surname_a != surname_b:
        return False
    if not given_a or not given_b:
        return True
    return (
        fold_key(given_a) == fold_key(given_b)
        or transliterate(given_a)[:1] == transliterate(given_b)[:1]
    )


def score_dev(extractor: Extractor) -> dict[str, list[int]]:
    statements = {
        record["id"]: record
        for record in map(json.loads, (REAL_DEV / "statements.jsonl").open(encoding="utf-8"))
    }
    scores: dict[str, list[int]] = {}
    for gold in map(json.loads, (REAL_DEV / "gold.jsonl").open(encoding="utf-8")):
        record = statements[gold["id"]]
        keys = extractor.find_persons(f"{record['title']}\n\n{record['body']}")
        got = [_parts(key) for key in keys]
        want = [_parts(p["nominative"]) for p in gold["persons"]]
        want_keys = [p["key"] for p in gold["persons"]]
        score = scores.setdefault(record["lang"], [0, 0, 0, 0])
        score[0] += sum(
            k in keys or any(_same(w, g) for g in got) for w, k in zip(want, want_keys, strict=True)
        )
        score[1] += len(want)
        score[2] += sum(
            k in want_keys or any(_same(w, g) for w in want) for g, k in zip(got, keys, strict=True)
        )
        score[3] += len(got)
    return scores


@pytest.mark.skipif(not REAL_DEV.exists(), reason="shared/data/real-dev is not here")
def test_dev_set_recall_and_precision(extractor: Extractor) -> None:
    scores = score_dev(extractor)
    for lang, (found, gold, right, got) in scores.items():
        recall, precision = found / gold, right / got
        assert recall >= FLOOR[lang][0], (lang, recall)
        assert precision >= FLOOR[lang][1], (lang, precision)


# ------------------------------------------------------------ into the index


def test_recognised_persons_reach_the_person_field(tmp_path: Path) -> None:
    from searcharchive.archive import Archive
    from searcharchive.indexer import Indexer
    from searcharchive.request import SearchRequest

    records = [
        {"id": "a", "lang": "be", "title": "Суд над Сяргеем Вінакуравым", "body": "Суд адбыўся."},
        {"id": "b", "lang": "ru", "title": "Приговор Татьяне Каневской", "body": "Суд."},
        {"id": "c", "lang": "be", "title": "Алесь Бяляцкі", "body": "Лаўрэат."},
    ]
    source = tmp_path / "s.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    report = Indexer(tmp_path / "index", processes=1).run([source], rebuild=True)
    assert report.indexed == 3
    archive = Archive.open(tmp_path / "index")

    def ids(query: str) -> list[str]:
        return sorted(h.statement.id for h in archive.search(SearchRequest(q=query)).hits)

    assert ids("person:Vinakurau") == ["a"]
    assert ids("person:Винокуров") == ["a"]
    assert ids("person:Kaneuskaya") == ["b"]
    assert ids("person:Беляцкий") == ["c"]
    found = archive.get("a")
    assert found is not None and found.statement.persons == ["siarhei-vinakurau"]


PIECES = st.sampled_from(
    [*"АБВЯЎІаеёюяіўьк .-\n'ABCŁłaźsz", "Алесь ", "Бяляцкага", "А.", " і ", "Сяргея ", "Mr "]
    + ["палітвязень ", "Ціханоўскіх", "Марыі ", "Ivanova", "«", "\u00a0"]
)


@given(st.lists(PIECES, max_size=40).map("".join) | st.text(max_size=80))
def test_any_text_gives_valid_keys(extractor: Extractor, text: str) -> None:
    for key in extractor.find_persons(text):
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", key), key


# ------------------------------------------------------------ lists, spellings the table lacks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Суд над Алесем Бяляцкім. Потым Бяляцкі і Стэфановіч падтрымалі яго.", "Стэфановіч"),
        ("Ales Bialiatski was tried. Bialiatski, Stefanovich and Labkovich appealed.", "Labkovich"),
        ("Алеся Беляцкого судили. Беляцкий и Лабкович подали жалобы.", "Лабкович"),
    ],
)
def test_a_surname_listed_with_a_named_person_is_a_person(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Павел Севярынец выступіў. Севярынец і Магілёва былі згаданыя.",  # a city
        "Ales Bialiatski spoke. Bialiatski and Viasna thanked them.",  # no surname's ending
    ],
)
def test_a_list_adds_no_place(text: str) -> None:
    found = names(text)
    assert len(found) == 1, found


def test_a_list_of_persons_named_before_adds_nobody() -> None:
    # Алехиной is her, Бочкарева (-ева: a woman's nominative or a man's genitive) is him
    text = "Марию Алехину и Дениса Бочкарева задержали. Протоколы на Алехиной и Бочкарева."
    assert names(text) == ["Мария Алехина", "Денис Бочкарев"]


def test_a_given_name_in_a_spelling_the_table_lacks() -> None:
    # Łacinka Valiancin and Walancin fold to the listed Valiantsin; Valiancina is hers
    assert names("Valiancin Stefanovič vyjšaŭ na volu") == ["Valiancin Stefanovič"]
    assert find_persons("Walancin Stefanovič")[0].key == "valiantsin-stefanovich"
    assert find_persons("Valiancina Stefanovič")[0].gender == "f"
