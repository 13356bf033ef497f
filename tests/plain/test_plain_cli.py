"""``dapreturn fill --plain`` as a real command (skipped until the command line is wired)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dapreturn.core.signing.files import VerdictState, verify_file
from dapreturn.core.signing.keys import allowed_signers_line, find_key
from dapreturn.core.signing.trust import parse_trust


def _plain_accepted() -> bool:
    """Whether ``dapreturn fill --help`` lists ``--plain``."""
    cmd = [sys.executable, "-m", "dapreturn", "fill", "--help"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return done.returncode == 0 and "--plain" in done.stdout


pytestmark = pytest.mark.skipif(
    not _plain_accepted(), reason="`dapreturn fill --plain` is not wired into the command line yet"
)

OPTIONS = ["--plan", "daps-2018-2023", "--partner", "BSWA", "--period", "2018/19 Q3"]
ANSWERS = [
    "Jo Bloggs, Service Manager",
    *["g", "01/04/2018", "31/03/2023", "Ann Other", ".", "Trained 12 ambassadors.", "."],
    *["Train 10 more.", ".", ""],
    "",
    "n",
    "y",
    "n",
]


def fill(tmp_path: Path, answers: list[str], *options: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m dapreturn fill --plain`` with answers on stdin, in ``tmp_path``."""
    cmd = [sys.executable, "-m", "dapreturn", "fill", "--plain", *options]
    stdin = "".join(f"{a}\n" for a in answers)
    return subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False
    )


def test_fill_plain_signs_a_return(tmp_path: Path) -> None:
    done = fill(tmp_path, ANSWERS, *OPTIONS, "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stdout + done.stderr
    info = find_key("BSWA")
    assert info is not None
    trust = parse_trust(allowed_signers_line("BSWA", info.public_key), "(test)")
    path = tmp_path / "out" / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
    assert verify_file(path, trust).state is VerdictState.VERIFIED


def test_fill_plain_end_of_input_exits_4_with_the_draft_saved(tmp_path: Path) -> None:
    done = fill(tmp_path, ANSWERS[:3], *OPTIONS)
    assert done.returncode == 4
    assert "saved as a draft" in done.stdout


def test_fill_plain_unknown_partner_is_a_usage_error(tmp_path: Path) -> None:
    done = fill(tmp_path, [], "--plan", "daps-2018-2023", "--partner", "NOPE")
    assert done.returncode == 2
    assert "'NOPE' is not in plan" in done.stderr
