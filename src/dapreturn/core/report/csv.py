"""Render a :class:`~dapreturn.core.report.model.Report` as one CSV table with a ``part`` column.

Parts: ``progress`` (one row per action x partner entry; an action nobody reported on gets one
row with status ``No report``), ``received``, ``not_returned``, ``overdue``, ``kpi`` (one row per
KPI x quarter x partner, plus a ``TOTAL`` row where figures are added up), ``safeguarding`` and
``not_counted``. Dates are ISO (``2019-03-31``). Text that a spreadsheet would run as a formula
(starting ``=``, ``+``, ``-``, ``@``, tab or CR) is prefixed with ``'``; numbers are left alone.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from dapreturn.core.report.model import Report

COLUMNS = [
    "part",
    "section",
    "ref",
    "title",
    "partner",
    "partner_name",
    "role",
    "status",
    "started",
    "target",
    "completed",
    "due",
    "responsible",
    "action_taken",
    "next_steps",
    "risks",
    "period",
    "value",
    "detail",
    "file",
]
"""The header row, in order."""

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def safe(value: object) -> str:
    """Text for a cell: ISO dates, and formula-like text defused with a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(text):
        return "'" + text
    return text


def rows(report: Report) -> list[dict[str, object]]:
    """Every row as a dict keyed by :data:`COLUMNS` (missing keys are empty)."""
    out: list[dict[str, object]] = []
    for s in report.sections:
        for a in s.actions:
            base = {
                "section": s.id,
                "ref": a.ref,
                "title": a.title,
                "due": a.due,
                "period": report.period,
            }
            if not a.updates:
                out.append({**base, "part": "progress", "status": a.headline})
            for u in a.updates:
                out.append(
                    {
                        **base,
                        "part": "progress",
                        "partner": u.partner,
                        "partner_name": u.partner_name,
                        "role": u.role,
                        "status": u.status,
                        "started": u.started,
                        "target": u.target,
                        "completed": u.completed,
                        "responsible": "; ".join(u.responsible),
                        "action_taken": u.action_taken,
                        "next_steps": u.next_steps,
                        "risks": u.risks,
                        "detail": " | ".join(u.flags),
                        "file": u.file,
                    }
                )
    for x in report.received:
        out.append(
            {
                "part": "received",
                "partner": x.partner,
                "partner_name": x.name,
                "period": report.period,
                "file": x.file,
                "status": x.review,
                "detail": "; ".join(
                    [
                        f"prepared by {x.prepared_by}",
                        f"r{x.revision}",
                        f"submitted {x.submitted_at:%Y-%m-%dT%H:%M:%SZ}" if x.submitted_at else "",
                        "LATE" if x.late else "",
                        *x.problems,
                    ]
                ).strip("; "),
            }
        )
    for n in report.not_returned:
        out.append(
            {
                "part": "not_returned",
                "partner": n.partner,
                "partner_name": n.name,
                "ref": ", ".join(n.actions),
                "period": report.period,
                "detail": n.note,
            }
        )
    for o in report.overdue:
        out.append(
            {
                "part": "overdue",
                "ref": o.ref,
                "title": o.title,
                "partner": ", ".join(o.leads),
                "status": o.statuses,
                "target": o.target,
                "due": o.due,
                "period": report.period,
                "detail": f"{o.basis} passed {o.days} days before {report.as_of}",
            }
        )
    for k in report.kpis:
        base = {
            "part": "kpi",
            "ref": k.id,
            "title": k.measure,
            "role": k.unit,
            "status": k.verdict,
            "detail": f"{k.direction}; {k.explanation}",
        }
        if k.baseline is not None:
            out.append({**base, "partner": "BASELINE", "value": k.baseline})
        for period, values, total in zip(report.kpi_periods, k.values, k.totals, strict=True):
            for partner, value in values.items():
                out.append({**base, "partner": partner, "period": period, "value": value})
            if total is not None:
                out.append({**base, "partner": "TOTAL", "period": period, "value": total})
    for f in report.safeguarding:
        out.append(
            {
                "part": "safeguarding",
                "partner": f.partner,
                "title": f.kind,
                "detail": f.message,
                "file": f.file,
                "period": report.period,
            }
        )
    for c in report.not_counted:
        out.append(
            {
                "part": "not_counted",
                "status": c.state,
                "detail": c.reason,
                "title": c.claims,
                "file": c.file,
            }
        )
    return out


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render_csv(report: Report) -> str:
    """The report as CSV text (``\\r\\n`` line ends, as RFC 4180 and spreadsheets expect)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows(report):
        writer.writerow(
            _number(row[c]) if c == "value" and c in row else safe(row.get(c)) for c in COLUMNS
        )
    return buffer.getvalue()
