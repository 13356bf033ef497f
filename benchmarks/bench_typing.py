"""Typing and autosave in the partner app, on a synthetic plan where one partner leads 200 actions.

Run as its own process (``python bench_typing.py [--runs N]``, by ``run.py``); prints one JSON
line. With ``--runs N`` the whole measurement is repeated in N fresh processes and the line
holds every run, so the report can give the worst run beside the median.

- **Key to repaint.** The app runs headless under Textual's Pilot at 120x40. Every 200 actions
  are filled in first (so an autosave writes a 200-entry draft), then text is typed into the
  *Action taken* box of one action at a person's pace (one key per 120 ms; autosave fires while
  typing), first into an empty box, then at the end of a 3,000-character one. Each key is timed
  from the moment it is sent until the first screen refresh (compositor update) that contains
  it. Headless Textual does the whole layout and render but skips writing escape codes to a
  terminal, which the start-up benchmark covers. The floor is the same typing into a bare
  Textual ``TextArea`` in an app with no dapreturn code.
- **Autosave.** Every call on the UI thread into the autosaver (``schedule`` on each change,
  ``_fire`` when the debounce timer fires: it copies the return and starts the writer thread,
  which dumps and writes it) is timed; the longest is reported. The floor is starting a
  do-nothing thread worker.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TextArea

SIZE = (120, 40)
PACE = 0.12
"""Seconds between keys (about eight keys a second)."""
TYPED = "Trained 40 more staff across three sites; next quarter two more."
"""What is typed into each box."""
LONG = ("The helpline extended its hours and partners agreed the referral pathway. " * 40)[:3000]
"""The narrative already in the box for the second run."""

_PLAN_HEAD = """\
schema = "dapreturn/plan/v1"
id = "bench-200"
title = "Synthetic plan: one partner leads 200 actions"
start = 2018-04-01
end = 2021-03-31

[[statuses]]
id = "on_track"
label = "On track"
marker = "G"

[[statuses]]
id = "at_risk"
label = "Some delay / at risk"
marker = "A"
requires_risks = true

[[statuses]]
id = "complete"
label = "Complete"
marker = "C"
done = true

[[partners]]
code = "BSWA"
name = "Birmingham and Solihull Women's Aid"

[[sections]]
id = "1"
title = "Everything"

[[kpis]]
id = "K1"
section = "1"
measure = "Referrals"
unit = "count"
direction = "increase"
"""


def plan_toml(n: int = 200) -> str:
    """A plan where BSWA leads ``n`` actions."""
    actions = "".join(
        f'\n[[actions]]\nref = "{i}a"\nsection = "1"\ntitle = "Action number {i}"\n'
        f'text = "Do thing {i} across the city."\nleads = ["BSWA"]\ndue = 2021-03-31\n'
        for i in range(1, n + 1)
    )
    return _PLAN_HEAD + actions


class _Frames:
    """Records the time of every compositor refresh and what the watched box held then."""

    def __init__(self) -> None:
        self.box: TextArea | None = None
        self.frames: list[tuple[float, int]] = []

    def install(self) -> None:
        original = Screen._compositor_refresh
        frames = self

        def refresh(screen: Screen[Any]) -> None:
            original(screen)
            box = frames.box
            frames.frames.append((time.perf_counter(), len(box.text) if box is not None else -1))

        Screen._compositor_refresh = refresh  # type: ignore[method-assign,assignment]

    async def type_into(self, pilot: Any, box: TextArea, text: str) -> list[float]:
        """Type ``text`` key by key; return each key's seconds to the frame that shows it."""
        self.box = box
        box.cursor_blink = False
        latencies = []
        for ch in text:
            expected = len(box.text) + 1
            key = "space" if ch == " " else ch
            sent = time.perf_counter()
            await pilot.press(key)
            deadline = sent + 2
            shown = None
            while shown is None and time.perf_counter() < deadline:
                shown = next((t for t, n in self.frames if t >= sent and n >= expected), None)
                if shown is None:
                    await asyncio.sleep(0.0005)
            if shown is None:
                raise RuntimeError(f"no frame showed {ch!r}")
            latencies.append(shown - sent)
            self.frames.clear()
            await asyncio.sleep(max(0.0, sent + PACE - time.perf_counter()))
        return latencies


def _timed(cls: type, name: str, sink: list[float]) -> None:
    """Wrap ``cls.name`` so every call's duration is appended to ``sink``."""
    original = getattr(cls, name)

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            sink.append(time.perf_counter() - start)

    setattr(cls, name, wrapper)


