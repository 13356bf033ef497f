"""The report's tables, said once: :func:`document` turns a :class:`Report` into the
:class:`~dapreturn.core.report.table.Document` that every format renders.

Every heading, every "what an empty table says" and every note lives here; the renderers only
decide how a kind of cell looks.
"""

from __future__ import annotations

from dapreturn.core.report import exceptions as ex
from dapreturn.core.report.exceptions import _D, _L, _N, _R, _S, _T, _TM, cols
from dapreturn.core.report.model import KpiRow, Report, SectionBlock
from dapreturn.core.report.table import (
    Cell,
    Chart,
    Document,
    Layout,
    Merge,
    Part,
    Series,
    Table,
)

NO_UPDATE = "No progress update reported."
"""What the progress table says for an action nobody reported on."""

KPI_NOTE = (
    "Totals add partners' figures for counts and money. Percentages are not added up (n/a); "
    "each partner's figure is shown."
)


PROGRESS_COLUMNS = cols(
    ("Ref", _R),
    ("Action", _T),
    ("Lead(s)", _T),
    ("Due", _D),
    ("Counts as", _S),
    ("Other partners' statuses", _T),
    ("Partner", _R),
    ("Partner name", _T),
    ("Role", _T),
    ("Status", _S),
    ("Started", _D),
    ("Target", _D),
    ("Completed", _D),
    ("Progress update", _L),
    ("Next steps", _L),
    ("Risks / issues", _L),
    ("Officer comment", _L),
    ("Responsible", _T),
    ("Flags", _L),
    ("File", _T),
)


SEED_LAYOUT = (
    Merge("Action Plan Ref", ("Ref", "Action", "Counts as", "Other partners' statuses")),
    Merge("Stakeholder", ("Partner", "Partner name", "Role")),
    Merge(
        "Progress update",
        (
            "Status",
            "Started",
            "Target",
            "Completed",
            "Progress update",
            "Next steps",
            "Risks / issues",
            "Officer comment",
            "Responsible",
            "Flags",
        ),
    ),
)
"""The steering group's own layout of "Progress updates reported in ..." (the seed document)."""


def progress(s: SectionBlock, only_updated: bool) -> Table:
    """One row per partner's update on each action of the section (an action: its own group);
    an action nobody reported on gets one row saying so, unless ``only_updated``."""
    rows: list[tuple[Cell, ...]] = []
    for a in s.actions:
        leads = ", ".join(a.leads) or "none named"
        head: tuple[Cell, ...] = (a.ref, a.title, leads, a.due, a.headline, a.others)
        if not a.updates and not only_updated:
            rows.append((*head, None, "", "", None, None, None, None, NO_UPDATE, *[""] * 6))
        rows += [
            (
                *head,
                u.partner,
                u.partner_name,
                u.role,
                u.status,
                u.started,
                u.target,
                u.completed,
                u.action_taken.strip(),
                u.next_steps.strip(),
                u.risks.strip(),
                u.comment,
                "; ".join(u.responsible),
                "\n".join(f"⚠ {f}" for f in u.flags),
                u.file,
            )
            for u in a.updates
        ]
    empty = "No updates this period." if only_updated else "No actions."
    title = f"{s.id}. {s.title}"
    return Table(
        f"section-{s.id}",
        title,
        PROGRESS_COLUMNS,
        rows,
        empty,
        layout=Layout.GROUPED,
        group=6,
        narrow=SEED_LAYOUT,
    )


def received(r: Report) -> Table:
    """The counted returns with the officer's decision."""
    columns = cols(
        ("Partner", _R),
        ("Name", _T),
        ("Prepared by", _T),
        ("Rev", _N),
        ("Submitted", _TM),
        ("Late", _T),
        ("Review", _T),
        ("Reviewed by", _T),
        ("Problems", _T),
        ("File", _T),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            x.partner,
            x.name,
            x.prepared_by,
            x.revision,
            x.submitted_at,
            "LATE" if x.late else "",
            x.review,
            x.officer,
            "; ".join(x.problems),
            x.file,
        )
        for x in r.received
    ]
    return Table("received", "Returns received", columns, rows)


def comments(r: Report) -> Table:
    """Every officer comment: on a whole return, or on one action (or field) of it."""
    columns = cols(
        ("Partner", _R),
        ("On", _R),
        ("Comment", _L),
        ("Decision", _T),
        ("By", _T),
        ("When", _TM),
        ("File", _T),
    )
    rows: list[tuple[Cell, ...]] = []
    for x in r.received:
        on = [("whole return", x.comment)] if x.comment else []
        for where, text in [*on, *sorted(x.comments.items())]:
            rows.append((x.partner, where, text, x.review, x.officer, x.decided_at, x.file))
    return Table("comments", "Officer comments and decisions", columns, rows, "No comments.")


