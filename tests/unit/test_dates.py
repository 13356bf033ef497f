"""Dates typed into the form: accepted forms and plain-English refusals."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dapreturn.core.dates import describe_date, parse_date
from dapreturn.core.errors import DateInputError


@pytest.mark.parametrize(
    "text",
    [
        "2019-03-31",
        "31/03/2019",
        "31 Mar 2019",
        "31 March 2019",
        "31st March 2019",
        "31.03.2019",
        "31-03-2019",
        " 31  mar  2019 ",
        "31 Mar. 2019",
    ],
)
def test_accepted_forms(text: str) -> None:
    assert parse_date(text) == date(2019, 3, 31)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/02/2019", "February 2019 has 28 days, not 31"),
        ("29/02/2019", "has 28 days"),
        ("0000-01-01", "year 0 is outside"),
        ("01/01/2100", "year 2100 is outside"),
        ("31/13/2019", "no month 13"),
        ("31 Foo 2019", "'Foo' is not a month name"),
        ("tomorrow", "is not a date"),
        ("", "no date given"),
        ("03/31/2019", "no month 31"),
    ],
)
def test_refusals_explain_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(DateInputError, match=fragment):
        parse_date(text)


def test_leap_day_is_accepted_in_a_leap_year() -> None:
    assert parse_date("29/02/2020") == date(2020, 2, 29)


def test_describe_shows_an_unambiguous_date() -> None:
    assert describe_date(date(2019, 3, 31)) == "Sun 31 Mar 2019"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_every_form_round_trips(day: date) -> None:
    for text in (day.isoformat(), f"{day:%d/%m/%Y}", f"{day.day} {day:%b %Y}"):
        assert parse_date(text) == day


@given(st.text(max_size=30))
def test_garbage_only_ever_raises_date_input_error(text: str) -> None:
    try:
        parse_date(text)
    except DateInputError as exc:
        assert "\n" not in str(exc)
