"""Build the :class:`~dapreturn.core.report.model.Report` from a collection: the only place that
looks at returns; the renderers only see the model.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dapreturn.core.collection import analysis
from dapreturn.core.collection.ledger import Ledger, Review
from dapreturn.core.collection.load import Collection, FileRecord
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan
from dapreturn.core.report.model import (
    NO_REPORT,
    ActionBlock,
    FlagRow,
    KpiRow,
    NotCountedRow,
    NotReturnedRow,
    OverdueRow,
    ReceivedRow,
    Report,
    SectionBlock,
    Update,
)
from dapreturn.core.report.table import Marked
from dapreturn.core.returns.model import Entry


def _label(plan: Plan, status_id: str) -> Marked:
    """``G On track``: the marker always travels with the label."""
    s = plan.status(status_id)
    return Marked(s.marker, s.label, s.colour) if s else Marked("?", status_id or "(none)")


ATTENTION_COLOURS = ("amber", "red")
"""Statuses the plan colours so are the ones the summary lists as at risk or off track."""


def _review(ledger: Ledger | None, rec: FileRecord) -> Review | None:
    """The officer's review of a counted file, from the ledger's public lookup."""
    return ledger.review(rec.sha256, rec.path.name) if ledger and rec.sha256 else None


def _update(plan: Plan, rec: FileRecord, entry: Entry, review: Review | None) -> Update:
    """One partner's update, flagged with its findings and rule problems."""
    prefix = f"{entry.ref}."
    flags = [
        f"possible personal data — {f.message}" for f in rec.findings if f.field.startswith(prefix)
    ]
    flags += [str(p) for p in rec.problems if p.ref and p.ref.lower() == entry.ref.lower()]
    partner = rec.partner or ""
    return Update(
        partner=partner,
        partner_name=plan.partner_name(partner),
        role=entry.role,
        status=_label(plan, entry.status),
        status_id=entry.status,
        started=entry.started,
        target=entry.target,
        completed=entry.completed,
        responsible=list(entry.responsible),
        action_taken=entry.action_taken,
        next_steps=entry.next_steps,
        risks=entry.risks,
        file=rec.rel,
        flags=flags,
        comment=review.comments.get(entry.ref, "") if review else "",
    )


def _sections(
    collection: Collection, plan: Plan, period: Period, ledger: Ledger | None
) -> list[SectionBlock]:
    """Every action by section with its updates (plan leads first) and headline counts."""
    records = collection.current_records(plan.id, period)
    blocks: dict[str, list[ActionBlock]] = {s.id: [] for s in plan.sections}
    counts: dict[str, dict[Marked, int]] = {s.id: {} for s in plan.sections}
    for action, entries in analysis.status_matrix(collection, plan, period):
        rank = {c: i for i, c in enumerate(action.leads)}
        order = sorted(entries, key=lambda c: (rank.get(c, len(rank)), c))
        headline = analysis.headline_status(plan, action, entries)
        label = NO_REPORT if headline == analysis.NO_REPORT else _label(plan, headline)
        counts[action.section][label] = counts[action.section].get(label, 0) + 1
        blocks[action.section].append(
            ActionBlock(
                ref=action.ref,
                title=action.title,
                text=action.text,
                leads=[f"{c} ({plan.partner_name(c)})" for c in action.leads],
                due=action.due,
                headline=label,
                updates=[
                    _update(plan, records[c], entries[c], _review(ledger, records[c]))
                    for c in order
                ],
            )
        )
    return [SectionBlock(s.id, s.title, blocks[s.id], counts[s.id]) for s in plan.sections]


def _received(
    collection: Collection, plan: Plan, period: Period, ledger: Ledger | None, days: int
) -> tuple[list[ReceivedRow], list[FlagRow]]:
    """The counted returns (with review decision and lateness) and their findings."""
    rows, flags = [], []
    for rec in analysis.received(collection, plan, period):
        assert rec.ret is not None
        review = _review(ledger, rec)
        rows.append(
            ReceivedRow(
                partner=rec.ret.partner,
                name=plan.partner_name(rec.ret.partner),
                prepared_by=rec.ret.prepared_by,
                revision=rec.ret.revision,
                submitted_at=rec.submitted_at,
                late=analysis.is_late(rec, days),
                file=rec.rel,
                problems=[str(p) for p in rec.problems],
                review=(review.decision or "").replace("_", " ") if review else "",
                officer=review.officer if review else "",
                decided_at=review.decided_at if review else None,
                comment=review.comment if review else "",
                comments=dict(review.comments) if review else {},
            )
        )
        flags += [
            FlagRow(rec.ret.partner, rec.rel, f.field, f.kind.label, f.message)
            for f in rec.findings
        ]
    return rows, flags


