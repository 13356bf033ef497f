"""Helpers for the plain-mode tests: run ``run_plain`` in-process with answers on stdin."""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from dapreturn.plain import run_plain

TODAY = date(2019, 1, 10)
"""Pinned 'today': 2018/19 Q3 has just ended."""
PREPARER = "Jo Bloggs, Service Manager"


@dataclass
class Run:
    """What one run of the plain mode returned and printed."""

    code: int
    out: str

    @property
    def flat(self) -> str:
        """The output with every run of whitespace (line wrapping) made one space."""
        return " ".join(self.out.split())


Fill = Callable[..., Run]


def text(*lines: str) -> list[str]:
    """Answer lines for a multi-line question: the lines then the "." line."""
    return [*lines, "."]


def entry(
    *,
    status: str = "g",
    started: str = "01/04/2018",
    target: str = "31/03/2023",
    completed: str | None = None,
    responsible: str = "Ann Other, Ambassador lead",
    action: list[str] | None = None,
    next_steps: list[str] | None = None,
    risks: list[str] | None = None,
) -> list[str]:
    """Answers for the questions about one action, in order."""
    answers = [status, started, target]
    if completed is not None:
        answers.append(completed)
    answers.append(responsible)
    answers += action if action is not None else text("Trained 12 ambassadors.", "Two venues.")
    answers += next_steps if next_steps is not None else text("Train 10 more.")
    answers += risks if risks is not None else [""]
    return answers


NO_CONTRIBUTIONS = [""]
NO_KPIS = ["n"]


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
