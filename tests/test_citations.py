from __future__ import annotations

import copy
import importlib.resources
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from searcharchive import citation_grammar
from searcharchive.citations import (
    article_title,
    citation_flags,
    citation_label,
    extract_citations,
    find_citation_spans,
    known_codes,
    parent_ids,
    parse_citation_query,
    title_in,
    titled_label,
)

from .strategies import examples, query_text

EXTRACT_CASES: list[tuple[str, list[str]]] = [
    # --- English: single articles ---------------------------------------------
    ("Article 342 of the Criminal Code", ["cc:342"]),
    ("Art. 342 CC", ["cc:342"]),
    ("Art 23.34 of the Code of Administrative Offenses", ["cao:23.34"]),
    ("Article 23.34 of the Code of Administrative Offences", ["cao:23.34"]),
    ("Article 23.34 of the Administrative Code", ["cao:23.34"]),
    ("Article 19 of the ICCPR", ["iccpr:19"]),
    ("Article 19 of the International Covenant on Civil and Political Rights", ["iccpr:19"]),
    ("Article 19 of the Universal Declaration of Human Rights", ["udhr:19"]),
    ("Article 19 UDHR", ["udhr:19"]),
    ("Article 10 of the European Convention on Human Rights", ["echr:10"]),
    ("Article 33 of the Constitution", ["const:33"]),
    ("Article 126 of the Code of Criminal Procedure", ["cpc:126"]),
    ("Art. 126 CPC", ["cpc:126"]),
    ("Article 83 of the Criminal Executive Code", ["cec:83"]),
    ("Article 361-1 of the Criminal Code", ["cc:361-1"]),
    ("Article 361¹ of the Criminal Code", ["cc:361-1"]),
    # --- English: parts ---------------------------------------------------------
    ("Part 1 of Article 342 of the Criminal Code", ["cc:342:1"]),
    ("Art. 130, Part 3 of the Criminal Code", ["cc:130:3"]),
    ("Article 130(3) CC", ["cc:130:3"]),
    ("Art. 19(2) ICCPR", ["iccpr:19:2"]),
    ("Parts 1 and 2 of Article 342 of the Criminal Code", ["cc:342:1", "cc:342:2"]),
    # --- English: lists, mixing parts -----------------------------------------
    ("Articles 342 and 361-1 of the Criminal Code", ["cc:342", "cc:361-1"]),
    ("Articles 342, 361-1 and 369 CC", ["cc:342", "cc:361-1", "cc:369"]),
    ("Article 342(1) and 369(2) CC", ["cc:342:1", "cc:369:2"]),
    ("Art. 342 Part 1 and Art. 369 Part 2 CC", ["cc:342:1", "cc:369:2"]),
    ("Part 1 of Article 342 and Article 361-1 of the Criminal Code", ["cc:342:1", "cc:361-1"]),
    (
        "Article 342, Part 1 and Article 369, Part 2 of the Criminal Code",
        ["cc:342:1", "cc:369:2"],
    ),
    ("Art. 342 CC and Art. 23.34 CAO", ["cc:342", "cao:23.34"]),
    # a list of articles goes on after a part written behind an article
    ("under Articles 361-4, part 2, and 130 of the Criminal Code", ["cc:361-4:2", "cc:130"]),
    ("па арт. 369 ч. 1, 130 ч. 2 КК", ["cc:369:1", "cc:130:2"]),
    ("по ст.ст. 364 ч.1, 339 ч.2 УК", ["cc:364:1", "cc:339:2"]),
    ("по ст. 364 ч. 1 и 339 УК", ["cc:364:1", "cc:339"]),
    ("Art. 130, part 2, and 40 protesters were fined", []),
    # an ordinal article number before the article word, a number between "по" and a code
    ("его судили по 342-й статье УК", ["cc:342"]),
    ("іх судзілі па 342-м і 130-м артыкулах КК", ["cc:342", "cc:130"]),
    ("на 15-й день голодовки его судили по статье 342 УК", ["cc:342"]),
    ("её оштрафовали по 24.23 КоАП", ["cao:24.23"]),
    ("главы 24 КоАП", []),
    # plural part abbreviations and English ordinal parts
    ("по чч. 1, 2 ст. 342 УК", ["cc:342:1", "cc:342:2"]),
    ("under Part Two of Article 130 of the Criminal Code", ["cc:130:2"]),
    # Soviet codes are not today's codes: no id
    ("convicted under Article 70 of the Criminal Code of the RSFSR in 1975", []),
    ("па артыкуле 67 Крымінальнага кодэкса БССР", []),
    ("осуждён по статье 190-1 УК РСФСР, а его внук по ст. 342 УК", ["cc:342"]),
    (
        "Articles 342 and 369 CC, as well as Article 23.34 of the CAO",
        ["cc:342", "cc:369", "cao:23.34"],
    ),
    ("Article 33 of the Constitution and Article 19 of the ICCPR", ["const:33", "iccpr:19"]),
    # --- English: code first, continuation -------------------------------------
    ("Criminal Code, Article 342", ["cc:342"]),
    ("Criminal Code, Article 342 (mass riots)", ["cc:342"]),
    ("Under the Criminal Code, Article 342 punishes participation.", ["cc:342"]),
    ("Article 342 of the Criminal Code and Article 369.", ["cc:342", "cc:369"]),
    # --- English: foreign and qualified codes ---------------------------------
    ("Article 280.3 of the Criminal Code of the Russian Federation", ["ru-cc:280.3"]),
    ("Criminal Code of the Russian Federation, Article 280.3", ["ru-cc:280.3"]),
    ("Russian Criminal Code Article 280.3", ["ru-cc:280.3"]),
    ("Article 20.2 of the Russian Code of Administrative Offenses", ["ru-cao:20.2"]),
    ("Article 342 of the Criminal Code of the Republic of Belarus", ["cc:342"]),
    ("Article 342 of Belarus' Criminal Code", ["cc:342"]),
    # --- English: in sentences -------------------------------------------------
    (
        "He was convicted under Article 368 of the Criminal Code of the Republic of Belarus "
        "(“insulting the president”).",
        ["cc:368"],
    ),
    ("committed an offense under Art 23.34 of the Code of Administrative Offenses.", ["cao:23.34"]),
    (
        "On 12 March 2021, the court sentenced him under Part 2 of Article 342 of the "
        "Criminal Code to 3 years.",
        ["cc:342:2"],
    ),
    (
        "Article 342 (organisation and preparation of actions grossly violating public "
        "order) of the Criminal Code",
        ["cc:342"],
    ),
    ("sentenced to 15 days under Article 23.34 of the CAO", ["cao:23.34"]),
    ("Article 342 of the Criminal Code, sentenced to 3 years", ["cc:342"]),
    (
        "Article 342 of the Criminal Code and Article 10 of the Law on Mass Events.",
        ["cc:342"],
    ),
    ("Art. 342 CC. Later, again under Art. 342 CC.", ["cc:342"]),
    # --- Russian -----------------------------------------------------------------
    ("ч. 1 ст. 342 УК", ["cc:342:1"]),
    ("ч.1 ст.342 УК РБ", ["cc:342:1"]),
    ("ст. 342 и 361-1 УК", ["cc:342", "cc:361-1"]),
    ("ст. 342, 361-1 УК", ["cc:342", "cc:361-1"]),
    ("ст.ст. 342, 369 УК", ["cc:342", "cc:369"]),
    ("статьи 342 Уголовного кодекса Республики Беларусь", ["cc:342"]),
    ("по статье 368 УК", ["cc:368"]),
    ("части 3 статьи 130 Уголовного кодекса", ["cc:130:3"]),
    ("ст. 23.34 КоАП", ["cao:23.34"]),
    ("статьи 23.34 Кодекса об административных правонарушениях", ["cao:23.34"]),
    ("статья 19 МПГПП", ["iccpr:19"]),
    ("статьи 19 Международного пакта о гражданских и политических правах", ["iccpr:19"]),
    ("статьи 19 Всеобщей декларации прав человека", ["udhr:19"]),
    ("статьи 33 Конституции", ["const:33"]),
    ("ст. 126 УПК", ["cpc:126"]),
    ("ст. 280.3 УК РФ", ["ru-cc:280.3"]),
    ("статьи 280.3 Уголовного кодекса Российской Федерации", ["ru-cc:280.3"]),
    ("ст. 20.2 КоАП РФ", ["ru-cao:20.2"]),
    ("ст. 361¹ УК", ["cc:361-1"]),
    ("УК ст. 342", ["cc:342"]),
    ("ч. 1 и 2 ст. 342 УК", ["cc:342:1", "cc:342:2"]),
    ("ч. 1 ст. 342 и ч. 2 ст. 361-1 УК", ["cc:342:1", "cc:361-1:2"]),
    ("ст. 342 ч. 1 и ст. 369 УК", ["cc:342:1", "cc:369"]),
    ("ч. 2 ст. 342, ч. 1 ст. 361-1 и ст. 369 УК", ["cc:342:2", "cc:361-1:1", "cc:369"]),
    ("по ч. 3 ст. 361-1 УК и ст. 23.34 КоАП", ["cc:361-1:3", "cao:23.34"]),
    ("ч. 2 ст. 411 УК (злостное неповиновение требованиям администрации)", ["cc:411:2"]),
    ("в 2021 году по ст. 342 УК задержаны 15 человек", ["cc:342"]),
    # --- Belarusian ----------------------------------------------------------------
    ("арт. 342 КК", ["cc:342"]),
    ("ч. 1 арт. 342 КК", ["cc:342:1"]),
    ("па артыкулах 342 і 361-1 КК", ["cc:342", "cc:361-1"]),
    ("артыкула 368 Крымінальнага кодэкса", ["cc:368"]),
    ("арт. 23.34 КаАП", ["cao:23.34"]),
    ("арт. 342 КК Рэспублікі Беларусь", ["cc:342"]),
    ("артыкула 19 Міжнароднага пакта аб грамадзянскіх і палітычных правах", ["iccpr:19"]),
    ("артыкул 19 Усеагульнай дэкларацыі правоў чалавека", ["udhr:19"]),
    ("артыкула 33 Канстытуцыі Рэспублікі Беларусь", ["const:33"]),
    ("арт. 83 КВК", ["cec:83"]),
    ("часткі 2 артыкула 342 Крымінальнага кодэкса", ["cc:342:2"]),
    ("паводле арт. 126 Крымінальна-працэсуальнага кодэкса", ["cpc:126"]),
    # --- negatives -------------------------------------------------------------
    ("342 people were detained", []),
    ("in 2021", []),
    ("15 days of administrative detention", []),
    ("Penal Colony No. 3", []),
    ("the 1975 Helsinki Final Act", []),
    ("Article 342", []),
    ("ст. 342", []),
    ("ч. 1", []),
    ("+375 (29) 123-45-67", []),
    ("call 8 017 123 45 67 or +375 29 1234567", []),
    ("the Criminal Code was amended in 2021", []),
    ("Article 9 of the Law on Mass Events", []),
    ("The Criminal Code is harsh. Article 342 punishes participation.", []),
    ("Art. 342 cc", []),  # abbreviations are case-sensitive: "cc" is not CC
    ("Канстытуцыйны суд разгледзеў артыкул 5", []),
    ("ст. лейтенант 342 УК", []),
    ("Articles 342 and 15 days", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), EXTRACT_CASES)
