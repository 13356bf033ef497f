"""One KPI of the plan with boxes for this period's figure and a note.

The figure is typed as text (``1,234``, ``42%``, ``12.5``) and handed up as it is: the session
reads it (:func:`dapreturn.core.filling.kpis.parse_number`, the reader the plain mode uses too).
Whether it fits the KPI (a percentage is 0-100, a count is a whole number) is the plan's rule,
checked by the screen when the lead leaves the box and handed back with
:meth:`KpiRow.show_problems`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import DescendantBlur
from textual.message import Message
from textual.widgets import Input, Label, Static

from dapreturn.core.filling.kpis import describe_kpi
from dapreturn.core.plan.model import Kpi
from dapreturn.tui.widgets.field_input import FieldInput


class KpiRow(Vertical):
    """A KPI, its figure and note; posts :class:`KpiRow.Changed` and :class:`KpiRow.Left`."""

    class Changed(Message):
        """The figure or the note changed."""

        def __init__(self, kpi_id: str, text: str, note: str) -> None:
            """Describe the row's new content."""
            super().__init__()
            self.kpi_id = kpi_id
            """The KPI id."""
            self.text = text
            """The figure as typed (read by the session)."""
            self.note = note
            """The note."""

    class Left(Message):
        """Focus left the row's figure or note."""

        def __init__(self, kpi_id: str) -> None:
            """Name the KPI."""
            super().__init__()
            self.kpi_id = kpi_id
            """The KPI id."""

    def __init__(self, kpi: Kpi, value: str, note: str, last_time: str = "") -> None:
        """A row for ``kpi`` showing the stored figure (as text) and ``note``; ``last_time`` is
        last period's figure in words (``""``: none to show)."""
        super().__init__(id=f"kpi-{kpi.id}", classes="kpi-row")
        self.kpi = kpi
        """The plan's KPI."""
        self._value = value
        self._note = note
        self._last_time = last_time

    def compose(self) -> ComposeResult:
        """Measure, what is asked, the two boxes and the problem line."""
        k = self.kpi
        yield Label(Text(f"{k.id}  {k.measure}", style="bold"), classes="kpi-measure")
        yield Static(Text(describe_kpi(k)), classes="kpi-hint")
        if self._last_time:
            yield Static(Text(self._last_time), classes="kpi-hint kpi-last")
        with Horizontal(classes="kpi-boxes"):
            yield FieldInput(self._value, placeholder="figure", classes="kpi-value")
            yield FieldInput(self._note, placeholder="note (optional)", classes="kpi-note")
        yield Static("", classes="field-error")

    def _emit(self) -> None:
        text = self.query_one(".kpi-value", Input).value
        note = self.query_one(".kpi-note", Input).value
        self.post_message(self.Changed(self.kpi.id, text, note))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._emit()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """Enter has already moved on (FieldInput); nothing else listens for it."""
        event.stop()

    @on(DescendantBlur)
    def _blurred(self, event: DescendantBlur) -> None:
        self.post_message(self.Left(self.kpi.id))

    def show_problems(self, messages: Sequence[str]) -> None:
        """Show problems under the boxes (or clear them)."""
        line = self.query_one(".field-error", Static)
        line.update(Text("\n".join(f"✗ {m}" for m in messages)))
        line.display = bool(messages)
