"""The inbox view: every file in the folder with its signature, review state and problems.

Sort with ``s`` (next column) and ``r`` (reverse), or by clicking a heading; filter by typing
after ``/`` (↓ or Enter goes back into the list). Enter on a return opens the decision dialog;
on a file signed by an unknown key it opens the trust dialog (the view only asks, by message;
the main screen acts).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Label, Static
from textual.widgets.data_table import CellDoesNotExist

from dapreturn.core.collection.load import FileRecord
from dapreturn.core.review.inbox_rows import (
    COLUMNS,
    TRUSTABLE,
    Column,
    InboxRow,
    detail_lines,
    filter_rows,
    inbox_rows,
    sort_rows,
)
from dapreturn.core.review.snapshot import Snapshot
from dapreturn.tui.widgets.filter_input import FilterInput

_COLUMN_NAMES: tuple[Column, ...] = tuple(name for name, _ in COLUMNS)


def _cell_style(text: str) -> str:
    """Emphasis that repeats the marker (✓ ✗ ! ?), never replacing it."""
    if text.startswith("✗"):
        return "bold red"
    if text.startswith(("?", "!")):
        return "bold yellow"
    if text.startswith("✓"):
        return "green"
    return ""


class InboxView(Vertical):
    """All files, filterable and sortable, with details of the highlighted one below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort_next", "Sort by next column"),
        Binding("r", "sort_reverse", "Reverse sort", show=False),
        Binding("v", "view", "View whole return"),
        Binding("d", "decide", "Decide"),
        Binding("t", "trust", "Trust key"),
        Binding("escape", "leave_filter", "Back to the list / clear the filter", show=False),
    ]

    snapshot: reactive[Snapshot | None] = reactive(None)
    """The loaded folder (``None`` until the first load finishes)."""
    filter_text: reactive[str] = reactive("", init=False)
    """Words every shown row must contain."""
    sort_column: reactive[Column] = reactive[Column]("partner", init=False)
    """The column rows are sorted by."""
    sort_reverse: reactive[bool] = reactive(False, init=False)
    """Sort from the highest value down."""

    class ReviewRequested(Message):
        """The officer wants to decide on (or comment on) a file."""

        def __init__(self, record: FileRecord) -> None:
            """Name the file."""
            super().__init__()
            self.record = record
            """The file to review."""

    class ViewRequested(Message):
        """The officer wants to read one whole return."""

        def __init__(self, record: FileRecord) -> None:
            """Name the file."""
            super().__init__()
            self.record = record
            """The file to show."""

    class TrustRequested(Message):
        """The officer wants to trust the key that signed a file."""

        def __init__(self, record: FileRecord) -> None:
            """Name the file."""
            super().__init__()
            self.record = record
            """A file signed by the key."""

    def __init__(self, *, id: str | None = None) -> None:
        """An empty inbox until :attr:`snapshot` is set."""
        super().__init__(id=id)
        self._rows: dict[str, InboxRow] = {}

    def compose(self) -> ComposeResult:
        """Filter line, table, details."""
        with Horizontal(id="inbox-top"):
            yield Label("Filter /", id="inbox-filter-label")
            yield FilterInput(placeholder="words, e.g. BSWA Q3 unknown", id="inbox-filter")
            yield Label("", id="inbox-count")
        yield DataTable(id="inbox-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="inbox-detail-box"):
            yield Static("", id="inbox-detail")

    def watch_snapshot(self) -> None:
        """A new load or a saved decision: rebuild the rows."""
        self._fill()

    def watch_filter_text(self) -> None:
        """Show only matching rows."""
        self._fill()

    def watch_sort_column(self) -> None:
        """Re-sort."""
        self._fill()

    def watch_sort_reverse(self) -> None:
        """Re-sort."""
        self._fill()

    @property
    def shown(self) -> list[InboxRow]:
        """The rows in the table, in table order."""
        return list(self._rows.values())

    def _fill(self) -> None:
        table = self.query_one("#inbox-table", DataTable)
        keep = self.highlighted
        table.clear(columns=True)
        arrow = " ▼" if self.sort_reverse else " ▲"
        for name, title in COLUMNS:
            table.add_column(title + (arrow if name == self.sort_column else ""), key=name)
        snapshot = self.snapshot
        all_rows = inbox_rows(snapshot) if snapshot else []
        rows = sort_rows(
            filter_rows(all_rows, self.filter_text), self.sort_column, reverse=self.sort_reverse
        )
        self._rows = {r.key: r for r in rows}
        for row in rows:
            old = row.record.superseded_by is not None
            cells = [Text(c, style="dim" if old else _cell_style(c)) for c in row.cells()]
            table.add_row(*cells, key=row.key)
        count = f"{len(rows)} of {len(all_rows)} files"
        self.query_one("#inbox-count", Label).update(count)
        if keep is not None and keep.key in self._rows:
            table.move_cursor(row=table.get_row_index(keep.key))
        self._show_detail()

    @property
    def highlighted(self) -> InboxRow | None:
        """The row under the cursor, if any."""
        table = self.query_one("#inbox-table", DataTable)
        if not self._rows or table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None
        return self._rows.get(key or "")

    def _show_detail(self) -> None:
        row, snapshot = self.highlighted, self.snapshot
        detail = self.query_one("#inbox-detail", Static)
        if snapshot is None:
            detail.update("Reading the folder…")
        elif row is None:
            detail.update("No file matches the filter." if self.filter_text else "No files.")
        else:
            detail.update(Text("\n".join(detail_lines(row, snapshot))))

    @on(DataTable.RowHighlighted, "#inbox-table")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#inbox-table")
    def _selected(self) -> None:
        row = self.highlighted
        if row is not None and row.record.state in TRUSTABLE:
            self.action_trust()
        else:
            self.action_decide()

    @on(DataTable.HeaderSelected, "#inbox-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        name = str(event.column_key.value)
        if name == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            for column in _COLUMN_NAMES:
                if column == name:
                    self.sort_column = column

    @on(Input.Changed, "#inbox-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#inbox-filter")
    @on(FilterInput.Pick)
    def _filter_done(self) -> None:
        self.query_one("#inbox-table", DataTable).focus()

    def focus_main(self) -> None:
        """Put the keyboard in the table."""
        self.query_one("#inbox-table", DataTable).focus()

    def action_filter(self) -> None:
        """Type words to narrow the list."""
        self.query_one("#inbox-filter", Input).focus()

    def action_leave_filter(self) -> None:
        """From the filter box go back to the list; in the list, clear the filter."""
        box = self.query_one("#inbox-filter", Input)
        if box.has_focus:
            self.focus_main()
        elif box.value:
            box.value = ""

    def action_sort_next(self) -> None:
        """Sort by the next column."""
        i = _COLUMN_NAMES.index(self.sort_column)
        self.sort_column = _COLUMN_NAMES[(i + 1) % len(_COLUMN_NAMES)]
        self.notify(f"Sorted by {dict(COLUMNS)[self.sort_column]}", timeout=2)

    def action_sort_reverse(self) -> None:
        """Reverse the order."""
        self.sort_reverse = not self.sort_reverse

    def action_view(self) -> None:
        """Ask to show the highlighted file's whole return."""
        row = self.highlighted
        if row is not None:
            self.post_message(self.ViewRequested(row.record))

    def action_decide(self) -> None:
        """Ask to accept the highlighted return or raise a query on it."""
        row = self.highlighted
        if row is not None:
            self.post_message(self.ReviewRequested(row.record))

    def action_trust(self) -> None:
        """Ask to trust the key that signed the highlighted file."""
        row = self.highlighted
        if row is None:
            return
        if row.record.state not in TRUSTABLE:
            self.notify(
                f"{row.record.rel}: {row.signature} — not a key waiting to be trusted.",
                markup=False,
            )
            return
        self.post_message(self.TrustRequested(row.record))
