"""``dapreturn keys``, ``sign`` and ``verify`` as a partner and an officer run them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dapreturn.cli import main
from dapreturn.core import paths

DRAFT = """\
plan = "daps-2018-2023"
period = "Q3 2018/19"
partner = "BSWA"
prepared_by = "Jo Bloggs, Service Manager"

[[entries]]
ref = "3l"
status = "on_track"
action_taken = "{text}"
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_key(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["keys", "new", "--partner", "BSWA"]) == 0
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_keys_new_show_export_and_refuse_overwrite(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = make_key(capsys)
    assert line.startswith('BSWA namespaces="return@dapreturn" ssh-ed25519 AAAA')
    assert main(["keys", "show"]) == 0
    shown = capsys.readouterr().out
    assert "partner:     BSWA" in shown and line in shown
    assert main(["keys", "new", "--partner", "BSWA"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["keys", "export", "-o", "pub.txt"]) == 0
    assert (workdir / "pub.txt").read_text().startswith("ssh-ed25519 AAAA")


def test_sign_then_verify_then_tamper(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = make_key(capsys)
    (workdir / "draft.toml").write_text(DRAFT.format(text="Trained 12 ambassadors."))
    assert main(["sign", "draft.toml"]) == 0
    out = capsys.readouterr().out
    signed = paths.default_returns_dir() / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
    assert f"signed and verified: {signed}" in out
    trust = workdir / "allowed_signers"
    trust.write_text(line + "\n")
    assert main(["verify", str(signed), "--trust", str(trust)]) == 0
    assert "verified: BSWA, SHA256:" in capsys.readouterr().out
    # signing again with the same revision is refused; the file is never overwritten
    assert main(["sign", "draft.toml"]) == 2
    assert "set revision = 2" in capsys.readouterr().err
    signed.write_bytes(signed.read_bytes().replace(b"12 ambassadors", b"13 ambassadors"))
    assert main(["verify", str(signed), "--trust", str(trust)]) == 1
    assert "BAD SIGNATURE" in capsys.readouterr().out


def test_verify_without_a_trust_list_is_not_success(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_key(capsys)
    (workdir / "draft.toml").write_text(DRAFT.format(text="Done."))
    assert main(["sign", "draft.toml"]) == 0
    capsys.readouterr()
    assert main(["verify", str(paths.default_returns_dir())]) == 1
    assert "no trust list" in capsys.readouterr().out


def test_sign_reports_rule_problems_per_line(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_key(capsys)
    (workdir / "draft.toml").write_text(DRAFT.format(text="").replace("on_track", "complete"))
    assert main(["sign", "draft.toml"]) == 2
    err = capsys.readouterr().err
    assert "draft.toml: 3l.completed: give the date it was completed" in err
    assert "draft.toml: 3l.action_taken: say what was done this period" in err


def test_sign_refuses_personal_data_until_confirmed(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_key(capsys)
    (workdir / "draft.toml").write_text(DRAFT.format(text="Mrs Khan, DOB 12/03/1985, moved."))
    assert main(["sign", "draft.toml"]) == 3
    err = capsys.readouterr().err
    assert 'possible name after a title "Mrs Khan"' in err and "--confirm-personal-data" in err
    assert not paths.default_returns_dir().exists()
    assert main(["sign", "draft.toml", "--confirm-personal-data"]) == 0


def test_sign_without_a_key_explains(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "draft.toml").write_text(DRAFT.format(text="x"))
    assert main(["sign", "draft.toml"]) == 2
    assert "dapreturn keys new --partner BSWA" in capsys.readouterr().err


def test_sign_with_passphrase_from_environment(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAPRETURN_PASSPHRASE", "correct horse")
    assert main(["keys", "new", "--partner", "BSWA", "--passphrase"]) == 0
    (workdir / "draft.toml").write_text(DRAFT.format(text="x"))
    monkeypatch.setenv("DAPRETURN_PASSPHRASE", "wrong")
    assert main(["sign", "draft.toml"]) == 2
    assert "passphrase" in capsys.readouterr().err.lower()
    monkeypatch.setenv("DAPRETURN_PASSPHRASE", "correct horse")
    assert main(["sign", "draft.toml"]) == 0


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH ssh-keygen")
def test_verify_export_checks_with_stock_openssh(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = make_key(capsys)
    (workdir / "draft.toml").write_text(DRAFT.format(text="Hub opened."))
    assert main(["sign", "draft.toml", "--out", "out"]) == 0
    (workdir / "out" / "allowed_signers").write_text(line + "\n")
    signed = workdir / "out" / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
    assert main(["verify", "--export", str(signed)]) == 0
    printed = capsys.readouterr().out
    assert "ssh-keygen -Y verify" in printed
    body = signed.with_name(signed.name + ".body")
    sig = signed.with_name(signed.name + ".sig")
    result = subprocess.run(
        [
            "ssh-keygen",
            "-Y",
            "verify",
            "-f",
            str(workdir / "out" / "allowed_signers"),
            "-I",
            "BSWA",
            "-n",
            "return@dapreturn",
            "-s",
            str(sig),
        ],
        input=body.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert b'Good "return@dapreturn" signature for BSWA' in result.stdout
