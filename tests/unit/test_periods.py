"""Reporting periods: UK financial-year quarters, every typed form, arithmetic."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dapreturn.core.errors import PeriodError
from dapreturn.core.periods import Period, periods_between


@pytest.mark.parametrize(
    "text",
    [
        "2018/19 Q3",
        "2018-19 Q3",
        "Q3 2018/19",
        "q3 2018-19",
        " 2018/19  Q3 ",
        "2018/2019 Q3",
        "2018/19-Q3",
        "Q3 FY2018/19",
        "2018-19-Q3",
    ],
)
def test_every_typed_form_parses_to_the_same_period(text: str) -> None:
    assert Period.parse(text) == Period(2018, 3)
    assert str(Period.parse(text)) == "2018/19 Q3"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2018/20 Q3", "runs into the next year"),
        ("2018/19 Q5", "not a reporting period"),
        ("Q3", "not a reporting period"),
        ("", "not a reporting period"),
        ("2018/17 Q1", "runs into the next year"),
    ],
)
def test_bad_periods_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(PeriodError, match=fragment):
        Period.parse(text)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period(2018, 1), date(2018, 4, 1), date(2018, 6, 30)),
        (Period(2018, 2), date(2018, 7, 1), date(2018, 9, 30)),
        (Period(2018, 3), date(2018, 10, 1), date(2018, 12, 31)),
        (Period(2018, 4), date(2019, 1, 1), date(2019, 3, 31)),
    ],
)
def test_quarter_dates(period: Period, start: date, end: date) -> None:
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2018, 4, 1), "2018/19 Q1"),
        (date(2018, 12, 31), "2018/19 Q3"),
        (date(2019, 1, 1), "2018/19 Q4"),
        (date(2019, 3, 31), "2018/19 Q4"),
    ],
)
def test_period_containing_a_date(day: date, expected: str) -> None:
    assert str(Period.containing(day)) == expected


def test_previous_next_and_just_ended() -> None:
    assert Period(2018, 1).previous() == Period(2017, 4)
    assert Period(2017, 4).next() == Period(2018, 1)
    assert Period.just_ended(date(2018, 11, 14)) == Period(2018, 2)
    assert Period.just_ended(date(2019, 4, 2)) == Period(2018, 4)


def test_slug_and_description() -> None:
    assert Period(2018, 3).slug == "2018-19-Q3"
    assert Period(1999, 4).slug == "1999-00-Q4"
    assert Period(2018, 3).describe() == "2018/19 Q3 (1 Oct - 31 Dec 2018)"


def test_all_periods_of_a_five_year_plan() -> None:
    periods = periods_between(date(2018, 4, 1), date(2023, 3, 31))
    assert len(periods) == 20
    assert (str(periods[0]), str(periods[-1])) == ("2018/19 Q1", "2022/23 Q4")


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2990, 12, 31)))
def test_a_day_lies_within_its_period_and_text_round_trips(day: date) -> None:
    p = Period.containing(day)
    assert p.start <= day <= p.end
    assert Period.parse(str(p)) == p
    assert p.next().previous() == p


@given(st.text(max_size=40))
def test_parse_never_raises_anything_but_period_error(text: str) -> None:
    try:
        Period.parse(text)
    except PeriodError as exc:
        assert "\n" not in str(exc)