def test_extract_citations(text: str, expected: list[str]) -> None:
    assert extract_citations(text) == expected


# Issue #13: the forms real statements use, one class per block, in en / be / ru.
# Sentences written for these tests, in the style of the real ones.
REAL_FORM_CASES: list[tuple[str, list[str]]] = [
    # --- a line break inside a citation -------------------------------------------
    ("She was charged under Part 2 of\nArticle 342 of the Criminal Code.", ["cc:342:2"]),
    ("яго абвінавацілі па ч. 1\nарт. 130 Крымінальнага\nкодэкса", ["cc:130:1"]),
    ("по статье 212.1 УГОЛОВНОГО КОДЕКСА РОССИЙСКОЙ\nФЕДЕРАЦИИ", ["ru-cc:212.1"]),
    ("under article 21 of the International\nCovenant on Civil and Political Rights", ["iccpr:21"]),
    # --- lists that repeat the code -----------------------------------------------
    ("па артыкулах 130 КК і 361-3 КК", ["cc:130", "cc:361-3"]),
    (
        "асуджаны паводле артыкулаў 367 КК (паклёп), 368 КК (абраза) і 369 КК",
        ["cc:367", "cc:368", "cc:369"],
    ),
    ("оштрафованы по ст. 23.34 и 24.23 КоАП", ["cao:23.34", "cao:24.23"]),
    ("по ст. 342 УК (грубое нарушение), 364 УК (насилие)", ["cc:342", "cc:364"]),
    ("under Articles 130 CC and 361-1 CC", ["cc:130", "cc:361-1"]),
    # --- part-and-article pairs, both orders --------------------------------------
    (
        "Part 4, Art. 228 (drug trafficking) and Part 2, Art. 342 of the Criminal Code",
        ["cc:228:4", "cc:342:2"],
    ),
    ("Article 293, part 2, and Article 342, part 1 of the Criminal Code", ["cc:293:2", "cc:342:1"]),
    ("ч. 3 ст. 361-1 (создание формирования) и ч. 1 ст. 342 УК", ["cc:361-1:3", "cc:342:1"]),
    ("ч. 2 ст. 342, ч. 1 ст. 361-1 УК", ["cc:342:2", "cc:361-1:1"]),
    ("ч. 1 арт. 342 і ч. 2 арт. 130 КК", ["cc:342:1", "cc:130:2"]),
    # --- text in brackets between article and code, a dot after a number -----------
    ("ст. 23.4 (неповиновение законному требованию должностного лица) КоАП", ["cao:23.4"]),
    ("арт. 24.23 (парушэнне парадку арганізацыі масавых мерапрыемстваў) КаАП", ["cao:24.23"]),
    (
        "Article 369 (insulting a representative of the authorities) of the Criminal Code",
        ["cc:369"],
    ),
    ("по статье 23.34. КоАП", ["cao:23.34"]),
    ("по ч. 2. ст. 411 УК", ["cc:411:2"]),
    ("Статья 293. Уголовного кодекса", ["cc:293"]),
    ("Art. 342. of the Criminal Code", ["cc:342"]),
    # --- parts written in words, brackets, points ---------------------------------
    ("under Par. 1, Art. 342 of the Criminal Code", ["cc:342:1"]),
    ("Article 22(1) of the ICCPR", ["iccpr:22:1"]),
    (
        "articles 19 and 21 of the Covenant read with articles 2 (1) and (3)",
        ["iccpr:19", "iccpr:21", "iccpr:2:1", "iccpr:2:3"],
    ),
    ("на падставе часткі першай артыкула 35 Канстытуцыі", ["const:35:1"]),
    ("части второй статьи 342 Уголовного кодекса", ["cc:342:2"]),
    ("по п. 1 ч. 2 ст. 16 УК", ["cc:16:2"]),
    ("у п. 2 арт. 19 Міжнароднага пакта аб грамадзянскіх і палітычных правах", ["iccpr:19:2"]),
    (
        "Articles of the Covenant: 19, paragraph 2; 22, paragraphs 1 and 2; 26",
        ["iccpr:19:2", "iccpr:22:1", "iccpr:22:2", "iccpr:26"],
    ),
    # --- classical orthography, Latin i, Łacinka ----------------------------------
    ("паводле артыкулу 342 Крымінальнага кодэксу", ["cc:342"]),
    (
        "артыкуламі Крымінальнага кодэксу 340 (фальшывае паведамленьне) і 368 (абраза)",
        ["cc:340", "cc:368"],
    ),
    ("па арт. 342 Крымiнальнага кодэкса", ["cc:342"]),  # Latin i
    ("pa art. 22.9 č. 2 KoAP", ["cao:22.9:2"]),
    ("jaho asudzili pa č. 1 art. 342 KK", ["cc:342:1"]),
    ("pavodle artykuła 130 Kryminalnaha kodeksa", ["cc:130"]),
    ("паводле артыкулу 23.34 Кодэксу аб адміністрацыйных правапарушэньнях", ["cao:23.34"]),
    ("артыкул 19 Усеагульнай дэклярацыі правоў чалавека", ["udhr:19"]),
    ("pa artykule 33 Kanstytucyi", ["const:33"]),
    ("pa art. 126 Kryminalna-pracesualnaha kodeksa", ["cpc:126"]),
    # --- dashes ---------------------------------------------------------------------
    ("ст. 361−4 УК", ["cc:361-4"]),  # minus sign
    ("арт. 361‑1 КК", ["cc:361-1"]),  # non-breaking hyphen
    ("Article 361–1 of the Criminal Code", ["cc:361-1"]),  # en dash
    ("Article 193.1 of the Criminal Code", ["cc:193-1"]),  # 193¹ in the Belarusian code
    ("ст. 3614 УК", []),  # a lost hyphen: flagged, never article 3614
    # --- implied codes ------------------------------------------------------------
    (
        "He was convicted under Article 342 of the Criminal Code and then under Part 2 of the same article.",
        ["cc:342", "cc:342:2"],
    ),
    ("Яго асудзілі па арт. 342 КК, а потым па ч. 2 таго ж артыкула.", ["cc:342", "cc:342:2"]),
    ("Его осудили по ст. 342 УК, затем по ч. 2 той же статьи.", ["cc:342", "cc:342:2"]),
    (
        "обвиняют по ч. 1 ст. 368 УК (оскорбление) и ч. 1 ст. 367 (клевета).",
        ["cc:368:1", "cc:367:1"],
    ),
    # --- Russian jurisdiction ---------------------------------------------------------
    ("по статье 20.2 КоАП РФ", ["ru-cao:20.2"]),
    (
        "по ч. 5 ст. 20.2 Кодекса Российской Федерации об административных правонарушениях",
        ["ru-cao:20.2:5"],
    ),
    ("Тверской районный суд Москвы оштрафовал активиста по ч. 5 ст. 20.2 КоАП.", ["ru-cao:20.2:5"]),
    ("A Moscow court fined her under Article 20.2 of the Administrative Code.", ["ru-cao:20.2"]),
    ("Суд в Минске, а не в Москве, оштрафовал его по ст. 23.34 КоАП.", ["cao:23.34"]),
    ("ст. 294 УК Белоруссии", ["cc:294"]),
    # --- the Constitution and treaties ----------------------------------------------
    ("артыкулаў 33, 35 і 36 Канстытуцыі", ["const:33", "const:35", "const:36"]),
    ("статей 33 и 35 Конституции", ["const:33", "const:35"]),
    ("violates article 19 (2) of the Covenant", ["iccpr:19:2"]),
    ("Articles 2, 19 and 21 of the Covenant", ["iccpr:2", "iccpr:19", "iccpr:21"]),
    # --- numbers that are not citations ---------------------------------------------
    ("Указ Президента от 12.03.2015 № 3", []),
    ("паводле Закона № 114-З ад 30.12.1997, артыкул 9", []),
    ("согласно статье 9 Закона о массовых мероприятиях", []),
    ("article 5, paragraph 2 (b), of the Optional Protocol to the International Covenant", []),
    ("article 57, paragraph 2, sub-paragraph 2, of the Civil Procedure Code", []),
    ("УДК 342.9", []),
    ("в исправительной колонии ПК № 3 находятся 342 человека", []),
    ("у СІЗА № 1 на вуліцы Валадарскага", []),
    ("Дело № 5-342/2021", []),
    ("communication No. 2019/2010", []),
    ("ARTICLE 19 and 12 other organisations", []),
    ("С. 268–274, Т. 9 (75), № 3", []),
    ("Статья 1. Внести в Уголовный кодекс следующие изменения", []),
    ("штраф 30 базовых величин, 15 суток ареста", []),
    ("In 2021, 342 people were convicted; in 2022, 361 people.", []),
    ("статьями Уголовного кодекса 1999 года", []),
    (
        "Part 1 of Article 342 of the CC (up to 4 years) and Article 369 of the CC",
        ["cc:342:1", "cc:369"],
    ),
    ("осуждены по ст. 342 УК, 15 человек — по ст. 23.34 КоАП", ["cc:342", "cao:23.34"]),
    ("па арт. 342 КК (да 4 гадоў) і арт. 369 КК", ["cc:342", "cc:369"]),
    ("по ч. 1 ст. 20.3.3 КоАП РФ", ["ru-cao:20.3.3:1"]),
    ("согласно статье 2 Постановления Совета Министров", []),
    ("Article 6 of the Convention against Torture", []),
    ("па артыкуле 12 Правілаў дарожнага руху", []),
    ("In this article, 5 experts explain the Criminal Code.", []),
    ("Па арт. 342 КК. Потым па ст. 8.1 ПИКоАП.", ["cc:342"]),  # a code with no id
    ("по ст. 23.34 КоАП, затем по подп. 2 п. 1 ст. 10.1 ПИКоАП", ["cao:23.34"]),
    ("Article 23.34 of the Code of Administrative Violations", ["cao:23.34"]),
    ("по статье 23.34 Административного кодекса", ["cao:23.34"]),
    # treaties named short in UN decisions
    ("нарушение статьи 19 Пакта", ["iccpr:19"]),
    ("парушэнне артыкула 21 Пакта", ["iccpr:21"]),
    ("Article 2 of the Covenant on Economic, Social and Cultural Rights", ["icescr:2"]),
    (
        "статьи 6 Международного пакта об экономических, социальных и культурных правах",
        ["icescr:6"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), REAL_FORM_CASES)
def test_real_forms(text: str, expected: list[str]) -> None:
    assert extract_citations(text) == expected


def test_real_forms_cover_three_languages_and_negatives() -> None:
    assert sum(1 for _, ids in REAL_FORM_CASES if not ids) >= 15


def test_lost_hyphen_is_flagged_not_invented() -> None:
    assert extract_citations("ст. 3614 УК") == []
    assert citation_flags("ст. 3614 УК") == ["cc:3614: no such article"]
    assert citation_flags("ст. 361-4 УК") == []


def test_spans_point_into_the_stored_text() -> None:
    text = "па арт. 361‑1 Крымiнальнага\nкодэкса"  # a non-breaking hyphen and a Latin i
    [(start, end, ids)] = find_citation_spans(text)
    assert text[start:end] == text[3:]
    assert ids == ["cc:361-1"]


def test_one_code_statement_gives_its_code_only_after_a_citation() -> None:
    assert extract_citations("Артыкул 5 забараняе. Потым па арт. 342 КК.") == ["cc:342"]
    assert extract_citations("Па арт. 342 КК. Потым па артыкуле 5 асудзілі.") == ["cc:342", "cc:5"]
    assert extract_citations("Па арт. 342 КК. Потым артыкул 5 змянілі.") == ["cc:342"]
    org = "They were tried under Article 342 of the Criminal Code. Article 19 condemned it."
    assert extract_citations(org) == ["cc:342"]  # ARTICLE 19, the organisation
    two = "Па арт. 342 КК і арт. 23.34 КаАП. Потым артыкул 5 змянілі."
    assert extract_citations(two) == ["cc:342", "cao:23.34"]


def test_enough_cases() -> None:
    assert len(EXTRACT_CASES) >= 70
    assert sum(1 for _, ids in EXTRACT_CASES if not ids) >= 12


def test_order_of_first_appearance_without_duplicates() -> None:
    text = "ст. 369 УК, затем ч. 1 ст. 342 УК и снова ст. 369 УК и ч. 1 ст. 342 УК"
    assert extract_citations(text) == ["cc:369", "cc:342:1"]


def test_spans_split_query() -> None:
    text = "Климович ч. 1 ст. 342 УК"
    spans = find_citation_spans(text)
    assert spans == [(9, 24, ["cc:342:1"])]
    start, end, _ = spans[0]
    assert text[start:end] == "ч. 1 ст. 342 УК"
    assert (text[:start] + text[end:]).strip() == "Климович"


def test_spans_one_per_phrase() -> None:
    text = "Art. 342 CC and Art. 23.34 CAO"
    assert [ids for _, _, ids in find_citation_spans(text)] == [["cc:342"], ["cao:23.34"]]
    assert [text[s:e] for s, e, _ in find_citation_spans(text)] == ["Art. 342 CC", "Art. 23.34 CAO"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ч. 1 ст. 342 УК", ["cc:342:1"]),
        ("Art. 342 CC", ["cc:342"]),
        ("арт. 342 КК", ["cc:342"]),
        ("  по ст. 342 УК ", ["cc:342"]),
        ("Art. 342 CC and Art. 23.34 CAO", ["cc:342", "cao:23.34"]),
        ("cc:342", ["cc:342"]),
        ("cc:342:1", ["cc:342:1"]),
        ("CAO:23.34", ["cao:23.34"]),
        ("ru-cc:280.3", ["ru-cc:280.3"]),
        ("cc", ["cc"]),
        ("cc:342:1 cao:23.34", ["cc:342:1", "cao:23.34"]),
        ("Klimovich", []),
        ("ч. 1 ст. 342 УК Климович", []),
        ("Art. 342 CC 2021", []),
        ("ст. 342", []),
        ("УК", []),
        ("342 УК", []),
        ("xx:342", []),
        ("cc:abc", []),
        ("", []),
        ("   ", []),
    ],
)
def test_parse_citation_query(query: str, expected: list[str]) -> None:
    assert parse_citation_query(query) == expected