async def _dapreturn(frames: _Frames) -> dict[str, Any]:
    """Type into the partner app; return latencies and autosave timings."""
    from dapreturn.core.config import UserConfig, save_config
    from dapreturn.core.filling.launch import LaunchOptions
    from dapreturn.tui.partner.app import PartnerApp
    from dapreturn.tui.partner.autosave import Autosaver
    from dapreturn.tui.partner.screens.main import MainScreen
    from dapreturn.tui.widgets.entry_form import EntryForm

    root = Path(tempfile.mkdtemp())
    os.environ["DAPRETURN_HOME"] = str(root / "home")
    os.chdir(root)
    plan = root / "bench-200.toml"
    plan.write_text(plan_toml(), encoding="utf-8")
    save_config(UserConfig(plan=str(plan), partner="BSWA", prepared_by="Jo Bloggs, lead"))
    fire: list[float] = []
    schedule: list[float] = []
    _timed(Autosaver, "_fire", fire)
    _timed(Autosaver, "schedule", schedule)
    app = PartnerApp(LaunchOptions(plan=str(plan), today=date(2019, 1, 15)))
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.perf_counter() + 30
        # The main screen composed and mounted (pushed is not enough: its widgets may still be
        # mounting, and touching them then races the mount).
        while not (isinstance(app.screen, MainScreen) and app.screen.query(EntryForm)):
            if time.perf_counter() > deadline:
                notes = [str(n.message) for n in app._notifications]
                raise RuntimeError(f"the main screen did not open: {notes}")
            await pilot.pause(0.05)
        session = app.session
        assert session is not None
        for e in session.ret.entries:  # a long return, fully filled in
            session.set_field(e.ref, "status", "on_track")
            session.set_field(e.ref, "started", date(2018, 4, 1))
            session.set_field(e.ref, "target", date(2020, 3, 31))
            session.set_field(e.ref, "action_taken", f"Work on {e.ref} went to plan. " * 12)
        refs = [e.ref for e in session.ret.entries]
        screen = app.screen
        screen.refresh_list()
        await pilot.pause()
        latencies: list[float] = []
        for ref, before in ((refs[100], ""), (refs[101], LONG)):
            session.set_field(ref, "action_taken", before)
            screen.show(ref)
            form = screen.query_one(EntryForm)
            form.focus_field("action_taken")
            await pilot.pause()
            box = form.query_one("#field-action_taken", TextArea)
            box.move_cursor(box.document.end)
            await pilot.pause(0.3)
            fire.clear()  # count only autosaves of the 200-entry return while typing
            await frames.type_into(pilot, box, TYPED[:8])  # warm up (not counted)
            latencies += await frames.type_into(pilot, box, TYPED)
            await pilot.pause(1.2)  # the last autosave
        box_size = (box.size.width, box.size.height)
        draft_kb = len(session.draft_text().encode()) / 1e3
        floor = await _worker_floor(app)
        await pilot.press("ctrl+q")
    return {
        "latencies": latencies,
        "fire": fire,
        "schedule": schedule,
        "worker_floor": floor,
        "draft_kb": draft_kb,
        "box_size": box_size,
    }


async def _worker_floor(app: App[Any]) -> float:
    """The shortest time to start a thread worker that does nothing (best of 20)."""
    best = 1.0
    for _ in range(20):
        start = time.perf_counter()
        app.run_worker(lambda: None, thread=True, group="bench")
        best = min(best, time.perf_counter() - start)
        await asyncio.sleep(0.01)
    return best


class _BareScreen(Screen[None]):
    def __init__(self, box_size: tuple[int, int]) -> None:
        super().__init__()
        self.box_size = box_size

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Action taken this period")
            box = TextArea(id="box")
            box.styles.width, box.styles.height = self.box_size
            yield box
            yield Static("")


class _BareApp(App[None]):
    def __init__(self, box_size: tuple[int, int]) -> None:
        super().__init__()
        self.box_size = box_size

    def on_mount(self) -> None:
        self.push_screen(_BareScreen(self.box_size))


async def _bare(frames: _Frames, box_size: tuple[int, int]) -> list[float]:
    """The same typing into a bare Textual TextArea of the same size."""
    app = _BareApp(box_size)
    latencies: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#box", TextArea)
        for before in ("", LONG):
            box.load_text(before)
            box.focus()
            box.move_cursor(box.document.end)
            await pilot.pause(0.3)
            await frames.type_into(pilot, box, TYPED[:8])  # warm up (not counted)
            latencies += await frames.type_into(pilot, box, TYPED)
    return latencies


async def main() -> None:
    """Measure dapreturn, then the floor with a box of the same size; print one JSON line."""
    frames = _Frames()
    frames.install()
    ours = await _dapreturn(frames)
    bare = await _bare(frames, ours["box_size"])
    print(json.dumps({"bare": bare, **ours}))


def repeated(runs: int) -> None:
    """Run the measurement in ``runs`` fresh processes; print every run on one JSON line."""
    import subprocess

    got = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, __file__], capture_output=True, text=True, check=False, timeout=1200
        )
        if proc.returncode != 0:
            sys.exit(f"a typing run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        got.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(json.dumps({"runs": got}))


if __name__ == "__main__":
    sys.setrecursionlimit(10_000)
    if len(sys.argv) == 3 and sys.argv[1] == "--runs":
        repeated(int(sys.argv[2]))
    else:
        asyncio.run(main())
