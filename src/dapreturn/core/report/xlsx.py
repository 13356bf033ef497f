"""Render a :class:`~dapreturn.core.report.model.Report` as an Excel workbook (openpyxl).

One sheet per part: Summary, Progress, Received, Not returned, Overdue, KPIs, Safeguarding, Not
counted. Each sheet has a bold, frozen header row, an auto-filter and set column widths. Every
text cell is stored as text (never a formula, even when it starts with ``=``), with characters
that XML cannot hold removed; dates are real dates and figures real numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dapreturn.core.report.model import (
    NOT_RETURNED_HEAD,
    OVERDUE_HEAD,
    Report,
    not_returned_rows,
    overdue_rows,
)

Cell = str | int | float | date | datetime | None
_WRAP = Alignment(wrap_text=True, vertical="top")
_MAX_WIDTH = 60


def _put(ws: Any, row: int, col: int, value: Cell) -> None:
    """Write one cell: text stays text, dates are dates (no time zone: Excel has none)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
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


def _sheet(wb: Any, title: str, head: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    ws = wb.create_sheet(title)
    for col, name in enumerate(head, start=1):
        _put(ws, 1, col, name)
        ws.cell(row=1, column=col).font = Font(bold=True)
    for r, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(1, len(rows) + 1)}"
    for col, name in enumerate(head, start=1):
        sample = (str(row[col - 1] or "") for row in rows[:500] if col <= len(row))
        longest = max([len(name), *(len(max(t.splitlines() or [""], key=len)) for t in sample)])
        ws.column_dimensions[get_column_letter(col)].width = min(_MAX_WIDTH, max(8, longest + 2))


_PROGRESS_HEAD = [
    "Section",
    "Ref",
    "Action",
    "Partner",
    "Partner name",
    "Role",
    "Status",
    "Started",
    "Target",
    "Completed",
    "Due",
    "Responsible",
    "Action taken",
    "Next steps",
    "Risks / issues",
    "Flags",
    "File",
]


def _progress_rows(r: Report) -> list[list[Cell]]:
    """One row per action x partner update; an action without updates gets one row."""
    out: list[list[Cell]] = []
    for s in r.sections:
        for a in s.actions:
            head: list[Cell] = [s.id, a.ref, a.title]
            if not a.updates:
                out.append([*head, "", "", "", a.headline, None, None, None, a.due])
            out += [
                [
                    *head,
                    u.partner,
                    u.partner_name,
                    u.role,
                    u.status,
                    u.started,
                    u.target,
                    u.completed,
                    a.due,
                    "; ".join(u.responsible),
                    u.action_taken,
                    u.next_steps,
                    u.risks,
                    " | ".join(u.flags),
                    u.file,
                ]
                for u in a.updates
            ]
    return out


def render_xlsx(report: Report) -> bytes:
    """The workbook as ``.xlsx`` bytes."""
    r = report
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    facts: list[tuple[str, Cell]] = [
        ("Report", r.title),
        ("Plan", f"{r.plan_title} ({r.plan_id})"),
        ("Period", r.period_text),
        ("Dates judged at", r.as_of),
        ("Returns due by", r.deadline),
        ("Returns counted", len(r.received)),
        ("Files not counted", len(r.not_counted)),
        ("Safeguarding findings", len(r.safeguarding)),
        ("Trust list", r.trust_source),
        ("Produced (UTC)", r.generated_at),
    ]
    for i, (name, value) in enumerate(facts, start=1):
        _put(summary, i, 1, name)
        summary.cell(row=i, column=1).font = Font(bold=True)
        _put(summary, i, 2, value)
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 70
    _sheet(wb, "Progress", _PROGRESS_HEAD, _progress_rows(r))
    _sheet(
        wb,
        "Received",
        [
            "Partner",
            "Name",
            "Prepared by",
            "Revision",
            "Submitted (UTC)",
            "Late",
            "Review",
            "Problems",
            "File",
        ],
        [
            [
                x.partner,
                x.name,
                x.prepared_by,
                x.revision,
                x.submitted_at,
                "LATE" if x.late else "",
                x.review,
                "; ".join(x.problems),
                x.file,
            ]
            for x in r.received
        ],
    )
    _sheet(
        wb,
        "Not returned",
        NOT_RETURNED_HEAD,
        not_returned_rows(r),
    )
    _sheet(
        wb,
        "Overdue",
        OVERDUE_HEAD,
        overdue_rows(r),
    )
    kpi_rows: list[list[Cell]] = []
    for k in r.kpis:
        summable = k.unit in ("count", "currency")
        kpi_rows.append(
            [
                k.id,
                k.measure,
                k.unit,
                k.direction,
                "TOTAL" if summable else "n/a",
                k.baseline,
                *k.totals,
                k.verdict,
                k.explanation,
            ]
        )
        partners = sorted({p for values in k.values for p in values})
        kpi_rows += [
            [
                k.id,
                k.measure,
                k.unit,
                k.direction,
                p,
                None,
                *(values.get(p) for values in k.values),
                "",
                "",
            ]
            for p in partners
        ]
    _sheet(
        wb,
        "KPIs",
        [
            "KPI",
            "Measure",
            "Unit",
            "Direction",
            "Partner",
            "Baseline",
            *r.kpi_periods,
            "Verdict",
            "Explanation",
        ],
        kpi_rows,
    )
    _sheet(
        wb,
        "Safeguarding",
        ["Partner", "Field", "Kind", "Finding", "File"],
        [[f.partner, f.field, f.kind, f.message, f.file] for f in r.safeguarding],
    )
    _sheet(
        wb,
        "Not counted",
        ["File", "State", "Reason", "Claims (unverified)"],
        [[n.file, n.state, n.reason, n.claims] for n in r.not_counted],
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
