"""A return records the pack and plan version it answers (optional), signed with the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from secsupport import (
    BSWA_KEY,
    MINI_PLAN_PATH,
    T0,
    ready_return,
    seeded_key,
    trust_list,
    trust_text,
)

from dapreturn.cli.main import main
from dapreturn.core.cycle.packs import answers_for, build_pack, check_pack
from dapreturn.core.periods import Period
from dapreturn.core.returns.model import Answers
from dapreturn.core.returns.tomlio import dump_return, parse_return
from dapreturn.core.signing.files import sign_body, verify_bytes
from dapreturn.core.signing.groupsig import OfficerSigner
from dapreturn.core.signing.officers import officer_signers_line
from dapreturn.core.signing.trust import parse_trust

JO = OfficerSigner("officer:jo.bloggs", seeded_key("dapreturn-security-officer-jo"))


def _answers() -> Answers:
    _, data = build_pack(
        MINI_PLAN_PATH.read_text(encoding="utf-8"),
        period=Period.parse("2018/19 Q3"),
        partner="BSWA",
        deadline=date(2019, 1, 15),
        contact="",
        signer=JO,
        group_keys=[],
        now=datetime(2018, 12, 1, tzinfo=UTC),
    )
    trust = parse_trust(officer_signers_line("jo.bloggs", JO.key.public_key()), "t")
    return answers_for(check_pack(data, trust, source="pack.toml"))


def test_answers_round_trip_and_verify() -> None:
    answers = _answers()
    assert len(answers.pack_sha256) == 64 and len(answers.plan_sha256) == 64
    ret = ready_return().model_copy(update={"submitted_at": T0, "answers": answers})
    text = dump_return(ret)
    assert f'\n[answers]\npack_sha256 = "{answers.pack_sha256}"\n' in text
    assert "feedback_sha256" not in text  # only the digests that are set
    assert parse_return(text, source="r").answers == answers
    verdict = verify_bytes(
        sign_body(text.encode(), BSWA_KEY, "BSWA"), trust_list(("BSWA", BSWA_KEY)), source="r"
    )
    assert verdict.ok and verdict.ret is not None and verdict.ret.answers == answers


def test_returns_without_answers_are_unchanged() -> None:
    """Old returns (no pack) still dump without the table and still parse."""
    text = dump_return(ready_return())
    assert "[answers]" not in text
    assert parse_return(text, source="r").answers is None


def test_answers_must_be_digests() -> None:
    with pytest.raises(ValidationError):
        Answers(pack_sha256="not-a-digest")


def test_show_a_return_in_plain_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``dapreturn show`` on a return: the verdict, then who, the period and each status."""
    answers = _answers()
    ret = ready_return().model_copy(update={"submitted_at": T0, "answers": answers})
    path = tmp_path / "r1.toml"
    path.write_bytes(sign_body(dump_return(ret).encode(), BSWA_KEY, "BSWA"))
    trust = tmp_path / "allowed_signers"
    trust.write_text(trust_text(("BSWA", BSWA_KEY)))
    assert main(["show", str(path), "--trust", str(trust)]) == 0
    out = capsys.readouterr().out
    assert f"{path}: verified: BSWA" in out
    assert "Return: mini 2018/19 Q3 from BSWA, revision 1" in out
    assert "3l     lead         on_track" in out and answers.pack_sha256 in out
    path.write_bytes(path.read_bytes().replace(b"on_track", b"at_risk!", 1))
    assert main(["show", str(path), "--trust", str(trust)]) == 1
    out = capsys.readouterr().out
    assert "BAD SIGNATURE" in out and "Return:" not in out
