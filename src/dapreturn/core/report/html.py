"""Render a :class:`~dapreturn.core.report.model.Report` as one self-contained HTML page.

The page works offline and prints well: the CSS is inline, there is no script, no image and no
reference to anything outside the page (only ``#`` anchors), and a Content-Security-Policy
forbids loading anything even if a browser were asked to. Every value is escaped with
:func:`html.escape`. Statuses show their text marker; colour is only a second signal.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from dapreturn.core.report.markdown import kpi_cell
from dapreturn.core.report.model import (
    NOT_RETURNED_HEAD,
    OVERDUE_HEAD,
    Report,
    Update,
    fmt_date,
    fmt_number,
    not_returned_rows,
    overdue_rows,
    text_rows,
)

_CSS = """
body{font:11pt/1.45 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#111;
  margin:2em auto;max-width:60em;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #444;margin-top:2em}
h3{background:#eee;padding:.2em .4em}h4{margin:.2em 0}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}
th,td{border:1px solid #999;padding:.25em .4em;text-align:left;vertical-align:top}
th{background:#f2f2f2}thead{display:table-header-group}
.meta{color:#333}.action{border-left:4px solid #888;padding:.2em .8em;margin:1em 0}
.update{margin:.6em 0 .6em .5em;padding-top:.3em;border-top:1px dotted #aaa}
.text{white-space:pre-wrap}.label{font-style:italic}
.status{border:1px solid #555;border-radius:3px;padding:0 .3em;font-weight:bold}
.flag{background:#fff3cd;border:1px solid #b58900;padding:.3em .5em;margin:.3em 0}
.none{color:#555;font-style:italic}.late{font-weight:bold}
.s-G{background:#d8f0d8}.s-A{background:#fde9c4}.s-R{background:#f7d0d0}.s-C{background:#d6e4f5}
nav ul{columns:2}
@media print{body{margin:0;max-width:none;font-size:10pt}nav{display:none}
  h2{break-before:page;page-break-before:always}h2.first{break-before:auto;page-break-before:auto}
  .action,.update,tr,.flag{break-inside:avoid;page-break-inside:avoid}
  h3,h4{break-after:avoid;page-break-after:avoid}}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], *, raw: bool = False) -> str:
    """A table; cells are escaped unless ``raw`` (already-escaped HTML)."""
    h = "".join(f"<th>{_e(c)}</th>" for c in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{c if raw else _e(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>\n"


def _status(label: str) -> str:
    marker = label.split(" ", 1)[0] if label else ""
    css = f" s-{marker}" if marker in ("G", "A", "R", "C") else ""
    return f'<span class="status{css}">{_e(label)}</span>'


def _update(u: Update) -> str:
    dates = ", ".join(
        f"{k} {fmt_date(v)}"
        for k, v in (("started", u.started), ("target", u.target), ("completed", u.completed))
        if v
    )
    parts = [
        f'<div class="update"><h5><strong>{_e(u.partner)}</strong> — {_e(u.partner_name)} '
        f"({_e(u.role)}) {_status(u.status)} "
        f'<span class="meta">{_e(dates)}</span></h5>'
    ]
    parts += [f'<p class="flag">⚠ {_e(f)}</p>' for f in u.flags]
    if u.action_taken.strip():
        parts.append(f'<div class="text">{_e(u.action_taken.strip())}</div>')
    for label, text in (("Next steps", u.next_steps), ("Risks / issues", u.risks)):
        if text.strip():
            parts.append(
                f'<p><span class="label">{label}:</span></p>'
                f'<div class="text">{_e(text.strip())}</div>'
            )
    if u.responsible:
        parts.append(
            f'<p><span class="label">Responsible:</span> {_e("; ".join(u.responsible))}</p>'
        )
    return "".join(parts) + "</div>\n"


def _progress(r: Report) -> str:
    out = []
    for s in r.sections:
        out.append(f'<h3 id="s-{_e(s.id)}">{_e(s.id)}. {_e(s.title)}</h3>\n')
        for a in s.actions:
            due = f" · Due: {fmt_date(a.due)}" if a.due else ""
            out.append(
                f'<section class="action"><h4>{_e(a.ref)} — {_e(a.title)}</h4>'
                f'<div class="text meta">{_e(a.text)}</div>'
                f"<p>Lead(s): {_e(', '.join(a.leads) or 'none named')}{_e(due)} · "
                f"Counts as: {_status(a.headline)}</p>"
            )
            out += [_update(u) for u in a.updates]
            if not a.updates:
                out.append('<p class="none">No progress update reported.</p>')
            out.append("</section>\n")
    return "".join(out)


def _part(anchor: str, title: str, body: str, empty: str, *, first: bool = False) -> str:
    css = ' class="first"' if first else ""
    content = body or f'<p class="none">{_e(empty)}</p>'
    return f'<h2 id="{anchor}"{css}>{_e(title)}</h2>\n{content}'


def render_html(report: Report) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    r = report
    status_rows = [
        [
            f"{s.id}. {s.title}",
            *(str(s.counts.get(lb, 0)) for lb in r.status_labels),
            str(len(s.actions)),
        ]
        for s in r.sections
    ]
    received = [
        [
            x.partner,
            x.name,
            x.prepared_by,
            str(x.revision),
            f"{x.submitted_at:%Y-%m-%d %H:%M}" if x.submitted_at else "",
            "LATE" if x.late else "",
            x.review,
            "; ".join(x.problems),
            x.file,
        ]
        for x in r.received
    ]
    kpis = [
        [
            k.id,
            k.measure,
            f"{k.unit}, {k.direction}",
            fmt_number(k.baseline) or "—",
            *(
                kpi_cell(v, t, k.unit in ("count", "currency"))
                for v, t in zip(k.values, k.totals, strict=True)
            ),
            f"{k.verdict}: {k.explanation}",
        ]
        for k in r.kpis
    ]
    parts = [
        (
            "summary",
            "Status by section",
            _table(["Section", *r.status_labels, "Actions"], status_rows),
            "No sections.",
        ),
        ("progress", "Progress updates", _progress(r), "No actions."),
        (
            "received",
            "Returns received",
            _table(
                [
                    "Partner",
                    "Name",
                    "Prepared by",
                    "Rev",
                    "Submitted",
                    "Late",
                    "Review",
                    "Problems",
                    "File",
                ],
                received,
            )
            if received
            else "",
            "None.",
        ),
        (
            "not-returned",
            "Not returned",
            _table(
                NOT_RETURNED_HEAD,
                text_rows(not_returned_rows(r)),
            )
            if r.not_returned
            else "",
            "Every lead partner has returned.",
        ),
        (
            "overdue",
            "Overdue actions",
            _table(OVERDUE_HEAD, text_rows(overdue_rows(r))) if r.overdue else "",
            "None.",
        ),
        (
            "kpis",
            "KPIs",
            (
                _table(["KPI", "Measure", "Unit", "Baseline", *r.kpi_periods, "Direction"], kpis)
                + "<p>Totals add partners' figures for counts and money. Percentages "
                "are not added up (n/a); each partner's figure is shown.</p>"
            )
            if kpis
            else "",
            "The plan has no KPIs.",
        ),
        (
            "safeguarding",
            "Safeguarding check",
            _table(
                ["Partner", "Field", "Kind", "Finding", "File"],
                [[f.partner, f.field, f.kind, f.message, f.file] for f in r.safeguarding],
            )
            if r.safeguarding
            else "",
            "No likely personal data found.",
        ),
        (
            "not-counted",
            "Not counted",
            _table(
                ["File", "State", "Reason", "Claims (unverified)"],
                [[n.file, n.state, n.reason, n.claims] for n in r.not_counted],
            )
            if r.not_counted
            else "",
            "Every file counted.",
        ),
    ]
    nav = "".join(f'<li><a href="#{a}">{_e(t)}</a></li>' for a, t, _, _ in parts)
    warn = (
        f'<p class="flag">⚠ <strong>Safeguarding:</strong> {len(r.safeguarding)} possible '
        "personal-data finding(s) — check them before circulating this report.</p>"
        if r.safeguarding
        else ""
    )
    head = (
        f'<p class="meta">Plan: {_e(r.plan_title)} ({_e(r.plan_id)})<br>'
        f"Period: {_e(r.period_text)} · dates judged at {fmt_date(r.as_of)} · returns due by "
        f"{fmt_date(r.deadline)}<br>Counted: {len(r.received)} verified returns · not counted: "
        f"{len(r.not_counted)} files · trust list: {_e(r.trust_source)}<br>"
        f"Produced: {r.generated_at:%Y-%m-%d %H:%M} UTC</p>"
    )
    body = "".join(_part(a, t, b, e, first=i == 0) for i, (a, t, b, e) in enumerate(parts))
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(r.title)} — {_e(r.plan_id)}</title><style>{_CSS}</style></head>\n"
        f"<body><h1>{_e(r.title)}</h1>{head}{warn}<nav><ul>{nav}</ul></nav>\n{body}"
        "</body></html>\n"
    )
