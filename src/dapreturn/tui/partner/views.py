"""The data each partner widget is handed for one action, built from the session.

Screens pass these views down to widgets ("attributes down"), so widgets never reach into the
session or the app. The list line itself is core's
(:meth:`~dapreturn.core.filling.session.FillSession.line`), shared with the plain summary.
"""

from __future__ import annotations

from dapreturn.core.filling.fields import DATE_FIELDS
from dapreturn.core.filling.session import FillSession
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


def entry_view(session: FillSession, ref: str) -> EntryView:
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
        typed={
            name: text
            for name in DATE_FIELDS
            if (text := session.typed_text(ref, name)) is not None
        },
    )
