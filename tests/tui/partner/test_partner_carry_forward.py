"""A new period starts from last period's signed return; narratives start empty, shown beside."""

from __future__ import annotations

from datetime import date

from partner_helpers import (
    Env,
    field_error,
    fill_field,
    go_to_field,
    list_line,
    make_app,
    remember,
    signed_return,
    text_of,
)
from textual.widgets import Collapsible, TextArea

from builders import entry
from dapreturn.core.filling import EntryState
from dapreturn.tui.partner.screens.main import MainScreen


def _previous(env: Env) -> None:
    signed_return(
        env.out_dir,
        [
            entry(
                "2a",
                status="at_risk",
                started=date(2018, 4, 1),
                target=date(2019, 3, 31),
                responsible=["Jo Bloggs, trainer"],
                action_taken="Booked the trainers.",
                next_steps="Run the first two sessions.",
                risks="Venue not confirmed.",
            ),
            entry("3l", status="not_started", target=date(2020, 3, 31)),
            entry("1a", role="contributor", status="on_track", action_taken="Promoted it."),
        ],
    )


async def test_new_period_carries_forward_last_signed_return(env: Env) -> None:
    remember()
    _previous(env)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        session = app.session
        assert session is not None
        assert "Carried forward from your signed return for 2018/19 Q2" in session.origin
        carried = session.entry("2a")
        assert (carried.status, carried.started, carried.target) == (
            "at_risk",
            date(2018, 4, 1),
            date(2019, 3, 31),
        )
        assert carried.responsible == ["Jo Bloggs, trainer"]
        assert (carried.action_taken, carried.next_steps, carried.risks) == ("", "", "")
        assert session.entry("1a").role == "contributor"  # contributions carry too
        # Last period's words are visible under each narrative box, for reference.
        box = app.screen.query_one("#last-action_taken", Collapsible)
        assert box.display and not box.collapsed
        assert box.title == "Last period (2018/19 Q2)"
        assert text_of(app.screen.query_one("#lasttext-action_taken")) == "Booked the trainers."
        assert text_of(app.screen.query_one("#lasttext-risks")) == "Venue not confirmed."
        assert app.screen.query_one("#field-action_taken", TextArea).text == ""
        # Carried entries still need this period's narrative.
        assert session.state("2a") is EntryState.IN_PROGRESS


async def test_target_moved_is_flagged_and_needs_a_reason(env: Env) -> None:
    remember()
    _previous(env)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        assert not app.screen.query_one("#target-moved").display
        await go_to_field(pilot, "target")
        await pilot.press("ctrl+u")
        await fill_field(pilot, "target", "30/09/2019")
        notice = app.screen.query_one("#target-moved")
        assert notice.display
        assert "Target moved: last period it was Sun 31 Mar 2019, now Mon 30 Sep 2019" in (
            text_of(notice)
        )
        assert "[target moved]" in list_line(pilot, "2a")
        await fill_field(pilot, "risks", "")
        assert field_error(pilot, "risks").startswith("✗ describe the risks or issues")
        problems = [p.message for p in session.problems("2a") if p.field == "risks"]
        assert any("target moved from Sun 31 Mar 2019 to Mon 30 Sep 2019" in m for m in problems)
        await fill_field(pilot, "risks", "Trainer left; new one starts in June.")
        assert not [p for p in session.problems("2a") if p.field == "risks"]


async def test_collapsing_the_last_period_panel(env: Env) -> None:
    remember()
    _previous(env)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_field(pilot, "action_taken")
        await pilot.press("tab")  # the panel's title
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#last-action_taken", Collapsible).collapsed


async def test_no_panel_without_a_previous_return(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#last-action_taken").display


async def test_a_return_not_signed_with_this_computers_key_is_not_carried_forward(
    env: Env,
) -> None:
    """A demo file or a colleague's copy in the folder is not the lead's own last return."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    remember()
    signed_return(
        env.out_dir,
        [entry("2a", status="at_risk", action_taken="Someone else's words.")],
        key=Ed25519PrivateKey.generate(),
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        assert "Carried forward" not in session.origin
        assert session.entry("2a").status == ""
