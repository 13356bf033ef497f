"""Before signing: text that looks like a victim's personal details must be edited or confirmed.

Each finding of :func:`dapreturn.core.safeguarding.scan_fields` is listed with its field and the
text found. The lead either goes to edit that field (the screen returns the field's key) or
ticks a box to confirm it is not personal data about a victim; signing is only offered once
every box is ticked (the screen returns ``"sign"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Static

from dapreturn.core.safeguarding import Finding
from dapreturn.tui.partner.fields import field_label, split_narrative_key
from dapreturn.tui.widgets.tick_box import TickBox


def place(field: str) -> str:
    """Words for a scanned field: ``3l · Risks / issues``, ``KPI K1 note``."""
    ref, name = split_narrative_key(field)
    if ref is None:
        return field_label(name) + (" note" if name.endswith(".note") else "")
    return f"{ref} · {field_label(name)}"


class SafeguardingScreen(ModalScreen[str | None]):
    """List possible personal data; return ``"sign"``, a field key to edit, or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, findings: Sequence[Finding], confirmed: Iterable[tuple[str, str]]) -> None:
        """Show ``findings``; those in ``confirmed`` (field, text) start ticked."""
        super().__init__()
        self._findings = list(findings)
        self._confirmed = set(confirmed)

    def compose(self) -> ComposeResult:
        """Explanation, one row per finding, the buttons."""
        with Vertical(classes="dialog wide tall"):
            yield Label("Check for personal details before signing", classes="dialog-title")
            yield Static(
                "A return must never identify a victim. The text below looks like personal "
                "details. For each one, choose Edit to change it, or tick the box if it is not "
                "about a victim (for example a service's own phone number).",
                classes="dialog-body",
            )
            with VerticalScroll(id="findings"):
                for i, f in enumerate(self._findings):
                    line = Text(f"{place(f.field)}: ", style="bold")
                    line.append(f"possible {f.kind.label} ")
                    line.append(f'"{f.text}"', style="bold reverse")
                    yield Static(line, classes="finding")
                    with Horizontal(classes="finding-actions"):
                        yield TickBox(
                            "Checked: not about a victim",
                            value=(f.field, f.text) in self._confirmed,
                            id=f"ok-{i}",
                        )
                        yield Button("Edit", id=f"edit-{i}")
            yield Static(id="findings-left")
            with Horizontal(classes="buttons"):
                yield Button("Sign", id="sign", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Focus the first box; show how many are left."""
        self._update()
        boxes = list(self.query(Checkbox))
        if boxes:
            boxes[0].focus()

    def _update(self) -> None:
        left = sum(1 for box in self.query(Checkbox) if not box.value)
        self.query_one("#sign", Button).disabled = left > 0
        words = (
            f"{left} still to edit or tick before you can sign."
            if left
            else "All checked. You can sign now."
        )
        self.query_one("#findings-left", Static).update(words)

    @on(Checkbox.Changed)
    def _ticked(self) -> None:
        self._update()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id == "sign":
            self.dismiss("sign")
        elif button_id == "cancel":
            self.dismiss(None)
        elif button_id.startswith("edit-"):
            self.dismiss(self._findings[int(button_id.removeprefix("edit-"))].field)

    def action_cancel(self) -> None:
        """Close without signing."""
        self.dismiss(None)
