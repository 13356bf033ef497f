"""Ask which report format and where to save it; answers an :class:`ExportRequest` or ``None``."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Static

from dapreturn.core.report import FORMATS, Format
from dapreturn.core.review.snapshot import Choice, shown_path
from dapreturn.core.review.tasks import ExportRequest, default_report_name
from dapreturn.tui.officer.widgets.marked import MarkedCheckbox, MarkedRadioButton

FORMAT_LABELS: dict[Format, str] = {
    "md": "Markdown text (.md)",
    "html": "Web page, works offline (.html)",
    "csv": "Spreadsheet rows (.csv)",
    "xlsx": "Excel workbook (.xlsx)",
    "docx": "Word document (.docx)",
}
"""How each format is offered."""


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Pick a format and a file name for the consolidated report of one plan and period."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel: write nothing"),
        Binding("ctrl+s", "export", "Export now"),
    ]

    def __init__(self, choice: Choice, folder: Path) -> None:
        """Offer ``folder`` / the default name for ``choice``."""
        super().__init__()
        self.choice = choice
        """The plan and period reported on."""
        self._folder = folder
        self._fmt: Format = "md"

    def compose(self) -> ComposeResult:
        """Format, path, replace switch, buttons."""
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label("Export the consolidated report", classes="dialog-title")
            with VerticalScroll(id="export-body"):
                yield Static(f"{self.choice.plan_id} · {self.choice.period.describe()}")
                yield Label("Format:")
                with RadioSet(id="export-format"):
                    for fmt in FORMATS:
                        yield MarkedRadioButton(
                            FORMAT_LABELS[fmt], value=fmt == "md", id=f"fmt-{fmt}"
                        )
                yield Label("Save as:")
                yield Input(shown_path(self._path("md")), id="export-path")
                yield MarkedCheckbox("Replace the file if it is already there", id="export-replace")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (Esc)", id="cancel")
                yield Button("Export (Ctrl+S)", id="export", variant="primary")

    def on_mount(self) -> None:
        """Start on the format."""
        self.query_one("#export-format", RadioSet).focus()

    def _path(self, fmt: Format) -> Path:
        return self._folder / default_report_name(self.choice, fmt)

    @on(RadioSet.Changed, "#export-format")
    def _format(self, event: RadioSet.Changed) -> None:
        new = next(f for f in FORMATS if event.pressed.id == f"fmt-{f}")
        box = self.query_one("#export-path", Input)
        old_suffix = f".{self._fmt}"
        if box.value.endswith(old_suffix):
            box.value = box.value[: -len(old_suffix)] + f".{new}"
        self._fmt = new

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        """Answer with the request (a file name is needed)."""
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.notify("Say where to save the report.")
            return
        replace = self.query_one("#export-replace", Checkbox).value
        self.dismiss(ExportRequest(self._fmt, Path(text), replace))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Write nothing."""
        self.dismiss(None)
