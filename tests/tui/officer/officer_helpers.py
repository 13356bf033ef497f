"""Shared set-up for the officer-app tests (fixture: conftest.py): the scenario folder and the app.

Each test works in its own current folder holding ``returns/`` (built by
:func:`builders.build_scenario`), with its own ``DAPRETURN_HOME``; "today" and "now" are pinned.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from builders import TODAY, Scenario, other_plan, sample_plan
from dapreturn.tui.officer.app import ReviewApp
from dapreturn.tui.officer.screens.inbox import InboxView

NOW = datetime(2019, 3, 1, 12, 0, tzinfo=UTC)
"""The pinned "now" stamped on decisions and reports."""


@dataclass
class Env:
    """A test's folder of returns and where it runs."""

    cwd: Path
    scenario: Scenario

    @property
    def folder(self) -> Path:
        """The returns folder."""
        return self.scenario.folder

    @property
    def trust_file(self) -> Path:
        """The scenario's trust list (``returns/allowed_signers``)."""
        return self.scenario.trust_path


def make_app(folder: Path = Path("returns"), trust_file: Path | None = None) -> ReviewApp:
    """The officer app on ``folder`` with the test plan and pinned dates."""
    return ReviewApp(
        folder,
        trust_file=trust_file,
        plans={"test-daps": sample_plan(), "other-plan": other_plan()},
        today=TODAY,
        clock=lambda: NOW,
    )


async def loaded(pilot: Pilot[None]) -> None:
    """Wait until every load (and any write) has finished and the screen has caught up."""
    await pilot.pause()
    for _ in range(5):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not pilot.app.workers:
            break


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` key by key."""
    names = {" ": "space", "/": "slash", "?": "question_mark", ".": "full_stop", ",": "comma"}
    for ch in text:
        await pilot.press(names.get(ch, ch))


def inbox(app: ReviewApp) -> InboxView:
    """The inbox view of the main screen."""
    return app.main.query_one(InboxView)


def folder_state(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder``: SHA-256 and modification time (ns)."""
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
