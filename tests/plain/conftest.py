"""Fixtures for the plain-mode tests: run ``run_plain`` in-process with answers on stdin."""

from __future__ import annotations

import argparse
import io
from datetime import date
from pathlib import Path

import pytest
from plainkit import TODAY, Fill, Run

from dapreturn.plain import run_plain


@pytest.fixture
def returns_dir(tmp_path: Path) -> Path:
    """The output folder for signed returns."""
    return tmp_path / "returns"


@pytest.fixture
def fill(returns_dir: Path) -> Fill:
    """Run the plain mode with a list of answer lines (end of input after the last)."""

    def run(
        answers: list[str],
        *,
        plan: str | None = "daps-2018-2023",
        partner: str | None = "BSWA",
        period: str | None = "2018/19 Q3",
        out: Path | None = None,
        today: date = TODAY,
    ) -> Run:
        args = argparse.Namespace(plan=plan, partner=partner, period=period, out=out or returns_dir)
        stdin = io.StringIO("".join(f"{a}\n" for a in answers))
        stdout = io.StringIO()
        code = run_plain(args, stdin=stdin, stdout=stdout, today=today)
        return Run(code, stdout.getvalue())

    return run
