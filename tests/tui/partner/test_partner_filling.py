"""Filling in an action by keyboard: values reach the return, the list shows the state."""

from __future__ import annotations

from datetime import date

from partner_helpers import (
    Env,
    choose_status,
    field_error,
    go_to_field,
    list_line,
    make_app,
    remember,
    text_of,
    type_text,
)
from textual.widgets import TextArea

from dapreturn.core.filling import EntryState
from dapreturn.tui.widgets.action_list import ActionList
from dapreturn.tui.widgets.entry_form import EntryForm
from dapreturn.tui.widgets.status_bar import StatusBar


async def test_fill_an_action_by_keyboard_only(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        actions = app.screen.query_one(ActionList)
        assert app.focused is actions
        await pilot.press("enter")  # edit the highlighted action (2a)
        await choose_status(pilot, "on_track")
        await pilot.press("tab")
        await type_text(pilot, "1 Apr 2018")
        await pilot.press("tab")
        await type_text(pilot, "2020-03-31")
        await pilot.press("tab", "tab")  # past Completed, left empty
        await type_text(pilot, "Jo Bloggs, trainer\nSam Patel, coordinator")
        await pilot.press("tab")
        await type_text(pilot, "Trained 40 staff in two sessions.")
        await pilot.press("tab")  # no last-period panel without a previous return
        await type_text(pilot, "Book the spring sessions.")
        await pilot.press("tab")
        await pilot.pause()
        entry = session.entry("2a")
        assert entry.status == "on_track"
        assert entry.started == date(2018, 4, 1)
        assert entry.target == date(2020, 3, 31)
        assert entry.completed is None
        assert entry.responsible == ["Jo Bloggs, trainer", "Sam Patel, coordinator"]
        assert entry.action_taken == "Trained 40 staff in two sessions."
        assert entry.next_steps == "Book the spring sessions."
        assert session.state("2a") is EntryState.COMPLETE
        assert list_line(pilot, "2a").startswith("● 2a   G   Joint training")
        assert list_line(pilot, "3l").startswith("○ 3l   --  Ask Me")
        bar = app.screen.query_one(StatusBar)
        assert "1 of 2 actions complete" in text_of(bar)
        # The date the box understood is shown back unambiguously.
        started = app.screen.query_one("#field-started .date-feedback")
        assert "Sun 1 Apr 2018" in text_of(started)
        assert field_error(pilot, "status") == ""


async def test_next_and_previous_action_keys(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        from dapreturn.tui.widgets.entry_form import EntryForm

        form = app.screen.query_one(EntryForm)
        assert form.ref == "2a"
        await pilot.press("ctrl+n")
        assert form.ref == "3l"
        await pilot.press("ctrl+n")
        assert form.ref == "2a"  # wraps round
        await pilot.press("ctrl+b")
        assert form.ref == "3l"
        await pilot.press("enter")
        await type_text(pilot, "x")  # typing in the form does not move
        await pilot.press("ctrl+b")
        assert form.ref == "2a"
        assert app.focused is not None and app.focused.id == "field-status"


async def test_a_letter_in_the_status_box_picks_the_status_starting_with_it(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # into the first action's form: the status box
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "field-status"
        await pilot.press("c")
        await pilot.pause()
        assert app.session is not None
        ref = app.screen.query_one(EntryForm).ref
        assert ref is not None and app.session.entry(ref).status == "complete"
        await pilot.press("o")
        await pilot.pause()
        assert app.session.entry(ref).status == "on_track"
        await pilot.press("s")  # "Some delay / at risk"
        await pilot.pause()
        assert app.session.entry(ref).status == "at_risk"


async def test_ctrl_a_selects_all_in_a_text_box(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await go_to_field(pilot, "action_taken")
        await type_text(pilot, "First line\nsecond line")
        await pilot.press("ctrl+a")
        await pilot.pause()
        box = app.focused
        assert isinstance(box, TextArea)
        assert box.selected_text == "First line\nsecond line"
        await type_text(pilot, "Replaced")
        await pilot.pause()
        assert box.text == "Replaced"