@pytest.mark.parametrize(
    ("cid", "expected"),
    [
        ("cc:342:1", ["cc", "cc:342"]),
        ("cc:342", ["cc"]),
        ("cc", []),
        ("ru-cc:280.3", ["ru-cc"]),
        ("cao:23.34:2", ["cao", "cao:23.34"]),
    ],
)
def test_parent_ids(cid: str, expected: list[str]) -> None:
    assert parent_ids(cid) == expected


@pytest.mark.parametrize(
    ("cid", "lang", "expected"),
    [
        ("cc", "en", "Criminal Code"),
        ("cc", "be", "Крымінальны кодэкс"),
        ("cc", "ru", "Уголовный кодекс"),
        ("cc:342", "en", "Criminal Code, Art. 342"),
        ("cc:342", "be", "Крымінальны кодэкс, арт. 342"),
        ("cc:342", "ru", "Уголовный кодекс, ст. 342"),
        ("cc:342:1", "en", "Criminal Code, Art. 342, Part 1"),
        ("cc:342:1", "be", "Крымінальны кодэкс, арт. 342, ч. 1"),
        ("cc:342:1", "ru", "Уголовный кодекс, ст. 342, ч. 1"),
        ("ru-cc", "en", "Criminal Code of Russia"),
        ("ru-cc", "be", "Крымінальны кодэкс Расіі"),
        ("ru-cc", "ru", "Уголовный кодекс России"),
        ("ru-cc:280.3", "ru", "Уголовный кодекс России, ст. 280.3"),
        ("cao:23.34", "en", "Code of Administrative Offences, Art. 23.34"),
        ("cc:342", "de", "Criminal Code, Art. 342"),
        ("zz:1", "en", "zz:1"),
        ("xx-cc:1", "en", "xx-cc:1"),
        ("ru-iccpr:19", "en", "ru-iccpr:19"),
    ],
)
def test_citation_label(cid: str, lang: str, expected: str) -> None:
    assert citation_label(cid, lang) == expected


