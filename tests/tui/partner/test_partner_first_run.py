"""First run: choose the organisation by typing a filter, say who prepares, pick the period."""

from __future__ import annotations

from partner_helpers import Q3, SMALL_PLAN, Env, make_app, remember, type_text
from textual.widgets import OptionList, Select

from dapreturn.core.config import load_config
from dapreturn.core.periods import Period
from dapreturn.tui.partner.screens.main import MainScreen
from dapreturn.tui.partner.screens.setup import SetupScreen


async def test_first_run_choose_partner_preparer_and_period(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        # The filter narrows the registry by name; Enter with one match takes it.
        await type_text(pilot, "women's")
        partners = app.screen.query_one("#partners", OptionList)
        shown = [o.id for o in partners.options if not o.disabled]
        assert shown == ["BSWA"]
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "name"
        await type_text(pilot, "Jo Bloggs")
        await pilot.press("tab")
        await type_text(pilot, "Service Manager")
        # The period defaults to the quarter just ended; pick the one before it.
        period_box = app.screen.query_one("#period", Select)
        assert period_box.value == Q3.slug
        await pilot.press("tab", "enter")
        await pilot.pause()
        await pilot.press("up", "enter")
        await pilot.pause()
        assert period_box.value == Period(2018, 2).slug
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        session = app.session
        assert session is not None
        assert session.partner == "BSWA"
        assert str(session.period) == "2018/19 Q2"
        assert session.ret.prepared_by == "Jo Bloggs, Service Manager"
        assert [e.ref for e in session.ret.entries] == ["2a", "3l"]
    config = load_config()
    assert (config.partner, config.prepared_by) == ("BSWA", "Jo Bloggs, Service Manager")
    assert config.plan == str(SMALL_PLAN)


async def test_filter_by_code_and_pick_from_list(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "b")  # BSWA and BCC-COMM (and "Birmingham")
        await pilot.press("enter")  # several match: go to the list
        partners = app.screen.query_one("#partners", OptionList)
        assert app.focused is partners
        await pilot.press("down", "down", "enter")
        assert app.screen.query_one("#partner-chosen").render()
        await type_text(pilot, "Sam")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.session is not None and app.session.partner == "BCC-COMM"
        assert app.session.ret.prepared_by == "Sam"


async def test_down_arrow_moves_from_the_filter_into_the_list(env: Env) -> None:
    """What a person does after typing a filter: arrow down to the match and press Enter."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "b")
        partners = app.screen.query_one("#partners", OptionList)
        shown = [o.id for o in partners.options if not o.disabled]
        await pilot.press("down")
        assert app.focused is partners and partners.highlighted == 0
        await pilot.press("down", "enter")
        assert app.focused is not None and app.focused.id == "name"
        assert f"Chosen: {shown[1]}" in str(app.screen.query_one("#partner-chosen").render())
        await pilot.press("down")  # in the name box, down is not hijacked
        assert app.focused.id == "name"


async def test_setup_refuses_missing_answers(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        error = str(app.screen.query_one("#setup-error").render())
        assert "Choose your organisation" in error
        assert "Give your name" in error


async def test_remembered_answers_skip_first_run(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.session is not None and app.session.period == Q3


async def test_command_line_prefills_partner_and_period(env: Env) -> None:
    app = make_app(partner="WMP", period="2018/19 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.focused is not None and app.focused.id == "name"
        await type_text(pilot, "Pat")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.session is not None
        assert (app.session.partner, str(app.session.period)) == ("WMP", "2018/19 Q1")


async def test_command_line_period_used_when_everything_is_remembered(env: Env) -> None:
    remember()
    app = make_app(period="Q1 2018/19")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session is not None and str(app.session.period) == "2018/19 Q1"
