from __future__ import annotations

import json
import time
from importlib.resources import files
from pathlib import Path

import pytest

from searcharchive.gazetteer import Entry, Gazetteer

ENGLISH_IDS = [
    "joint-statement-of-belarusian-human-rights-organizations-on-the-distribution-of-eeff9c1830",
    "we-demand-to-investigate-klimovich-s-death-and-the-lack-of-proper-medical-care-5fadeb5902",
    "civic-solidarity-platform-statement-in-connection-with-liquidation-of-the-60df525966",
    "belarusian-hrds-express-solidarity-and-support-to-people-of-ukraine-81dd93505e",
    "joint-statement-of-belarusian-human-rights-organizations-on-violations-of-ebc317e475",
    "belarus-international-human-rights-groups-demand-release-of-viasna-members-on-e8aff0fa49",
    "immediately-release-pavel-seviarynets-ef4ec130b5",
]
REQUIRED = {"id", "lang", "group", "title", "body", "tags", "translated_by", "translated_from"}
FORBIDDEN = {"date", "articles", "organizations", "persons"}


@pytest.fixture(scope="module")
def orgs() -> Gazetteer:
    return Gazetteer.builtin("organizations")


@pytest.fixture(scope="module")
def persons() -> Gazetteer:
    return Gazetteer.builtin("persons")


@pytest.fixture(scope="module")
def translations() -> list[dict[str, object]]:
    """Our be/ru translations (the classical-orthography version is tested in test_belarusian)."""
    text = (files("searcharchive") / "sample" / "translations.jsonl").read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [r for r in records if r["translated_by"] == "searcharchive"]


ORG_FOUND = [
    ("Viasna", "viasna"),
    ("Vyasna", "viasna"),
    ("the Human Rights Center Viasna", "viasna"),
    ('Human Rights Centre "Viasna"', "viasna"),
    ("Viasna's lawyers", "viasna"),
    ("сябры «Вясны»", "viasna"),
    ("члены «Весны»", "viasna"),
    ("вместе с Весной", "viasna"),
    ("Праваабарончага цэнтра «Вясна»", "viasna"),
    ("правозащитного центра «Весна»", "viasna"),
    ("ПЦ «Весна»", "viasna"),
    ("ВЯСНА", "viasna"),
    ("ликвидация Московской Хельсинкской группы", "mhg"),
    ("Маскоўскай Хельсінкскай групы", "mhg"),
    ("the Moscow Helsinki Group (MHG)", "mhg"),
    ("МХГ – старейшая", "mhg"),
    ("members of the Civic Solidarity Platform", "civic-solidarity-platform"),
    ("міжнароднай платформы «Грамадзянская салідарнасць»", "civic-solidarity-platform"),
    ("Заявление Платформы «Гражданская солидарность»", "civic-solidarity-platform"),
    ("Белорусского Хельсинкского комитета", "bhc"),
    ("BAJ said", "baj"),
    ("журналисты БАЖ", "baj"),
    ("Белорусской ассоциации журналистов", "baj"),
    ("the Faculty of Law of Belarusian State University", "bsu-law"),
    ("юридического факультета Белорусского государственного университета", "bsu-law"),
    ("юрыдычнага факультэта БДУ", "bsu-law"),
    ("Беларускага дзяржаўнага ўніверсітэта", "bsu-law"),
    ("the Belarusian Republican Youth Union", "brsm"),
    ("Белорусский республиканский союз молодёжи", "brsm"),
    ("Белорусского республиканского союза молодежи", "brsm"),
    ("Беларускага рэспубліканскага саюза моладзі", "brsm"),
    ("FIDH", "fidh"),
    ("Amnesty International", "amnesty-international"),
    ("Human Rights Watch", "human-rights-watch"),
    ("Front Line Defenders", "front-line-defenders"),
    ("the World Organisation Against Torture (OMCT)", "omct"),
    ("Беларускага ПЭН-цэнтра", "pen-belarus"),
    ("Human Constanta", "human-constanta"),
    ("Lawtrend", "lawtrend"),
    ("Правовой инициативы", "legal-initiative"),
]

