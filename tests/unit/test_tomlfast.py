"""The fast reader of written return bodies gives exactly what tomllib gives, or steps aside.

Differential tests: every comparison is against ``tomllib.loads`` of the same text, by ``repr``
so that types count (``True`` is not ``1``; a UTC time is not a naive one) and key order too.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_tomlio import NASTY_TEXTS, returns

from dapreturn.core import tomlfast
from dapreturn.core.returns import Entry, KpiFigure, Return
from dapreturn.core.schemas import RETURN_FILE_GLOB
from dapreturn.core.signing import split_signed
from dapreturn.core.tomlfast import loads_written
from dapreturn.core.tomlio import dump_return

DEMO = Path(__file__).resolve().parents[2] / "returns"


def _tomllib(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def assert_same_or_steps_aside(text: str) -> bool:
    """Fast and full readings agree; ``True`` if the fast reader read it."""
    fast = loads_written(text)
    if fast is None:
        return False
    full = _tomllib(text)
    assert full is not None, f"fast reader accepted text tomllib refuses: {text!r}"
    assert repr(fast) == repr(full)
    return True


def _written(**changes: Any) -> str:
    entry = Entry(ref="1a", role="lead", status="on_track", responsible=["DA lead", "Team"])
    fields: dict[str, Any] = {
        "plan": "daps-2018-2023",
        "period": "2018/19 Q1",
        "partner": "BSWA",
        "prepared_by": "Jo",
        "revision": 2,
        "entries": [entry],
        "kpis": [KpiFigure(id="K1", value=12, note="n")],
    }
    return dump_return(Return(**(fields | changes)))


def test_every_demo_return_is_read_fast_and_the_same() -> None:
    files = sorted(DEMO.glob(RETURN_FILE_GLOB))
    assert len(files) >= 10
    for path in files:
        body = split_signed(path.read_bytes())[0].decode("utf-8")
        assert assert_same_or_steps_aside(body), path.name


@pytest.mark.parametrize("text", NASTY_TEXTS)
def test_nasty_narratives_are_read_the_same(text: str) -> None:
    entry = Entry(ref="1a", role="lead", action_taken=text, next_steps=text, risks=text)
    assert assert_same_or_steps_aside(_written(entries=[entry], kpis=[]))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(returns)
def test_any_written_return_is_read_the_same(ret: Return) -> None:
    read = assert_same_or_steps_aside(dump_return(ret))
    # Whole numbers are read fast; only a float KPI (written as a float) leaves it to tomllib.
    assert read or any(isinstance(k.value, float) for k in ret.kpis)


STEPS_ASIDE = {
    "comment": 'schema = "dapreturn/return/v1" # note\n',
    "crlf": 'schema = "dapreturn/return/v1"\r\nrevision = 1\r\n',
    "float": "value = 1.5\n",
    "plus sign": "revision = +1\n",
    "leading zero": "revision = 01\n",
    "repeated key": "revision = 1\nrevision = 2\n",
    "entries after kpis": '\n[[kpis]]\nid = "K1"\n\n[[entries]]\nref = "1a"\n',
    "surrogate escape": 'note = "\\ud800"\n',
    "too large escape": 'note = "\\U00110000"\n',
    "impossible date": "started = 2019-02-30\n",
    "hour 24": "submitted_at = 2019-01-01T24:00:00Z\n",
    "offset time": "submitted_at = 2019-01-01T10:00:00+01:00\n",
    "line continuation": 'note = """\nsplit \\\n  here"""\n',
    "no final newline": "revision = 1",
    "raw control character": 'note = "a\x01b"\n',
    "raw CR in multi-line": 'note = """\na\rb"""\n',
    "unknown escape": 'note = "\\x41"\n',
    "root key named entries": 'entries = "x"\n\n[[entries]]\nref = "1a"\n',
    "other table": '\n[signature]\nformat = "sshsig"\n',
    "spacing": "revision  = 1\n",
    "inline table": "x = {a = 1}\n",
    "huge integer": "revision = " + "9" * 30 + "\n",
}


@pytest.mark.parametrize("text", STEPS_ASIDE.values(), ids=STEPS_ASIDE.keys())
def test_anything_outside_the_written_layout_is_left_to_tomllib(text: str) -> None:
    assert loads_written(text) is None


def test_every_value_kind_is_read_with_its_type() -> None:
    text = (
        'a = "x \\"q\\" \\\\ \\u00e9 \\U0001F600 \\t\\b\\f\\r\\n"\nb = """\nline\n\ttab"""\n'
        "c = -0\nd = 42\ne = true\nf = false\ng = 2019-03-31\nh = 2019-03-31T10:02:11Z\n"
        'i = []\nj = [\n    "one",\n    "t\\"wo",\n]\n'
    )
    assert assert_same_or_steps_aside(text)


def _damaged(text: str) -> list[str]:
    data = text.encode("utf-8")
    out = []
    for i in range(len(data)):
        for changed in (
            data[:i] + data[i + 1 :],
            data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :],
            data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1 :],
        ):
            try:
                out.append(changed.decode("utf-8"))
            except UnicodeDecodeError:
                continue
    return out


def test_every_damaged_byte_is_read_the_same_or_left_to_tomllib() -> None:
    entry = Entry(
        ref="1a",
        role="lead",
        status="on_track",
        started="2018-04-01",  # type: ignore[arg-type]
        responsible=["A"],
        action_taken='Two\nlines "quoted" \\ é',
        risks="r",
    )
    text = _written(entries=[entry], submitted_at="2019-01-20T10:03:00Z")
    assert assert_same_or_steps_aside(text)
    read = sum(assert_same_or_steps_aside(damaged) for damaged in _damaged(text))
    assert read > 0  # some damage is still a written layout (another letter in a narrative)


TOKENS = st.sampled_from(
    ['"', '"""', "\\", "\\u00e9", "\\ud800", "\n", "\r\n", " = ", "=", "[", "]", "[[entries]]",
     "[[kpis]]", "#", "1", "0", "-", "true", "2019-01-01", "T10:00:00Z", "a", "é", "\t", ","]
)  # fmt: skip


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=40).map("".join))
def test_random_token_soup_is_read_the_same_or_left_to_tomllib(text: str) -> None:
    assert_same_or_steps_aside(text)


def test_loads_is_the_fast_reader_else_tomllib() -> None:
    written = _written()
    assert repr(tomlfast.loads(written)) == repr(tomllib.loads(written))
    other = "value = 1.5 # a float and a comment\n"
    assert tomlfast.loads(other) == {"value": 1.5}
    with pytest.raises(tomllib.TOMLDecodeError):
        tomlfast.loads("revision = 1\nrevision = 2\n")
