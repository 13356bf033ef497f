"""Debounced autosave of the draft, written off the UI thread.

Every change calls :meth:`Autosaver.schedule`. After a short pause in typing (and at most about
a second after the first unsaved change) a copy of the return is taken on the UI thread (a
shallow copy: well under a millisecond for 200 actions), and a thread worker turns it into TOML
and writes it, so neither the dump nor the disk ever delays a key. Saves are numbered so that
an older text never lands after a newer one. :meth:`Autosaver.flush` saves synchronously (on
quit, on switching period). The outcome is published on :attr:`Autosaver.state` for any
widget to show.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.message import Message
from textual.signal import Signal
from textual.timer import Timer

from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling.session import FillSession
from dapreturn.core.returns.model import Return
from dapreturn.core.returns.tomlio import dump_return


def snapshot(ret: Return) -> Return:
    """A copy of ``ret`` that later edits cannot change, cheap enough for the UI thread.

    The session replaces field values (it never changes a value in place), so copying the
    return, its lists and each entry and KPI figure is enough.
    """
    return ret.model_copy(
        update={
            "entries": [e.model_copy() for e in ret.entries],
            "kpis": [k.model_copy() for k in ret.kpis],
        }
    )


@dataclass(frozen=True)
class SaveState:
    """What the lead is told about autosave."""

    text: str
    """Short words for the status bar: ``Draft saved 10:32`` or ``NOT SAVED``."""
    ok: bool
    """False when the last save failed."""
    detail: str = ""
    """The full reason a save failed (for a notification)."""


class Autosaver:
    """Saves one session's draft a moment after each change, without blocking the UI."""

    DELAY = 0.6
    """Seconds of quiet before a save."""
    MAX_WAIT = 1.0
    """Longest an unsaved change waits while the lead keeps typing."""

    class Saved(Message):
        """A save finished (posted from the worker thread to the app)."""

        def __init__(self, state: SaveState) -> None:
            """Carry the outcome."""
            super().__init__()
            self.state = state
            """The outcome."""

    def __init__(self, app: App[Any], session: FillSession) -> None:
        """Save ``session`` using ``app``'s timers and workers."""
        self._app = app
        self.session = session
        """The session whose draft is saved."""
        self.state: Signal[SaveState] = Signal(app, "autosave")
        """Published on the UI thread after every save attempt."""
        self._timer: Timer | None = None
        self._first_pending = 0.0
        self._lock = threading.Lock()
        self._changes = 0
        self._saved = 0

    @property
    def dirty(self) -> bool:
        """Whether there are changes not yet written."""
        return self._changes > self._saved

    def schedule(self) -> None:
        """Note a change; save it after a short pause."""
        self._changes += 1
        now = time.monotonic()
        if self._timer is None:
            self._first_pending = now
            self._timer = self._app.set_timer(self.DELAY, self._fire, name="autosave")
        elif now - self._first_pending < self.MAX_WAIT - self.DELAY:
            self._timer.reset()

    def _fire(self) -> None:
        """Timer callback: copy the return now, dump and write it in a thread."""
        self._timer = None
        seq = self._changes
        copy = snapshot(self.session.ret)
        self._app.run_worker(
            lambda: self._write(copy, seq), thread=True, group="autosave", name="autosave"
        )

    def _write(self, copy: Return, seq: int) -> None:
        """Worker: write the draft unless a newer one was written already."""
        text = dump_return(copy)
        with self._lock:
            if seq <= self._saved:
                return
            try:
                info = self.session.target.store.save(self.session.key, text)
            except DapreturnError as exc:
                state = SaveState("NOT SAVED", ok=False, detail=f"Could not save the draft: {exc}")
            else:
                self._saved = seq
                when = info.saved_at.astimezone()
                state = SaveState(f"Draft saved {when:%H:%M:%S}", ok=True)
        self._app.post_message(self.Saved(state))

    def flush(self) -> SaveState | None:
        """Save now, on this thread, if anything is unsaved; return the outcome."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.dirty:
            return None
        seq = self._changes
        text = self.session.draft_text()
        with self._lock:
            if seq <= self._saved:
                return None
            try:
                info = self.session.target.store.save(self.session.key, text)
            except DapreturnError as exc:
                return SaveState("NOT SAVED", ok=False, detail=f"Could not save the draft: {exc}")
            self._saved = seq
        when = info.saved_at.astimezone()
        return SaveState(f"Draft saved {when:%H:%M:%S}", ok=True)
