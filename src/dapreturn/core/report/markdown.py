"""Render a :class:`~dapreturn.core.report.model.Report` as Markdown.

Every value from a return or a plan is escaped: Markdown punctuation is backslash-escaped and ``<``,
``>`` and ``&`` become entities, so a narrative can never inject links, images or HTML into a
rendered page. Narrative line breaks are kept as hard breaks.
"""

from __future__ import annotations

import re

from dapreturn.core.collection import printable
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

_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BLOCK_START = re.compile(r"^(\s*)(?:([#+=>-])|(\d+)(?=[.)]))")


def esc(text: str) -> str:
    """Escape ``text`` for Markdown inline use: no markup, links, HTML or entities survive.

    Control and bidi characters are shown as ``\\x1b``-style escapes (the Markdown may be printed
    straight to a terminal, and plan files from a folder are not trusted).
    """
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
    return _CONTROL.sub(lambda m: printable(m[0]), _SPECIAL.sub(r"\\\1", text))


def cell(text: str) -> str:
    """Escape ``text`` for a table cell (one line)."""
    return esc(" ".join(text.split()))


def line(text: str) -> str:
    """Escape one line that starts a block: list, heading and quote markers are neutralised."""
    text = esc(text)
    m = _BLOCK_START.match(text)
    if m is None:
        return text
    marker = f"\\{m[2]}" if m[2] else f"{m[3]}\\"
    return m[1] + marker + text[m.end() :]


def block(text: str) -> str:
    """Escape multi-line narrative, lines joined by hard breaks."""
    return "  \n".join(line(x.strip()) for x in text.strip().splitlines())


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _update(u: Update) -> list[str]:
    dates = [
        f"{k} {fmt_date(v)}"
        for k, v in (("started", u.started), ("target", u.target), ("completed", u.completed))
        if v
    ]
    head = f"**{esc(u.partner)}** — {esc(u.partner_name)} ({u.role}) · Status: **{esc(u.status)}**"
    out = [head + (" · " + esc(", ".join(dates)) if dates else ""), ""]
    for flag in u.flags:
        out += [f"> ⚠ {esc(flag)}", ""]
    if u.action_taken.strip():
        out += [block(u.action_taken), ""]
    for label, text in (("Next steps", u.next_steps), ("Risks / issues", u.risks)):
        if text.strip():
            out += [f"*{label}:*  ", block(text), ""]
    if u.responsible:
        out += [f"*Responsible:* {esc('; '.join(u.responsible))}", ""]
    return out


def render_markdown(report: Report) -> str:
    """The whole report as Markdown text."""
    r = report
    out = [
        f"# {esc(r.title)}",
        "",
        f"**Plan:** {esc(r.plan_title)} ({esc(r.plan_id)})  ",
        f"**Period:** {esc(r.period_text)} · dates judged at {fmt_date(r.as_of)} · "
        f"returns due by {fmt_date(r.deadline)}  ",
        f"**Counted:** {len(r.received)} verified returns · **not counted:** "
        f"{len(r.not_counted)} files · **trust list:** {esc(r.trust_source)}  ",
        f"**Produced:** {r.generated_at:%Y-%m-%d %H:%M} UTC",
        "",
    ]
    if r.safeguarding:
        out += [
            f"> ⚠ **Safeguarding:** {len(r.safeguarding)} possible personal-data "
            "finding(s) — check them (see *Safeguarding check*) before circulating.",
            "",
        ]
    out += ["## Status by section", ""]
    rows = [
        [
            f"{s.id}. {s.title}",
            *(str(s.counts.get(lb, 0)) for lb in r.status_labels),
            str(len(s.actions)),
        ]
        for s in r.sections
    ]
    out += _table(["Section", *(cell(lb) for lb in r.status_labels), "Actions"], rows)
    out += ["## Progress updates", ""]
    for s in r.sections:
        out += [f"### {esc(s.id)}. {esc(s.title)}", ""]
        for a in s.actions:
            out += [f"#### {esc(a.ref)} — {esc(a.title)}", "", block(a.text), ""]
            meta = f"*Lead(s):* {esc(', '.join(a.leads) or 'none named')}"
            out += [meta + (f" · *Due:* {fmt_date(a.due)}" if a.due else ""), ""]
            for u in a.updates:
                out += _update(u)
            if not a.updates:
                out += ["*No progress update reported.*", ""]
    out += ["## Returns received", ""]
    out += (
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
            [
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
            ],
        )
        if r.received
        else ["None.", ""]
    )
    out += ["## Not returned", ""]
    out += (
        _table(
            NOT_RETURNED_HEAD,
            text_rows(not_returned_rows(r)),
        )
        if r.not_returned
        else ["Every lead partner has returned.", ""]
    )
    out += ["## Overdue actions", ""]
    out += _table(OVERDUE_HEAD, text_rows(overdue_rows(r))) if r.overdue else ["None.", ""]
    out += _kpis(r)
    out += ["## Safeguarding check", ""]
    out += (
        _table(
            ["Partner", "Field", "Kind", "Finding", "File"],
            [[f.partner, f.field, f.kind, f.message, f.file] for f in r.safeguarding],
        )
        if r.safeguarding
        else ["No likely personal data found.", ""]
    )
    out += ["## Not counted", ""]
    out += (
        _table(
            ["File", "State", "Reason", "Claims (unverified)"],
            [[n.file, n.state, n.reason, n.claims] for n in r.not_counted],
        )
        if r.not_counted
        else ["Every file counted.", ""]
    )
    return "\n".join(out).rstrip("\n") + "\n"


def kpi_cell(values: dict[str, float], total: float | None, summable: bool) -> str:
    """A quarter's cell: the total (or n/a), then each partner's figure."""
    if not values:
        return "—"
    parts = ", ".join(f"{p} {fmt_number(v)}" for p, v in values.items())
    head = fmt_number(total) if summable else "n/a"
    return f"{head} ({parts})"


def _kpis(r: Report) -> list[str]:
    out = ["## KPIs", ""]
    if not r.kpis:
        return [*out, "The plan has no KPIs.", ""]
    rows = [
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
    out += _table(["KPI", "Measure", "Unit", "Baseline", *r.kpi_periods, "Direction"], rows)
    return [
        *out,
        "Totals add partners' figures for counts and money. Percentages are not "
        "added up (n/a); each partner's figure is shown.",
        "",
    ]
