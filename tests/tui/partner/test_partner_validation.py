"""Each rule shows plainly at its field once the lead leaves the field."""

from __future__ import annotations

from datetime import date

from partner_helpers import (
    Env,
    choose_status,
    field_error,
    fill_field,
    go_to_field,
    list_line,
    make_app,
    remember,
    text_of,
    type_text,
)

from dapreturn.core.filling import EntryState
from dapreturn.tui.partner.app import PartnerApp


async def _start(env: Env) -> PartnerApp:
    remember()
    return make_app()


async def test_status_missing_shows_once_the_action_is_being_filled_in(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "status")
        assert field_error(pilot, "status") == ""  # nothing nags before the lead leaves
        await pilot.press("tab", "tab", "tab")  # tabbing through an untouched action ...
        await pilot.pause()
        assert field_error(pilot, "status") == ""  # ... says nothing
        assert list_line(pilot, "2a").startswith("○")  # and it stays untouched
        await fill_field(pilot, "started", "01/04/2018")  # now it is being filled in
        await go_to_field(pilot, "status")
        await pilot.press("tab")
        await pilot.pause()
        assert field_error(pilot, "status") == "✗ choose a status"
        await go_to_field(pilot, "status")
        await choose_status(pilot, "on_track")
        assert field_error(pilot, "status") == ""


async def test_opening_the_status_list_is_not_leaving_it(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "status")
        await pilot.press("enter")  # the drop-down opens
        await pilot.pause()
        assert field_error(pilot, "status") == ""
        await pilot.press("escape")


async def test_done_without_completed_date(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "status")
        await choose_status(pilot, "complete")
        await fill_field(pilot, "completed", "")
        assert field_error(pilot, "completed") == (
            "✗ give the date it was completed (status is Complete)"
        )
        await fill_field(pilot, "completed", "10/01/2019")
        assert field_error(pilot, "completed") == ""


async def test_completed_in_the_future(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "status")
        await choose_status(pilot, "complete")
        await fill_field(pilot, "completed", "1 Feb 2019")  # "today" is 15 Jan 2019
        assert field_error(pilot, "completed") == "✗ Fri 1 Feb 2019 is in the future"


async def test_target_before_start(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill_field(pilot, "started", "31/03/2019")
        await type_text(pilot, "2018-04-01")  # Tab moved the cursor to Target
        await pilot.press("tab")
        await pilot.pause()
        assert field_error(pilot, "target") == "✗ target Sun 1 Apr 2018 is before the start date"


async def test_action_taken_missing(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "status")
        await choose_status(pilot, "on_track")
        await fill_field(pilot, "action_taken", "")
        assert field_error(pilot, "action_taken") == "✗ say what was done this period"
        await fill_field(pilot, "action_taken", "Ran two sessions.")
        assert field_error(pilot, "action_taken") == ""


async def test_not_started_needs_no_action_taken(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "status")
        await choose_status(pilot, "not_started")
        await fill_field(pilot, "action_taken", "")
        assert field_error(pilot, "action_taken") == ""
        assert app.session is not None and app.session.state("2a") is EntryState.COMPLETE


async def test_risks_missing_when_at_risk(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "status")
        await choose_status(pilot, "at_risk")
        await fill_field(pilot, "risks", "")
        assert field_error(pilot, "risks") == (
            "✗ describe the risks or issues (status is Some delay / at risk)"
        )
        assert list_line(pilot, "2a").startswith("✗ 2a   A")


async def test_bad_date_text_says_what_is_wrong(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "started")
        await type_text(pilot, "31/02/2019")
        feedback = app.screen.query_one("#field-started .date-feedback")
        assert text_of(feedback) == ""  # not while typing
        await pilot.press("tab")
        await pilot.pause()
        assert text_of(feedback) == "✗ '31/02/2019': February 2019 has 28 days, not 31"
        # Shown once (by the date box), and it counts as a problem of the entry.
        assert field_error(pilot, "started") == ""
        assert app.session is not None
        assert [p.field for p in app.session.problems("2a")] == ["started", "status"]
        assert app.session.state("2a") is EntryState.ERRORS
        # Correcting it shows the date understood.
        await go_to_field(pilot, "started")
        await pilot.press("ctrl+u")
        await type_text(pilot, "28 Feb 2019")
        assert text_of(feedback) == "✓ Thu 28 Feb 2019"
        assert [p.field for p in app.session.problems("2a")] == ["status"]


async def test_words_for_a_date_that_is_not_one(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill_field(pilot, "target", "next spring")
        feedback = app.screen.query_one("#field-target .date-feedback")
        assert "'next spring' is not a date; write it like 31/03/2019" in text_of(feedback)


async def test_the_date_understood_stays_in_view_while_typing(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "status")
        await pilot.press("tab", "tab", "tab")  # Started, Target, Completed
        await type_text(pilot, "1 Jan 2019")
        await pilot.pause()
        from dapreturn.tui.widgets.entry_form import EntryForm

        feedback = app.screen.query_one("#field-completed .date-feedback")
        assert text_of(feedback) == "✓ Tue 1 Jan 2019"
        form = app.screen.query_one(EntryForm)
        assert feedback.region.height > 0
        assert form.region.contains_region(feedback.region)


async def test_a_bad_date_stays_in_its_box_after_leaving_the_action(env: Env) -> None:
    from dapreturn.tui.widgets.date_input import DateInput

    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await fill_field(pilot, "started", "31/02/2019")
        assert "February 2019 has 28 days" in text_of(
            app.screen.query_one("#field-started .date-feedback")
        )
        await pilot.press("ctrl+n")  # the next action ...
        await pilot.pause()
        await pilot.press("ctrl+b")  # ... and back
        await pilot.pause()
        box = app.screen.query_one("#field-started", DateInput)
        assert box.text == "31/02/2019"  # not the placeholder
        assert "February 2019 has 28 days" in text_of(box.query_one(".date-feedback"))
        # mending it clears the kept text: the next visit shows the date understood
        await go_to_field(pilot, "started")
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "28/02/2019")
        await pilot.press("tab", "ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert box.value == date(2019, 2, 28)
        assert app.session is not None and app.session.typed_text("2a", "started") is None


async def test_each_required_field_says_so_for_the_chosen_status(env: Env) -> None:
    app = await _start(env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

        def label(name: str) -> str:  # without the focus marker
            return text_of(app.screen.query_one(f"#label-{name}")).removeprefix("▶ ")

        assert label("status") == "Status · required"
        assert label("risks") == "Risks / issues"
        await choose_status(pilot, "at_risk")
        assert label("risks") == "Risks / issues · required"
        assert label("action_taken") == "Action taken this period · required"
        assert label("next_steps") == "Next steps"
        await choose_status(pilot, "complete")
        assert label("completed") == "Completed (only when the status is done) · required"
        assert label("risks") == "Risks / issues"
