"""One whole return as text: every field of every action, the KPI figures and the review.

:func:`whole_return` walks the return's own model (:class:`~dapreturn.core.returns.model.Entry` and
:class:`~dapreturn.core.returns.model.KpiFigure` fields, in their declared order), so a field added
to a return shows here without a second list of fields. Everything from the file goes into a
:class:`rich.text.Text` as plain text: ``[bold]`` typed by a partner shows as typed, never as
markup.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel
from rich.text import Text

from dapreturn.core.collection.ledger import Review
from dapreturn.core.collection.load import FileRecord
from dapreturn.core.plan.model import Plan
from dapreturn.core.returns.model import Return
from dapreturn.core.review.inbox_rows import problem_words, review_words, signature_words

_SKIP = {"ref", "id"}
"""Fields already shown in the heading of their action or KPI."""
_NOT_HEAD = {"schema_", "entries", "kpis"}
"""Return fields not shown in the return's heading lines (the format; listed below them)."""


def field_label(name: str) -> str:
    """``action_taken`` → ``Action taken``."""
    return name.replace("_", " ").capitalize()


def _value(value: object) -> str:
    if value is None or value in ("", []):
        return "—"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M %Z}".strip()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, BaseModel):  # a small table, such as what the return answers
        parts = [(k, getattr(value, k)) for k in type(value).model_fields]
        return "; ".join(f"{field_label(k)} {_value(v)}" for k, v in parts if v is not None)
    return str(value)


def _fields(text: Text, model: BaseModel, plan: Plan | None) -> None:
    """Each field of ``model`` on its own lines, label bold, value as plain text."""
    for name in type(model).model_fields:
        if name in _SKIP:
            continue
        value = getattr(model, name)
        shown = _value(value)
        if name == "status" and plan is not None and (status := plan.status(str(value))):
            shown = f"{status.marker} {status.label}"
        text.append(f"  {field_label(name)}: ", style="bold")
        if "\n" in shown:
            text.append("\n")
            text.append("\n".join(f"    {line}" for line in shown.splitlines()))
        else:
            text.append(shown)
        text.append("\n")


def _line(text: Text, label: str, value: str) -> None:
    text.append(label, style="bold")
    text.append(value)
    text.append("\n")


def _head(text: Text, record: FileRecord) -> None:
    """Which file, what verification made of it, and every problem found."""
    _line(text, "File: ", record.rel)
    _line(text, "Signature: ", f"{signature_words(record)} · {problem_words(record, None)}")
    if record.reason:
        _line(text, "Verdict: ", record.reason)
    for problem in record.problems:
        _line(text, "Problem: ", str(problem))
    for finding in record.findings:
        _line(text, "Personal data? ", finding.message)


def _actions(text: Text, ret: Return, plan: Plan | None, review: Review | None) -> None:
    text.append(f"\nActions ({len(ret.entries)})\n", style="bold underline")
    for entry in ret.entries:
        action = plan.action(entry.ref) if plan else None
        text.append(f"\n{entry.ref}", style="bold")
        text.append(f" {action.title}" if action else " (not an action of the plan)")
        text.append("\n")
        _fields(text, entry, plan)
        if review is not None and review.comments.get(entry.ref):
            _line(text, "  Officer's comment: ", review.comments[entry.ref])


def _kpis(text: Text, ret: Return, plan: Plan | None) -> None:
    text.append(f"\nKPI figures ({len(ret.kpis)})\n", style="bold underline")
    for figure in ret.kpis:
        kpi = plan.kpi(figure.id) if plan else None
        text.append(f"\n{figure.id}", style="bold")
        text.append(f" {kpi.measure}" if kpi else " (not a KPI of the plan)")
        text.append("\n")
        _fields(text, figure, plan)
    if not ret.kpis:
        text.append("None reported.\n")


def _review(text: Text, review: Review | None) -> None:
    text.append("\nReview\n", style="bold underline")
    if review is None:
        text.append("No decision or comment yet.\n")
        return
    who = f" by {review.officer}" if review.officer else ""
    when = f" on {review.decided_at:%Y-%m-%d %H:%M}" if review.decided_at else ""
    text.append(f"{review_words(review)}{who}{when}\n")
    if review.comment:
        _line(text, "Comment: ", review.comment)


def return_body(ret: Return, plan: Plan | None) -> Text:
    """Every action and KPI figure of ``ret``, as the officer reads them (the partner app's
    review shows the lead this before signing, so a misplaced phrase is seen)."""
    text = Text()
    _actions(text, ret, plan, None)
    _kpis(text, ret, plan)
    return text


def whole_return(record: FileRecord, plan: Plan | None, review: Review | None) -> Text:
    """The file, its signature and problems, then every action and KPI figure, then the review."""
    text = Text()
    _head(text, record)
    ret = record.ret
    if ret is None:
        text.append("\nThe file could not be read as a return, so there is nothing more to show.\n")
    else:
        text.append("\n")
        for name in Return.model_fields:
            if name in _NOT_HEAD or getattr(ret, name) is None:
                continue  # an optional table the return does not carry (what it answers)
            value = _value(getattr(ret, name))
            if name == "partner" and plan is not None:
                value += f" — {plan.partner_name(ret.partner)}"
            _line(text, f"{field_label(name)}: ", value)
        _actions(text, ret, plan, review)
        _kpis(text, ret, plan)
    _review(text, review)
    return text
