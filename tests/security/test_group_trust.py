"""Trust on first use of the steering group's key, at the core and through ``dapreturn show``:
the first key is confirmed once, a different key afterwards is refused unless accepted
explicitly, replayed and wrong-partner packs are refused, and nothing unknown is acted on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from secsupport import MINI_PLAN_PATH, seeded_key

from dapreturn.cli import group_prompt
from dapreturn.cli.main import main
from dapreturn.core.cycle.group_trust import (
    KeyStanding,
    accept_key,
    group_trust,
    key_question,
    pins_path,
)
from dapreturn.core.cycle.packs import build_pack
from dapreturn.core.errors import DapreturnError
from dapreturn.core.periods import Period
from dapreturn.core.signing.groupsig import CALL, OfficerSigner, State, verify_group_file

JO = OfficerSigner("officer:jo.bloggs", seeded_key("dapreturn-security-officer-jo"))
MALLORY = OfficerSigner("officer:jo.bloggs", seeded_key("dapreturn-security-mallory"))
ISSUED = datetime(2018, 12, 1, 9, 0, tzinfo=UTC)


def write_pack(folder: Path, signer: OfficerSigner = JO, *, issued: datetime = ISSUED) -> Path:
    _, data = build_pack(
        MINI_PLAN_PATH.read_text(encoding="utf-8"),
        period=Period.parse("2018/19 Q3"),
        partner="BSWA",
        deadline=date(2019, 1, 15),
        contact="Jo Bloggs",
        signer=signer,
        group_keys=[],
        now=issued,
    )
    path = folder / f"{signer.key.public_key().public_bytes_raw().hex()[:8]}-{issued:%d}.toml"
    path.write_bytes(data)
    return path


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the partner types at each prompt, in order (asking with none left fails)."""
    typed: list[str] = []

    def ask(prompt: str) -> str:
        assert typed, f"unexpected prompt: {prompt}"
        return typed.pop(0)

    monkeypatch.setattr(group_prompt, "_ask", ask)
    return typed


def test_core_first_use_then_changed(tmp_path: Path) -> None:
    first = verify_group_file(write_pack(tmp_path), CALL, group_trust())
    assert first.state is State.NO_TRUST and not first.ok
    question = key_question(first.state, first.signer, first.public_key)
    assert question is not None and question.standing is KeyStanding.FIRST
    assert question.fingerprint in question.prompt()
    accept_key(question)
    assert verify_group_file(write_pack(tmp_path), CALL, group_trust()).ok
    other = verify_group_file(write_pack(tmp_path, MALLORY), CALL, group_trust())
    assert other.state is State.UNKNOWN_KEY
    changed = key_question(other.state, other.signer, other.public_key)
    assert changed is not None and changed.standing is KeyStanding.CHANGED
    assert "WARNING" in changed.prompt() and question.fingerprint in changed.prompt()
    with pytest.raises(DapreturnError, match="must be asked for explicitly"):
        accept_key(changed)
    accept_key(changed, new_key=True)
    assert verify_group_file(write_pack(tmp_path, MALLORY), CALL, group_trust()).ok


