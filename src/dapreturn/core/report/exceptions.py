"""The report's first pages: the facts, then the exceptions the steering group acts on (who has
not returned, overdue actions, actions at risk or off track, open queries, KPIs moving the wrong
way) and the status count per section. Each is a :class:`~dapreturn.core.report.table.Table`.
"""

from __future__ import annotations

from dapreturn.core.report.model import Report, plural
from dapreturn.core.report.table import Cell, Chart, Column, Kind, Layout, Series, Table

_T, _L, _R, _S, _N, _D, _TM = (
    Kind.TEXT,
    Kind.LONG,
    Kind.REF,
    Kind.STATUS,
    Kind.NUMBER,
    Kind.DATE,
    Kind.TIME,
)


def cols(*spec: tuple[str, Kind]) -> tuple[Column, ...]:
    """Columns from (heading, kind) pairs."""
    return tuple(Column(h, k) for h, k in spec)


def facts(r: Report, left_out: int) -> Table:
    """Plan, period, dates, returns received of expected, what was left out, the status rule."""
    omitted = (
        f"{plural(left_out, 'action')} with no update this period (the full record lists them)"
        if left_out
        else "nothing: every action is listed"
    )
    rows: list[tuple[Cell, ...]] = [
        ("Report", r.title),
        ("Plan", f"{r.plan_title} ({r.plan_id})"),
        ("Period", r.period_text),
        ("Dates judged at", r.as_of),
        ("Returns due by", r.deadline),
        ("Returns received", f"{len(r.received)} of {r.expected} expected"),
        ("Open queries", len(r.queries)),
        ("Left out", omitted),
        ("Headline status", r.headline_rule),
        ("Files not counted", len(r.not_counted)),
        ("Safeguarding findings", len(r.safeguarding)),
        ("Trust list", r.trust_source),
        ("Produced (UTC)", r.generated_at),
    ]
    return Table(
        "facts", "About this report", cols(("Fact", _T), ("Value", _T)), rows, layout=Layout.FACTS
    )


def status_by_section(r: Report) -> Table:
    """Per section, how many actions count under each status; drawn as a stacked bar each."""
    columns = cols(("Section", _T), *((str(m), _N) for m in r.status_labels), ("Actions", _N))
    rows: list[tuple[Cell, ...]] = [
        (f"{s.id}. {s.title}", *(s.counts.get(m, 0) for m in r.status_labels), len(s.actions))
        for s in r.sections
    ]
    series = tuple(Series(str(m), m.marker or "—", m.colour) for m in r.status_labels)
    bars = Chart("bars", "Actions by headline status", "Section", tuple(range(len(rows))), series)
    return Table("status", "Status by section", columns, rows, "No sections.", charts=(bars,))


def not_returned(r: Report) -> Table:
    """Lead partners without a counted return, with the actions they lead."""
    columns = cols(("Partner", _R), ("Name", _T), ("Leads", _T), ("Note", _T))
    rows: list[tuple[Cell, ...]] = [
        (n.partner, n.name, ", ".join(n.actions), n.note) for n in r.not_returned
    ]
    return Table("not-returned", "Not returned", columns, rows, "Every lead partner has returned.")


def overdue(r: Report) -> Table:
    """Actions whose target or due date has passed without a done status."""
    columns = cols(
        ("Ref", _R),
        ("Action", _T),
        ("Leads", _T),
        ("Latest status", _T),
        ("Target", _D),
        ("Due", _D),
        ("Passed", _T),
        ("Days", _N),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            o.ref,
            o.title,
            ", ".join(o.leads),
            ", ".join(f"{p}: {m}" for p, m in o.statuses) or "No report",
            o.target,
            o.due,
            o.basis,
            o.days,
        )
        for o in r.overdue
    ]
    return Table("overdue", "Overdue actions", columns, rows)


def attention(r: Report) -> Table:
    """Every partner's update whose status the plan colours amber or red, with its risks."""
    columns = cols(
        ("Ref", _R), ("Action", _T), ("Partner", _R), ("Status", _S), ("Risks / issues", _L)
    )
    rows: list[tuple[Cell, ...]] = [
        (a.ref, a.title, u.partner, u.status, u.risks.strip())
        for s in r.sections
        for a in s.actions
        for u in a.updates
        if u.status in r.attention
    ]
    labels = ", ".join(str(m) for m in r.attention) or "none"
    note = f"The plan's statuses that need attention: {labels}."
    return Table("attention", "At risk or off track", columns, rows, "None.", note)


def queries(r: Report) -> Table:
    """Returns the officer queried, with who raised it, when and their comment."""
    columns = cols(
        ("Partner", _R),
        ("Name", _T),
        ("Raised by", _T),
        ("When", _TM),
        ("Comment", _L),
        ("File", _T),
    )
    rows: list[tuple[Cell, ...]] = [
        (x.partner, x.name, x.officer, x.decided_at, x.comment, x.file) for x in r.queries
    ]
    return Table("queries", "Open queries", columns, rows, "None.")


def kpis_wrong_way(r: Report) -> Table:
    """KPIs whose direction of travel does not meet their aim."""
    columns = cols(("KPI", _R), ("Measure", _T), ("Direction of travel", _T))
    rows: list[tuple[Cell, ...]] = [
        (k.id, k.measure, k.explanation) for k in r.kpis if k.verdict == "does not meet"
    ]
    return Table("kpis-wrong-way", "KPIs moving the wrong way", columns, rows, "None.")
