"""Below 80x24 the partner app says the terminal is too small; at 80x24 it goes away again."""

from __future__ import annotations

from partner_helpers import Env, make_app, remember, text_of, wait_for

from dapreturn.tui.partner.screens.main import MainScreen
from dapreturn.tui.too_small import TooSmallScreen


async def test_too_small_says_so_and_goes_when_large_enough(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(70, 20)) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, TooSmallScreen) and bool(app.screen.query("#too-small")),
        )
        words = text_of(app.screen.query_one("#too-small"))
        assert "The terminal is too small: 70x20" in words and "at least 80x24" in words
        await pilot.resize_terminal(80, 23)
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, TooSmallScreen)
                and "80x23" in text_of(app.screen.query_one("#too-small"))
            ),
        )
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause(0.7)  # and it stays away
        assert isinstance(app.screen, MainScreen)


async def test_80x24_is_not_too_small(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.7)
        assert isinstance(app.screen, MainScreen)
