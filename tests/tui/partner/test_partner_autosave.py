"""Never lose work: autosave off the UI thread, resume after a crash, start fresh."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from partner_helpers import Q3, Env, fill_field, make_app, remember, small_plan, text_of, wait_for
from textual.widgets import Button, TextArea

from dapreturn.core.filling import draft_key
from dapreturn.core.filling.drafts import DraftStore
from dapreturn.core.returns.tomlio import parse_return
from dapreturn.tui.partner.screens.main import MainScreen
from dapreturn.tui.partner.screens.resume import ResumeScreen

KEY = draft_key(small_plan(), "BSWA", Q3)


def _latest_text() -> str:
    info = DraftStore().latest(KEY)
    return info.text if info else ""


async def test_typing_is_autosaved_off_the_ui_thread(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    remember()
    threads: list[str] = []
    original = DraftStore.save

    def recording_save(self: DraftStore, *args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DraftStore, "save", recording_save)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill_field(pilot, "action_taken", "Trained 40 staff", leave=False)
        # Saved within about a second of the last keystroke, without quitting.
        await wait_for(pilot, lambda: "Trained 40 staff" in _latest_text(), timeout=1.5)
        assert threads and all(name != "MainThread" for name in threads)
        bar = text_of(app.screen.query_one("#status-bar"))
        assert "✓ Draft saved" in bar


async def test_resume_after_the_app_was_killed(env: Env) -> None:
    remember()
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill_field(pilot, "action_taken", "Trained 40 staff", leave=False)
        await wait_for(pilot, lambda: "Trained 40 staff" in _latest_text(), timeout=1.5)
        # The test ends the app without Ctrl+Q: the draft on disk is all that survives.
    assert parse_return(_latest_text(), source="draft").entry("2a").action_taken == (  # type: ignore[union-attr]
        "Trained 40 staff"
    )

    second = make_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, ResumeScreen)
        words = text_of(second.screen.query_one(".dialog-body"))
        assert "You have a draft of your 2018/19 Q3 return, saved on" in words
        assert "(this computer's time)" in words
        assert "1 of 2 actions have something filled in" in words
        await pilot.press("enter")  # "Carry on with the draft" has the focus
        await pilot.pause()
        assert isinstance(second.screen, MainScreen)
        assert second.session is not None
        assert second.session.entry("2a").action_taken == "Trained 40 staff"
        shown = second.screen.query_one("#field-action_taken", TextArea)
        assert shown.text == "Trained 40 staff"


async def test_start_fresh_keeps_the_old_draft(env: Env) -> None:
    remember()
    store = DraftStore()
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill_field(pilot, "next_steps", "Plan the spring sessions", leave=False)
        await wait_for(pilot, lambda: "spring" in _latest_text(), timeout=1.5)
    old = store.latest(KEY)
    assert old is not None

    second = make_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, ResumeScreen)
        await pilot.press("tab", "enter")  # "Start fresh"
        await pilot.pause()
        assert isinstance(second.screen, MainScreen)
        assert second.session is not None
        assert second.session.entry("2a").next_steps == ""
    assert store.latest(KEY) is None
    kept = list(store.folder(KEY).glob("kept-*/draft-*.toml"))
    assert [p.read_text(encoding="utf-8") for p in kept] == [old.text]


async def test_quit_saves_at_once(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill_field(pilot, "risks", "Venue", leave=False)
        await pilot.press("ctrl+q")  # well inside the autosave pause
        assert "Venue" in _latest_text()


async def test_unreadable_draft_is_reported_and_never_deleted(env: Env) -> None:
    remember()
    store = DraftStore()
    info = store.save(KEY, 'schema = "dapreturn/return/v1"\nplan = [broken\n')
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        words = text_of(app.screen.query_one(".dialog-body"))
        assert "could not be read" in words
        assert "not valid TOML" in words
        assert str(info.path) in words
        assert info.path.exists()
        labels = [str(b.label) for b in app.screen.query(Button)]
        assert labels == ["Start fresh", "Quit"]
        await pilot.press("enter")  # Start fresh: the bad draft is moved aside, kept
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert not info.path.exists()
    moved = list(store.folder(KEY).glob(f"kept-*/{info.path.name}"))
    assert len(moved) == 1 and moved[0].read_text(encoding="utf-8") == info.text


async def test_quit_from_unreadable_draft_leaves_it(env: Env) -> None:
    remember()
    info = DraftStore().save(KEY, "\x01 not a return")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("tab", "enter")  # Quit
        await pilot.pause()
    assert Path(info.path).read_text(encoding="utf-8") == info.text


async def test_typing_then_switching_period_saves_first(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill_field(pilot, "action_taken", "Q3 work", leave=False)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("up", "enter")
        await wait_for(pilot, lambda: str(getattr(app.session, "period", "")) == "2018/19 Q2")
        assert "Q3 work" in _latest_text()


async def test_unreadable_newest_draft_falls_back_to_the_last_good_one(env: Env) -> None:
    remember()
    store = DraftStore()
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill_field(pilot, "action_taken", "Good words", leave=False)
        await wait_for(pilot, lambda: "Good words" in _latest_text(), timeout=1.5)
    bad = store.save(KEY, "half a file [[[")
    second = make_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, ResumeScreen)
        words = text_of(second.screen.query_one(".dialog-body"))
        assert "Newer autosaves could not be read and were left in place" in words
        assert str(bad.path) in words
        await pilot.press("enter")
        await pilot.pause()
        assert second.session is not None
        assert second.session.entry("2a").action_taken == "Good words"
    assert bad.path.exists()


async def test_continuous_typing_is_saved_every_second_or_so(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    remember()
    saved_at: list[float] = []
    original = DraftStore.save

    def timed_save(self: DraftStore, *args: object, **kwargs: object) -> object:
        saved_at.append(time.monotonic())
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DraftStore, "save", timed_save)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill_field(pilot, "action_taken", "", leave=False)
        started = time.monotonic()
        while time.monotonic() - started < 2.5:  # never pausing long enough to debounce
            await pilot.press("x")
        assert saved_at, "nothing was saved while typing"
