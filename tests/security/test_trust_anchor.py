"""The trust list is the anchor: a list planted beside the returns must not vouch for a forger.

Anyone who can write to the shared returns folder can also drop an ``allowed_signers`` file in
it. These tests show that the steering group's own list, given with ``--trust`` or remembered
in the config, always wins over a planted one — and record (as an expected failure) that with
neither, ``verify``/``report``/``review`` fall back to the folder's own file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from secsupport import BSWA_KEY, STRANGER_KEY, T0, ready_return, trust_text

from dapreturn.cli import main
from dapreturn.core.config import UserConfig, save_config
from dapreturn.core.returns.tomlio import dump_return
from dapreturn.core.signing.files import sign_body

GENUINE = "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
FORGED = "daps-2018-2023_2018-19-Q3_BSWA_r2.toml"


@pytest.fixture
def scene(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A shared folder with a genuine return, a forged revision and a planted trust list."""
    monkeypatch.chdir(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    ret = ready_return().model_copy(update={"plan": "daps-2018-2023", "submitted_at": T0})
    body = dump_return(ret).encode()
    (shared / GENUINE).write_bytes(sign_body(body, BSWA_KEY, "BSWA"))
    forged = body.replace(b"revision = 1", b"revision = 2").replace(b"Trained 12", b"Trained 1,200")
    (shared / FORGED).write_bytes(sign_body(forged, STRANGER_KEY, "BSWA"))
    (shared / "allowed_signers").write_text(trust_text(("BSWA", BSWA_KEY), ("BSWA", STRANGER_KEY)))
    steering = tmp_path / "steering"
    steering.mkdir()
    (steering / "allowed_signers").write_text(trust_text(("BSWA", BSWA_KEY)))
    return tmp_path


def test_the_steering_groups_list_given_with_trust_wins(
    scene: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trust = str(scene / "steering" / "allowed_signers")
    assert main(["verify", f"shared/{GENUINE}", "--trust", trust]) == 0
    assert main(["verify", f"shared/{FORGED}", "--trust", trust]) == 1
    assert "unknown key" in capsys.readouterr().out


def test_the_remembered_list_wins_over_a_planted_one(
    scene: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_config(UserConfig(trust_file=str(scene / "steering" / "allowed_signers")))
    assert main(["verify", f"shared/{FORGED}"]) == 1
    assert "unknown key" in capsys.readouterr().out


def test_a_planted_list_alone_is_used_only_with_a_warning(
    scene: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no --trust and nothing remembered, the folder's own list is a demo convenience.

    It is the documented weak anchor (docs/security.md): it is used, but every command says so
    and says how to fix it. Once --trust is given, it is remembered and the planted list loses.
    """
    main(["verify", f"shared/{FORGED}"])
    err = capsys.readouterr().err
    assert "using the trust list inside the returns folder" in err
    assert "give it once with --trust (it is remembered)" in err
    trust = str(scene / "steering" / "allowed_signers")
    assert main(["verify", f"shared/{GENUINE}", "--trust", trust]) == 0
    capsys.readouterr()
    assert main(["verify", f"shared/{FORGED}"]) == 1
    captured = capsys.readouterr()
    assert "unknown key" in captured.out
    assert "inside the returns folder" not in captured.err
