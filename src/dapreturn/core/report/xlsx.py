"""Render the report's tables as an Excel workbook (openpyxl).

One sheet per part, in the report's order, printing on A4 landscape fitted to the page width;
header rows are bold, frozen and repeated on every page. Statuses keep their marker and get their
colour as a fill; charts are native Excel charts beside their table. Text cells are always text
(never a formula), with characters XML cannot hold removed; dates and figures are real values.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dapreturn.core.report.table import Cell, Chart, Document, Marked, Part, Table, flat

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


def _chart(ws: Any, t: Table, c: Chart, header: int) -> Any:
    """A native chart of ``t`` (its header row at ``header``): values and names on every bar
    segment and point, so the chart does not rest on colour."""
    first = header + 1

    def col(heading: str) -> int:
        return t.column(heading) + 1

    chart: Any
    if c.kind == "bars":
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        last = first + c.rows[-1]
        for s in c.series:
            chart.add_data(
                Reference(ws, min_col=col(s.name), min_row=header, max_row=last),
                titles_from_data=True,
            )
            if s.colour in FILLS:
                chart.series[-1].graphicalProperties.solidFill = FILLS[s.colour]
        chart.set_categories(Reference(ws, min_col=col(c.label), min_row=first, max_row=last))
    else:
        chart = LineChart()
        lo, hi = col(c.points[0]), col(c.points[-1])
        for s, r in zip(c.series, c.rows, strict=True):
            values = Reference(ws, min_col=lo, max_col=hi, min_row=first + r)
            chart.series.append(Series(values, title=s.marker))
        chart.set_categories(Reference(ws, min_col=lo, max_col=hi, min_row=header))
        refs = "; ".join(f"{n} {v:g}" for n, v in c.references)
        c = Chart(c.kind, f"{c.title} ({refs})" if refs else c.title, c.label, c.rows)
    chart.title = c.title[:120]
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showSerName = c.kind == "bars"
    chart.width, chart.height = 18, 7.5
    return chart


def _place_charts(ws: Any, t: Table, header: int) -> None:
    """Charts to the right of the table, one under another."""
    column = get_column_letter(len(t.columns) + 2)
    for i, c in enumerate(t.charts):
        ws.add_chart(_chart(ws, t, c, header), f"{column}{header + 16 * i}")


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
        _place_charts(ws, t, 1)
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
            _place_charts(ws, t, top + 1)
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
