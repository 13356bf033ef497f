"""The report's tables, said once: :func:`document` turns a :class:`Report` into the
:class:`~dapreturn.core.report.table.Document` that every format renders.

Every heading, every "what an empty table says" and every note lives here; the renderers only
decide how a kind of cell looks.
"""

from __future__ import annotations

from dapreturn.core.report.model import Report, SectionBlock
from dapreturn.core.report.table import Cell, Column, Document, Kind, Layout, Part, Table

_T, _L, _R, _S, _N, _D, _TM = (
    Kind.TEXT,
    Kind.LONG,
    Kind.REF,
    Kind.STATUS,
    Kind.NUMBER,
    Kind.DATE,
    Kind.TIME,
)

NO_UPDATE = "No progress update reported."
"""What the progress table says for an action nobody reported on."""

KPI_NOTE = (
    "Totals add partners' figures for counts and money. Percentages are not added up (n/a); "
    "each partner's figure is shown."
)


def _cols(*spec: tuple[str, Kind]) -> tuple[Column, ...]:
    return tuple(Column(h, k) for h, k in spec)


def facts(r: Report) -> Table:
    """Plan, period, dates, what counted and the trust list."""
    rows: list[tuple[Cell, ...]] = [
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
    return Table(
        "facts", "About this report", _cols(("Fact", _T), ("Value", _T)), rows, layout=Layout.FACTS
    )


def status_by_section(r: Report) -> Table:
    """Per section, how many actions count under each status."""
    cols = _cols(("Section", _T), *((str(m), _N) for m in r.status_labels), ("Actions", _N))
    rows: list[tuple[Cell, ...]] = [
        (f"{s.id}. {s.title}", *(s.counts.get(m, 0) for m in r.status_labels), len(s.actions))
        for s in r.sections
    ]
    return Table("status", "Status by section", cols, rows, "No sections.")


PROGRESS_COLUMNS = _cols(
    ("Ref", _R),
    ("Action", _T),
    ("Lead(s)", _T),
    ("Due", _D),
    ("Counts as", _S),
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
    ("Responsible", _T),
    ("Flags", _L),
    ("File", _T),
)


def progress(s: SectionBlock) -> Table:
    """One row per partner's update on each action of the section (an action: its own group)."""
    rows: list[tuple[Cell, ...]] = []
    for a in s.actions:
        head: tuple[Cell, ...] = (
            a.ref,
            a.title,
            ", ".join(a.leads) or "none named",
            a.due,
            a.headline,
        )
        if not a.updates:
            rows.append(
                (*head, None, "", "", None, None, None, None, NO_UPDATE, "", "", "", "", "")
            )
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
                "; ".join(u.responsible),
                "\n".join(f"⚠ {f}" for f in u.flags),
                u.file,
            )
            for u in a.updates
        ]
    return Table(
        f"section-{s.id}",
        f"{s.id}. {s.title}",
        PROGRESS_COLUMNS,
        rows,
        "No actions.",
        layout=Layout.GROUPED,
        group=5,
    )


def received(r: Report) -> Table:
    """The counted returns."""
    cols = _cols(
        ("Partner", _R),
        ("Name", _T),
        ("Prepared by", _T),
        ("Rev", _N),
        ("Submitted", _TM),
        ("Late", _T),
        ("Review", _T),
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
            "; ".join(x.problems),
            x.file,
        )
        for x in r.received
    ]
    return Table("received", "Returns received", cols, rows)


def not_returned(r: Report) -> Table:
    """Lead partners without a counted return, with the actions they lead."""
    cols = _cols(("Partner", _R), ("Name", _T), ("Leads", _T), ("Note", _T))
    rows: list[tuple[Cell, ...]] = [
        (n.partner, n.name, ", ".join(n.actions), n.note) for n in r.not_returned
    ]
    return Table("not-returned", "Not returned", cols, rows, "Every lead partner has returned.")


def overdue(r: Report) -> Table:
    """Actions whose target or due date has passed without a done status."""
    cols = _cols(
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
    return Table("overdue", "Overdue actions", cols, rows)


def kpis(r: Report) -> Table:
    """Each KPI over the year's quarters: the total (where figures add up), then each partner."""
    cols = _cols(
        ("KPI", _R),
        ("Theme", _T),
        ("Measure", _T),
        ("Unit", _T),
        ("Partner", _T),
        ("Baseline", _N),
        ("Target", _N),
        *((p, _N) for p in r.kpi_periods),
        ("Direction", _T),
    )
    rows: list[tuple[Cell, ...]] = []
    for k in r.kpis:
        meta = (k.id, k.theme, k.measure, f"{k.unit}, {k.direction}")
        verdict = f"{k.verdict}: {k.explanation}"
        total = "TOTAL" if k.summable else "n/a (not added up)"
        rows.append((*meta, total, k.baseline, k.target, *k.totals, verdict))
        partners = sorted({p for values in k.values for p in values})
        rows += [(*meta, p, None, None, *(v.get(p) for v in k.values), "") for p in partners]
    return Table("kpis", "KPIs", cols, rows, "The plan has no KPIs.", KPI_NOTE)


def safeguarding(r: Report) -> Table:
    """Likely personal data in counted returns."""
    cols = _cols(("Partner", _R), ("Field", _T), ("Kind", _T), ("Finding", _T), ("File", _T))
    rows: list[tuple[Cell, ...]] = [
        (f.partner, f.field, f.kind, f.message, f.file) for f in r.safeguarding
    ]
    return Table("safeguarding", "Safeguarding check", cols, rows, "No likely personal data found.")


def not_counted(r: Report) -> Table:
    """Every file that does not count, and why."""
    cols = _cols(("File", _T), ("State", _T), ("Reason", _T), ("Claims (unverified)", _T))
    rows: list[tuple[Cell, ...]] = [(n.file, n.state, n.reason, n.claims) for n in r.not_counted]
    return Table("not-counted", "Not counted", cols, rows, "Every file counted.")


def _one(t: Table) -> Part:
    return Part(t.key, t.title, [t])


def document(r: Report) -> Document:
    """The report's parts in reading order."""
    alerts = (
        [
            f"⚠ Safeguarding: {len(r.safeguarding)} possible personal-data finding(s) — check them "
            "(see Safeguarding check) before circulating this report."
        ]
        if r.safeguarding
        else []
    )
    return Document(
        r.title,
        f"{r.plan_title} ({r.plan_id}) · {r.period_text}",
        [
            Part("summary", "Summary", [facts(r), status_by_section(r)], alerts=alerts),
            Part("progress", "Progress updates", [progress(s) for s in r.sections], by="Section"),
            _one(received(r)),
            _one(not_returned(r)),
            _one(overdue(r)),
            _one(kpis(r)),
            _one(safeguarding(r)),
            _one(not_counted(r)),
        ],
    )
