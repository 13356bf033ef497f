"""The whole return checked at once, in the order the lead meets the fields.

Review and signing list every problem: the return's own (who prepared it) first, then each
entry's in list order, then the KPI figures'. Text that could not be read (a bad date) counts
as a problem at its field, as it does while typing.
"""

from __future__ import annotations

from dapreturn.core.filling.session import FillSession
from dapreturn.core.returns.rules import Problem, check_return


def all_problems(session: FillSession) -> list[Problem]:
    """Every problem of the whole return, in form order (used by review and sign)."""
    found = check_return(session.ret, session.plan, today=session.today, previous=session.previous)
    ordered = [p for p in found if p.ref is None and not p.field.startswith("kpis.")]
    keys = set()
    for entry in session.entries():
        key = entry.ref.lower()
        keys.add(key)
        own = session.problems(entry.ref)
        extra = [
            p
            for p in found
            if p.ref and p.ref.lower() == key and p.field in ("ref", "role") and p not in own
        ]
        ordered.extend(own + extra)
    ordered.extend(p for p in found if p.ref is not None and p.ref.lower() not in keys)
    for kpi in session.plan.kpis:
        ordered.extend(session.kpis.problems(kpi.id))
    ordered.extend(
        p
        for p in found
        if p.ref is None
        and p.field.startswith("kpis.")
        and (session.plan.kpi(p.field.removeprefix("kpis.")) is None or p.message == "given twice")
    )
    return ordered
