"""``dapreturn --version``, ``plan list|show|check`` and ``schema`` as a user runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dapreturn import __version__
from dapreturn.cli import main

MINI = Path(__file__).parent.parent / "data" / "mini-plan.toml"


def test_version_through_the_real_entry_point() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "dapreturn", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"dapreturn {__version__}"


def test_plan_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "list"]) == 0
    out = capsys.readouterr().out
    assert "daps-2018-2023" in out and " 38 actions" in out


def test_plan_show_lists_all_38_actions_with_leads_and_due(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plan", "show", "daps-2018-2023"]) == 0
    out = capsys.readouterr().out
    refs = [
        line.split()[0]
        for line in out.splitlines()
        if line.startswith("  ") and not line.startswith("   ")
    ]
    expected = (
        [f"1{c}" for c in "abcdefgh"]
        + [f"2{c}" for c in "abcdefg"]
        + [f"3{c}" for c in "abcdefghijkl"]
        + [f"4{c}" for c in "abcdefghijk"]
    )
    assert [r for r in refs if r[0] in "1234" and len(r) == 2] == expected
    assert "leads: BSWA; due 2023-03-31" in out


def test_plan_show_a_file_and_check_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "show", str(MINI)]) == 0
    assert "3l     Ask Me scheme" in capsys.readouterr().out
    assert main(["plan", "check", str(MINI)]) == 0
    assert "ok — plan 'mini', 3 actions" in capsys.readouterr().out


def test_plan_check_broken_prints_one_line_naming_the_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        MINI.read_text(encoding="utf-8").replace('leads = ["BSWA"]', 'leads = ["NOPE"]'),
        encoding="utf-8",
    )
    assert main(["plan", "check", str(broken)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err == (
        f"dapreturn: {broken}: actions[1] (ref \"3l\"): partner 'NOPE' is not in the "
        "partner registry"
    )


def test_unknown_plan_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "show", "nope"]) == 2
    assert "no bundled plan 'nope'" in capsys.readouterr().err
