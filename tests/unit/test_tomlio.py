"""TOML reading and writing of returns: data-driven and property-based round trips."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dapreturn.core.errors import ReturnFormatError
from dapreturn.core.returns.model import Entry, KpiFigure, Return
from dapreturn.core.returns.tomlio import decode_utf8, dump_return, parse_return

NASTY_TEXTS = [
    "",
    "plain",
    "multi\nline\n",
    "quotes \" and ' and \"\"\" triple and ''' too",
    "back\\slash \\n not a newline",
    "emoji 😀🏳️‍🌈 and CJK 漢字",
    "right-to-left: שלום עולם and العربية",
    "trailing spaces   \n\n\n",
    "\ttabbed",
    'ends with quote"',
    "ends with backslash\\",
    "\u200fRLM mark",
    "a line that looks like a table:\n[signature]\nand more",
    "[signature]",
]


@pytest.mark.parametrize("text", NASTY_TEXTS)
def test_every_nasty_text_round_trips(text: str) -> None:
    ret = Return(
        plan="mini",
        period="2018/19 Q3",
        partner="BSWA",
        prepared_by="Jo",
        submitted_at=datetime(2018, 11, 14, 10, 2, 11, tzinfo=UTC),
        entries=[
            Entry(
                ref="3l",
                status="on_track",
                action_taken=text,
                next_steps=text,
                risks=text,
                responsible=[text.replace("\n", " ").strip() or "x"],
            )
        ],
        kpis=[KpiFigure(id="K1", value=1.5, note=text)],
    )
    assert parse_return(dump_return(ret), source="t") == ret


def test_a_narrative_line_reading_signature_never_starts_a_table() -> None:
    ret = Return(
        plan="mini",
        period="2018/19 Q3",
        partner="BSWA",
        entries=[Entry(ref="3l", risks="see below\n[signature]\nend")],
    )
    text = dump_return(ret)
    assert "\n[signature]\n" not in text
    assert parse_return(text, source="t") == ret


def test_layout_matches_the_design() -> None:
    ret = Return(
        plan="mini",
        period="2018/19 Q3",
        partner="BSWA",
        prepared_by="Jo",
        submitted_at=datetime(2018, 11, 14, 10, 2, 11, tzinfo=UTC),
        entries=[Entry(ref="3l", status="on_track", started=date(2018, 4, 1))],
        kpis=[KpiFigure(id="K1", value=42)],
    )
    text = dump_return(ret)
    assert text.startswith('schema = "dapreturn/return/v1"\nplan = "mini"\n')
    assert "submitted_at = 2018-11-14T10:02:11Z\n" in text
    assert text.index("[[entries]]") < text.index("[[kpis]]")
    assert "\r" not in text and text.endswith("\n")
    assert "completed" not in text  # unset dates are left out


def test_syntax_errors_name_the_line() -> None:
    with pytest.raises(ReturnFormatError, match=r"^f\.toml: not valid TOML: .*line 2"):
        parse_return('plan = "mini"\nperiod = \n', source="f.toml")


def test_shape_errors_name_the_table_and_ref() -> None:
    text = (
        'plan = "mini"\nperiod = "2018/19 Q3"\npartner = "BSWA"\n'
        '[[entries]]\nref = "3l"\nstarted = "soon"\n'
    )
    with pytest.raises(ReturnFormatError, match=r'f\.toml: entries\[0\] \(ref "3l"\)\.started: '):
        parse_return(text, source="f.toml")


def test_foreign_schema_and_bom_are_refused() -> None:
    with pytest.raises(ReturnFormatError, match="is not a dapreturn return"):
        parse_return('schema = "other/v1"\n', source="f")
    with pytest.raises(ReturnFormatError, match="byte-order mark"):
        decode_utf8(b"\xef\xbb\xbfplan = 1", source="f")
    with pytest.raises(ReturnFormatError, match="not UTF-8"):
        decode_utf8(b"plan = '\xff'", source="f")


def test_deep_nesting_is_refused_cleanly() -> None:
    with pytest.raises(ReturnFormatError):
        parse_return("x = " + "[" * 5000 + "]" * 5000 + "\n", source="deep")


REFUSED = (
    "\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
    "\u00ad\u180e\u200b\u2060\u2061\u2062\u2063\u2064\ufeff"
)
"""Characters the model refuses beyond category Cc (separators, bidi overrides, invisible
formatting characters that carry no meaning: soft hyphen, zero-width space, word joiner, BOM)."""

safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=REFUSED)
    | st.sampled_from("\n\t"),
    max_size=60,
)
one_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=REFUSED),
    max_size=30,
)

entries = st.builds(
    Entry,
    ref=st.sampled_from(["1a", "3l", "R01b", "4k"]),
    role=st.sampled_from(["lead", "contributor"]),
    status=st.sampled_from(["", "on_track", "complete"]),
    started=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 1, 1)),
    target=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 1, 1)),
    responsible=st.lists(one_line, max_size=3),
    action_taken=safe_text,
    next_steps=safe_text,
    risks=safe_text,
)
returns = st.builds(
    Return,
    plan=st.just("daps-2018-2023"),
    period=st.sampled_from(["2018/19 Q1", "2022/23 Q4"]),
    partner=st.sampled_from(["BSWA", "VAWC-SG", "BCC-COMM"]),
    prepared_by=one_line,
    revision=st.integers(1, 999),
    submitted_at=st.none()
    | st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2050, 1, 1), timezones=st.just(UTC)
    ),
    entries=st.lists(entries, max_size=4),
    kpis=st.lists(
        st.builds(
            KpiFigure,
            id=st.sampled_from(["K1", "K8"]),
            value=st.none()
            | st.integers(-(10**9), 10**9)
            | st.floats(allow_nan=False, allow_infinity=False),
            note=safe_text,
        ),
        max_size=3,
    ),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(returns)
def test_any_valid_return_round_trips_and_is_valid_toml(ret: Return) -> None:
    text = dump_return(ret)
    tomllib.loads(text)
    assert parse_return(text, source="t") == ret
    assert dump_return(parse_return(text, source="t")) == text
