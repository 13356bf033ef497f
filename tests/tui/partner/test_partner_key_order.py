"""Keys and pastes typed at machine speed land in the field that had focus, in order.

Each test hands the app a whole burst of input at once (as a paste, a fast typist or a
scripted terminal delivers it), without waiting between keys, then checks every field.
"""

from __future__ import annotations

from datetime import date

from partner_helpers import Env, make_app, remember, wait_for
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from dapreturn.tui.widgets.entry_form import EntryForm

Burst = list[str | events.Paste]
"""Text (typed key by key), key names in angle brackets (``<tab>``) or a paste."""


def key_events(burst: Burst) -> list[events.Key | events.Paste]:
    """The terminal events for ``burst``."""
    out: list[events.Key | events.Paste] = []
    for item in burst:
        if isinstance(item, events.Paste):
            out.append(item)
        elif item.startswith("<") and item.endswith(">") and len(item) > 2:
            out.append(events.Key(item[1:-1], None))
        else:
            for ch in item:
                out.append(events.Key("space" if ch == " " else ch, ch))
    return out


async def send_burst(pilot: Pilot[None], burst: Burst) -> None:
    """Post every event of ``burst`` at once, then wait until all of it has been handled."""
    app = pilot.app
    for event in key_events(burst):
        app.post_message(event)
    await pilot.pause()
    await wait_for(pilot, lambda: getattr(app, "input_waiting", 0) == 0, timeout=20)
    await pilot.pause(0.2)
    await pilot.pause()


async def open_first_action(pilot: Pilot[None]) -> EntryForm:
    """From the list, open the highlighted action with the cursor on its status."""
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.focused, Select)
    return pilot.app.screen.query_one(EntryForm)


def fields(ref: str) -> Burst:
    """A value for every typed field of an entry, each followed at once by Tab."""
    return [
        "<tab>",
        "1 Apr 2018",
        "<tab>",
        "2020-03-31",
        "<tab>",
        "<tab>",  # Completed stays empty
        f"Hub Project Lead {ref}, Commissioning",
        "<tab>",
        f"Trained 40 staff on {ref}; 14 of 20 actions closed.",
        "<tab>",
        f"Close remaining actions on {ref}.",
        "<tab>",
        f"No risks on {ref} this quarter.",
    ]


async def test_every_field_then_the_next_action_at_machine_speed(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_first_action(pilot)
        session = app.session
        assert session is not None
        first, second = [e.ref for e in session.entries()][:2]
        # One burst: every field of the first action, Ctrl+N, every field of the next.
        await send_burst(pilot, [*fields(first), "<ctrl+n>", *fields(second)])
        for ref in (first, second):
            entry = session.entry(ref)
            assert entry.started == date(2018, 4, 1), ref
            assert entry.target == date(2020, 3, 31), ref
            assert entry.completed is None, ref
            assert entry.responsible == [f"Hub Project Lead {ref}, Commissioning"], ref
            assert entry.action_taken == f"Trained 40 staff on {ref}; 14 of 20 actions closed."
            assert entry.next_steps == f"Close remaining actions on {ref}."
            assert entry.risks == f"No risks on {ref} this quarter."


async def test_backspaces_and_a_correction_in_one_burst(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_first_action(pilot)
        session = app.session
        assert session is not None
        ref = next(iter(session.entries())).ref
        burst: Burst = ["<tab>", "<tab>", "<tab>", "<tab>", "<tab>"]  # to What was done
        typo, fixed = "Reviewed by Jnue 20199", "viewed by June 2019"
        burst += [typo, *["<backspace>"] * 20, fixed]
        burst += ["<tab>", "Next: abcdefghijklmnopqrstuvwxyz", *["<backspace>"] * 20, "XYZ"]
        await send_burst(pilot, burst)
        entry = session.entry(ref)
        assert entry.action_taken == "Reviewed by June 2019"
        assert entry.next_steps == "Next: abcdefXYZ"


async def test_pastes_land_in_their_own_fields(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_first_action(pilot)
        session = app.session
        assert session is not None
        ref = next(iter(session.entries())).ref
        burst: Burst = ["<tab>", events.Paste("31/03/2019"), "<tab>", events.Paste("31 Mar 2020")]
        burst += ["<tab>", "<tab>", events.Paste("Amina Khan, Service Manager")]
        burst += ["<tab>", events.Paste("Line one.\nLine two."), "<tab>", events.Paste("Next.")]
        await send_burst(pilot, burst)
        entry = session.entry(ref)
        assert entry.started == date(2019, 3, 31)
        assert entry.target == date(2020, 3, 31)
        assert entry.responsible == ["Amina Khan, Service Manager"]
        assert entry.action_taken == "Line one.\nLine two."
        assert entry.next_steps == "Next."
        focused = app.focused
        assert isinstance(focused, TextArea | Input)


async def test_enter_in_a_date_box_moves_on_before_the_next_key(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_first_action(pilot)
        session = app.session
        assert session is not None
        ref = next(iter(session.entries())).ref
        await send_burst(pilot, ["<tab>", "1/4/2018", "<enter>", "31/3/2020", "<enter>", "x"])
        entry = session.entry(ref)
        assert entry.started == date(2018, 4, 1)
        assert entry.target == date(2020, 3, 31)
        assert app.screen.query_one("#field-completed").query_one(Input).value == "x"


async def test_first_run_answers_in_one_burst(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Organisation filter, Enter (one match), name, Tab, role, sign off: all in one go.
        await send_burst(
            pilot, ["women's", "<enter>", "Sam Carter", "<tab>", "Manager", "<ctrl+g>"]
        )
        await wait_for(pilot, lambda: app.session is not None)
        session = app.session
        assert session is not None
        assert session.partner == "BSWA"
        assert session.ret.prepared_by == "Sam Carter, Manager"
