"""The line at the top of the partner screens: who, which period, signed, progress, autosave."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusBar(Widget):
    """``BSWA · 2018/19 Q3 · 1 of 3 actions complete · Draft saved 10:32:05``."""

    partner: reactive[str] = reactive("")
    """Partner code."""
    period: reactive[str] = reactive("")
    """Reporting period text."""
    complete: reactive[int] = reactive(0)
    """Entries complete."""
    total: reactive[int] = reactive(0)
    """All entries."""
    saved: reactive[str] = reactive("Autosave on")
    """Autosave state in words."""
    signed: reactive[str] = reactive("")
    """``signed (r1)`` once this period's return is signed here, else empty."""
    save_ok: reactive[bool] = reactive(True)
    """False when the last autosave failed (shown with a ✗, not by colour alone)."""

    def render(self) -> Text:
        """One line, most important first so a narrow terminal cuts the least useful part."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {self.partner}", style="bold")
        text.append(f" · {self.period}", style="bold")
        if self.signed:
            text.append(f" · ✓ {self.signed}", style="bold")
        text.append(f" · {self.complete} of {self.total} actions complete")
        mark = "✓" if self.save_ok else "✗"
        text.append(f" · {mark} {self.saved}", style="" if self.save_ok else "bold reverse")
        return text
