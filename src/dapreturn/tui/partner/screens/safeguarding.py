"""Before signing: text that looks like a victim's personal details must be edited or confirmed.

Each finding of :func:`dapreturn.core.returns.safeguarding.scan_fields` is listed with its field
and the
text found. The lead either goes to edit that field (the screen returns
:class:`~dapreturn.core.filling.signing.EditAt` its place) or ticks a box to confirm it is not
personal data about a victim; signing is only offered once every box is ticked (the screen
returns :attr:`~dapreturn.core.filling.signing.Decision.CONFIRM`).
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

from dapreturn.core.filling.fields import describe
from dapreturn.core.filling.places import Place
from dapreturn.core.filling.signing import Decision, EditAt, FindingsAnswer
from dapreturn.core.returns.safeguarding import Finding
from dapreturn.tui.widgets.tick_box import TickBox


class SafeguardingScreen(ModalScreen[FindingsAnswer]):
    """List possible personal data; return confirm, cancel, or the place to edit."""

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
                    line = Text(f"{describe(Place.parse(f.field))}: ", style="bold")
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
            self.dismiss(Decision.CONFIRM)
        elif button_id == "cancel":
            self.dismiss(Decision.CANCEL)
        elif button_id.startswith("edit-"):
            finding = self._findings[int(button_id.removeprefix("edit-"))]
            self.dismiss(EditAt(Place.parse(finding.field)))

    def action_cancel(self) -> None:
        """Close without signing."""
        self.dismiss(Decision.CANCEL)