PERSON_FOUND = [
    ("Pavel Seviarynets", "pavel-seviarynets"),
    ("Paval Sieviaryniec", "pavel-seviarynets"),
    ("Pavel Severinets", "pavel-seviarynets"),
    ("Sevyarynets", "pavel-seviarynets"),
    ("Павел Севярынец", "pavel-seviarynets"),
    ("вызваліць Паўла Севярынца", "pavel-seviarynets"),
    ("Павлу Северинцу", "pavel-seviarynets"),
    ("освободить Павла Северинца", "pavel-seviarynets"),
    ("Mikalai Klimovich", "mikalai-klimovich"),
    ("Nikolai Klimovich", "mikalai-klimovich"),
    ("Klimovich's death", "mikalai-klimovich"),
    ("Klimovič", "mikalai-klimovich"),
    ("смерць Клімовіча", "mikalai-klimovich"),
    ("смерть Климовича", "mikalai-klimovich"),
    ("Николаем Климовичем", "mikalai-klimovich"),
    ("Алеся Бяляцкага", "ales-bialiatski"),
    ("Алеся Беляцкого", "ales-bialiatski"),
    ("Aleś Bialacki", "ales-bialiatski"),
    ("Валянціна Стэфановіча", "valiantsin-stefanovich"),
    ("Валентина Стефановича", "valiantsin-stefanovich"),
    ("Уладзіміра Лабковіча", "uladzimir-labkovich"),
    ("і Ўладзіміра Лабковіча", "uladzimir-labkovich"),
    ("Владимира Лабковича", "uladzimir-labkovich"),
    ("Марфы Рабковай", "marfa-rabkova"),
    ("Марфой Рабковой", "marfa-rabkova"),
    ("Насты Лойкі", "nasta-loika"),
    ("Насти Лойко", "nasta-loika"),
    ("Леаніда Судаленкі", "leanid-sudalenka"),
    ("Leonid Sudalenko", "leanid-sudalenka"),
    ("Андрэя Чапюка", "andrei-chapiuk"),
    ("Андрею Чапюку", "andrei-chapiuk"),
]


@pytest.mark.parametrize(("text", "expected"), ORG_FOUND)
def test_finds_organization(orgs: Gazetteer, text: str, expected: str) -> None:
    assert orgs.find(text) == [expected]


@pytest.mark.parametrize(("text", "expected"), PERSON_FOUND)
def test_finds_person(persons: Gazetteer, text: str, expected: str) -> None:
    assert persons.find(text) == [expected]


NOTHING = [
    "Minsk",
    "basic",
    "baj",
    "a bajka",
    "BAJs",
    "ABAJ",
    "весна пришла",
    "весной 2021 года",
    "увесну",
    "веснушки",
    "vesnushki",
    "Вясновец",
    "гражданская солидарность",
    "a legal initiative to reform the law",
    "human rights watch over the elections",
    "mhg",
    "мхг",
    "Helsinki Final Act",
    "Belarusian human rights organizations",
    "Klimovichi village",
    "Pavel Sukhoi",
    "Павлов",
]


@pytest.mark.parametrize("text", NOTHING)
def test_finds_nothing(orgs: Gazetteer, persons: Gazetteer, text: str) -> None:
    assert orgs.find(text) == []
    assert persons.find(text) == []


def test_find_order_and_no_duplicates(orgs: Gazetteer) -> None:
    text = "МХГ и «Весна»; Viasna, BAJ, the Moscow Helsinki Group and Вясна again."
    assert orgs.find(text) == ["mhg", "viasna", "baj"]


def test_find_prefers_longest_alias() -> None:
    gazetteer = Gazetteer(
        [
            Entry("short", {"en": "Centre"}, ()),
            Entry("long", {"en": "Centre for Rights"}, ()),
        ]
    )
    assert gazetteer.find("the Centre for Rights") == ["long"]
    assert gazetteer.find("the Centre") == ["short"]


def test_find_is_fast_on_long_text(orgs: Gazetteer, persons: Gazetteer) -> None:
    text = "Беларускія праваабарончыя арганізацыі звяртаюць увагу на тое, што " * 20_000
    text += " Вясна"
    start = time.perf_counter()
    assert orgs.find(text) == ["viasna"]
    assert persons.find(text) == []
    assert time.perf_counter() - start < 2.0


RESOLVE = [
    ("organizations", "Viasna", "viasna"),
    ("organizations", "viasna", "viasna"),
    ("organizations", "ПЦ «Весна»", "viasna"),
    ("organizations", 'Human Rights Centre "Viasna"', "viasna"),
    ("organizations", "  правозащитный   центр «весна» ", "viasna"),
    ("organizations", "Moscow Helsinki Group", "mhg"),
    ("organizations", "мхг", "mhg"),
    ("organizations", "Белорусский республиканский союз молодежи", "brsm"),
    ("organizations", "bsu-law", "bsu-law"),
    ("organizations", "Весны", None),
    ("organizations", "Minsk", None),
    ("persons", "Павел Северинец", "pavel-seviarynets"),
    ("persons", "PAVEL SEVIARYNETS", "pavel-seviarynets"),
    ("persons", "Мікалай Клімовіч", "mikalai-klimovich"),
    ("persons", "Aleś Bialacki", "ales-bialiatski"),
    ("persons", "Pavel", None),
]


@pytest.mark.parametrize(("kind", "name", "expected"), RESOLVE)
def test_resolve(kind: str, name: str, expected: str | None) -> None:
    assert Gazetteer.builtin(kind).resolve(name) == expected


