"""Render the report's tables as a Word document (python-docx), for the steering group's pack.

A4 portrait with 2 cm margins; a page header with the plan and period and a footer with
"Page N of M" (Word fields, so Word and LibreOffice number the pages). Parts are Heading 1,
tables Heading 2, and every table a real Word table with a repeated, bold header row. The
progress updates use the seed's layout (Action Plan Ref | Stakeholder | Progress update, per
section) from the table's ``narrow`` layout. Statuses keep their marker and label; the plan's
colour is only cell shading. Charts are drawn as the nearest Word equivalent without a picture
library: status bars as shaded one-row tables (each segment with its marker and count), and
each KPI's quarter-by-quarter line as a small table of its points (value and the arrow from the
quarter before), the target and baseline, and each point against the target (above, below or
on it, by how much), with a key; every point labelled, nothing by colour. Characters XML
cannot hold are removed; nothing is a field or link except the page numbers.
"""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dapreturn.core.collection.analysis import figure_text
from dapreturn.core.report.table import (
    Cell,
    Chart,
    Document,
    Kind,
    Layout,
    Marked,
    Merge,
    Table,
    number,
    row_text,
    text,
)

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SHADES = {
    "green": "D8F0D8",
    "amber": "FDE9C4",
    "red": "F7D0D0",
    "blue": "D6E4F5",
    "grey": "E4E4E4",
    "cyan": "D4F0F0",
}
"""Cell shading per plan colour name (the marker stays in the text)."""


def clean(value: str) -> str:
    """Text Word can hold: XML-illegal characters removed."""
    return _ILLEGAL.sub("", value)


def _shade(cell: Any, colour: str) -> None:
    if colour in SHADES:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:fill"), SHADES[colour])
        cell._tc.get_or_add_tcPr().append(shd)


