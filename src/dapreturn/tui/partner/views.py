"""The data each partner widget is handed for one action, built from the session.

Screens pass these views down to widgets ("attributes down"), so widgets never reach into the
session or the app.
"""

from __future__ import annotations

from dapreturn.tui.partner.session import ReturnSession
from dapreturn.tui.widgets.action_list import ActionItem
from dapreturn.tui.widgets.entry_view import EntryView

LEGEND = "○ empty  ◐ in progress\n● complete  ✗ has errors"
"""What the entry markers mean (shown under the list)."""

NO_ENTRIES = (
    "The plan names no action that you lead.\n\n"
    "If you contribute to an action another partner leads, choose "
    '"+ Add an action you contribute to" in the list (or press F4).\n\n'
    "You can still give the KPI figures (F2), then review and sign (F3)."
)
"""Shown instead of the form when the return has no entries yet."""


def action_item(session: ReturnSession, ref: str) -> ActionItem:
    """The action list's line for ``ref``: state, ref, status marker, title, target moved."""
    entry = session.entry(ref)
    action = session.action(ref)
    status = session.plan.status(entry.status) if entry.status else None
    return ActionItem(
        ref=entry.ref,
        title=action.title if action else "(not in this plan)",
        state=session.state(ref),
        status_marker=status.marker if status else "--",
        role=entry.role,
        target_moved=session.target_moved(ref) is not None,
    )


def kpi_summary(session: ReturnSession) -> str:
    """``3 of 8 given``."""
    return f"{session.kpis.given()} of {len(session.ret.kpis)} given"


def entry_view(session: ReturnSession, ref: str) -> EntryView:
    """Everything the entry form shows for ``ref``."""
    entry = session.entry(ref)
    action = session.action(ref)
    plan = session.plan
    leads = ", ".join(f"{c} ({plan.partner_name(c)})" for c in action.leads) if action else ""
    return EntryView(
        entry=entry,
        action=action,
        leads=leads or "none named in the plan",
        previous=session.previous_entry(ref),
        previous_period=str(session.period.previous()),
        target_moved=session.target_moved(ref),
    )