def test_known_codes() -> None:
    codes = known_codes()
    for cid in ("cc", "cao", "cpc", "cec", "const", "iccpr", "udhr", "echr", "ru-cc", "ru-cao"):
        assert cid in codes
    assert "ru-iccpr" not in codes
    assert len(codes) == len(set(codes))


def test_every_extracted_id_has_a_label() -> None:
    for text, _ in EXTRACT_CASES:
        for cid in extract_citations(text):
            assert citation_label(cid, "en") != cid
            assert cid.split(":")[0] in known_codes()


# --- codes.yaml validation ------------------------------------------------------


def _data() -> Any:
    resource = importlib.resources.files("searcharchive") / "data" / "codes.yaml"
    return yaml.safe_load(resource.read_text(encoding="utf-8"))


def test_packaged_codes_yaml_is_valid() -> None:
    grammar = citation_grammar.build_grammar(_data())
    assert list(grammar.labels) == known_codes()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("codes"), "codes"),
        (lambda d: d["codes"][0].update(id="Criminal Code"), "codes[0].id"),
        (lambda d: d["codes"][1].update(id="cc"), "duplicate id 'cc'"),
        (lambda d: d["codes"][0].update(national="yes"), "national"),
        (lambda d: d.update(codes=[]), "non-empty"),
        (lambda d: d["codes"][0]["label"].pop("be"), "label.be"),
        (lambda d: d["codes"][0]["names"].update(ru=["уголовн\\w+ кодекс"]), "unbounded"),
        (lambda d: d["codes"][0]["names"].update(en=["criminal (code"]), "bad pattern"),
        (lambda d: d["codes"][0]["names"].update(de=["strafgesetzbuch"]), "unknown language"),
        (lambda d: d["codes"][0].update(abbrev=[], names={}), "no abbrev or names"),
        (lambda d: d["keywords"]["filler"].update(en=["and"]), "'and' is both"),
        (lambda d: d["label_words"].pop("ru"), "label_words.ru"),
        (lambda d: d["label_words"]["be"].pop("part"), "label_words.be"),
        (lambda d: d["countries"][0].update(prefix="RU"), "countries[0].prefix"),
    ],
)
def test_malformed_codes_yaml(mutate: Any, message: str) -> None:
    data = copy.deepcopy(_data())
    mutate(data)
    with pytest.raises(ValueError, match="codes.yaml") as err:
        citation_grammar.build_grammar(data)
    assert message in str(err.value)


