"""Adding an action contributed to, and the KPI figures (checked when leaving each box)."""

from __future__ import annotations

from partner_helpers import Env, list_line, make_app, remember, text_of, type_text
from textual.widgets import OptionList

from dapreturn.core.filling.review import all_problems
from dapreturn.tui.partner.screens.kpis import KpiScreen
from dapreturn.tui.partner.screens.main import MainScreen
from dapreturn.tui.partner.screens.pickers import ActionPicker
from dapreturn.tui.widgets.action_list import ADD_ID, KPIS_ID, ActionList
from dapreturn.tui.widgets.entry_form import EntryForm
from dapreturn.tui.widgets.kpi_row import KpiRow


async def test_add_an_action_you_contribute_to(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        actions = app.screen.query_one(ActionList)
        actions.highlight_id(ADD_ID)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionPicker)
        choices = app.screen.query_one(OptionList)
        assert [o.id for o in choices.options] == ["1a", "3d"]  # not the ones already there
        await type_text(pilot, "health")
        assert [o.id for o in choices.options] == ["3d"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        session = app.session
        assert session is not None
        entry = session.entry("3d")
        assert entry.role == "contributor"
        assert app.screen.query_one(EntryForm).ref == "3d"
        assert app.focused is not None and app.focused.id == "field-status"
        assert list_line(pilot, "3d").startswith("○ 3d")
        assert actions.refs() == ["2a", "3l", "3d"]
        details = text_of(app.screen.query_one("#details"))
        assert "you contribute to this" in details
        assert "Leads: BCC-COMM (Birmingham City Council Commissioning)" in details
        await pilot.pause(1.2)  # autosaved
    assert session.ret.entry("3d") is not None


async def test_down_arrow_from_the_picker_filter_picks_from_the_list(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ActionPicker)
        choices = app.screen.query_one(OptionList)
        await pilot.press("down")
        assert app.focused is choices and choices.highlighted == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.session is not None
        added = app.session.ret.entry("3d")
        assert added is not None and added.role == "contributor"


async def test_add_action_key_and_escape(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ActionPicker)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.session is not None and len(app.session.ret.entries) == 2


async def test_kpi_entry_with_checks(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one(ActionList).highlight_id(KPIS_ID)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, KpiScreen)
        k1, k2 = app.screen.query(KpiRow)
        # K1 is a count: 12.5 is refused when the lead leaves the box.
        await type_text(pilot, "12.5")
        await pilot.press("tab")
        await pilot.pause()
        assert "12.5 is not a count" in text_of(k1.query_one(".field-error"))
        await pilot.press("shift+tab", "ctrl+u")
        await type_text(pilot, "1,204")
        await pilot.press("tab")
        await type_text(pilot, "From the helpline log")
        await pilot.press("tab")
        await pilot.pause()
        assert not k1.query_one(".field-error").display
        # K2 is a percentage: 150 is refused, text that is no number is explained.
        await type_text(pilot, "150%")
        await pilot.press("tab")
        await pilot.pause()
        assert text_of(k2.query_one(".field-error")) == "✗ 150 is not a percentage (0-100)"
        await pilot.press("shift+tab", "ctrl+u")
        await type_text(pilot, "about half")
        await pilot.press("tab")
        await pilot.pause()
        assert "'about half' is not a number" in text_of(k2.query_one(".field-error"))
        await pilot.press("shift+tab", "ctrl+u")
        await type_text(pilot, "62.5")
        await pilot.press("tab")
        await pilot.pause()
        assert not k2.query_one(".field-error").display
        session = app.session
        assert session is not None
        assert session.kpis.figure("K1").value == 1204
        assert session.kpis.figure("K1").note == "From the helpline log"
        assert session.kpis.figure("K2").value == 62.5
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        kpi_line = app.screen.query_one(ActionList).get_option(KPIS_ID).prompt
        assert "2 of 2 given" in str(kpi_line)


async def test_unreadable_kpi_figure_blocks_signing(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "lots")
        await pilot.press("tab")
        assert app.session is not None
        fields = [p.field for p in all_problems(app.session)]
        assert "kpis.K1" in fields
