"""What the partner screens look like at 80x24 and 120x40 (nothing may be cut off).

Regenerate after a deliberate change with ``pytest tests/tui --snapshot-update`` and look at
the SVGs before committing them. "Today" is pinned and paths are relative, so they are stable.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from partner_helpers import Env, complete_return, make_app, remember
from textual.pilot import Pilot

SIZES = [(80, 24), (120, 40)]
Compare = Callable[..., bool]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_first_run(env: Env, snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_main(env: Env, snap_compare: Compare, size: tuple[int, int]) -> None:
    remember()
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_main_with_problems(env: Env, snap_compare: Compare, size: tuple[int, int]) -> None:
    remember()

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("enter", "tab")  # into the form, leave Status empty
        await pilot.press(*"31/02/2019", "tab")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_kpis(env: Env, snap_compare: Compare, size: tuple[int, int]) -> None:
    remember()
    assert snap_compare(make_app(), terminal_size=size, press=["f2"])


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_review_with_problems(env: Env, snap_compare: Compare, size: tuple[int, int]) -> None:
    remember()
    assert snap_compare(make_app(), terminal_size=size, press=["f3"])


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_review_ready(env: Env, snap_compare: Compare, size: tuple[int, int]) -> None:
    remember()

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        complete_return(pilot.app)  # type: ignore[arg-type]
        await pilot.press("f3")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_help(env: Env, snap_compare: Compare, size: tuple[int, int]) -> None:
    remember()
    assert snap_compare(make_app(), terminal_size=size, press=["f1"])


def test_high_contrast(env: Env, snap_compare: Compare) -> None:
    remember()
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["ctrl+t"])


def test_no_color(env: Env, snap_compare: Compare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    remember()
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["f3"])
