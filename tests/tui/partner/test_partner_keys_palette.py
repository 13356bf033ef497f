"""Help lists every key; ``?`` only when not typing; the command palette reaches everything."""

from __future__ import annotations

from partner_helpers import Env, go_to_field, make_app, remember, type_text, wait_for
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, TextArea

from dapreturn.tui.partner.screens.help import HelpScreen, key_words
from dapreturn.tui.partner.screens.kpis import KpiScreen
from dapreturn.tui.partner.screens.main import MainScreen
from dapreturn.tui.partner.screens.pickers import MessageScreen, PeriodPicker
from dapreturn.tui.partner.screens.review import ReviewScreen
from dapreturn.tui.themes import DEFAULT_THEME, HIGH_CONTRAST_THEME
from dapreturn.tui.widgets.entry_form import EntryForm


async def test_f1_and_question_mark_open_help_listing_every_key(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(
            str(cell)
            for w in app.screen.query(".help-table")
            for column in w.content.columns  # type: ignore[union-attr]
            for cell in column.cells
        )
        for binding in [*MainScreen.BINDINGS, *KpiScreen.BINDINGS, *ReviewScreen.BINDINGS]:
            assert key_words(binding.key) in shown  # type: ignore[union-attr]
        for words in ("Ctrl+N", "Ctrl+B", "F2", "F3 or Ctrl+R", "F1", "Ctrl+Q", "Ctrl+P"):
            assert words in shown
        await pilot.press("escape")
        await pilot.press("question_mark")  # the list has the focus: ? is help
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")


async def test_question_mark_is_text_while_typing(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "next_steps")
        await type_text(pilot, "Why?")
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one("#field-next_steps", TextArea).text == "Why?"
        await go_to_field(pilot, "started")
        await type_text(pilot, "?")
        assert isinstance(app.screen, MainScreen)
        assert app.focused is not None and isinstance(app.focused, Input)


async def _palette(pilot, app, words: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await type_text(pilot, words)
    commands = app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: commands.option_count > 0)
    await pilot.pause(0.1)  # let the search finish ranking
    await pilot.press("enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))
    await pilot.pause()


async def test_palette_jumps_to_an_action(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _palette(pilot, app, "go to action 3l")
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(EntryForm).ref == "3l"
        assert app.focused is not None and app.focused.id == "field-status"


async def test_palette_kpis_review_and_period(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _palette(pilot, app, "KPI figures")
        assert isinstance(app.screen, KpiScreen)
        await pilot.press("escape")
        await pilot.pause()
        await _palette(pilot, app, "review and sign")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.pause()
        await _palette(pilot, app, "switch period")
        assert isinstance(app.screen, PeriodPicker)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: str(getattr(app.session, "period", "")) == "2018/19 Q4")


async def test_palette_opens_drafts_folder_with_its_path(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _palette(pilot, app, "drafts folder")
        assert isinstance(app.screen, MessageScreen)
        path = app.screen.query_one("#detail", Input).value
        assert path.startswith(str(env.home / "drafts"))


async def test_high_contrast_toggle_is_remembered(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        await _palette(pilot, app, "high contrast")
        assert app.theme == HIGH_CONTRAST_THEME
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == HIGH_CONTRAST_THEME
        await pilot.press("ctrl+t")
        assert again.theme == DEFAULT_THEME


def test_key_words() -> None:
    assert key_words("f3,ctrl+r") == "F3 or Ctrl+R"
    assert key_words("question_mark") == "?"
    assert key_words("escape,f2") == "Esc or F2"


async def test_palette_changes_answers_and_escape_keeps_them(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _palette(pilot, app, "change organisation")
        from dapreturn.tui.partner.screens.setup import SetupScreen

        assert isinstance(app.screen, SetupScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await _palette(pilot, app, "change organisation")
        assert app.focused is not None and app.focused.id == "name"
        await pilot.press("ctrl+u")
        await type_text(pilot, "Ann Other")
        await pilot.press("ctrl+g")
        await wait_for(
            pilot,
            lambda: (
                getattr(app.session, "ret", None) is not None
                and app.session.ret.prepared_by == "Ann Other, Service Manager"
            ),  # type: ignore[union-attr]
        )
        assert isinstance(app.screen, MainScreen)
        assert app.session is not None
        assert str(app.session.period) == "2018/19 Q3"