def test_labels_and_entries(orgs: Gazetteer, persons: Gazetteer) -> None:
    assert orgs.label("viasna", "be") == "Праваабарончы цэнтр «Вясна»"
    assert orgs.label("viasna", "pl") == 'Human Rights Centre "Viasna"'
    assert orgs.label("unknown-id", "ru") == "unknown-id"
    assert persons.label("mikalai-klimovich", "ru") == "Николай Климович"
    assert Entry("x", {}, ()).label("en") == "x"
    entry = persons.get("pavel-seviarynets")
    assert entry is not None and "Seviarynets" in entry.aliases
    assert persons.get("nobody") is None
    assert len(orgs) == len(list(orgs)) >= 16
    assert {e.id for e in persons} >= {
        "pavel-seviarynets",
        "mikalai-klimovich",
        "ales-bialiatski",
        "valiantsin-stefanovich",
        "uladzimir-labkovich",
        "marfa-rabkova",
        "nasta-loika",
        "leanid-sudalenka",
        "andrei-chapiuk",
    }
    for gazetteer in (orgs, persons):
        for entry in gazetteer:
            assert {"en", "be", "ru"} <= entry.names.keys(), entry.id


BAD_FILES = [
    ("- name: {en: Nobody}\n  aliases: []\n", "entry 1"),
    ("- id: Bad_Id\n  name: {en: Bad}\n", "Bad_Id"),
    ("- id: -dash\n  name: {en: Dash}\n", "-dash"),
    ('- id: "trailing\\n"\n  name: {en: Newline}\n', "must match"),
    ("- id: ok\n  name: {en: Ok}\n  aliases: Ok alias\n", "aliases must be a list"),
    ("- id: ok\n  name: {en: Ok}\n  aliases: [1, 2]\n", "aliases must be a list"),
    ("- id: ok\n  name: {be: Ок}\n", "name.en is required"),
    ("- id: ok\n  name: {en: Ok}\n  alias: [x]\n", "unknown key"),
    ("- id: ok\n  name: {en: Ok}\n- id: ok\n  name: {en: Ok again}\n", "repeated"),
    ("- id: a\n  name: {en: Same}\n- id: b\n  name: {en: same}\n", "already belongs to 'a'"),
    ("- id: ok\n  name: {en: '«»'}\n", "no letters"),
    ("id: ok\n", "expected a list"),
    ("- id: ok\n  name: [unclosed\n", "cannot read"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_load_rejects_malformed_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yaml") as info:
        Gazetteer.load(path)
    assert message in str(info.value)


def test_load_error_names_entry(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- id: good\n  name: {en: Good}\n- id: broken\n  aliases: x\n", "utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml: entry 2 \(broken\)"):
        Gazetteer.load(str(path))


def test_builtin_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown gazetteer"):
        Gazetteer.builtin("places")


def test_extra_file_extends_builtin(tmp_path: Path) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_text(
        "- id: viasna\n"
        "  aliases: [Viasna-96, Вясна-96]\n"
        "  name: {pl: Centrum Praw Człowieka „Wiasna”}\n"
        "- id: belarusian-documentation-centre\n"
        "  name: {en: Belarusian Documentation Centre, ru: Белорусский документационный центр}\n"
        "  aliases: [BDC]\n",
        encoding="utf-8",
    )
    gazetteer = Gazetteer.builtin("organizations", [extra])
    assert len(gazetteer) == len(Gazetteer.builtin("organizations")) + 1
    viasna = gazetteer.get("viasna")
    assert viasna is not None
    assert "Viasna-96" in viasna.aliases and "Vyasna" in viasna.aliases
    assert viasna.label("pl") == "Centrum Praw Człowieka „Wiasna”"
    assert viasna.label("be") == "Праваабарончы цэнтр «Вясна»"
    assert gazetteer.resolve("viasna-96") == "viasna"
    text = "BDC and Белорусского документационного центра with МХГ"
    assert gazetteer.find(text) == ["belarusian-documentation-centre", "mhg"]
    assert Gazetteer.builtin("organizations").find(text) == ["mhg"]


def test_extra_file_may_not_steal_alias(tmp_path: Path) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_text("- id: other\n  name: {en: Other}\n  aliases: [Вясна]\n", "utf-8")
    with pytest.raises(ValueError, match=r"local\.yaml: entry 1 \(other\).*'viasna'"):
        Gazetteer.builtin("organizations", [extra])


def test_translations_are_complete(translations: list[dict[str, object]]) -> None:
    assert len(translations) == 14
    for record in translations:
        assert REQUIRED <= record.keys(), record.get("id")
        assert not FORBIDDEN & record.keys(), record["id"]
        assert record["group"] in ENGLISH_IDS
        assert record["lang"] in ("be", "ru")
        assert record["id"] == f"{record['group']}-{record['lang']}"
        assert record["tags"] == ["joint statement"]
        assert record["translated_by"] == "searcharchive"
        assert record["translated_from"] == "en"
        for key in ("title", "body"):
            value = record[key]
            assert isinstance(value, str) and value.strip() == value and value
    pairs = sorted((str(r["group"]), str(r["lang"])) for r in translations)
    assert pairs == sorted((group, lang) for group in ENGLISH_IDS for lang in ("be", "ru"))


def _text(translations: list[dict[str, object]], number: int, lang: str) -> str:
    group = ENGLISH_IDS[number - 1]
    record = next(r for r in translations if r["group"] == group and r["lang"] == lang)
    return f"{record['title']}\n\n{record['body']}"


@pytest.mark.parametrize("lang", ["be", "ru"])
@pytest.mark.parametrize(
    ("number", "kind", "expected"),
    [
        (1, "organizations", ["bsu-law", "brsm"]),
        (2, "persons", ["mikalai-klimovich"]),
        (3, "organizations", ["civic-solidarity-platform", "mhg"]),
        (6, "organizations", ["viasna"]),
        (7, "persons", ["pavel-seviarynets"]),
    ],
)
def test_translations_name_their_entities(
    translations: list[dict[str, object]], number: int, kind: str, expected: list[str], lang: str
) -> None:
    assert Gazetteer.builtin(kind).find(_text(translations, number, lang)) == expected


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_translations_body_paragraphs_match_english(
    translations: list[dict[str, object]], lang: str
) -> None:
    # Paragraph counts of the English leads in the seed tag page.
    english = [1, 2, 1, 2, 1, 1, 3]
    for number, count in enumerate(english, start=1):
        group = ENGLISH_IDS[number - 1]
        record = next(r for r in translations if r["group"] == group and r["lang"] == lang)
        assert len(str(record["body"]).split("\n\n")) == count, group


BDC = (
    "- id: belarusian-documentation-centre\n"
    "  name: {en: Belarusian Documentation Centre, be: Беларускі дакументацыйны цэнтр}\n"
    "  aliases: [BDC]\n"
)


def test_gazetteers_given_to_the_indexer_are_kept_with_the_index(tmp_path: Path) -> None:
    """The server's `org:`, labels and facet know an archivist's own entries, and a later
    run without the file still extracts them; a --rebuild without it forgets them."""
    from searcharchive.archive import Archive
    from searcharchive.indexer import Indexer
    from searcharchive.request import SearchRequest

    from .conftest import write_jsonl

    extra = tmp_path / "ours.yaml"
    extra.write_text(BDC, encoding="utf-8")
    first = write_jsonl(
        tmp_path / "a.jsonl",
        [{"id": "a", "lang": "en", "title": "A", "body": "A report by the BDC on the trials."}],
    )
    index = tmp_path / "index"
    Indexer(index, gazetteers={"organizations": [extra]}).run([first])
    later = write_jsonl(
        tmp_path / "b.jsonl",
        [{"id": "b", "lang": "en", "title": "B", "body": "The BDC documented more cases."}],
    )
    Indexer(index).run([later])  # no file given: the stored one is used
    archive = Archive.open(index)  # a server knows nothing but the index folder
    # the texts name the centre without being its statements: "mentions", not authors
    result = archive.search(SearchRequest(q="mentions:belarusian-documentation-centre"))
    assert sorted(h.statement.id for h in result.hits) == ["a", "b"]
    assert archive.search(SearchRequest(q='mentions:"Belarusian Documentation Centre"')).total == 2
    facet = {v.value: v.label for v in result.facets["mention"]}
    assert facet["belarusian-documentation-centre"] == "Belarusian Documentation Centre"
    labels = archive.search(SearchRequest(ui_lang="be")).facets["mention"]
    assert {v.label for v in labels} == {"Беларускі дакументацыйны цэнтр"}
    Indexer(index).run([first, later], rebuild=True)
    assert Archive.open(index).search(SearchRequest(q="BDC")).hits[0].statement.organizations == []


@pytest.mark.parametrize(
    "query",
    [
        "org:civic-solidarity-platform",
        'org:"civic-solidarity-platform"',
        "org:civic-solidarity-platform OR org:viasna",
        'org:"Civic Solidarity Platform"',
    ],
)
def test_an_organization_id_with_hyphens_is_one_value(archive: object, query: str) -> None:
    """The parser read `org:civic-solidarity-platform` as org:civic NOT solidarity NOT …"""
    from searcharchive.request import SearchRequest

    result = archive.search(SearchRequest(q=query))  # type: ignore[attr-defined]
    assert result.total >= 1
    assert all(
        "civic-solidarity-platform" in h.statement.organizations or "OR" in query
        for h in result.hits
    )
