"""``dapreturn verify`` on a return just signed: the signature is good, the key is this
computer's for that partner, and the steering group's trust list does not hold it yet."""

from __future__ import annotations

from pathlib import Path

import pytest

from dapreturn.cli import main
from dapreturn.core import paths
from dapreturn.core.signing.keys import new_key
from dapreturn.core.signing.own_key import signed_here

DRAFT = """\
plan = "daps-2018-2023"
period = "Q3 2018/19"
partner = "BSWA"
prepared_by = "Jo Bloggs, Service Manager"

[[entries]]
ref = "3l"
status = "on_track"
action_taken = "Trained 12 ambassadors."
"""

DEMO = Path(__file__).resolve().parents[2] / "demo" / "returns"


@pytest.fixture
def signed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """A return signed with a fresh BSWA key into the default folder."""
    monkeypatch.chdir(tmp_path)
    assert main(["keys", "new", "--partner", "BSWA"]) == 0
    (tmp_path / "draft.toml").write_text(DRAFT)
    assert main(["sign", "draft.toml"]) == 0
    capsys.readouterr()
    return paths.default_returns_dir() / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"


def test_verify_against_the_demo_trust_list_explains_your_own_key(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trust = DEMO / "allowed_signers"
    assert main(["verify", str(signed), "--trust", str(trust)]) == 1
    out = capsys.readouterr().out
    line = (paths.keys_dir() / "BSWA_ed25519.pub").read_text().split()[1]
    assert "unknown key" in out
    assert "The signature is good: signed with this computer's key for BSWA" in out
    assert f"The trust list {trust} does not (yet) hold this key." in out
    assert f'  BSWA namespaces="return@dapreturn" ssh-ed25519 {line}' in out


def test_verify_with_no_trust_list_explains_your_own_key(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(signed)]) == 1
    out = capsys.readouterr().out
    assert "no trust list" in out and "The signature is good" in out
    assert 'BSWA namespaces="return@dapreturn"' in out


def test_someone_elses_key_or_a_changed_file_is_not_called_good(
    signed: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    demo = DEMO / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
    empty = tmp_path / "empty_list"
    empty.write_text("")
    assert main(["verify", str(demo), "--trust", str(empty)]) == 1
    assert "The signature is good" not in capsys.readouterr().out
    assert not signed_here(demo.read_bytes(), "BSWA", source=str(demo))
    assert signed_here(signed.read_bytes(), "BSWA", source=str(signed))
    signed.write_bytes(signed.read_bytes().replace(b"12 ambassadors", b"13 ambassadors"))
    assert main(["verify", str(signed), "--trust", str(empty)]) == 1
    assert "The signature is good" not in capsys.readouterr().out
    assert not signed_here(signed.read_bytes(), "BSWA", source=str(signed))


def test_a_return_signed_with_a_replaced_key_is_not_called_yours(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_key("BSWA", force=True)  # this computer's BSWA key is now a different one
    assert main(["verify", str(signed)]) == 1
    assert "The signature is good" not in capsys.readouterr().out