def _kpis(collection: Collection, plan: Plan, period: Period) -> list[KpiRow]:
    """KPIs over Q1-Q4 of the period's financial year; later quarters are left empty."""
    quarters = [Period(period.year, q) for q in range(1, 5)]
    rows = []
    for s in analysis.kpi_series(collection, plan, periods=[q for q in quarters if q <= period]):
        pad = len(quarters) - len(s.points)
        rows.append(
            KpiRow(
                id=s.kpi.id,
                theme=s.kpi.theme,
                measure=s.kpi.measure,
                unit=s.kpi.unit,
                direction=s.kpi.direction,
                summable=s.summable,
                baseline=s.kpi.baseline,
                target=s.kpi.target,
                values=[p.values for p in s.points] + [{} for _ in range(pad)],
                totals=[p.total for p in s.points] + [None] * pad,
                verdict=s.verdict,
                explanation=s.explanation,
            )
        )
    return rows


def _not_counted(collection: Collection, plan: Plan, period: Period) -> list[NotCountedRow]:
    """Files that do not count: those claiming this plan and period (or claiming nothing that can
    be read) that are not verified, and this period's superseded revisions."""
    rows = []
    by_rel = {r.rel: r for r in collection.files}
    for r in collection.files:
        claims = " ".join(x for x in (r.partner, r.plan, r.period) if x)
        elsewhere = (r.plan and r.plan != plan.id) or (r.period and r.period != str(period))
        if not r.verified and not elsewhere:
            rows.append(NotCountedRow(r.rel, r.state.value, r.reason, claims))
        elif r.superseded_by and r.plan == plan.id and r.period == str(period):
            winner = by_rel[r.superseded_by]
            why = "identical copy of" if winner.sha256 == r.sha256 else "superseded by"
            rows.append(NotCountedRow(r.rel, "superseded", f"{why} {winner.rel}", claims))
    return rows


def build_report(
    collection: Collection,
    plan: Plan,
    period: Period,
    *,
    ledger: Ledger | None = None,
    deadline_days: int = analysis.DEFAULT_DEADLINE_DAYS,
    generated_at: datetime | None = None,
) -> Report:
    """Build the report for ``plan`` and ``period`` from the counted returns of ``collection``.

    ``ledger`` adds each return's review decision; ``deadline_days`` sets when a return is late.
    """
    received, flags = _received(collection, plan, period, ledger, deadline_days)
    not_returned = [
        NotReturnedRow(
            n.partner,
            n.name,
            [a.ref for a in n.actions],
            "; ".join(r.message for r in n.unverified),
        )
        for n in analysis.not_returned(collection, plan, period)
    ]
    overdue = [
        OverdueRow(
            ref=o.action.ref,
            title=o.action.title,
            leads=list(o.action.leads),
            statuses=[(p, _label(plan, s)) for p, s in o.statuses.items()],
            target=o.target,
            due=o.due,
            basis=o.basis,
            days=o.days,
        )
        for o in analysis.overdue(collection, plan, period)
    ]
    return Report(
        plan_id=plan.id,
        plan_title=plan.title,
        period=str(period),
        period_text=period.describe(),
        as_of=period.end,
        deadline=analysis.deadline(period, deadline_days),
        generated_at=generated_at or datetime.now(UTC),
        trust_source=collection.trust_source or "(none)",
        sections=_sections(collection, plan, period, ledger),
        status_labels=[Marked(s.marker, s.label, s.colour) for s in plan.statuses] + [NO_REPORT],
        received=received,
        not_returned=not_returned,
        overdue=overdue,
        kpi_periods=[str(Period(period.year, q)) for q in range(1, 5)],
        kpis=_kpis(collection, plan, period),
        safeguarding=flags,
        not_counted=_not_counted(collection, plan, period),
        headline_rule=analysis.HEADLINE_RULE,
        attention=[_label(plan, s.id) for s in plan.statuses if s.colour in ATTENTION_COLOURS],
    )
