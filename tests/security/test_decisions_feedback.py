"""Signed decisions and feedback: the officer half of the cycle at the command line, and every
unsigned, forged, tampered, wrong-partner, wrong-key and replayed file refused with its reason.

=======================================  ==============================================
variant                                   refused because
=======================================  ==============================================
decision written by hand (unsigned)       not signed
decision signed by an unknown key         a key you have not accepted
decision edited after signing             BAD SIGNATURE
partner key signing a decision            key may not sign a review decision
feedback edited after signing             BAD SIGNATURE
feedback opened by the wrong partner      this feedback is for BSWA, not for WMP
feedback signed by an unknown key         a key you have not accepted
older feedback after a newer one          older feedback ... than one already opened
a pack presented as feedback              this is a call for returns file, not feedback
=======================================  ==============================================
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from secsupport import BSWA_KEY, T0, ready_return, seeded_key

from dapreturn.cli import group_prompt
from dapreturn.cli.main import main
from dapreturn.core.collection.ledger import save_ledger
from dapreturn.core.cycle.decisions import SignedDecision, load_decisions, write_decision
from dapreturn.core.cycle.feedback import build_feedback, check_feedback
from dapreturn.core.returns.model import return_filename
from dapreturn.core.returns.tomlio import dump_return
from dapreturn.core.signing.files import sign_body
from dapreturn.core.signing.groupsig import (
    DECISION,
    OfficerSigner,
    RefusedFileError,
    sign_group_body,
)
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.officers import find_officer_key, officer_signers_line
from dapreturn.core.signing.trust import parse_trust

JO = OfficerSigner("officer:jo.bloggs", seeded_key("dapreturn-security-officer-jo"))
MALLORY = OfficerSigner("officer:jo.bloggs", seeded_key("dapreturn-security-mallory"))
TRUST_TEXT = (
    allowed_signers_line("BSWA", BSWA_KEY.public_key())
    + "\n"
    + officer_signers_line("jo.bloggs", JO.key.public_key())
    + "\n"
)
TRUST = parse_trust(TRUST_TEXT, "allowed_signers")


def collected(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A collection folder with one signed BSWA return, and the trust list (outside it)."""
    folder = tmp_path / "collected"
    folder.mkdir()
    ret = ready_return().model_copy(update={"submitted_at": T0})
    path = folder / return_filename(ret.plan, ret.period, ret.partner, 1)
    path.write_bytes(sign_body(dump_return(ret).encode(), BSWA_KEY, "BSWA"))
    trust = tmp_path / "allowed_signers"
    trust.write_text(TRUST_TEXT)
    return folder, path, trust


def _decision(folder: Path, path: Path, signer: OfficerSigner = JO) -> Path:
    return write_decision(
        folder,
        path.name,
        path.read_bytes(),
        "query_raised",
        signer,
        comment="Nearly there",
        comments={"3l.action_taken": "How many venues?"},
        now=T0 + timedelta(days=1),
    )


def test_signed_decision_round_trip(tmp_path: Path) -> None:
    folder, path, _ = collected(tmp_path)
    written = _decision(folder, path)
    assert written.parent.parent == folder / "review" and written.suffix == ".decision"
    found = load_decisions(folder, TRUST)
    assert not found.problems
    (decision,) = found.latest.values()
    assert decision.signed_by == "officer:jo.bloggs" and decision.decision == "query_raised"
    assert decision.comments == {"3l.action_taken": "How many venues?"}


def test_unsigned_forged_and_edited_decisions_refused(tmp_path: Path) -> None:
    folder, path, _ = collected(tmp_path)
    good = _decision(folder, path)
    body = good.read_bytes().split(b"[signature]")[0]
    (good.parent / "hand.decision").write_bytes(body)
    _decision(folder, path, MALLORY).rename(good.parent / "mallory.decision")
    edited = good.read_bytes().replace(b"query_raised", b"accepted", 1)
    (good.parent / "edited.decision").write_bytes(edited)
    partner = OfficerSigner("officer:jo.bloggs", BSWA_KEY)
    (good.parent / "partner.decision").write_bytes(sign_group_body(body, partner, DECISION))
    trust = parse_trust(TRUST_TEXT.replace("BSWA ", "BSWA,officer:jo.bloggs ", 1), "t")
    found = load_decisions(folder, trust)
    reasons = {Path(p.split(": ", 1)[0]).name: p for p in found.problems}
    assert "not signed" in reasons["hand.decision"]
    assert "a key you have not accepted" in reasons["mallory.decision"]
    assert "BAD SIGNATURE" in reasons["edited.decision"]
    assert "may not sign a review decision" in reasons["partner.decision"]
    assert [d.path for d in found.latest.values()] == [good]


