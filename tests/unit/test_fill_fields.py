"""The field catalogue, places and the one number reader (core.filling.fields, places, kpis)."""

from __future__ import annotations

from datetime import date

import pytest

from builders import sample_plan
from dapreturn.core.filling.fields import (
    DATE_FIELDS,
    ENTRY_FIELDS,
    FIELDS,
    NARRATIVE_FIELDS,
    describe,
    field_label,
    parse_lines,
)
from dapreturn.core.filling.kpis import parse_number
from dapreturn.core.filling.places import Place
from dapreturn.core.returns.model import Entry
from dapreturn.core.returns.rules import Problem

PLAN = sample_plan()


def test_the_catalogue_lists_every_editable_entry_field_in_form_order() -> None:
    editable = [n for n in Entry.model_fields if n not in ("ref", "role")]
    assert [f.name for f in ENTRY_FIELDS] == editable
    assert DATE_FIELDS == ("started", "target", "completed")
    assert NARRATIVE_FIELDS == ("action_taken", "next_steps", "risks")


def test_responsible_is_one_person_a_line() -> None:
    # Plain mode used to split on commas: "Amina Khan, Service Manager" became two people.
    text = "Amina Khan, Service Manager\n\n  Jo Bloggs  \n"
    assert parse_lines(text) == ["Amina Khan, Service Manager", "Jo Bloggs"]
    assert FIELDS["responsible"].parse(text, PLAN) == parse_lines(text)
    assert FIELDS["responsible"].text(Entry(ref="3l", responsible=["A, B", "C"])) == "A, B\nC"


def test_status_is_read_by_number_marker_id_or_label() -> None:
    status = FIELDS["status"]
    assert {status.parse(t, PLAN) for t in ("2", "G", "on_track", "on track")} == {"on_track"}
    assert status.parse("", PLAN) == ""
    with pytest.raises(ValueError, match="'purple' is not one of the statuses"):
        status.parse("purple", PLAN)


def test_dates_are_read_as_people_write_them() -> None:
    started = FIELDS["started"]
    assert started.parse("31/03/2019", PLAN) == date(2019, 3, 31)
    assert started.parse("  ", PLAN) is None
    with pytest.raises(ValueError, match="32"):
        started.parse("32/01/2019", PLAN)
    assert started.text(Entry(ref="3l", started=date(2019, 3, 31))) == "31/03/2019"


def test_required_follows_the_status() -> None:
    done, at_risk, not_started = (PLAN.status(s) for s in ("complete", "at_risk", "not_started"))
    assert FIELDS["completed"].required(done) and FIELDS["completed"].applies(done)
    assert not FIELDS["completed"].applies(at_risk)
    assert FIELDS["risks"].required(at_risk) and not FIELDS["risks"].required(done)
    assert not FIELDS["action_taken"].required(not_started)
    assert FIELDS["status"].required(None)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("3l.action_taken", Place("action_taken", ref="3l")),
        ("kpis.K1", Place("value", kpi="K1")),
        ("kpis.K1.note", Place("note", kpi="K1")),
        ("prepared_by", Place("prepared_by")),
        ("4.1a.risks", Place("risks", ref="4.1a")),
    ],
)
def test_places_read_and_written_in_one_place(text: str, place: Place) -> None:
    assert Place.parse(text) == place
    assert str(place) == text


def test_place_of_a_problem_and_its_words() -> None:
    assert Place.of(Problem("3l", "target", "x")) == Place("target", ref="3l")
    assert Place.of(Problem(None, "kpis.K2", "x")) == Place("value", kpi="K2")
    assert Place.kpi_sheet().is_kpi and not Place.entry("3l").is_kpi
    assert describe(Place.parse("3l.risks")) == "3l · Risks / issues"
    assert describe(Place.parse("kpis.K1.note")) == "KPI K1 note"
    assert field_label("kpis.K1") == "KPI K1"
    assert field_label("prepared_by") == "Prepared by"


def test_one_number_reader() -> None:
    assert parse_number("") is None
    assert parse_number(" 1,234 ") == 1234
    assert isinstance(parse_number("42%"), int)
    assert parse_number("£1,500.50") == 1500.5
    assert parse_number("12.0") == 12.0 and isinstance(parse_number("12.0"), float)
    assert parse_number("1e3") == 1000 and isinstance(parse_number("1e3"), int)
    for bad in ("abc", "nan", "inf", "1.2.3"):
        with pytest.raises(ValueError, match="is not a number"):
            parse_number(bad)
