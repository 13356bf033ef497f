"""Commands that print to a pipe end quietly when the reader stops early (``... | head``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def closed_reader(argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    """Run ``dapreturn ARGV`` with its standard output a pipe whose reader has already gone."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dapreturn", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `head` exiting before the command writes
    err = proc.stderr.read()
    return subprocess.CompletedProcess(argv, proc.wait(timeout=60), b"", err)


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "show", "daps-2018-2023"],
        [
            "report",
            "demo/returns",
            "--period",
            "2018/19 Q3",
            "--trust",
            "demo/returns/allowed_signers",
        ],
    ],
    ids=["plan-show", "report-md"],
)
def test_no_broken_pipe_traceback(argv: list[str]) -> None:
    done = closed_reader(argv)
    assert b"Traceback" not in done.stderr and b"BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 0