def _kpi_chart(k: KpiRow, first: int, periods: list[str]) -> Chart | None:
    """Quarter by quarter: the total (or each partner where figures are not added up)."""
    partners = sorted({p for v in k.values for p in v})
    if not partners:
        return None
    rows = (first,) if k.summable else tuple(range(first + 1, first + 1 + len(partners)))
    names = ["TOTAL"] if k.summable else partners
    refs = tuple(
        (n, v) for n, v in (("target", k.target), ("baseline", k.baseline)) if v is not None
    )
    return Chart(
        "lines",
        f"{k.id} {k.measure}",
        "Partner",
        rows,
        tuple(Series(n, n) for n in names),
        tuple(periods),
        refs,
    )


def kpis(r: Report) -> Table:
    """Each KPI over the year's quarters: the total (where figures add up), then each partner."""
    columns = cols(
        ("Theme", _T),
        ("KPI", _R),
        ("Measure", _T),
        ("Unit", _T),
        ("Partner", _T),
        ("Baseline", _N),
        ("Target", _N),
        *((p, _N) for p in r.kpi_periods),
        ("Direction of travel", _T),
    )
    rows: list[tuple[Cell, ...]] = []
    charts: list[Chart] = []
    for k in r.kpis:
        meta = (k.theme, k.id, k.measure, f"{k.unit}, {k.direction}")
        verdict = f"{k.verdict}: {k.explanation}"
        total = "TOTAL" if k.summable else "n/a (not added up)"
        chart = _kpi_chart(k, len(rows), r.kpi_periods)
        charts += [chart] if chart else []
        rows.append((*meta, total, k.baseline, k.target, *k.totals, verdict))
        partners = sorted({p for values in k.values for p in values})
        rows += [(*meta, p, None, None, *(v.get(p) for v in k.values), "") for p in partners]
    return Table(
        "kpis", "KPIs", columns, rows, "The plan has no KPIs.", KPI_NOTE, charts=tuple(charts)
    )


def safeguarding(r: Report) -> Table:
    """Likely personal data in counted returns."""
    columns = cols(("Partner", _R), ("Field", _T), ("Kind", _T), ("Finding", _T), ("File", _T))
    rows: list[tuple[Cell, ...]] = [
        (f.partner, f.field, f.kind, f.message, f.file) for f in r.safeguarding
    ]
    return Table(
        "safeguarding", "Safeguarding check", columns, rows, "No likely personal data found."
    )


def not_counted(r: Report) -> Table:
    """Every file that does not count, and why."""
    columns = cols(("File", _T), ("State", _T), ("Reason", _T), ("Claims (unverified)", _T))
    rows: list[tuple[Cell, ...]] = [(n.file, n.state, n.reason, n.claims) for n in r.not_counted]
    return Table("not-counted", "Not counted", columns, rows, "Every file counted.")


def _one(t: Table) -> Part:
    return Part(t.key, t.title, [t])


def document(r: Report, *, only_updated: bool = True) -> Document:
    """The report in reading order: the summary of exceptions, then the detail.

    ``only_updated`` (the board pack's default) leaves out actions with no update this period;
    the summary says how many.
    """
    alerts = (
        [
            f"⚠ Safeguarding: {len(r.safeguarding)} possible personal-data finding(s) — check them "
            "(see Safeguarding check) before circulating this report."
        ]
        if r.safeguarding
        else []
    )
    left_out = sum(not a.updates for s in r.sections for a in s.actions) if only_updated else 0
    summary = [
        ex.facts(r, left_out),
        ex.not_returned(r),
        ex.overdue(r),
        ex.attention(r),
        ex.queries(r),
        ex.kpis_wrong_way(r),
        ex.status_by_section(r),
    ]
    progress_tables = [progress(s, only_updated) for s in r.sections]
    return Document(
        r.title,
        f"{r.plan_title} ({r.plan_id}) · {r.period_text}",
        [
            Part("summary", "Summary", summary, alerts=alerts),
            Part("progress", "Progress updates", progress_tables, by="Section", new_page=True),
            _one(kpis(r)),
            _one(received(r)),
            _one(comments(r)),
            _one(safeguarding(r)),
            _one(not_counted(r)),
        ],
    )
