"""The Return model: shape rules, clean text, canonical periods, file names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from dapreturn.core.returns.model import (
    MAX_TEXT,
    Entry,
    KpiFigure,
    Return,
    parse_return_filename,
    return_filename,
)


def make(**kw: object) -> Return:
    base: dict[str, object] = {"plan": "mini", "period": "2018/19 Q3", "partner": "BSWA"}
    base.update(kw)
    return Return.model_validate(base)


def test_period_is_stored_in_canonical_form() -> None:
    assert make(period="Q3 2018-19").period == "2018/19 Q3"


def test_bad_period_partner_and_extra_keys_are_refused() -> None:
    with pytest.raises(ValidationError, match="not a reporting period"):
        make(period="autumn")
    with pytest.raises(ValidationError, match="partner"):
        make(partner="bswa")
    with pytest.raises(ValidationError, match="Extra inputs"):
        make(colour="red")


def test_strings_are_nfc_normalised() -> None:
    decomposed = "Cafe\u0301"
    e = Entry(ref="3l", action_taken=decomposed, responsible=[decomposed])
    assert e.action_taken == "Café" and e.responsible == ["Café"]


@pytest.mark.parametrize(
    "bad", ["\x1b[31mred", "nul\x00", "bell\x07", "line\u2028sep", "abc\u202edcba"]
)
def test_control_characters_are_refused_with_position(bad: str) -> None:
    with pytest.raises(ValidationError, match=r"U\+[0-9A-F]{4}\) at character"):
        Entry(ref="3l", action_taken=bad)


def test_right_to_left_text_and_marks_are_accepted_but_overrides_named() -> None:
    text = "שלום \u200fעולם and العربية \u200e"
    assert Entry(ref="3l", risks=text).risks == text
    with pytest.raises(ValidationError, match=r"right-to-left override \(U\+202E\) at character 4"):
        Entry(ref="3l", risks="abc\u202edcba")


def test_crlf_becomes_lf_and_tabs_newlines_are_kept() -> None:
    assert Entry(ref="3l", next_steps="a\r\nb\tc\n").next_steps == "a\nb\tc\n"


def test_one_line_fields_refuse_newlines_and_drop_blanks() -> None:
    with pytest.raises(ValidationError, match="one line"):
        make(prepared_by="Jo\nBloggs")
    assert Entry(ref="3l", responsible=["  Jo  ", "", "Sam"]).responsible == ["Jo", "Sam"]


def test_narratives_over_the_limit_are_refused() -> None:
    Entry(ref="3l", action_taken="x" * MAX_TEXT)
    with pytest.raises(ValidationError, match="the most a field holds is 20,000"):
        Entry(ref="3l", action_taken="x" * (MAX_TEXT + 1))


def test_submitted_at_needs_a_zone_and_is_stored_in_utc() -> None:
    with pytest.raises(ValidationError, match="needs a time zone"):
        make(submitted_at=datetime(2018, 11, 14, 10, 2, 11))
    bst = timezone(timedelta(hours=1))
    ret = make(submitted_at=datetime(2018, 11, 14, 11, 2, 11, 500, tzinfo=bst))
    assert ret.submitted_at == datetime(2018, 11, 14, 10, 2, 11, tzinfo=UTC)


def test_kpi_value_must_be_finite() -> None:
    with pytest.raises(ValidationError, match="finite"):
        KpiFigure(id="K1", value=float("nan"))
    assert KpiFigure(id="K1", value=3).value == 3


def test_revision_bounds() -> None:
    with pytest.raises(ValidationError):
        make(revision=0)


def test_file_name_round_trip_and_sanitising() -> None:
    name = return_filename("daps-2018-2023", "2018/19 Q3", "BSWA", 1)
    assert name == "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
    assert parse_return_filename(name) == ("daps-2018-2023", "2018-19-Q3", "BSWA", 1)
    assert return_filename("../../etc", "2018/19 Q3", "A/B", 2) == "etc_2018-19-Q3_A-B_r2.toml"
    assert parse_return_filename("notes.toml") is None


def test_entry_and_kpi_lookup() -> None:
    ret = make(entries=[{"ref": "3L"}], kpis=[{"id": "K1", "value": 4}])
    assert ret.entry("3l") is not None and ret.kpi("K1") is not None and ret.kpi("K9") is None
