"""Keys and pastes are handled one at a time, in the order they were pressed.

Textual hands a key to the focused widget's message queue and reads the next key at once. The
key then travels up the widget tree, queue by queue; the bindings it triggers (Tab moving the
focus, Backspace, Home, Ctrl+N) run only when it reaches the app, and what those set off (a
``Submitted`` or ``OptionSelected`` message whose handler moves the focus, a form loading the
next action) runs later still. A key that arrives meanwhile is routed by the focus of that
moment, so at paste or machine speed the text after a Tab lands in the field that was just
left, and a Backspace runs after characters typed behind it (Textual issue 6605).

:class:`OrderedInputApp` closes that gap at its cause: a key or paste is handed to a widget only
once everything the previous one set in motion has been handled, that is when no widget of the
screen has a message waiting. The next key therefore meets the focus, the text and the screen
the previous key left behind, exactly as if the keys had been typed slowly. Nothing is dropped:
keys that come in meanwhile wait in order. Timers and thread workers are not waited for, and a
watchdog hands input on after :data:`SETTLE_LIMIT` seconds whatever happens, so input never
stalls.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from time import monotonic
from typing import Any, TypeVar, cast

from textual import events
from textual._context import prevent_message_types_stack
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.timer import Timer

ReturnType = TypeVar("ReturnType")

SETTLE_LIMIT = 1.0
"""Seconds after which the next key is handed on even if the screen is still busy."""
_WATCH_EVERY = 0.1
"""Seconds between the watchdog's checks."""

Input = events.Key | events.Paste
"""What a person types: a key, or a paste from the terminal."""


def _queued(node: MessagePump) -> Sequence[Message | None]:
    """The messages waiting in ``node``'s queue (Textual's own queue keeps them in ``values``)."""
    return cast("Sequence[Message | None]", getattr(node._message_queue, "values", ()))


@contextmanager
def _unprevented() -> Iterator[None]:
    """Post and forward outside any ``prevent`` block of the message being handled.

    Textual copies the message types blocked by ``with widget.prevent(...)`` into every
    message posted inside the block, and blocks them again while that message is handled. Our
    own hand-on callbacks and the keys they forward must not inherit such a block (a form
    loading the next action blocks ``TextArea.Changed``), or the next action's edits are lost.
    """
    token = prevent_message_types_stack.set([set()])
    try:
        yield
    finally:
        prevent_message_types_stack.reset(token)


def _call_later(node: MessagePump, callback: Callable[..., object], *args: object) -> bool:
    """``node.call_later`` with nothing prevented."""
    with _unprevented():
        return node.call_later(callback, *args)


class OrderedInputApp(App[ReturnType]):
    """An app that hands each key and paste on only after the previous one has settled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Set up the queue of waiting input."""
        super().__init__(*args, **kwargs)
        self._waiting: deque[Input] = deque()
        self._busy_since: float | None = None
        self._barriers = 0
        self._round = 0
        self._watchdog: Timer | None = None

    @property
    def input_waiting(self) -> int:
        """Keys and pastes not yet fully handled (waiting, or the one being handled)."""
        return len(self._waiting) + (self._busy_since is not None)

    async def on_event(self, event: events.Event) -> None:
        """Queue what is typed; everything else is handled as usual."""
        if isinstance(event, Input) and not event.is_forwarded:
            self._waiting.append(event)
            await self._hand_on()
            return
        await super().on_event(event)

    async def _hand_on(self) -> None:
        """Hand the next waiting key to the focused widget, unless one is still settling."""
        if self._busy_since is not None or not self._waiting:
            return
        event = self._waiting.popleft()
        self._busy_since = monotonic()
        if self._watchdog is None:
            self._watchdog = self.set_interval(_WATCH_EVERY, self._watch, name="ordered-input")
        else:
            self._watchdog.resume()
        with _unprevented():
            await super().on_event(event)  # the app's priority bindings, else to the focus
        self._settle()

    def _pumps(self) -> Iterator[MessagePump]:
        """Every message pump whose work a key can set off: the screen and its widgets."""
        yield from self.screen.walk_children(with_self=True)

    def _settle(self) -> None:
        """Hand on the next key once no widget has a message waiting; else wait for them."""
        if self._busy_since is None:
            return
        if _queued(self):
            _call_later(self, self._settle)  # behind what the app itself has to do first
            return
        busy = [node for node in self._pumps() if _queued(node)]
        if not busy:
            self._done()
            return
        self._round += 1
        this_round = self._round
        self._barriers = 0
        for node in busy:
            if _call_later(node, self._barrier_passed, this_round):
                self._barriers += 1
        if not self._barriers:
            _call_later(self, self._settle)

    def _barrier_passed(self, this_round: int) -> None:
        """A widget has handled everything that was waiting when the round began."""
        if this_round != self._round or self._busy_since is None:
            return
        self._barriers -= 1
        if self._barriers == 0:
            _call_later(self, self._settle)

    def _watch(self) -> None:
        """Hand input on if the screen has been busy for too long (never stall typing)."""
        if self._busy_since is None:
            if self._watchdog is not None:
                self._watchdog.pause()
            return
        if monotonic() - self._busy_since > SETTLE_LIMIT:
            self._done()

    def _done(self) -> None:
        """The key has settled: hand on the next one."""
        self._busy_since = None
        self._round += 1  # barriers still travelling belong to a finished round
        if self._waiting:
            _call_later(self, self._hand_on)
        elif self._watchdog is not None:
            self._watchdog.pause()
