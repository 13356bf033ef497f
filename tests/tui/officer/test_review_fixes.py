"""Officer-app fixes seen while making the board pack, each driven by keyboard (Pilot).

Every test here failed on the code before its fix: the trust view listed only untrusted keys;
after trusting a key the next key typed went into the filter; ↓ did not leave the filter; the
decision dialog's highlight started on "Accepted"; Esc threw typed comments away; "Accepted"
was skipped on a bad signature with no word why; a folder named like a return was not listed.
"""

from __future__ import annotations

from officer_helpers import NOW, Env, loaded, make_app, type_text
from test_review_decisions import pick
from textual.widgets import DataTable, Input, RadioSet, Static, TextArea

from builders import partner_key, sample_plan
from dapreturn.core.collection.records import FileRecord
from dapreturn.core.collection.scan import FOLDER_REFUSAL
from dapreturn.core.returns.model import Entry, Return
from dapreturn.core.review.trusting import NOT_RECORDED, added_at, stamped
from dapreturn.core.signing.files import VerdictState
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.trust import load_trust, parse_trust
from dapreturn.tui.officer.return_text import whole_return
from dapreturn.tui.officer.screens.confirm_dialog import DiscardDialog
from dapreturn.tui.officer.screens.inbox import InboxView
from dapreturn.tui.officer.screens.review_dialog import ReviewDialog
from dapreturn.tui.officer.screens.trust import TrustView
from dapreturn.tui.officer.screens.trust_dialog import TrustDialog
from dapreturn.tui.officer.screens.whole_return import WholeReturnScreen


async def test_after_trusting_a_key_the_next_key_is_not_filter_text(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pick(pilot, "unknown")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TrustDialog)
        await type_text(pilot, "DWP")
        await pilot.press("enter")
        await loaded(pilot)
        filter_box = app.main.query_one("#inbox-filter", Input)
        assert not filter_box.has_focus
        await pilot.press("s")  # a command key, not text
        await pilot.pause()
        assert filter_box.value == "unknown"
        assert isinstance(app.focused, DataTable)


