"""Review and sign: refusal with problems, safeguarding, first key, passphrase, revisions."""

from __future__ import annotations

from pathlib import Path

from partner_helpers import Env, complete_return, make_app, remember, text_of, type_text, wait_for
from textual.widgets import Button, Checkbox, Input, OptionList

from dapreturn.core.config import load_config
from dapreturn.core.filling.drafts import DraftStore
from dapreturn.core.signing import keys
from dapreturn.core.signing.files import verify_file
from dapreturn.core.signing.trust import parse_trust
from dapreturn.tui.partner.app import PartnerApp
from dapreturn.tui.partner.screens.done import DoneScreen
from dapreturn.tui.partner.screens.keys import NewKeyScreen, PassphraseScreen
from dapreturn.tui.partner.screens.main import MainScreen
from dapreturn.tui.partner.screens.pickers import MessageScreen
from dapreturn.tui.partner.screens.review import ReviewScreen
from dapreturn.tui.partner.screens.safeguarding import SafeguardingScreen
from dapreturn.tui.widgets.entry_form import EntryForm
from dapreturn.tui.widgets.status_bar import StatusBar


def _screen(app: PartnerApp, kind: type) -> bool:
    return isinstance(app.screen, kind)


def _verified(path: Path) -> bool:
    info = keys.find_key("BSWA")
    assert info is not None
    trust = parse_trust(keys.allowed_signers_line("BSWA", info.public_key), "test")
    return verify_file(path, trust).ok


async def _to_review(pilot, app: PartnerApp) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await pilot.press("f3")
    await wait_for(pilot, lambda: _screen(app, ReviewScreen))
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def test_signing_refused_while_problems_remain(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        review = await _to_review(pilot, app)
        assert "✗ 2 problems to fix before you can sign" in text_of(
            review.query_one("#review-summary")
        )
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)  # no key, no dialog
        assert any("Signing is not possible yet" in str(n.message) for n in app._notifications)
        assert not env.out_dir.exists()
        assert keys.find_key("BSWA") is None
        # Each problem is a row; Enter goes to the action and puts the cursor in the field.
        items = review.query_one("#review-items", OptionList)
        rows = [
            str(getattr(getattr(o.prompt, "renderable", o.prompt), "plain", o.prompt))
            for o in items.options
        ]
        assert "✗ 2a Status: choose a status" in rows
        assert not [r for r in rows if "KPI" in r and "✗" in r]  # blank KPI figures are allowed
        index = next(i for i, r in enumerate(rows) if "3l Status" in r)
        items.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: _screen(app, MainScreen))
        assert app.screen.query_one(EntryForm).ref == "3l"
        assert app.focused is not None and app.focused.id == "field-status"
        # After review, every problem of the entry shows, not only the fields visited.
        assert app.screen.query_one("#error-status").display


async def test_first_signing_makes_a_key_without_passphrase(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        complete_return(app)
        review = await _to_review(pilot, app)
        assert "✓ No problems found" in text_of(review.query_one("#review-summary"))
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: _screen(app, NewKeyScreen))
        words = text_of(app.screen.query_one(".dialog-body"))
        assert "dapreturn now makes your signing key, once" in words
        assert str(keys.key_path("BSWA")) in words
        await pilot.press("enter", "enter")  # both boxes empty: no passphrase
        await wait_for(pilot, lambda: _screen(app, MessageScreen))
        info = keys.find_key("BSWA")
        assert info is not None
        line = keys.allowed_signers_line("BSWA", info.public_key)
        assert app.screen.query_one("#detail", Input).value == line
        beside = info.private_path.with_name("BSWA_allowed_signers.txt")
        assert beside.read_text(encoding="utf-8") == line + "\n"
        assert str(beside) in text_of(app.screen.query_one(".dialog-body"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: _screen(app, DoneScreen))
        signed = env.out_dir / "test-plan_2018-19-Q3_BSWA_r1.toml"
        body = text_of(app.screen.query_one(".dialog-body"))
        assert "Return signed and saved" in str(app.screen.query_one(".dialog-title").render())
        assert signed.name in body and str(signed.parent) in body and info.fingerprint in body
        assert "Send this file to the steering group's officer" in body
        # a first key: the trust-list line to send with it, on the done screen
        assert "first return signed with your new key" in body and str(beside) in body
        assert app.screen.query_one("#detail", Input).value == line
        await pilot.press("o")
        await pilot.pause()
        assert env.opened == [signed.parent]
        assert _verified(signed)
        await pilot.press("enter")
        await wait_for(pilot, lambda: _screen(app, MainScreen))
        assert "✓ signed (r1)" in str(app.screen.query_one(StatusBar).render())
        assert load_config().out_dir == str(env.out_dir)
        # The draft is moved aside: the signed file is the record now.
        assert app.session is not None
        assert DraftStore().latest(app.session.key) is None
        # Signing again makes the next revision.
        await _to_review(pilot, app)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: _screen(app, DoneScreen))
        assert "Revision 2" in text_of(app.screen.query_one(".dialog-body"))
        assert not app.screen.query("#detail")  # the key is not new: no line to send again
        assert _verified(env.out_dir / "test-plan_2018-19-Q3_BSWA_r2.toml")
        await pilot.press("enter")
        await wait_for(pilot, lambda: _screen(app, MainScreen))
        assert "✓ signed (r2)" in str(app.screen.query_one(StatusBar).render())


