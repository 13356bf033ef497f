"""Signing a return: rules enforced, personal data gated, revisions, no overwrite, read-back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core.filling import submit as submit_mod
from dapreturn.core.filling.submit import PersonalDataError, SubmitError, submit_return
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan, load_plan
from dapreturn.core.returns.model import Entry, Return
from dapreturn.core.returns.tomlio import parse_return
from dapreturn.core.signing.files import VerdictState, verify_file
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.trust import parse_trust

NOW = datetime(2019, 1, 10, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(Path(__file__).parent.parent / "data" / "mini-plan.toml")


def ready(text: str = "Trained 12 ambassadors.") -> Return:
    return Return(
        plan="mini",
        period=str(Period(2018, 3)),
        partner="BSWA",
        prepared_by="Jo, Manager",
        entries=[
            Entry(ref="3l", status="on_track", action_taken=text),
            Entry(ref="3h", status="not_started"),
        ],
    )


def test_signs_writes_and_the_file_verifies(plan: Plan, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    result = submit_return(ready(), plan, key, tmp_path, now=NOW)
    assert result.path == tmp_path / "mini_2018-19-Q3_BSWA_r1.toml"
    assert result.revision == 1 and result.fingerprint.startswith("SHA256:")
    trust = parse_trust(allowed_signers_line("BSWA", key.public_key()), "t")
    verdict = verify_file(result.path, trust)
    assert verdict.state is VerdictState.VERIFIED
    assert verdict.body is not None
    back = parse_return(verdict.body.decode(), source="x")
    assert back.submitted_at == NOW and back == result.ret


def test_resigning_makes_the_next_revision_and_never_overwrites(plan: Plan, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    first = submit_return(ready(), plan, key, tmp_path, now=NOW)
    before = first.path.read_bytes()
    second = submit_return(ready("Changed."), plan, key, tmp_path, now=NOW)
    assert second.revision == 2 and second.path.name.endswith("_r2.toml")
    assert first.path.read_bytes() == before
    with pytest.raises(SubmitError, match=r"revision 2 .* already exists .* set revision = 3"):
        submit_return(ready(), plan, key, tmp_path, revision=2, now=NOW)


def test_rule_problems_refuse_signing_and_write_nothing(plan: Plan, tmp_path: Path) -> None:
    bad = ready()
    bad.entries[0].status = "complete"
    with pytest.raises(SubmitError, match=r"cannot sign yet: 3l\.completed") as info:
        submit_return(bad, plan, Ed25519PrivateKey.generate(), tmp_path, now=NOW)
    assert [p.field for p in info.value.problems] == ["completed"]
    assert list(tmp_path.iterdir()) == []


def test_personal_data_needs_confirmation(plan: Plan, tmp_path: Path) -> None:
    text = "Met Mrs Khan at B12 9QP to plan her move."
    with pytest.raises(PersonalDataError) as info:
        submit_return(ready(text), plan, Ed25519PrivateKey.generate(), tmp_path, now=NOW)
    assert {f.field for f in info.value.findings} == {"3l.action_taken"}
    assert len(info.value.findings) == 2
    assert list(tmp_path.iterdir()) == []
    done = submit_return(
        ready(text),
        plan,
        Ed25519PrivateKey.generate(),
        tmp_path,
        now=NOW,
        personal_data_confirmed=True,
    )
    assert done.path.exists()


def test_read_back_mismatch_is_reported(
    plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def corrupt(path: Path, data: bytes, **kw: object) -> None:
        path.write_bytes(data.replace(b"Trained", b"Drained"))

    monkeypatch.setattr(submit_mod, "atomic_write_bytes", corrupt)
    with pytest.raises(SubmitError, match=r"read-back check failed: .*BAD SIGNATURE"):
        submit_return(ready(), plan, Ed25519PrivateKey.generate(), tmp_path, now=NOW)


def test_narratives_lists_every_free_text_place() -> None:
    ret = ready()
    ret.entries[0].risks = "r"
    ret.entries[0].responsible = ["Ms Sarah Jones, Head of Service"]
    # preparer and responsible are scanned too (for identifiers, not for titled names)
    assert list(ret.narratives()) == [
        "prepared_by",
        "3l.responsible",
        "3l.action_taken",
        "3l.risks",
    ]


def test_staff_names_in_preparer_and_responsible_are_not_flagged(
    plan: Plan, tmp_path: Path
) -> None:
    ret = ready()
    ret = ret.model_copy(update={"prepared_by": "Mrs Jo Bloggs, Service Manager"})
    ret.entries[0].responsible = ["Dr Amir Khan, Safeguarding Lead"]
    done = submit_return(ret, plan, Ed25519PrivateKey.generate(), tmp_path, now=NOW)
    assert done.path.exists()
