"""Line endings on Windows: returns and drafts are written as LF bytes on every platform, and a
return whose line endings were changed in transit (CRLF) is diagnosed as such, not as tampering.
"""

from __future__ import annotations

import argparse
import io
from datetime import UTC, date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core.filling.drafts import DraftKey, DraftStore
from dapreturn.core.filling.submit import submit_return
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import bundled_plan
from dapreturn.core.returns.model import Entry, Return
from dapreturn.core.returns.tomlio import parse_return
from dapreturn.core.signing.files import VerdictState, verify_bytes
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.trust import parse_trust
from dapreturn.plain import EXIT_INPUT_ENDED, run_plain

PLAN = bundled_plan("daps-2018-2023")
KEY = Ed25519PrivateKey.generate()
TRUST = parse_trust(allowed_signers_line("BSWA", KEY.public_key()), "(test)")


def _signed(tmp_path: Path) -> bytes:
    ret = Return(
        plan=PLAN.id,
        period=str(Period(2018, 3)),
        partner="BSWA",
        prepared_by="Jo Bloggs, Service Manager",
        entries=[
            Entry(
                ref="3l",
                status="on_track",
                action_taken="Line one.\r\nLine two typed on Windows.\nLine three.",
            )
        ],
    )
    now = datetime(2019, 1, 10, 9, 0, tzinfo=UTC)
    return submit_return(ret, PLAN, KEY, tmp_path, now=now).path.read_bytes()


def test_signed_returns_are_written_with_lf_only(tmp_path: Path) -> None:
    data = _signed(tmp_path)
    assert b"\r" not in data
    assert verify_bytes(data, TRUST, source="r1").state is VerdictState.VERIFIED


def test_crlf_converted_return_is_diagnosed_as_line_endings(tmp_path: Path) -> None:
    converted = _signed(tmp_path).replace(b"\n", b"\r\n")
    verdict = verify_bytes(converted, TRUST, source="r1.toml")
    assert verdict.state is VerdictState.CRLF
    assert "line endings changed in transit (CRLF)" in verdict.message


def test_an_edited_return_is_not_mistaken_for_line_endings(tmp_path: Path) -> None:
    edited = _signed(tmp_path).replace(b"Line three.", b"Line 3.").replace(b"\n", b"\r\n")
    verdict = verify_bytes(edited, TRUST, source="r1.toml")
    assert verdict.state is VerdictState.BAD_SIGNATURE


def test_plain_mode_drafts_are_lf_even_when_answers_come_with_crlf(tmp_path: Path) -> None:
    answers = "Jo Bloggs, Service Manager\r\ng\r\n\r\n\r\nAnn\r\n.\r\nFirst.\r\nSecond.\r\n.\r\n"
    args = argparse.Namespace(plan=PLAN.id, partner="BSWA", period="2018/19 Q3", out=tmp_path)
    stdout = io.StringIO()
    code = run_plain(args, stdin=io.StringIO(answers), stdout=stdout, today=date(2019, 1, 10))
    assert code == EXIT_INPUT_ENDED
    info = DraftStore().latest(DraftKey(PLAN.id, "BSWA", "2018-19-Q3"))
    assert info is not None
    raw = info.path.read_bytes()
    assert b"\r" not in raw
    assert parse_return(raw.decode(), source="draft").entries[0].action_taken == "First.\nSecond."