def test_codes_yaml_not_a_mapping() -> None:
    with pytest.raises(ValueError, match="top level"):
        citation_grammar.build_grammar(["cc"])


# --- robustness ---------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_extract_never_raises(text: str) -> None:
    result = extract_citations(text)
    assert isinstance(result, list)
    assert all(isinstance(cid, str) and cid == cid.lower() for cid in result)
    assert isinstance(find_citation_spans(text), list)
    assert isinstance(parse_citation_query(text), list)


_ALPHABET = list("ст.ч 1234567890,-¹()") + ["Art. ", "УК", "CC", " и ", "Criminal Code", "\n\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=60).map("".join))
def test_citation_like_text_never_raises(text: str) -> None:
    for start, end, ids in find_citation_spans(text):
        assert 0 <= start < end <= len(text)
        assert ids


@pytest.mark.parametrize(
    "text",
    [
        "ст. " * 25_000,
        "Article " * 12_500,
        "1" * 100_000,
        "1." * 50_000,
        "ч. 1 " * 20_000,
        "Art. 1, " * 12_500 + "CC",
        "Criminal " * 11_000,
        "(3)" * 33_000,
        " " * 100_000 + "ст. 342 УК",
        "ч.1 ст.342 УК РБ " * 6_000,
    ],
)
def test_adversarial_input_completes(text: str) -> None:
    assert isinstance(extract_citations(text), list)


# --- article titles (data/article_titles.yaml) ------------------------------------


@pytest.mark.parametrize(
    "cid",
    [
        "cc:130",
        "cc:193-1",
        "cc:342",
        "cc:356",
        "cc:357",
        "cc:361",
        "cc:361-1",
        "cc:361-2",
        "cc:361-3",
        "cc:361-4",
        "cc:367",
        "cc:368",
        "cc:369",
        "cc:370",
        "cc:411",
        "cao:19.10",
        "cao:19.11",
        "cao:23.34",
        "cao:24.23",
        "cao:24.3",
    ],
)
def test_most_cited_articles_have_titles_in_three_languages(cid: str) -> None:
    title = article_title(cid)
    assert title is not None and set(title.titles) == {"en", "be", "ru"}
    assert extract_citations(
        f"Article {cid.split(':')[1]} of the {'CC' if cid.startswith('cc') else 'CAO'}"
    ) == [cid]


def test_titles_of_parts_and_renumbered_articles() -> None:
    assert article_title("cc:342:1") == article_title("cc:342")
    assert article_title("ru-cc:342") is None  # the Russian code's 342 is another article
    assert article_title("cc:1") is None
    old, new = article_title("cao:23.34"), article_title("cao:24.23")
    assert old is not None and new is not None and old.edition == "2003" and new.edition == "2021"
    assert old.note and "24.23" in old.note
    assert titled_label("cc:342", "en").startswith("Criminal Code, Art. 342 — Organisation")
    assert titled_label("cc:342:1", "ru").startswith(
        "Уголовный кодекс, ст. 342, ч. 1 — Организация"
    )
    assert titled_label("cc:1", "be") == citation_label("cc:1", "be")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["cc:342"], "top level"),
        ({"xx:1": {"en": "a", "be": "b", "ru": "c"}}, "known code"),
        ({"cc": {"en": "a", "be": "b", "ru": "c"}}, "article id"),
        ({"cc:342": {"en": "a", "ru": "c"}}, "each of en, be, ru"),
        ({"cc:342": {"en": "a", "be": "b", "ru": "c", "source": "x"}}, "unknown keys"),
        ({"cc:342": {"en": "a", "be": "b", "ru": "c", "note": {"be": "x"}}}, "en (required)"),
        ({"cc:342": {"en": "a", "be": "b", "ru": "c", "note": {"en": "x", "de": "y"}}}, "a note"),
        ({"cc:342": {"en": "a", "be": "b", "ru": "c", "note": ["x"]}}, "a note"),
    ],
)
def test_malformed_article_titles(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match="article_titles.yaml") as err:
        citation_grammar.build_article_titles(data, frozenset(known_codes()))
    assert message in str(err.value)


