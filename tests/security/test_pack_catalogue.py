"""Calls for returns, refused in every way the issue lists, each message naming file and reason.

======================================  =====================================================
variant                                  refused because
======================================  =====================================================
byte changed in the signed body          BAD SIGNATURE
table appended after the signature       the table is not exactly as written
CRLF conversion                          line endings changed in transit
replayed (older pack, same period)       an older pack than one already opened
opened by the wrong partner              this pack is for BSWA, not for WMP
signed by an unknown / other key         a key you have not accepted
a return presented as a pack             this is a return file, not a call for returns
a pack presented as a return             BAD SIGNATURE naming the namespace (return verifier)
plan text swapped, digest kept           re-signed by a trusted officer: the digest differs
======================================  =====================================================
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from secsupport import BSWA_KEY, MINI_PLAN_PATH, STRANGER_KEY, seeded_key, trust_list

from dapreturn.core.cycle.packs import Pack, build_pack, check_pack, plan_digest
from dapreturn.core.periods import Period
from dapreturn.core.signing.files import VerdictState as V
from dapreturn.core.signing.files import verify_bytes
from dapreturn.core.signing.groupsig import CALL, OfficerSigner, RefusedFileError, sign_group_body
from dapreturn.core.signing.officers import officer_signers_line
from dapreturn.core.signing.table import split_signed
from dapreturn.core.signing.trust import parse_trust

OFFICER_KEY = seeded_key("dapreturn-security-officer-jo")
JO = OfficerSigner("officer:jo.bloggs", OFFICER_KEY)
STRANGER = OfficerSigner("officer:jo.bloggs", STRANGER_KEY)
TRUST = parse_trust(officer_signers_line("jo.bloggs", OFFICER_KEY.public_key()), "group-keys")
PLAN_TEXT = MINI_PLAN_PATH.read_text(encoding="utf-8")
ISSUED = datetime(2018, 12, 1, 9, 0, tzinfo=UTC)
SOURCE = "call_mini_2018-19-Q3_BSWA.toml"


def _pack(signer: OfficerSigner = JO, *, issued: datetime = ISSUED, text: str = PLAN_TEXT) -> bytes:
    _, data = build_pack(
        text,
        period=Period.parse("2018/19 Q3"),
        partner="BSWA",
        deadline=date(2019, 1, 15),
        contact="Jo Bloggs, jo.bloggs@example.org",
        signer=signer,
        group_keys=[],
        now=issued,
    )
    return data


def _refused(data: bytes, reason: str, **kwargs: object) -> str:
    with pytest.raises(RefusedFileError) as caught:
        check_pack(data, TRUST, source=SOURCE, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith(SOURCE), message
    assert reason in message, message
    assert "\n" not in message
    return message


def test_good_pack_verifies_and_holds_what_the_issue_lists() -> None:
    checked = check_pack(_pack(), TRUST, source=SOURCE, partner="BSWA")
    pack = checked.pack
    assert pack.plan == "mini" and pack.period == "2018/19 Q3" and pack.partner == "BSWA"
    assert pack.plan_sha256 == plan_digest(PLAN_TEXT) and pack.plan_text == PLAN_TEXT
    assert [(e.ref, e.role) for e in pack.expected][:2] == [("3l", "lead"), ("3h", "lead")]
    assert pack.group_keys[0].principal == "officer:jo.bloggs"
    assert pack.deadline == date(2019, 1, 15) and pack.days_left(date(2019, 1, 10)) == 5


def test_pack_is_readable_toml() -> None:
    text = _pack().decode()
    body, _ = split_signed(text.encode())
    assert "deadline = 2019-01-15\n" in text and 'partner = "BSWA"\n' in text
    assert "\n[[expected]]\n" in text and 'ref = "3l"' in text
    assert body.decode().count("[signature]") == 0


def test_tampered_byte() -> None:
    data = _pack().replace(b"deadline = 2019-01-15", b"deadline = 2019-02-15")
    _refused(data, "BAD SIGNATURE")


def test_appended_table() -> None:
    _refused(_pack() + b"\n[extra]\nx = 1\n", "not a valid call for returns")


def test_crlf() -> None:
    _refused(_pack().replace(b"\n", b"\r\n"), "line endings changed in transit")


def test_replayed_older_pack() -> None:
    old = _pack(issued=ISSUED)
    newer = ISSUED + timedelta(days=3)
    _refused(old, "older pack for 2018/19 Q3", newest_seen=newer)
    check_pack(old, TRUST, source=SOURCE, newest_seen=ISSUED)  # the same pack again is fine


def test_wrong_partner() -> None:
    _refused(_pack(), "this pack is for BSWA, not for WMP", partner="WMP")


def test_wrong_key() -> None:
    _refused(_pack(STRANGER), "a key you have not accepted")


def test_no_trust_is_never_verified() -> None:
    with pytest.raises(RefusedFileError, match="no key to check it against"):
        check_pack(_pack(), None, source=SOURCE)


def test_return_presented_as_pack() -> None:
    from secsupport import ready_return

    from dapreturn.core.returns.tomlio import dump_return
    from dapreturn.core.signing.files import sign_body

    signed = sign_body(dump_return(ready_return()).encode(), BSWA_KEY, "BSWA")
    _refused(signed, "this is a return file, not a call for returns")


def test_pack_presented_as_return() -> None:
    verdict = verify_bytes(_pack(), trust_list(("BSWA", BSWA_KEY)), source=SOURCE)
    assert verdict.state in (V.BAD_SIGNATURE, V.INVALID) and not verdict.ok


def test_plan_swapped_under_its_digest() -> None:
    """Even a trusted officer's pack is refused if the plan inside is not the one digested."""
    data = _pack()
    body, _ = split_signed(data)
    forged = body.replace(b'title = "Mini plan for tests"', b'title = "Changed plan"')
    _refused(sign_group_body(forged, JO, CALL), "does not match its digest")


def test_pack_with_signature_line_in_plan() -> None:
    """A plan whose text has a line ``[signature]`` is still packed and checked intact."""
    text = PLAN_TEXT.replace(
        'title = "Mini plan for tests"',
        'title = "Mini plan for tests"\ndescription = """\n[signature]\n"""',
    )
    checked = check_pack(_pack(text=text), TRUST, source=SOURCE)
    assert isinstance(checked.pack, Pack) and checked.pack.plan_text == text
