"""The fields of an entry and the words the partner app uses for them.

Field names are those of :class:`dapreturn.core.returns.Entry` and of
:class:`dapreturn.core.rules.Problem` (``status``, ``risks``, ``kpis.K1``); places scanned by
the safeguarding check are ``<ref>.<field>`` or ``kpis.<id>.note``.
"""

from __future__ import annotations

from pydantic import ValidationError

NARRATIVE_FIELDS = ("action_taken", "next_steps", "risks")
"""The free-text fields of an entry, in form order."""

DATE_FIELDS = ("started", "target", "completed")
"""The date fields of an entry, in form order."""

ENTRY_FIELDS = ("status", *DATE_FIELDS, "responsible", *NARRATIVE_FIELDS)
"""Every editable field of an entry, in form order."""

FIELD_LABELS = {
    "status": "Status",
    "started": "Started",
    "target": "Target date",
    "completed": "Completed",
    "responsible": "Individuals responsible",
    "action_taken": "Action taken this period",
    "next_steps": "Next steps",
    "risks": "Risks / issues",
    "ref": "Action",
    "role": "Role",
    "prepared_by": "Prepared by",
    "period": "Period",
    "partner": "Partner",
    "plan": "Plan",
    "note": "Note",
}
"""Words for each field name, as the form shows them."""


def field_label(field: str) -> str:
    """Words for a field name (``kpis.K1`` becomes ``KPI K1``)."""
    if field.startswith("kpis."):
        return "KPI " + field.removeprefix("kpis.").removesuffix(".note")
    return FIELD_LABELS.get(field, field.replace("_", " "))


def split_narrative_key(key: str) -> tuple[str | None, str]:
    """``"3l.risks"`` -> ``("3l", "risks")``; ``"kpis.K1.note"`` -> ``(None, "kpis.K1.note")``."""
    if key.startswith("kpis.") or "." not in key:
        return None, key
    ref, _, field = key.rpartition(".")
    return ref, field


def clean_message(exc: ValidationError) -> str:
    """The first error of a refused value, as plain words (without pydantic's prefixes)."""
    msg = str(exc.errors(include_url=False)[0]["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg
