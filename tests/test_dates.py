from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searcharchive.dates import PartialDate, extract_date, parse_date_value

from .guard import within_guard

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
        None,
    ),
    (
        "On May 7, 2023, it was reported that political prisoner Mikalai Klimovich died in "
        "Penal Colony No. 3",
        "en",
        None,
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
    ("Arrested on 1 May 2021.\n10 July 2020 – first detention\n", "en", None),
    # --- dates inside sentences are event dates, never the publication date (#13)
    ("The court ruled on 24 May 2023 that...", "en", None),
    ("On the 3rd of March, 2023 the trial began", "en", None),
    ("It happened on Sept. 5, 2021 in Hrodna", "en", None),
    ("Between 10–11 July 2020 forty people were detained", "en", None),
    ("Document dated 2020-07-10 in the archive", "en", None),
    ("Released 10.07.2020 after serving the sentence", "en", None),
    ("Posted 03.03.2023, 14:20", None, "2023-03-03"),
    ("Invalid 31 February 2020\nMinsk, 5 March 2020", "en", "2020-03-05"),
    ("In July 2020 arrests started; on 9 August 2020 the election took place", "en", None),
    # --- first full date, Russian ---------------------------------------------
    ("24 мая 2023 г. суд вынес приговор", "ru", None),
    ("Приговор вынесен 24 мая 2023 года.", "ru", None),
    ("ЗАЯВЛЕНИЕ от 1 ЯНВАРЯ 2021 ГОДА", "ru", "2021-01-01"),
    ("С 5-го сентября 2022 г. он находится в СИЗО", "ru", None),
    ("Задержан 28 февраля 2024 года в Гомеле", "ru", None),
    # --- first full date, Belarusian ------------------------------------------
    ("10 ліпеня 2020 г. суд прызначыў", "be", None),
    ("Затрыманы 1 траўня 2021 года", "be", None),
    ("Вырак абвешчаны 15 жніўня 2022 г.", "be", None),
    ("29 лютага 2024 г.\nу Менску", "be", "2024-02-29"),
    ("12 снежня 2023 г. праваабаронцы", "be", None),
    ("Дадана: 3 трауня 2021", "be", "2021-05-03"),  # "у" typed for "ў"
    # --- month precision -------------------------------------------------------
    ("Arrests continued in July 2020 across the country", "en", None),
    ("Published: Dec. 2021", "en", "2021-12"),
    ("у ліпені 2020 г. пачаліся арышты", "be", None),
    ("Менск, люты 2021 года", "be", "2021-02"),
    ("в июле 2020 года начались задержания", "ru", None),
    ("Отчёт за ноябрь 2022", "ru", None),
    ("On July 8 the court met; arrests in May 2021", "en", None),
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
    # day/month/year unless the second number cannot be a month (a US site's 4/25/2024)
    ("4/25/2024\n\nThe statement text.", "en", "2024-04-25"),
    ("04/05/2024\n\nThe statement text.", "en", "2024-05-04"),
    ("31/31/2024\n\nThe statement text.", "en", None),
    # an update stamp is the date only when no publication line goes with it
    ("Updated: 9 May 2024\nPublished: 2 May 2024\n\nThe statement text.", "en", "2024-05-02"),
    ("Абноўлена: 09.05.2024\nДадана: 02.05.2024\n\nТэкст заявы.", "be", "2024-05-02"),
    ("Обновлено 9 мая 2024\n\nСуд 2 мая 2024 года приговорил его.", "ru", "2024-05-09"),
]


@pytest.mark.parametrize(("text", "lang", "expected"), EXTRACT_CASES)
def test_extract_date(text: str, lang: str | None, expected: str | None) -> None:
    result = extract_date(text, lang)
    assert (result.iso() if result else None) == expected


def test_extract_date_precision() -> None:
    result = extract_date("Опубликовано: июль 2020 года")
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
def test_extract_date_completes_on_hostile_input(hostile: str) -> None:
    """A catastrophic backtracking would hang here; how fast it is belongs to bench/."""
    found: list[object] = []
    within_guard(lambda: found.append(extract_date(hostile)))
    assert found == [None]


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


# --- issue #13: the date lines real sites write, and event dates -----------------
# Phrases written for these tests, modelled on real date lines (en / be / ru).
DATE_LINE_CASES: list[tuple[str, str | None]] = [
    # numeric date lines
    ("20/11/21\n\nThe court in Homiel sentenced three people.", "2021-11-20"),
    ("Minsk, 15/07/2021\n\nHuman rights defenders demand...", "2021-07-15"),
    ("01/10/2020 - 10:19\n\nПравозащитники требуют освободить...", "2020-10-01"),
    ("Дадана: 09-06-2021\n\nПраваабаронцы патрабуюць...", "2021-06-09"),
    ("Updated at 09:15,03-02-2023", "2023-02-03"),
    ("2011 17/10\n\nУ Менску затрымалі...", "2011-10-17"),
    ("Posted on 14-Sep-2022", "2022-09-14"),
    ("Views adopted: 2022.03.15", "2022-03-15"),
    ("2021 2021-05-04T11:22:33+0300 2021-05-05T09:00:00+0300", "2021-05-04"),
    ("Опубликовано: 15.07.2021 / 18:40", "2021-07-15"),
    ("09:41 / 12.08.2020\n\nТекст", "2020-08-12"),
    # written date lines, weekdays, bylines, places
    ("Friday, 10 July 2020\n\nThe undersigned organisations...", "2020-07-10"),
    ("Аўторак, 12 сьнежня 2017\n\nСуд у Берасьці...", "2017-12-12"),
    ("Менск, 3 верасьня 2019 г.\n\nПраваабаронцы...", "2019-09-03"),
    ("Minsk, 4 listapada 2020\n\nPravaabaroncy...", "2020-11-04"),
    ("Четверг, 2 декабря 2021\n\nПравозащитники...", "2021-12-02"),
    ("г. Гродно 29 июля 2021 года\n\nСуд рассмотрел...", "2021-07-29"),
    ("Иван Петров15 марта 2022 г.\n\nТекст", "2022-03-15"),
    ("Human Rights Centre\n12 March 2021\n\nOn 10 March the police...", "2021-03-12"),
    ("Решение от 29 июля 2021 г. по делу № 5-12/2021", "2021-07-29"),
    ("НАША ГАЗЕТА № 7 (512), 14 лютага 2019 г.", "2019-02-14"),
    ("Першая публікацыя: 2005 г.", "2005"),
    ("date 2019-04 Source: Viasna", "2019-04"),
    ("Vilnius, March 2023\n\nText", "2023-03"),
    # a publication label anywhere in the text
    ("Text of the statement.\n\nMore text.\n\n" * 4 + "Published: 3 April 2023", "2023-04-03"),
    ("Тэкст.\n\n" * 8 + "Апошняе абнаўленне: 4 лютага 2024", "2024-02-04"),
    ("Першы абзац.\nАрыгінальны артыкул быў апублікаваны 2 траўня 2019 году", "2019-05-02"),
    ("Friday 10 July 2020\n\nThe undersigned...", "2020-07-10"),
    ("Minsk, 12 March 2021. The human rights community of Belarus declares...", "2021-03-12"),
    ("Минск, 12 марта 2021 года /Корр. БЕЛТА/.", "2021-03-12"),
    ("12.03.2021 | Категория: Новости", "2021-03-12"),
    ("Published 12 March 2021 by Viasna", "2021-03-12"),
    ("Index Number: EUR 49/006/2019\nDate Published: 19 June 2019", "2019-06-19"),
    ("Posted by admin on March 12, 2021", "2021-03-12"),
    ("March 12, 2021 at 10:00 am\n\nThe statement...", "2021-03-12"),
    ("Thu, 12 Mar 2021 10:00:00 +0100", "2021-03-12"),
    ("2023/10/12\n\nThe statement...", "2023-10-12"),
    ("12.03.21 14:05\n\nПравозащитники...", "2021-03-12"),
    ("Апошняе абнаўленьне: 3 траўня 2021", "2021-05-03"),
    ("20 мая 2021 в 15:42\n\nПравозащитники...", "2021-05-20"),
    ("Text.\n" * 8 + "Дата суда: 12 марта 2021", None),  # a label of another date
    ("Text.\n" * 8 + "Minsk, 12 March 2021 – the day of the trial.\nMore text.", None),
    # a statement signed at its end, place and date alone on a line
    (
        "We demand the release of all political prisoners.\n\n" * 8 + "Vilnius, 3 March 2023",
        "2023-03-03",
    ),
    (
        "Патрабуем вызваліць усіх палітвязняў.\n\n" * 8
        + "Мінск, 5 траўня 2022 г.\n\nПраваабарончы цэнтр «Вясна»",
        "2022-05-05",
    ),
    ("Требуем освободить всех.\n\n" * 8 + "Суд вынес приговор 5 мая 2022 г.", None),
    ("Патрабуем вызваліць усіх.\n\n" * 8 + "18.05.2021 / 13:29", "2021-05-18"),
    ("We demand.\n\n" * 8 + "Signed by 12 organisations\n\n3 March 2023", "2023-03-03"),
    # event dates: the statement stays undated
    ("Vilnius, May 3, 2023. Photo: BAJ", None),
    ("Фота: Еўрарадыё\n12 сакавіка 2021\n\nТэкст", "2021-03-12"),
    ("Сегодня, 13 сентября 2020, в Минске прошли митинги оппозиции.", None),
    ("On Monday, 5 July 2021, the court in Hrodna began the trial.", None),
    ("As of November 7, 2024, 1,300 people remain behind bars.", None),
    ("He was sentenced on 7.06.2021 to three years of colony.", None),
    ("Станам на 1 студзеня 2024 года ў турмах 1400 палітвязняў.", None),
    ("Яго асудзілі 7.06.2021 на тры гады.", None),
    ("По состоянию на 7 ноября 2024 года в заключении остаются 1300 человек.", None),
    ("Дата распечатки: 11.12.2020 10:15", None),
    ("Прыняцьце: Палатай прадстаўнікоў\n14 сьнежня 1999 (24 гады таму)", None),
    ("Date of communication: 3 March 2015 (initial submission)", None),
    ("Meeting on 24 July 2012,", None),
    ("August 2021\nThe Prosecutor General's Office opened a case.", None),
    ("10 July 2020 – first detention of the coordinator", None),
    ("Москва. 28 августа. Правозащитники сообщили...", None),
    ("Акцыя салідарнасці ў Вільні (Вільня, 19.06.2021)", None),
    ("Марш в Минске 20 сентября 2020 года / Фото", None),
    ("20 лістапада 2020 г. суд Жлобінскага раёна прызнаў вінаватым актывіста", None),
    ("Text.\n\n" * 6 + "15/07/2021\n\nMore text.\n\nAnd more.\n\nThe end.", None),  # mid-text
]


@pytest.mark.parametrize(("text", "expected"), DATE_LINE_CASES)
def test_publication_date_lines(text: str, expected: str | None) -> None:
    result = extract_date(text)
    assert (result.iso() if result else None) == expected


def test_no_date_after_the_day_of_indexing() -> None:
    assert extract_date("Minsk, 5 May 2031", today=date(2026, 1, 1)) is None
    assert extract_date("Minsk, 5 May 2025", today=date(2026, 1, 1)) == PartialDate(2025, 5, 5)


def test_two_digit_years_are_not_in_the_future() -> None:
    assert extract_date("30/11/21") == PartialDate(2021, 11, 30)
    assert extract_date("30/11/98") == PartialDate(1998, 11, 30)
