"""Fuzzing the loaders: plans, returns, signed files, signatures, trust lists, dates, periods.

Every parser that reads something a user or another organisation wrote gets arbitrary input,
structured input (valid documents with one value swapped for an arbitrary one) and mutated real
files. The contract checked each time:

- no exception escapes except :class:`DapreturnError` (``verify_bytes`` never raises at all);
- every rejection message is ONE line and names the place: the ``source`` given (plans,
  returns, signed files, trust lists) or the text typed (dates, periods);
- nothing arbitrary is ever VERIFIED.

Inputs that once broke a parser live in ``corpus/`` and are replayed by
:func:`test_corpus_replays`; the file-name prefix says which parser gets them. The number of
inputs tried is printed (``-s``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from secsupport import (
    BSWA_KEY,
    CORPUS,
    MINI_PLAN_PATH,
    T0,
    one_line,
    ready_return,
    tally,
    trust_list,
)

from dapreturn.core.dates import parse_date
from dapreturn.core.errors import DapreturnError
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import parse_plan
from dapreturn.core.returns.tomlio import dump_return, parse_return
from dapreturn.core.signing import sshsig
from dapreturn.core.signing.files import NAMESPACE, VerdictState, sign_body, verify_bytes
from dapreturn.core.signing.trust import parse_trust

TRIED = tally("fuzz: inputs tried, no uncaught exception, every rejection one line")
TRUST = trust_list(("BSWA", BSWA_KEY))
EXPIRED = parse_trust(
    'BSWA valid-after="20180401Z",valid-before="20200101Z" '
    + sshsig.public_key_line(BSWA_KEY.public_key()),
    "expired_signers",
)
"""The same key, valid 2018-04-01 to 2020-01-01 only: other signed times reach KEY_NOT_VALID."""
PLAN_TEXT = MINI_PLAN_PATH.read_text()
RETURN_BODY = dump_return(
    ready_return(action_taken="Ask Me 👩‍👧 — خوش آمدید").model_copy(update={"submitted_at": T0})
)
SIGNED = sign_body(RETURN_BODY.encode(), BSWA_KEY, "BSWA")
ARMORED = sshsig.sign(b"message", BSWA_KEY, NAMESPACE)
TRUST_TEXT = (
    "# steering group trust list\n"
    + 'BSWA namespaces="return@dapreturn",valid-after="20180401Z" '
    + sshsig.public_key_line(BSWA_KEY.public_key(), "bswa@example")
    + "\n"
)

FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
MEDIUM = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


# --- the contract --------------------------------------------------------------------------------


def expect_clean(
    target: str, call: Callable[[], Any], *, place: str | None
) -> DapreturnError | None:
    """Run ``call``; allow only a one-line DapreturnError that names ``place``."""
    TRIED[target] += 1
    try:
        call()
    except DapreturnError as exc:
        message = str(exc)
        assert one_line(message), (target, message)
        assert message.strip(), target
        if place is not None:
            assert place in message, (target, place, message)
        return exc
    return None


def check_verify(data: bytes, target: str = "verify_bytes", *, may_verify: bool = False) -> None:
    """verify_bytes never raises, never verifies junk, and gives a one-line message."""
    TRIED[target] += 1
    for trust in (TRUST, EXPIRED, None):
        verdict = verify_bytes(data, trust, source="fuzzed.toml")
        assert one_line(verdict.message), verdict.message
        assert verdict.message.startswith("fuzzed.toml: ")
        if not may_verify:
            assert verdict.state is not VerdictState.VERIFIED, verdict.message


def check_date(text: str) -> None:
    error = expect_clean("parse_date", lambda: parse_date(text), place=None)
    if error is not None and " ".join(text.split()):
        assert repr(" ".join(text.strip().split())) in str(error), str(error)


def check_period(text: str) -> None:
    error = expect_clean("Period.parse", lambda: Period.parse(text), place=None)
    if error is not None:
        assert repr(text) in str(error), str(error)


# --- strategies ----------------------------------------------------------------------------------


def _mutate(base: bytes, ops: list[tuple[float, int, int, bytes]]) -> bytes:
    """Apply (position, kind, length, payload) edits: 0 insert, 1 delete, 2 replace, 3 dup."""
    data = bytearray(base)
    for where, kind, length, payload in ops:
        pos = int(where * len(data))
        if kind == 0:
            data[pos:pos] = payload
        elif kind == 1:
            del data[pos : pos + length]
        elif kind == 2:
            data[pos : pos + len(payload)] = payload
        else:
            data[pos:pos] = data[pos : pos + length]
    return bytes(data)


NASTY_BYTES = st.sampled_from(
    [
        b"[",
        b"[[",
        b"]",
        b'"',
        b'"""',
        b"'''",
        b"\\",
        b"\n",
        b"\r\n",
        b"\r",
        b"\x00",
        b"\xef\xbb\xbf",
        b"\xff",
        b"\xc3",
        b"=",
        b"#",
        b"[signature]\n",
        b"\n[signature]\n",
        b"[[entries]]\n",
        b"{",
        b"}",
        b",",
        b"\x1b[2J",
        "\u202e".encode(),
        b"9999-12-31T23:59:59-23:59",
        b"0001-01-01T00:00:00+23:59",
        b"1e309",
        b"nan",
        b"inf",
        b"-0",
        b"0x7fffffffffffffff",
    ]
)
OPS = st.lists(
    st.tuples(
        st.floats(0, 1, allow_nan=False),
        st.integers(0, 3),
        st.integers(1, 64),
        st.one_of(NASTY_BYTES, st.binary(min_size=1, max_size=12)),
    ),
    min_size=1,
    max_size=6,
)

_OFFSETS = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
TOML_SCALARS = st.one_of(
    st.text(max_size=30),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.times(),
    st.datetimes(),
    st.datetimes(timezones=_OFFSETS),
    st.sampled_from(["", "2018/19 Q3", "2998/99 Q4", "1900/01 Q1", "BSWA", "3l", "x" * 20_001]),
    st.sampled_from(
        [
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
            datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-1))),
            datetime(2018, 11, 14, 10, 2, 11, tzinfo=timezone(timedelta(hours=23, minutes=59))),
            date(1, 1, 1),
            date(9999, 12, 31),
            2**63 - 1,
            -(2**63),
        ]
    ),
)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a parsed TOML document."""
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            out.extend(_paths(value, (*prefix, index)))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    if not isinstance(doc, (dict, list)):  # an earlier swap replaced this part already
        return doc
    if isinstance(doc, dict):
        return {k: (_replace(v, tuple(rest), value) if k == head else v) for k, v in doc.items()}
    return [(_replace(v, tuple(rest), value) if i == head else v) for i, v in enumerate(doc)]


PLAN_DOC = tomllib.loads(PLAN_TEXT)
RETURN_DOC = tomllib.loads(RETURN_BODY)
PLAN_PATHS = _paths(PLAN_DOC)
RETURN_PATHS = _paths(RETURN_DOC)
EXTRA_KEYS = st.sampled_from(["", " ", "a\nb", "\x1b[31m", "entries", "ref", "é", "\u202e"])


@st.composite
def swapped_documents(draw: st.DrawFn, doc: dict[str, Any], paths: list[Any]) -> str:
    """A real document with one to three values replaced (or a key added), as TOML text."""
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            doc = _replace(doc, draw(st.sampled_from(paths)), draw(TOML_VALUES))
        else:
            doc = {**doc, draw(EXTRA_KEYS | st.text(max_size=6)): draw(TOML_VALUES)}
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError):  # e.g. a time with a zone: not representable in TOML
        return tomli_w.dumps({"x": 1})


# --- plans ---------------------------------------------------------------------------------------


@FAST
@given(st.text(max_size=400))
def test_plan_loader_arbitrary_text(text: str) -> None:
    expect_clean(
        "parse_plan", lambda: parse_plan(text, source="fuzz-plan.toml"), place="fuzz-plan.toml"
    )


@MEDIUM
@given(swapped_documents(PLAN_DOC, PLAN_PATHS))
def test_plan_loader_structured(text: str) -> None:
    expect_clean(
        "parse_plan", lambda: parse_plan(text, source="fuzz-plan.toml"), place="fuzz-plan.toml"
    )


@MEDIUM
@given(OPS)
def test_plan_loader_mutated(ops: list[tuple[float, int, int, bytes]]) -> None:
    text = _mutate(PLAN_TEXT.encode(), ops).decode("utf-8", "replace")
    expect_clean(
        "parse_plan", lambda: parse_plan(text, source="fuzz-plan.toml"), place="fuzz-plan.toml"
    )


# --- returns and signed files --------------------------------------------------------------------


@FAST
@given(st.text(max_size=400))
def test_return_loader_arbitrary_text(text: str) -> None:
    expect_clean("parse_return", lambda: parse_return(text, source="fuzz.toml"), place="fuzz.toml")


@MEDIUM
@given(swapped_documents(RETURN_DOC, RETURN_PATHS))
def test_return_loader_structured(text: str) -> None:
    expect_clean("parse_return", lambda: parse_return(text, source="fuzz.toml"), place="fuzz.toml")


@FAST
@given(st.binary(max_size=600))
def test_verify_arbitrary_bytes(data: bytes) -> None:
    check_verify(data)
    check_verify(data + b"\n[signature]\n" + SIGNED.split(b"[signature]\n")[1])


@FAST
@given(OPS)
def test_verify_mutated_real_returns(ops: list[tuple[float, int, int, bytes]]) -> None:
    mutated = _mutate(SIGNED, ops)
    check_verify(mutated, may_verify=True)
    verdict = verify_bytes(mutated, TRUST, source="fuzzed.toml")
    if verdict.state is VerdictState.VERIFIED:  # e.g. an edit that was undone, or CRLF in the
        assert verdict.body == RETURN_BODY.encode()  # table: the signed bytes are the original


@MEDIUM
@given(swapped_documents(RETURN_DOC, RETURN_PATHS))
def test_verify_genuinely_signed_odd_bodies(text: str) -> None:
    """Bodies signed by the trusted key reach the code after the signature check."""
    body = text.encode() if text.endswith("\n") else (text + "\n").encode()
    if b"[signature]" in body:
        return
    check_verify(
        sign_body(body, BSWA_KEY, "BSWA"), "verify_bytes (signed odd bodies)", may_verify=True
    )


@MEDIUM
@given(OPS)
def test_verify_genuinely_signed_mutated_bodies(ops: list[tuple[float, int, int, bytes]]) -> None:
    body = _mutate(RETURN_BODY.encode(), ops)
    if not body.endswith(b"\n"):
        body += b"\n"
    try:
        signed = sign_body(body, BSWA_KEY, "BSWA")
    except DapreturnError:
        return  # the body holds a [signature] line: cannot be signed
    check_verify(signed, "verify_bytes (signed odd bodies)", may_verify=True)


NESTING = st.sampled_from(["[", "[[", "{a=", "{a=[", "[{a="])


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(NESTING, st.integers(1, 4000))
def test_deep_nesting_everywhere(opener: str, depth: int) -> None:
    """Deeply nested values: a loader may refuse them, never crash (RecursionError)."""
    nested = opener * depth
    for_plan = f'schema = "dapreturn/plan/v1"\nid = {nested}\n'
    expect_clean("parse_plan", lambda: parse_plan(for_plan, source="deep.toml"), place="deep.toml")
    for_return = f'plan = "mini"\nentries = {nested}\n'
    expect_clean(
        "parse_return", lambda: parse_return(for_return, source="deep.toml"), place="deep.toml"
    )
    check_verify(f'schema = "dapreturn/return/v1"\npartner = "BSWA"\na = {nested}\n'.encode())
    check_verify(RETURN_BODY.encode() + f"[signature]\na = {nested}\n".encode())
    trust = f"BSWA {nested}"
    expect_clean("parse_trust", lambda: parse_trust(trust, "deep_signers"), place="deep_signers")


# --- signatures and trust lists ------------------------------------------------------------------


def _armor(blob: bytes) -> str:
    import base64

    encoded = base64.b64encode(blob).decode()
    lines = [encoded[i : i + 70] for i in range(0, len(encoded), 70)]
    return "\n".join([sshsig.ARMOR_BEGIN, *lines, sshsig.ARMOR_END]) + "\n"


def _string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


FIELD = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"ssh-ed25519", b"sha512", b"sha256", b"return@dapreturn", b"\n\x1b[2J", b""]),
)


@st.composite
def sshsig_blobs(draw: st.DrawFn) -> bytes:
    """SSHSIG-shaped blobs with arbitrary fields (lengths honest or not)."""
    key = _string(draw(FIELD)) + _string(draw(st.binary(max_size=40)))
    sig = _string(draw(FIELD)) + _string(draw(st.binary(min_size=60, max_size=70)))
    parts = [
        draw(st.sampled_from([b"SSHSIG", b"SSHSIH", b""])),
        draw(st.sampled_from([1, 0, 2, 2**32 - 1])).to_bytes(4, "big"),
        _string(key),
        _string(draw(FIELD)),
        _string(draw(st.sampled_from([b"", b"x"]))),
        _string(draw(FIELD)),
        _string(sig),
        draw(st.sampled_from([b"", b"\x00"])),
    ]
    return b"".join(parts)


@FAST
@given(st.text(max_size=300))
def test_signature_parser_arbitrary_text(text: str) -> None:
    expect_clean("parse_armored", lambda: sshsig.parse_armored(text), place=None)
    armored = f"{sshsig.ARMOR_BEGIN}\n{text}\n{sshsig.ARMOR_END}\n"
    expect_clean("parse_armored", lambda: sshsig.parse_armored(armored), place=None)


@FAST
@given(sshsig_blobs())
def test_signature_parser_structured_blobs(blob: bytes) -> None:
    expect_clean("parse_armored", lambda: sshsig.parse_armored(_armor(blob)), place=None)


@FAST
@given(OPS)
def test_signature_parser_mutated(ops: list[tuple[float, int, int, bytes]]) -> None:
    text = _mutate(ARMORED.encode(), ops).decode("utf-8", "replace")
    expect_clean("parse_armored", lambda: sshsig.parse_armored(text), place=None)


TRUST_WORDS = st.sampled_from(
    [
        "BSWA",
        "*",
        "!BSWA",
        '"BSWA,WMP"',
        'namespaces="return@dapreturn"',
        'valid-after="20180401Z"',
        'valid-before="99991231235959"',
        'valid-after="00000000"',
        'valid-before="20190230"',
        "cert-authority",
        'namespaces="a\\"b"',
        "ssh-ed25519",
        "ssh-rsa",
        sshsig.public_key_line(BSWA_KEY.public_key()).split()[1],
        "AAAA",
        "#",
        '"',
        ",",
        "=",
        "\ufeff",
        "\x00",
    ]
)


@FAST
@given(st.text(max_size=300))
def test_trust_parser_arbitrary_text(text: str) -> None:
    expect_clean("parse_trust", lambda: parse_trust(text, "fuzz_signers"), place="fuzz_signers")


@FAST
@given(st.lists(st.lists(TRUST_WORDS, min_size=1, max_size=6), min_size=1, max_size=4))
def test_trust_parser_structured(lines: list[list[str]]) -> None:
    text = "\n".join(" ".join(words) for words in lines)
    expect_clean("parse_trust", lambda: parse_trust(text, "fuzz_signers"), place="fuzz_signers")
    squeezed = "\n".join(",".join(words[:-2]) + " " + " ".join(words[-2:]) for words in lines)
    expect_clean("parse_trust", lambda: parse_trust(squeezed, "fuzz_signers"), place="fuzz_signers")


@FAST
@given(OPS)
def test_trust_parser_mutated(ops: list[tuple[float, int, int, bytes]]) -> None:
    text = _mutate(TRUST_TEXT.encode(), ops).decode("utf-8", "replace")
    expect_clean("parse_trust", lambda: parse_trust(text, "fuzz_signers"), place="fuzz_signers")


# --- dates and periods ---------------------------------------------------------------------------

DATE_PIECES = st.sampled_from(
    [
        "31",
        "02",
        "2019",
        "0",
        "00",
        "0000",
        "2100",
        "1989",
        "9999",
        "13",
        "29",
        "/",
        "-",
        ".",
        " ",
        "Feb",
        "February",
        "Sept",
        "31st",
        ",",
        "\t",
        "\n",
        "٣١",
        "２０１９",
        "+1",
        "1_000",
    ]
)
PERIOD_PIECES = st.sampled_from(
    [
        "2018",
        "/",
        "19",
        "2019",
        "Q",
        "Q3",
        "Q0",
        "Q5",
        " ",
        "-",
        "_",
        "FY",
        "0000",
        "01",
        "2998",
        "99",
        "1899",
        "3000",
        "q",
        "\n",
        "٢٠١٨",
        "\u00a0",
    ]
)


@FAST
@given(st.text(max_size=40) | st.lists(DATE_PIECES, max_size=8).map("".join))
def test_date_parser(text: str) -> None:
    check_date(text)


@FAST
@given(st.text(max_size=40) | st.lists(PERIOD_PIECES, max_size=8).map("".join))
def test_period_parser(text: str) -> None:
    check_period(text)


@FAST
@given(st.dates(), st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%-d/%-m/%Y"]))
def test_every_real_date_in_range_reads_back(day: date, fmt: str) -> None:
    TRIED["parse_date"] += 1
    text = day.strftime(fmt)
    if 1990 <= day.year <= 2099:
        assert parse_date(text) == day
    else:
        check_date(text)


# --- the corpus ----------------------------------------------------------------------------------


def _replay(path: Path) -> None:
    """Feed a corpus file to the parser its name prefix names."""
    data = path.read_bytes()
    text = data.decode("utf-8", "replace")
    target = path.name.split("--", 1)[0]
    if target == "verify":
        check_verify(data, "corpus")
    elif target == "plan":
        expect_clean("corpus", lambda: parse_plan(text, source=path.name), place=path.name)
    elif target == "return":
        expect_clean("corpus", lambda: parse_return(text, source=path.name), place=path.name)
    elif target == "armored":
        expect_clean("corpus", lambda: sshsig.parse_armored(text), place=None)
    elif target == "trust":
        expect_clean("corpus", lambda: parse_trust(text, path.name), place=path.name)
    elif target == "date":
        for line in text.splitlines():
            check_date(line)
    elif target == "period":
        for line in text.splitlines():
            check_period(line)
    else:
        pytest.fail(f"corpus file {path.name}: unknown target {target!r}")


CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.is_file() and "--" in p.name)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus_replays(path: Path) -> None:
    _replay(path)


def test_corpus_is_not_empty() -> None:
    assert len(CORPUS_FILES) >= 10
    assert {p.name.split("--")[0] for p in CORPUS_FILES} >= {
        "verify",
        "plan",
        "return",
        "armored",
        "trust",
        "date",
        "period",
    }
