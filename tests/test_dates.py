from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searcharchive.dates import PartialDate, extract_date, parse_date_value

MINSK_STATEMENT = (
    "Joint statement of Belarusian human rights organizations on the recognition of "
    "Uladzimir Labkovich as a political prisoner\n\n"
    "Minsk - July 10, 2020\n\n"
    "On July 8, the Saviecki District Court of Minsk ruled to extend the detention."
)

EXTRACT_CASES = [
    # --- real texts -----------------------------------------------------------
    (
        "On May 24, 2023, a video was published on the official account of the ministry.",
        None,
        "2023-05-24",
    ),
    (
        "On May 7, 2023, it was reported that political prisoner Mikalai Klimovich died in "
        "Penal Colony No. 3",
        "en",
        "2023-05-07",
    ),
    (MINSK_STATEMENT, "en", "2020-07-10"),
    (
        "MHG is the oldest human rights organization in Russia, founded in 1976 to monitor "
        "compliance with the principles of the 1975 Helsinki Final Act.",
        "en",
        None,
    ),
    (
        "Over the past year, Belarusian civil society organizations have been under constant "
        "pressure",
        "en",
        None,
    ),
    # --- datelines ------------------------------------------------------------
    ("Vilnius, 3 March 2023\n\nThe undersigned organizations...", "en", "2023-03-03"),
    ("Мінск – 10 ліпеня 2020 г.\n\nПраваабаронцы патрабуюць...", "be", "2020-07-10"),
    ("Минск, 10 июля 2020 года\n\nПравозащитники требуют...", "ru", "2020-07-10"),
    ("Statement of 1 June 2020 was updated.\nWarsaw, 5 June 2020\nText", "en", "2020-06-05"),
    ("Recall: on 8 July 2020 he was detained.\n\n10 July 2020\n", "en", "2020-07-10"),
    ("MINSK — 12 August 2021 — Human rights defenders...", "en", "2021-08-12"),
    ("Published: 1 December 2022\nOn 30 November 2022 the court...", "en", "2022-12-01"),
    ("Мiнск, 10 лiпеня 2020", "be", "2020-07-10"),  # Latin "i" typed for "і"
    ("Вільнюс, сакавік 2023 г.\n1 лютага 2023 г. суд...", "be", "2023-03"),
    # chronology entries are not datelines: the first full date wins
    ("Arrested on 1 May 2021.\n10 July 2020 – first detention\n", "en", "2021-05-01"),
    # --- first full date, English ---------------------------------------------
    ("The court ruled on 24 May 2023 that...", "en", "2023-05-24"),
    ("On the 3rd of March, 2023 the trial began", "en", "2023-03-03"),
    ("It happened on Sept. 5, 2021 in Hrodna", "en", "2021-09-05"),
    ("Between 10–11 July 2020 forty people were detained", "en", "2020-07-10"),
    ("Document dated 2020-07-10 in the archive", "en", "2020-07-10"),
    ("Released 10.07.2020 after serving the sentence", "en", "2020-07-10"),
    ("Posted 03.03.2023, 14:20", None, "2023-03-03"),
    ("Invalid 31 February 2020, valid 5 March 2020", "en", "2020-03-05"),
    ("In July 2020 arrests started; on 9 August 2020 the election took place", "en", "2020-08-09"),
    # --- first full date, Russian ---------------------------------------------
    ("24 мая 2023 г. суд вынес приговор", "ru", "2023-05-24"),
    ("Приговор вынесен 24 мая 2023 года.", "ru", "2023-05-24"),
    ("ЗАЯВЛЕНИЕ от 1 ЯНВАРЯ 2021 ГОДА", "ru", "2021-01-01"),
    ("С 5-го сентября 2022 г. он находится в СИЗО", "ru", "2022-09-05"),
    ("Задержан 28 февраля 2024 года в Гомеле", "ru", "2024-02-28"),
    # --- first full date, Belarusian ------------------------------------------
    ("10 ліпеня 2020 г. суд прызначыў", "be", "2020-07-10"),
    ("Затрыманы 1 траўня 2021 года", "be", "2021-05-01"),
    ("Вырак абвешчаны 15 жніўня 2022 г.", "be", "2022-08-15"),
    ("29 лютага 2024 г. у Менску", "be", "2024-02-29"),
    ("12 снежня 2023 г. праваабаронцы", "be", "2023-12-12"),
    ("Ён затрыманы 3 трауня 2021", "be", "2021-05-03"),  # "у" typed for "ў"
    # --- month precision -------------------------------------------------------
    ("Arrests continued in July 2020 across the country", "en", "2020-07"),
    ("Sentenced in Dec. 2021 to five years", "en", "2021-12"),
    ("у ліпені 2020 г. пачаліся арышты", "be", "2020-07"),
    ("у лютым 2021 года", "be", "2021-02"),
    ("в июле 2020 года начались задержания", "ru", "2020-07"),
    ("Отчёт за ноябрь 2022", "ru", "2022-11"),
    ("On July 8 the court met; arrests in May 2021", "en", "2021-05"),
    # --- negatives -------------------------------------------------------------
    ("In 2021 more than 1000 people were detained.", "en", None),
    ("On July 8, the Saviecki District Court of Minsk ruled", "en", None),
    ("He was detained yesterday and will be tried tomorrow.", "en", None),
    ("Вчера его задержали, суд состоится 5 марта.", "ru", None),
    ("Учора яго затрымалі; у 2020 годзе...", "be", None),
    ("The Mayor 2020 programme", "en", None),
    ("Penal Colony No. 3, 12 prisoners, 2023 figures", "en", None),
    ("Version 4.10.07.2020 released", "en", None),
    ("Call 10.07.20 or 31.02.2020", "en", None),
    ("", None, None),
]