def test_show_asks_once(
    tmp_path: Path, answers: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    pack = write_pack(tmp_path)
    answers.append("no")
    assert main(["show", str(pack), "--partner", "BSWA"]) == 1
    assert not pins_path().exists()
    answers.append("yes")
    assert main(["show", str(pack), "--partner", "BSWA"]) == 0
    out = capsys.readouterr()
    assert "first file from the steering group" in out.err
    assert "deadline:   Tue 15 Jan 2019" in out.out and "3l" in out.out
    assert main(["show", str(pack), "--partner", "BSWA"]) == 0  # no prompt: answers is empty


def test_show_refuses_new_key_loudly(
    tmp_path: Path, answers: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    answers.append("yes")
    assert main(["show", str(write_pack(tmp_path)), "--partner", "BSWA"]) == 0
    forged = write_pack(tmp_path, MALLORY, issued=ISSUED + timedelta(days=1))
    capsys.readouterr()
    assert main(["show", str(forged), "--partner", "BSWA"]) == 1
    out = capsys.readouterr()
    assert "WARNING: THIS FILE IS SIGNED BY A KEY YOU HAVE NOT ACCEPTED" in out.err
    assert f"{forged}: refused: signed by a key you have not accepted" in out.out
    answers.append("yes")  # the first-use answer is not enough for a new key
    assert main(["show", str(forged), "--partner", "BSWA", "--accept-new-key"]) == 1
    answers[:] = ["accept new key"]
    assert main(["show", str(forged), "--partner", "BSWA", "--accept-new-key"]) == 0


def test_show_refuses_replay_and_wrong_partner(
    tmp_path: Path, answers: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    old = write_pack(tmp_path, issued=ISSUED)
    new = write_pack(tmp_path, issued=ISSUED + timedelta(days=2))
    answers.append("yes")
    assert main(["show", str(new), "--partner", "BSWA"]) == 0
    capsys.readouterr()
    assert main(["show", str(old), "--partner", "BSWA"]) == 1
    assert f"{old}: refused: an older pack for 2018/19 Q3" in capsys.readouterr().out
    assert main(["show", str(new), "--partner", "WMP"]) == 1
    assert "this pack is for BSWA, not for WMP" in capsys.readouterr().out


def test_show_tampered(
    tmp_path: Path, answers: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    pack = write_pack(tmp_path)
    pack.write_bytes(pack.read_bytes().replace(b"Jo Bloggs", b"Jo Blogs!"))
    assert main(["show", str(pack)]) == 1
    assert f"{pack}: refused: BAD SIGNATURE" in capsys.readouterr().out
    assert not pins_path().exists()  # nothing asked, nothing pinned for a broken file


def test_show_escapes_control_characters(
    tmp_path: Path, answers: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, data = build_pack(
        MINI_PLAN_PATH.read_text(encoding="utf-8"),
        period=Period.parse("2018/19 Q3"),
        partner="BSWA",
        deadline=date(2019, 1, 15),
        contact="Jo",
        signer=JO,
        group_keys=[],
        now=ISSUED,
    )
    body = data.split(b"[signature]")[0]
    evil = body.replace(b'title = "Ask Me scheme"', b'title = "Ask\\u001b[2J"', 1)
    assert evil != body
    from dapreturn.core.signing.groupsig import sign_group_body

    path = tmp_path / "evil.toml"
    path.write_bytes(sign_group_body(evil, JO, CALL))
    answers.append("yes")
    assert main(["show", str(path), "--partner", "BSWA"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Ask\\x1b[2J" in out


def test_pins_file_is_read_by_ssh_keygen(tmp_path: Path) -> None:
    """The pinned keys are an allowed_signers file stock ssh-keygen verifies a pack with."""
    import shutil
    import subprocess

    from dapreturn.core.signing.sshsig import parse_armored
    from dapreturn.core.signing.table import split_signed

    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        pytest.skip("OpenSSH ssh-keygen is not installed")
    path = write_pack(tmp_path)
    verdict = verify_group_file(path, CALL, group_trust())
    question = key_question(verdict.state, verdict.signer, verdict.public_key)
    assert question is not None
    accept_key(question)
    body, table = split_signed(path.read_bytes())
    assert table is not None
    armored = table.decode().split('"""\n', 1)[1].rsplit('"""', 1)[0]
    sig = tmp_path / "pack.sig"
    sig.write_text(parse_armored(armored).armored())
    for namespace, expect in (("call@dapreturn", 0), ("return@dapreturn", 255)):
        who = ["-f", str(pins_path()), "-I", "officer:jo.bloggs", "-n", namespace]
        run = subprocess.run(
            [keygen, "-Y", "verify", *who, "-s", str(sig)],
            input=body,
            capture_output=True,
            check=False,
        )
        assert (run.returncode == 0) is (expect == 0), run.stderr


def test_partner_key_commands_ignore_officer_keys(capsys: pytest.CaptureFixture[str]) -> None:
    """An officer key on the same computer is never taken for the partner's key."""
    assert main(["keys", "new", "--partner", "BSWA"]) == 0
    assert main(["keys", "new", "--officer", "jo.bloggs"]) == 0
    capsys.readouterr()
    assert main(["keys", "show"]) == 0
    assert "partner:     BSWA" in capsys.readouterr().out
