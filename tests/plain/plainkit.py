"""Answer scripts and results for the plain-mode tests (the fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

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


def entry_answers(
    *,
    status: str = "g",
    started: str = "01/04/2018",
    target: str = "31/03/2023",
    completed: str | None = None,
    responsible: list[str] | None = None,
    action: list[str] | None = None,
    next_steps: list[str] | None = None,
    risks: list[str] | None = None,
) -> list[str]:
    """Answers for the questions about one action, in order (one person responsible a line)."""
    answers = [status, started, target]
    if completed is not None:
        answers.append(completed)
    answers += responsible if responsible is not None else text("Ann Other, Ambassador lead")
    answers += action if action is not None else text("Trained 12 ambassadors.", "Two venues.")
    answers += next_steps if next_steps is not None else text("Train 10 more.")
    answers += risks if risks is not None else [""]
    return answers


NO_CONTRIBUTIONS = [""]
NO_KPIS = ["n"]