@pytest.mark.parametrize(("text", "lang", "expected"), EXTRACT_CASES)
def test_extract_date(text: str, lang: str | None, expected: str | None) -> None:
    result = extract_date(text, lang)
    assert (result.iso() if result else None) == expected


def test_extract_date_precision() -> None:
    result = extract_date("в июле 2020 года")
    assert result == PartialDate(2020, 7)
    assert result.precision == "month"


@given(st.text(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_extract_date_never_raises(text: str) -> None:
    result = extract_date(text)
    assert result is None or isinstance(result, PartialDate)


@given(st.text(alphabet="0123456789 .,-–:\n\tMayмаяліпеняJulyг", max_size=500))
@settings(max_examples=300, deadline=None)
def test_extract_date_never_raises_on_date_like_noise(text: str) -> None:
    result = extract_date(text)
    assert result is None or isinstance(result, PartialDate)


@pytest.mark.parametrize(
    "hostile",
    [
        "1 " * 50_000,
        "May " * 25_000,
        "\n".join(["Minsk Minsk Minsk Minsk - 10 May"] * 3000),
        ("10 " * 3 + "ліпеня " * 3) * 5000,
        "a" * 100_000,
    ],
)
def test_extract_date_linear_on_hostile_input(hostile: str) -> None:
    started = time.perf_counter()
    assert extract_date(hostile) is None
    assert time.perf_counter() - started < 2.0


# --- PartialDate -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso", "precision", "start", "end"),
    [
        (PartialDate(2020), "2020", "year", date(2020, 1, 1), date(2020, 12, 31)),
        (PartialDate(2020, 2), "2020-02", "month", date(2020, 2, 1), date(2020, 2, 29)),
        (PartialDate(2021, 2), "2021-02", "month", date(2021, 2, 1), date(2021, 2, 28)),
        (PartialDate(2020, 7, 10), "2020-07-10", "day", date(2020, 7, 10), date(2020, 7, 10)),
    ],
)
def test_partial_date_basics(
    value: PartialDate, iso: str, precision: str, start: date, end: date
) -> None:
    assert value.iso() == iso
    assert value.precision == precision
    assert value.start() == start
    assert value.end() == end
    assert PartialDate.parse_iso(iso) == value


def test_sort_key() -> None:
    assert PartialDate(2020, 7).sort_key() == 20200701
    assert PartialDate(2020).sort_key() == 20200101
    assert PartialDate(2020, 7, 10).sort_key() == 20200710


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (None, None, True),
        (date(2020, 2, 29), None, True),
        (date(2020, 3, 1), None, False),
        (None, date(2020, 2, 1), True),
        (None, date(2020, 1, 31), False),
        (date(2020, 2, 10), date(2020, 2, 12), True),
        (date(2019, 1, 1), date(2021, 1, 1), True),
    ],
)
def test_overlaps_month(lo: date | None, hi: date | None, expected: bool) -> None:
    assert PartialDate(2020, 2).overlaps(lo, hi) is expected


