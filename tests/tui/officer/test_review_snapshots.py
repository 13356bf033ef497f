"""SVG snapshots of every officer screen at 80x24 (and the inbox at 120x40), dates pinned.

Update with ``pytest tests/tui/test_review_snapshots.py --snapshot-update`` after checking the
pictures (``__snapshots__/test_review_snapshots/``): nothing may be cut off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from officer_helpers import Env, loaded, make_app, type_text
from textual.pilot import Pilot
from textual.widgets import Input

Compare = Callable[..., bool]


def after(*steps: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Wait for the folder to load, then press each key (``=words`` types the words)."""

    async def run(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        for step in steps:
            if step.startswith("="):
                await type_text(pilot, step[1:])
            else:
                await pilot.press(step)
            await pilot.pause()
        await loaded(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor would make the picture flaky
        await pilot.pause()

    return run


def shot(snap_compare: Compare, *steps: str, size: tuple[int, int] = (80, 24)) -> bool:
    """Compare the app after ``steps`` with its snapshot."""
    return bool(snap_compare(make_app(), terminal_size=size, run_before=after(*steps)))


def test_review_inbox_80x24(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare)


def test_review_inbox_120x40(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, size=(120, 40))


def test_review_inbox_filtered(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "slash", "=Q3")


def test_review_inbox_no_color(
    env: Env, snap_compare: Compare, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert shot(snap_compare, "down", "down", "down")


def test_review_dashboard(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "2")


def test_review_dashboard_chart(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "2", "pagedown")


def test_review_dashboard_actions(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "2", "end")


def test_review_history(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "a", "=3l", "enter")


def test_review_kpis(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "4")


def test_review_trust_view(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "5")


def test_review_trust_dialog(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "5", "enter", "=DW")


def test_review_decision_dialog(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "slash", "=late", "enter", "d")


def test_review_export_dialog(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "e")


def test_review_period_picker(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "2", "p")


def test_review_help(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "f1")


def test_review_whole_return(env: Env, snap_compare: Compare) -> None:
    assert shot(snap_compare, "slash", "=BCC-COMM Q3", "enter", "v")
