"""Render the report's tables as an Excel workbook (openpyxl).

One sheet per part of the report, in the report's order (Summary first). A part of one table
(or of tables sharing columns, stacked with their title in a first column) is one grid with a
bold, frozen header row (repeated on every printed page), an auto-filter and set column widths;
a part of several different tables (the summary) has them one under another, each under its
bold title. Every sheet prints on A4 landscape, fitted to the page width. Statuses keep their
marker and get their colour as a fill. Every text cell is stored as text (never a formula, even
when it starts with ``=``), with characters that XML cannot hold removed; dates are real dates
and figures real numbers.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dapreturn.core.report.table import Cell, Document, Marked, Part, Table, flat

FILLS = {
    "green": "D8F0D8",
    "amber": "FDE9C4",
    "red": "F7D0D0",
    "blue": "D6E4F5",
    "grey": "E4E4E4",
    "cyan": "D4F0F0",
}
"""Fill per plan colour name; the marker letter stays in the cell (never colour alone)."""
_WRAP = Alignment(wrap_text=True, vertical="top")
_MAX_WIDTH = 60


def _put(ws: Any, row: int, col: int, value: Cell) -> None:
    """Write one cell: text stays text, dates are dates (no time zone: Excel has none)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, Marked):
        _put(ws, row, col, str(value))
        if value.colour in FILLS:
            cell.fill = PatternFill("solid", fgColor=FILLS[value.colour])
    elif isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        if "\n" in value or len(value) > _MAX_WIDTH:
            cell.alignment = _WRAP
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value


def _rows(ws: Any, t: Table, top: int) -> int:
    """Write ``t``'s header row at ``top`` and its rows under it; return the next free row."""
    for col, name in enumerate(t.headings, start=1):
        _put(ws, top, col, name)
        ws.cell(row=top, column=col).font = Font(bold=True)
    for r, values in enumerate(t.rows, start=top + 1):
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value)
    return top + 1 + len(t.rows)


def _widths(ws: Any, tables: list[Table]) -> None:
    for col in range(1, max(len(t.columns) for t in tables) + 1):
        texts = [t.headings[col - 1] for t in tables if col <= len(t.columns)]
        texts += [str(r[col - 1] or "") for t in tables for r in t.rows[:500] if col <= len(r)]
        longest = max(len(max(x.splitlines() or [""], key=len)) for x in texts)
        ws.column_dimensions[get_column_letter(col)].width = min(_MAX_WIDTH, max(8, longest + 2))


def _print_setup(ws: Any, titles: bool) -> None:
    """A4 landscape, fitted to the page width, the header row repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if titles:
        ws.print_title_rows = "1:1"


def _sheet(wb: Any, p: Part) -> None:
    ws = wb.create_sheet(p.title[:31])
    tables = flat(p)
    _print_setup(ws, titles=len(tables) == 1)
    if len(tables) == 1:
        t = tables[0]
        _rows(ws, t, 1)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(t.columns))}{max(1, len(t.rows) + 1)}"
    else:
        top = 1
        for a in p.alerts:
            _put(ws, top, 1, a)
            top += 1
        for t in tables:
            _put(ws, top, 1, t.title)
            ws.cell(row=top, column=1).font = Font(bold=True, size=12)
            top = _rows(ws, t, top + 1) + 1
    _widths(ws, tables)


def render_xlsx(doc: Document) -> bytes:
    """The workbook as ``.xlsx`` bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    for p in doc.parts:
        _sheet(wb, p)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