async def test_signing_with_a_passphrase(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        complete_return(app)
        await _to_review(pilot, app)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: _screen(app, NewKeyScreen))
        assert app.screen.query_one("#pass1", Input).password
        await type_text(pilot, "blue kettle")
        await pilot.press("enter")
        await type_text(pilot, "blue kettel")
        await pilot.press("enter")
        await pilot.pause()
        assert "The two passphrases are different" in text_of(app.screen.query_one("#pass-error"))
        await type_text(pilot, "blue kettle")
        await pilot.press("enter")
        await type_text(pilot, "blue kettle")
        await pilot.press("enter")
        await wait_for(pilot, lambda: _screen(app, MessageScreen), timeout=15)
        info = keys.find_key("BSWA")
        assert info is not None and keys.key_needs_passphrase(info.private_path)
        # the passphrase just typed twice unlocks the new key: it is not asked a third time
        await pilot.press("enter")
        await wait_for(pilot, lambda: _screen(app, DoneScreen), timeout=15)
        assert "Return signed and saved" in str(app.screen.query_one(".dialog-title").render())
        assert _verified(env.out_dir / "test-plan_2018-19-Q3_BSWA_r1.toml")
        # signing again asks for it, until it is right
        await pilot.press("enter")
        await _to_review(pilot, app)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: _screen(app, PassphraseScreen))
        await type_text(pilot, "wrong one")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: "not right" in text_of(app.screen.query_one("#pass-error")),
            timeout=15,
        )
        assert isinstance(app.screen, PassphraseScreen)
        await type_text(pilot, "blue kettle")
        await pilot.press("enter")
        await wait_for(pilot, lambda: _screen(app, DoneScreen), timeout=15)
        assert _verified(env.out_dir / "test-plan_2018-19-Q3_BSWA_r2.toml")


async def test_cancel_at_passphrase_signs_nothing(env: Env) -> None:
    remember()
    keys.new_key("BSWA", passphrase=b"secret words")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        complete_return(app)
        await _to_review(pilot, app)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: _screen(app, PassphraseScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: _screen(app, ReviewScreen))
        assert not env.out_dir.exists()


async def test_safeguarding_findings_must_be_confirmed(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        complete_return(app)
        assert app.session is not None
        app.session.set_field("2a", "risks", "Mrs Smith called from B12 9QR.")
        await _to_review(pilot, app)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: _screen(app, SafeguardingScreen))
        screen = app.screen
        findings = [text_of(s) for s in screen.query(".finding")]
        assert findings == [
            '2a · Risks / issues: possible name after a title "Mrs Smith"',
            '2a · Risks / issues: possible UK postcode "B12 9QR"',
        ]
        sign = screen.query_one("#sign", Button)
        assert sign.disabled
        await pilot.press("space")  # tick the first box
        await pilot.pause()
        assert sign.disabled
        assert "1 still to edit or tick" in text_of(screen.query_one("#findings-left"))
        await pilot.press("tab", "tab", "space")  # past Edit, tick the second
        await pilot.pause()
        assert not sign.disabled
        sign.press()
        await wait_for(pilot, lambda: _screen(app, NewKeyScreen))
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: _screen(app, MessageScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: _screen(app, DoneScreen))
        assert (env.out_dir / "test-plan_2018-19-Q3_BSWA_r1.toml").exists()


async def test_safeguarding_edit_goes_to_the_field(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        complete_return(app)
        assert app.session is not None
        app.session.set_field("3l", "action_taken", "Call 07700 900123 to book.")
        await _to_review(pilot, app)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: _screen(app, SafeguardingScreen))
        await pilot.press("tab", "enter")  # "Edit"
        await wait_for(pilot, lambda: _screen(app, MainScreen))
        assert app.screen.query_one(EntryForm).ref == "3l"
        assert app.focused is not None and app.focused.id == "field-action_taken"
        assert not env.out_dir.exists()
        assert keys.find_key("BSWA") is None


async def test_safeguarding_ticks_are_remembered(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        complete_return(app)
        assert app.session is not None
        app.session.set_field("2a", "next_steps", "Helpline 0121 685 8687 on posters.")
        await _to_review(pilot, app)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: _screen(app, SafeguardingScreen))
        await pilot.press("space")
        await pilot.pause()
        app.screen.query_one("#sign", Button).press()
        await wait_for(pilot, lambda: _screen(app, NewKeyScreen))
        await pilot.press("escape")  # not now
        await wait_for(pilot, lambda: _screen(app, ReviewScreen))
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: _screen(app, SafeguardingScreen))
        assert all(box.value for box in app.screen.query(Checkbox))