async def test_down_moves_from_the_filter_into_the_list(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Q3")
        assert isinstance(app.focused, Input)
        await pilot.press("down")
        await pilot.pause()
        table = app.main.query_one("#inbox-table", DataTable)
        assert app.focused is table
        await pilot.press("down")  # and on down the list
        await pilot.pause()
        assert table.cursor_row == 1
        assert app.main.query_one("#inbox-filter", Input).value == "Q3"


async def test_reloading_keeps_the_keyboard_in_the_list(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("f5")
        await loaded(pilot)
        assert app.focused is app.main.query_one("#inbox-table", DataTable)


async def test_decision_highlight_starts_on_the_chosen_option(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pick(pilot, "BCC-COMM Q3")
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        radio = dialog.query_one("#decision", RadioSet)
        assert radio.pressed_button is not None
        assert radio.pressed_button.id == "decision-none"
        await pilot.press("enter")  # presses the highlighted option: it must be the chosen one
        await pilot.pause()
        assert radio.pressed_button is not None
        assert radio.pressed_button.id == "decision-none"
        await pilot.press("up", "enter")
        await pilot.pause()
        assert radio.pressed_button.id == "decision-query_raised"


async def test_bad_signature_says_why_accepted_is_not_offered(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pick(pilot, "BAD SIGNATURE")
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        why = str(dialog.query_one("#accept-why", Static).render())
        assert "Accepted is not offered" in why
        assert "BAD SIGNATURE" in why
        await pilot.press("escape")
        await pick(pilot, "BCC-COMM Q3")  # a verified return: nothing to explain
        await pilot.press("d")
        await pilot.pause()
        assert not app.screen.query("#accept-why")


async def test_escape_asks_before_throwing_a_typed_comment_away(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pick(pilot, "BCC-COMM Q3")
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        dialog.query_one("#comment", TextArea).focus()
        await type_text(pilot, "Half a thought")
        await pilot.press("escape")
        await pilot.pause()
        asking = app.screen
        assert isinstance(asking, DiscardDialog)
        assert "the overall comment" in str(asking.query_one("#discard-text", Static).render())
        await pilot.press("escape")  # keep editing: back with the text as typed
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.query_one("#comment", TextArea).text == "Half a thought"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert app.screen is app.main
    assert not (env.folder / "review-ledger.toml").exists()


async def test_escape_with_nothing_typed_closes_at_once(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main


async def test_v_shows_one_whole_return_as_text(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pick(pilot, "BCC-COMM Q3")
        record = app.main.query_one(InboxView).shown[0].record
        assert record.ret is not None
        await pilot.press("v")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WholeReturnScreen)
        text = str(screen.query_one("#whole-text", Static).render())
        for entry in record.ret.entries:
            assert entry.ref in text
            for value in (entry.action_taken, entry.next_steps, entry.risks):
                for line in value.splitlines():
                    assert line in text
        for name in ("Action taken", "Next steps", "Risks", "Responsible", "Target", "Started"):
            assert f"{name}: " in text
        for figure in record.ret.kpis:
            assert figure.id in text
        assert "KPI figures" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        await pilot.press("v")  # and from reading straight on to deciding
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        assert dialog.record is record


def test_whole_return_text_is_never_markup(env: Env) -> None:
    ret = Return(
        plan="test-daps",
        period="2018/19 Q3",
        partner="BSWA",
        prepared_by="[bold]Ann[/bold]",
        entries=[Entry(ref="1a", action_taken="[red]done[/red] and [link=x]more[/link]")],
    )
    record = FileRecord(
        path=env.folder / "x.toml", rel="x.toml", state=VerdictState.VERIFIED, reason="", ret=ret
    )
    text = whole_return(record, sample_plan(), None)
    assert "[bold]Ann[/bold]" in text.plain
    assert "[red]done[/red] and [link=x]more[/link]" in text.plain


async def test_trust_view_lists_every_key_with_when_it_was_added(env: Env) -> None:
    trusted_before = len(load_trust(env.trust_file).entries)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("5")
        await pilot.pause()
        view = app.main.query_one(TrustView)
        states = [r.state for r in view.rows]
        assert states == ["? not trusted"] + ["✓ trusted"] * trusted_before
        assert {r.added for r in view.rows if r.trusted} == {NOT_RECORDED}  # written by hand
        bswa = next(r for r in view.rows if r.trusted and r.partners == "BSWA")
        assert bswa.files and all(f.partner == "BSWA" for f in bswa.files)
        table = app.main.query_one("#trust-table", DataTable)
        assert table.row_count == 1 + trusted_before
        await pilot.press("enter")  # the waiting key (DWP) first
        await pilot.pause()
        await type_text(pilot, "DWP")
        await pilot.press("enter")
        await loaded(pilot)
        view = app.main.query_one(TrustView)
        assert all(r.trusted for r in view.rows)
        dwp = next(r for r in view.rows if r.partners == "DWP")
        assert dwp.added == f"{NOW:%Y-%m-%d %H:%M} UTC"
        assert [f.partner for f in dwp.files] == ["DWP"]
        await pilot.press("enter")  # a trusted key: said so, nothing asked
        await pilot.pause()
        assert app.screen is app.main


def test_the_added_stamp_reads_back_from_the_trust_list() -> None:
    line = allowed_signers_line("BSWA", partner_key("BSWA").public_key())
    (entry,) = parse_trust(stamped(line, NOW) + "\n", "t").entries
    assert added_at(entry) == "2019-03-01 12:00 UTC"
    (plain,) = parse_trust(line + " a note\n", "t").entries
    assert added_at(plain) == NOT_RECORDED


async def test_a_folder_named_like_a_return_is_listed_with_the_reason(env: Env) -> None:
    (env.folder / "y.toml").mkdir()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        rows = {r.key: r for r in app.main.query_one(InboxView).shown}
        assert len(rows) == 14
        assert rows["y.toml/"].record.reason == FOLDER_REFUSAL
        assert rows["y.toml/"].signature.startswith("✗")
        await pick(pilot, "y.toml")
        detail = str(app.main.query_one("#inbox-detail", Static).render())
        assert "a folder, not a file" in detail
