"""The status box: a Select where typing a letter picks the status that starts with it."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.widgets import Select

from dapreturn.core.filling.choices import status_for_letter
from dapreturn.core.plan.model import Status


class StatusSelect(Select[str]):
    """The plan's statuses (marker and label); a letter typed while it is closed picks one."""

    def __init__(self, statuses: Sequence[Status], *, prompt: str, id: str | None = None) -> None:
        """Offer ``statuses``; ``prompt`` shows while none is chosen."""
        self._statuses = list(statuses)
        options = [(f"{s.marker:<3} {s.label}", s.id) for s in self._statuses]
        super().__init__(options, prompt=prompt, id=id)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """A printable letter is this box's (so the app does not take it as a shortcut)."""
        return (not self.expanded and character is not None and character.isalpha()) or (
            super().check_consume_key(key, character)
        )

    async def _on_key(self, event: events.Key) -> None:
        """Typing ``c`` picks the next status whose label (else marker) starts with ``c``."""
        if self.expanded or event.character is None or not event.character.isalpha():
            return
        current = "" if self.value is Select.NULL else str(self.value)
        picked = status_for_letter(self._statuses, event.character, current)
        if picked is not None:
            event.stop()
            event.prevent_default()
            self.value = picked