def test_ordering_mixes_precisions() -> None:
    values = [
        PartialDate(2020, 7, 10),
        PartialDate(2021),
        PartialDate(2020, 7),
        PartialDate(2020),
        PartialDate(2020, 1, 1),
    ]
    assert sorted(values) == [
        PartialDate(2020),
        PartialDate(2020, 1, 1),
        PartialDate(2020, 7),
        PartialDate(2020, 7, 10),
        PartialDate(2021),
    ]
    assert PartialDate(2020) < PartialDate(2020, 7) <= PartialDate(2020, 7)
    assert PartialDate(2021) > PartialDate(2020, 12, 31) >= PartialDate(2020, 12)
    assert len({PartialDate(2020, 7), PartialDate(2020, 7)}) == 1


@pytest.mark.parametrize(
    ("args"), [(1899,), (2101,), (2020, 13), (2020, 0), (2020, None, 5), (2021, 2, 29)]
)
def test_partial_date_rejects_invalid(args: tuple[int | None, ...]) -> None:
    with pytest.raises(ValueError):
        PartialDate(*args)  # type: ignore[arg-type]


# --- parse_iso / parse_date_value ------------------------------------------------


def test_parse_iso_with_time() -> None:
    assert PartialDate.parse_iso("2020-07-10T12:00:00") == PartialDate(2020, 7, 10)
    assert PartialDate.parse_iso(" 2020-07-10T12:00:00+03:00 ") == PartialDate(2020, 7, 10)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "20",
        "2020-7",
        "2020-07-1",
        "2020/07/10",
        "July 2020",
        "2020-13",
        "2020-00",
        "2020-02-30",
        "2021-02-29",
        "1899",
        "2101-01-01",
        "2020-07-10X",
        "abcd",
    ],
)
def test_parse_iso_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        PartialDate.parse_iso(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020", "2020"),
        ("2020-07", "2020-07"),
        ("2020-07-10", "2020-07-10"),
        ("2020-07-10T12:00:00", "2020-07-10"),
        ("10 July 2020", "2020-07-10"),
        ("July 10, 2020", "2020-07-10"),
        ("24 мая 2023 г.", "2023-05-24"),
        ("10 ліпеня 2020", "2020-07-10"),
        ("10 ліпеня 2020 г.", "2020-07-10"),
        ("1 жніўня 2021", "2021-08-01"),
        ("03.03.2023, 14:20", "2023-03-03"),
        ("July 2020", "2020-07"),
        ("ліпень 2020", "2020-07"),
        ("в июле 2020 года"[2:], "2020-07"),
        ("Friday, 10 July 2020", "2020-07-10"),
        ("10/07/2020", "2020-07-10"),
        ("2020 г.", "2020"),
    ],
)
def test_parse_date_value(value: str, expected: str) -> None:
    assert parse_date_value(value).iso() == expected


@pytest.mark.parametrize(
    "value", ["", "yesterday", "вчера", "July 10", "over the past year", "abc", "2 days ago"]
)
def test_parse_date_value_unrecognised(value: str) -> None:
    with pytest.raises(ValueError, match="unrecognised date"):
        parse_date_value(value)


@pytest.mark.parametrize("value", ["2020-02-30", "30 February 2020", "31.04.2021"])
def test_parse_date_value_impossible(value: str) -> None:
    with pytest.raises(ValueError, match="impossible date"):
        parse_date_value(value)


@pytest.mark.parametrize("text", ["5 auguſt 2020", "5 лıпеня 2020", "лİпень 2020"])
def test_extract_date_case_folding_lookalikes(text: str) -> None:
    result = extract_date(text)
    assert result is None or isinstance(result, PartialDate)


def test_belarusian_words_are_not_abbreviated_months() -> None:
    assert extract_date("Ліст 2021 года быў адпраўлены") is None


def test_extract_date_does_not_import_dateparser() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from searcharchive.dates import extract_date; "
        "extract_date('Minsk - July 10, 2020'); print('dateparser' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