def test_notes_in_the_readers_language() -> None:
    old = article_title("cao:23.34")
    assert old is not None and old.note_in("ru") is not None and old.note_in("be") is not None
    assert "24.23" in old.note_in("ru")[0] and old.note_in("ru")[1] == "ru"  # type: ignore[index]
    assert old.note_in("de") == (old.note, "en")
    assert article_title("cc:342").note_in("be") is None  # type: ignore[union-attr]
    plain = citation_grammar.build_article_titles(
        {"cc:342": {"en": "a", "be": "b", "ru": "c", "note": "only in English"}},
        frozenset(known_codes()),
    )["cc:342"]
    assert plain.note_in("be") == ("only in English", "en")
    assert title_in("cc:342:1", "be") == article_title("cc:342").titles["be"]  # type: ignore[union-attr]
    assert title_in("cc:342", "de") == article_title("cc:342").titles["en"]  # type: ignore[union-attr]
    assert title_in("cc:339", "en") is None and title_in("cc", "en") is None


# ---------------------------------------------------------------- the grammar never raises


@examples(1000)
@given(text=query_text)
def test_the_citation_grammar_never_raises(text: str) -> None:
    ids = extract_citations(text)
    assert all(isinstance(cid, str) and cid for cid in ids)
    for start, end, span_ids in find_citation_spans(text):
        assert 0 <= start <= end <= len(text) and span_ids
    assert isinstance(parse_citation_query(text), list)
