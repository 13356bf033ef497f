"""The officer's writes, by keyboard: decisions to the ledger, trusting a key, the report."""

from __future__ import annotations

from pathlib import Path

from officer_helpers import NOW, Env, inbox, loaded, make_app, type_text
from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioSet

from builders import partner_key
from dapreturn.core.collection.ledger import load_ledger
from dapreturn.core.review.trusting import stamped
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.tui.officer.app import ReviewApp
from dapreturn.tui.officer.screens.export_dialog import ExportDialog
from dapreturn.tui.officer.screens.review_dialog import ReviewDialog
from dapreturn.tui.officer.screens.trust_dialog import TrustDialog


async def pick(pilot: Pilot[None], words: str) -> None:
    """Filter the inbox down to one file and put the cursor on it."""
    await pilot.press("slash")
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, words)
    await pilot.press("enter")  # back to the table
    await pilot.pause()


async def decide(pilot: Pilot[None], ups: int, name: str, comment: str, first_ref: str) -> None:
    """In the open decision dialog: choose a decision, type name and comments, save."""
    app = pilot.app
    assert isinstance(app.screen, ReviewDialog)
    assert isinstance(app.focused, RadioSet)
    await pilot.press(*["up"] * ups, "enter")  # the highlight starts on "No decision yet"
    await pilot.press("tab")
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, name)
    await pilot.press("tab")
    await type_text(pilot, comment)
    await pilot.press("tab")  # leaves the comment box; next is the first action's comment
    await type_text(pilot, first_ref)
    await pilot.press("ctrl+s")
    await loaded(pilot)


async def test_accept_with_comments_is_written_to_the_ledger(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pick(pilot, "BCC-COMM Q3")
        await pilot.press("d")
        await pilot.pause()
        await decide(pilot, 2, "Sam Officer", "Thanks, clear.", "Please add what was done.")
        assert not isinstance(app.screen, ReviewDialog)
        assert inbox(app).shown[0].review == "✓ accepted"
    ledger = load_ledger(env.folder)
    assert ledger.error is None
    (review,) = ledger.reviews.values()
    assert review.file == "test-daps_2018-19-Q3_BCC-COMM_r1.toml"
    assert review.decision == "accepted"
    assert review.officer == "Sam Officer"
    assert review.decided_at == NOW
    assert review.comment == "Thanks, clear."
    assert review.comments == {"1a": "Please add what was done."}


async def test_query_raised_then_the_dialog_remembers_name_and_comments(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pick(pilot, "VAWC-SG late")
        await pilot.press("d")
        await pilot.pause()
        await decide(pilot, 1, "Sam Officer", "Why late?", "Evidence please.")
        assert inbox(app).shown[0].review == "! query raised"
        # Opening it again shows what was saved, and the name is not asked again.
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        assert dialog.query_one("#officer", Input).value == "Sam Officer"
        assert dialog.query_one("#ref-0", Input).value == "Evidence please."
        pressed = dialog.query_one(RadioSet).pressed_button
        assert pressed is not None and pressed.id == "decision-query_raised"
        await pilot.press("escape")
    (review,) = load_ledger(env.folder).reviews.values()
    assert review.decision == "query_raised"
    assert review.comment == "Why late?"
    assert review.comments == {"1a": "Evidence please."}


async def test_a_bad_file_cannot_be_accepted_and_a_name_is_required(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pick(pilot, "BAD SIGNATURE")
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        assert dialog.query_one("#decision-accepted").disabled
        await pilot.press("ctrl+s")  # no name yet: refused, nothing written
        await pilot.pause()
        assert isinstance(app.screen, ReviewDialog)
        await pilot.press("escape")
    assert not (env.folder / "review").exists()


async def test_an_unreadable_ledger_is_never_overwritten(env: Env) -> None:
    ledger = env.folder / "review-ledger.toml"
    ledger.write_text("this is [not toml", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewDialog)
    assert ledger.read_text(encoding="utf-8") == "this is [not toml"


def dwp_line() -> str:
    return allowed_signers_line("DWP", partner_key("DWP").public_key())


async def test_trusting_an_unknown_key_needs_the_code_then_the_file_verifies(env: Env) -> None:
    before = env.trust_file.read_text(encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pick(pilot, "unknown")
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TrustDialog)
        assert dialog.partner == "DWP"
        assert dialog.fingerprint == inbox(app).shown[0].record.fingerprint
        assert dialog.line == stamped(dwp_line(), NOW)
        confirm = dialog.query_one("#confirm", Button)
        assert confirm.disabled
        await pilot.press("enter")  # a bare Enter trusts nothing
        await pilot.pause()
        assert app.screen is dialog
        await type_text(pilot, "DWP")
        assert not confirm.disabled
        await pilot.press("enter")
        await loaded(pilot)
        assert not isinstance(app.screen, TrustDialog)
        await pilot.press("escape", "escape")  # clear the filter
        dwp = [r for r in inbox(app).shown if r.partner == "DWP"]
        assert [r.signature for r in dwp] == ["✓ verified"]
    assert env.trust_file.read_text(encoding="utf-8") == before + stamped(dwp_line(), NOW) + "\n"


async def test_cancelling_leaves_the_trust_list_unchanged(env: Env) -> None:
    before = env.trust_file.read_bytes()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("5")  # from the trust view this time
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TrustDialog)
        await type_text(pilot, "BSWA")  # the wrong code does not unlock the button
        assert app.screen.query_one("#confirm", Button).disabled
        await pilot.press("escape")
        await loaded(pilot)
        assert not isinstance(app.screen, TrustDialog)
        assert [r.signature for r in inbox(app).shown if r.partner == "DWP"] == ["? unknown key"]
    assert env.trust_file.read_bytes() == before


async def test_trusting_creates_the_trust_list_when_there_is_none(env: Env) -> None:
    env.trust_file.unlink()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert {r.signature for r in inbox(app).shown if r.partner == "BSWA"} == {"? no trust list"}
        await pick(pilot, "BSWA Q1")
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TrustDialog)
        text = str(dialog.query_one("#trust-dialog-text").render())
        assert "There is no trust list yet: returns/allowed_signers will be created" in text
        await type_text(pilot, "bswa")  # the code is not case-sensitive
        await pilot.click("#confirm")
        await loaded(pilot)
        await pilot.press("escape", "escape")
        bswa = {r.signature for r in inbox(app).shown if r.partner == "BSWA"}
        assert bswa == {"✓ verified"}
    expected = stamped(allowed_signers_line("BSWA", partner_key("BSWA").public_key()), NOW) + "\n"
    assert env.trust_file.read_text(encoding="utf-8") == expected


async def test_export_writes_the_report_off_the_ui_thread(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_box = dialog.query_one("#export-path", Input)
        assert path_box.value == "test-daps_2018-19-Q3_report.md"
        await pilot.press("down", "enter")  # HTML
        assert path_box.value == "test-daps_2018-19-Q3_report.html"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        report = env.cwd / "test-daps_2018-19-Q3_report.html"
        assert report.is_file()
        assert "Progress updates reported for 2018/19 Q3" in report.read_text(encoding="utf-8")
        # Never over an existing file unless asked.
        report.write_text("keep me", encoding="utf-8")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("down", "enter", "ctrl+s")
        await loaded(pilot)
        assert report.read_text(encoding="utf-8") == "keep me"


def test_app_folder_and_trust_defaults(env: Env) -> None:
    app = ReviewApp(Path("returns"))
    assert app.trust_file == Path("returns/allowed_signers")
    other = ReviewApp(Path("returns"), trust_file=Path("elsewhere/list"))
    assert other.trust_file == Path("elsewhere/list")