def _feedback(signer: OfficerSigner = JO, *, issued: datetime = T0) -> bytes:
    decision = SignedDecision(
        Path("x.decision"),
        "a" * 64,
        "r1.toml",
        "query_raised",
        "officer:jo.bloggs",
        T0,
        "",
        {"3l.action_taken": "How many venues?"},
    )
    _, data = build_feedback(
        decision,
        plan="mini",
        period="2018/19 Q3",
        partner="BSWA",
        revision=1,
        signer=signer,
        now=issued,
    )
    return data


@pytest.mark.parametrize(
    ("data", "kwargs", "reason"),
    [
        (_feedback().replace(b"How many", b"How few"), {}, "BAD SIGNATURE"),
        (_feedback(), {"partner": "WMP"}, "this feedback is for BSWA, not for WMP"),
        (_feedback(MALLORY), {}, "a key you have not accepted"),
        (_feedback(), {"newest_seen": T0 + timedelta(hours=1)}, "older feedback"),
    ],
)
def test_feedback_refused(data: bytes, kwargs: dict[str, object], reason: str) -> None:
    with pytest.raises(RefusedFileError) as caught:
        check_feedback(data, TRUST, source="fb.toml", **kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith("fb.toml: refused") and reason in str(caught.value)


def test_pack_presented_as_feedback(tmp_path: Path) -> None:
    from secsupport import MINI_PLAN_PATH

    from dapreturn.core.cycle.packs import build_pack
    from dapreturn.core.periods import Period

    _, pack = build_pack(
        MINI_PLAN_PATH.read_text(),
        period=Period.parse("2018/19 Q3"),
        partner="BSWA",
        deadline=T0.date(),
        contact="",
        signer=JO,
        group_keys=[],
    )
    with pytest.raises(RefusedFileError, match="this is a call for returns file, not a feedback"):
        check_feedback(pack, TRUST, source="fb.toml")


def test_cycle_decide_feedback_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """decide (CLI) -> feedback (CLI) -> the partner sees the comment on its field (show)."""
    folder, path, trust = collected(tmp_path)
    assert main(["keys", "new", "--officer", "jo.bloggs"]) == 0
    key = find_officer_key("jo.bloggs")
    assert key is not None
    trust.write_text(TRUST_TEXT + officer_signers_line("jo.bloggs", key.public_key) + "\n")
    base = ["decide", str(path), "--trust", str(trust)]
    assert main([*base, "--query", "--on", "3l.nope", "x"]) == 2
    assert "'nope' is not a field" in capsys.readouterr().err
    assert main([*base, "--query"]) == 2
    assert (
        main(
            [*base, "--query", "--comment", "Nearly", "--on", "3l.action_taken", "How many venues?"]
        )
        == 0
    )
    real = next((folder / "review").rglob("*.decision"))
    forged = real.read_bytes().split(b"[signature]")[0].replace(b"query_raised", b"accepted")
    (real.parent / "zz-forged.decision").write_bytes(forged)
    out = tmp_path / "fb"
    assert (
        main(
            [
                "feedback",
                str(folder),
                "--period",
                "2018/19 Q3",
                "--trust",
                str(trust),
                "-o",
                str(out),
            ]
        )
        == 0
    )
    said = capsys.readouterr()
    assert "zz-forged.decision: refused: not signed" in said.err and "query_raised" in said.out
    (fb,) = out.iterdir()
    assert main(["show", str(fb), "--trust", str(trust), "--partner", "BSWA"]) == 0
    shown = capsys.readouterr().out
    assert "QUERY RAISED" in shown and "3l.action_taken:" in shown and "How many venues?" in shown
    monkeypatch.setattr(group_prompt, "_ask", lambda prompt: "yes")
    assert main(["show", str(fb), "--partner", "BSWA"]) == 0  # partner side: first use, pinned
    decision_file = real
    assert main(["show", str(decision_file), "--trust", str(trust)]) == 0
    assert "decided by: officer:jo.bloggs" in capsys.readouterr().out
    assert 'decision = "query_raised"\n' in decision_file.read_text()  # TOML a person reads


def test_officer_app_record_signed_through_the_ledger(tmp_path: Path) -> None:
    """The ledger's own save (the officer app's record) signs when given an officer; the CLI's
    decisions, --reject included, are read back by the ledger the app and report use."""
    from dapreturn.core.collection.ledger import load_ledger

    folder, path, _ = collected(tmp_path)
    ledger = load_ledger(folder)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    ledger.decide(sha, path.name, "query_raised", officer="jo.bloggs", now=T0)
    ledger.comment(sha, path.name, "odd\n[signature]\nline", ref="3l")
    save_ledger(ledger, signer=JO)
    (decision,) = load_decisions(folder, TRUST).latest.values()
    assert decision.comments == {"3l": "odd\n[signature]\nline"}
    write_decision(
        folder,
        path.name,
        path.read_bytes(),
        "not_accepted",
        JO,
        comment="No",
        now=T0 + timedelta(days=2),
    )
    again = load_ledger(folder)
    assert not again.problems
    review = again.review(sha, path.name)
    assert review is not None and review.decision == "not_accepted"