def _field(paragraph: Any, code: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice fill in."""
    run = paragraph.add_run()
    for kind, extra in (("begin", None), (None, code), ("separate", None), ("end", None)):
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {extra} "
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _page(doc: Any, header: str) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    section.header.paragraphs[0].text = clean(header)
    foot = section.footer.paragraphs[0]
    foot.add_run("Page ")
    _field(foot, "PAGE")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES")
    doc.styles["Normal"].font.size = Pt(10)


def _put(cell: Any, value: Cell, kind: Kind) -> None:
    cell.text = clean(text(value, kind))
    if isinstance(value, Marked):
        _shade(cell, value.colour)


def _header_row(table: Any, headings: list[str]) -> None:
    row = table.rows[0]
    trpr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, heading in zip(row.cells, headings, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(clean(heading)).bold = True


def _grid(doc: Any, t: Table) -> None:
    table = doc.add_table(rows=1, cols=len(t.columns), style="Table Grid")
    _header_row(table, t.headings)
    for row in t.rows:
        cells = table.add_row().cells
        for cell, value, column in zip(cells, row, t.columns, strict=True):
            _put(cell, value, column.kind)


def _merged(cell: Any, t: Table, row: tuple[Cell, ...], merge: Merge) -> None:
    """One narrow-layout cell: its first source plain, the others labelled; narratives apart."""
    at = {c.heading: i for i, c in enumerate(t.columns)}
    cell.text = ""
    first = True
    for name in merge.sources:
        column, value = t.columns[at[name]], row[at[name]]
        shown = clean(text(value, column.kind))
        if not shown:
            continue
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        if not first:
            para.add_run(f"{name}: ").italic = True
        para.add_run(shown).bold = first
        if isinstance(value, Marked) and first:
            _shade(cell, value.colour)
        first = False


_NARROW_WIDTHS = (Mm(35), Mm(40), Mm(95))
"""Seed layout on A4 between 2 cm margins: ref and stakeholder narrow, the update wide."""


def _narrow(doc: Any, t: Table) -> None:
    table = doc.add_table(rows=1, cols=len(t.narrow), style="Table Grid")
    table.autofit = False
    _header_row(table, [m.heading for m in t.narrow])
    last: tuple[Cell, ...] | None = None
    for row in t.rows:
        cells = table.add_row().cells
        for i, (cell, merge) in enumerate(zip(cells, t.narrow, strict=True)):
            if i == 0 and row[: t.group] == last:
                continue  # the action is named once, as in the seed
            _merged(cell, t, row, merge)
        last = row[: t.group]
    if len(t.narrow) == len(_NARROW_WIDTHS):
        for row_ in table.rows:
            for cell, width in zip(row_.cells, _NARROW_WIDTHS, strict=True):
                cell.width = width


def _bars(doc: Any, t: Table, c: Chart) -> None:
    """A stacked bar as Word draws best without a picture: per row, a one-row table whose cells
    are as wide as their counts, shaded, each saying its marker and count."""
    doc.add_paragraph().add_run(clean(c.title)).bold = True
    at = [t.column(s.name) for s in c.series]
    most = max([sum(number(t.rows[i][j]) for j in at) for i in c.rows] + [1.0])
    for i in c.rows:
        row = t.rows[i]
        parts = [(s, number(row[j])) for s, j in zip(c.series, at, strict=True)]
        parts = [(s, n) for s, n in parts if n]
        doc.add_paragraph(clean(str(row[t.column(c.label)])))
        if not parts:
            continue
        bar = doc.add_table(rows=1, cols=len(parts), style="Table Grid")
        bar.autofit = False
        for cell, (s, n) in zip(bar.rows[0].cells, parts, strict=True):
            cell.width = Mm(max(12.0, 150 * n / most))
            cell.text = f"{s.marker} {figure_text(n)}"
            _shade(cell, s.colour)


LINE_KEY = (
    "↑ up on the quarter before, ↓ down, → unchanged; ▲ above the target, ▼ below it, "
    "= on it; — no figure."
)
"""How to read a KPI line drawn as a table (printed under each)."""


def trend(value: float | None, before: float | None) -> str:
    """``12 ↑``: the figure and the arrow from the quarter before (``—`` for no figure)."""
    if value is None:
        return "—"
    if before is None:
        return figure_text(value)
    arrow = "↑" if value > before else "↓" if value < before else "→"
    return f"{figure_text(value)} {arrow}"


def against(value: float | None, target: float) -> str:
    """``▲ 3 above``, ``▼ 2 below`` or ``= on target`` (``—`` for no figure)."""
    if value is None:
        return "—"
    gap = value - target
    if gap > 0:
        return f"▲ {figure_text(gap)} above"
    if gap < 0:
        return f"▼ {figure_text(-gap)} below"
    return "= on target"


def _lines(doc: Any, t: Table, c: Chart) -> None:
    """A KPI's line as Word draws it best without a picture: a row of labelled points per
    series, a row per reference (target, baseline), and each series against the target."""
    doc.add_paragraph().add_run(clean(f"{c.title} — quarter by quarter")).bold = True
    at = [t.column(p) for p in c.points]
    table = doc.add_table(rows=1, cols=1 + len(c.points), style="Table Grid")
    _header_row(table, ["Line", *c.points])
    target = dict(c.references).get("target")
    for s, i in zip(c.series, c.rows, strict=True):
        values = [None if t.rows[i][j] is None else number(t.rows[i][j]) for j in at]
        cells = table.add_row().cells
        cells[0].text = clean(s.marker)
        for k, cell in enumerate(cells[1:]):
            cell.text = trend(values[k], values[k - 1] if k else None)
        if target is not None:
            cells = table.add_row().cells
            cells[0].text = clean(f"{s.marker} against target")
            for cell, v in zip(cells[1:], values, strict=True):
                cell.text = against(v, target)
    for name, v in c.references:
        cells = table.add_row().cells
        cells[0].text = clean(name)
        for cell in cells[1:]:
            cell.text = figure_text(v)
    doc.add_paragraph().add_run(LINE_KEY).italic = True


def _table(doc: Any, t: Table, titled: bool) -> None:
    if titled:
        doc.add_heading(clean(t.title), level=2)
    if not t.rows:
        doc.add_paragraph().add_run(clean(t.empty)).italic = True
        return
    if t.layout is Layout.FACTS:
        for label, value in (row_text(t, row) for row in t.rows):
            para = doc.add_paragraph()
            para.add_run(clean(f"{label}: ")).bold = True
            para.add_run(clean(value))
    elif t.narrow:
        _narrow(doc, t)
    else:
        for c in t.charts:
            if c.kind == "bars":
                _bars(doc, t, c)
        _grid(doc, t)
        for c in t.charts:
            if c.kind == "lines":
                _lines(doc, t, c)
    if t.note:
        doc.add_paragraph().add_run(clean(t.note)).italic = True


def render_docx(d: Document) -> bytes:
    """The report as ``.docx`` bytes."""
    doc = docx.Document()
    _page(doc, f"{d.title} — {d.subtitle}")
    doc.add_heading(clean(d.title), level=0)
    doc.add_paragraph(clean(d.subtitle))
    for part in d.parts:
        heading = doc.add_heading(clean(part.title), level=1)
        heading.paragraph_format.page_break_before = part.new_page
        for alert in part.alerts:
            doc.add_paragraph().add_run(clean(alert)).bold = True
        for t in part.tables:
            _table(doc, t, titled=t.title != part.title)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
