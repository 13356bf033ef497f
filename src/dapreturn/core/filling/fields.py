"""The fields of an entry, defined once: name, label, hint, how typed text is read, when needed.

Both front ends walk :data:`ENTRY_FIELDS`, the way huh defines a field once and shows it as a
TUI or as an accessible prompt: the Textual form builds one widget per field from it, and the
plain mode asks one question per field. Reading what was typed (:meth:`EntryField.parse`) and
saying whether a field is required for a status (:meth:`EntryField.required`) happen here only;
the plan's rules themselves are :func:`dapreturn.core.returns.rules.check_entry`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from dapreturn.core.dates import parse_date
from dapreturn.core.filling.places import Place
from dapreturn.core.plan.model import Plan, Status
from dapreturn.core.returns.model import Entry
from dapreturn.core.returns.rules import Problem

if TYPE_CHECKING:  # the scanner itself is loaded only when signing (not for the first frame)
    from dapreturn.core.returns.safeguarding import Finding


class Kind(enum.Enum):
    """How a field is typed, and so which widget or question shows it."""

    CHOICE = "choice"
    """One of the plan's statuses."""
    DATE = "date"
    """A date, written as people write them (``31/03/2019``)."""
    LINES = "lines"
    """A list, one item per line (the individuals responsible)."""
    TEXT = "text"
    """Free text over several lines (scanned for personal data before signing)."""


def parse_status(text: str, plan: Plan) -> str:
    """A status by number (``1``), marker (``G``), id or label; blank is no status."""
    answer = text.strip()
    statuses = plan.statuses
    if not answer:
        return ""
    if answer.isdigit() and 1 <= int(answer) <= len(statuses):
        return statuses[int(answer) - 1].id
    word = answer.casefold()
    for status in statuses:
        if word in (status.marker.casefold(), status.id.casefold(), status.label.casefold()):
            return status.id
    raise ValueError(
        f"{answer!r} is not one of the statuses; type a number from 1 to {len(statuses)} "
        f"or a marker such as {statuses[0].marker}"
    )


def parse_lines(text: str) -> list[str]:
    """One item per line, blank lines dropped: ``"Amina Khan, Service Manager"`` is one."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def date_text(value: date | None) -> str:
    """How a stored date is shown for editing (``31/03/2019``; empty for none)."""
    return "" if value is None else f"{value:%d/%m/%Y}"


@dataclass(frozen=True)
class EntryField:
    """One editable field of an entry."""

    name: str
    """The :class:`~dapreturn.core.returns.model.Entry` attribute (and the rules' field name)."""
    label: str
    """Words for the field (``Target date``)."""
    hint: str
    """What to write there (a placeholder in the form)."""
    kind: Kind
    """How it is typed."""
    note: str = ""
    """A short rule shown beside the label (``one per line``)."""

    @property
    def form_label(self) -> str:
        """The label with its note: ``Individuals responsible (one per line)``."""
        return f"{self.label} ({self.note})" if self.note else self.label

    def label_for(self, status: Status | None) -> str:
        """The label, saying ``required`` when the plan's rules need the field for ``status``
        (``Risks / issues · required`` once the status is at risk)."""
        return f"{self.form_label} · required" if self.required(status) else self.form_label

    def parse(self, text: str, plan: Plan) -> Any:
        """The model value for typed ``text``; :class:`ValueError` saying why it is not one."""
        if self.kind is Kind.CHOICE:
            return parse_status(text, plan)
        if self.kind is Kind.DATE:
            return parse_date(text) if text.strip() else None
        if self.kind is Kind.LINES:
            return parse_lines(text)
        return text

    def text(self, entry: Entry) -> str:
        """The entry's value as it is shown for editing."""
        value = getattr(entry, self.name)
        if self.kind is Kind.DATE:
            return date_text(value)
        if self.kind is Kind.LINES:
            return "\n".join(value)
        return str(value)

    def applies(self, status: Status | None) -> bool:
        """Whether the field is asked for at all (a completion date only for a done status)."""
        return self.name != "completed" or (status is not None and status.done)

    def required(self, status: Status | None) -> bool:
        """Whether the plan's rules need this field filled for ``status``."""
        if self.name == "status":
            return True
        if status is None:
            return False
        return (
            (self.name == "completed" and status.done)
            or (self.name == "action_taken" and status.requires_action_taken)
            or (self.name == "risks" and status.requires_risks)
        )


ENTRY_FIELDS: tuple[EntryField, ...] = (
    EntryField("status", "Status", "Choose a status", Kind.CHOICE),
    EntryField("started", "Started", "e.g. 31/03/2019", Kind.DATE),
    EntryField("target", "Target date", "e.g. 31/03/2019", Kind.DATE),
    EntryField(
        "completed", "Completed", "e.g. 31/03/2019", Kind.DATE, "only when the status is done"
    ),
    EntryField("responsible", "Individuals responsible", "Name, role", Kind.LINES, "one per line"),
    EntryField(
        "action_taken", "Action taken this period", "What was done in this period?", Kind.TEXT
    ),
    EntryField("next_steps", "Next steps", "What will happen next?", Kind.TEXT),
    EntryField(
        "risks", "Risks / issues", "Anything that puts the action at risk, and why", Kind.TEXT
    ),
)
"""Every editable field of an entry, in form order."""

FIELDS: dict[str, EntryField] = {f.name: f for f in ENTRY_FIELDS}
"""The entry fields by name."""

FIELD_NAMES = tuple(FIELDS)
"""Every editable field's name, in form order."""

NARRATIVE_FIELDS = tuple(f.name for f in ENTRY_FIELDS if f.kind is Kind.TEXT)
"""The free-text fields of an entry, in form order."""

DATE_FIELDS = tuple(f.name for f in ENTRY_FIELDS if f.kind is Kind.DATE)
"""The date fields of an entry, in form order."""

OTHER_LABELS = {
    "ref": "Action",
    "role": "Role",
    "prepared_by": "Prepared by",
    "period": "Period",
    "partner": "Partner",
    "plan": "Plan",
}
"""Words for the fields of a return that are not entry fields."""


def field_label(name: str) -> str:
    """Words for a field name (``target`` -> ``Target date``; ``kpis.K1`` -> ``KPI K1``)."""
    if name.startswith("kpis."):
        return describe(Place.parse(name))
    found = FIELDS.get(name)
    return found.label if found else OTHER_LABELS.get(name, name.replace("_", " "))


def problem_text(problem: Problem) -> str:
    """A problem as the lead reads it, with the field's label: ``3l Risks / issues: ...``.

    Both front ends say problems this way; the internal ``3l.risks`` form is for files and logs.
    """
    where = f"{problem.ref} " if problem.ref else ""
    return f"{where}{field_label(problem.field)}: {problem.message}"


def finding_text(finding: Finding) -> str:
    """A safeguarding finding with its field's words: ``3l · What was done: possible ...``."""
    what = finding.message.removeprefix(f"{finding.field}: ")
    return f"{describe(Place.parse(finding.field))}: {what}"


def describe(place: Place) -> str:
    """Words for a place: ``3l · Risks / issues``, ``KPI K1``, ``KPI K1 note``, ``Prepared by``."""
    if place.kpi is not None:
        return f"KPI {place.kpi}" + (" note" if place.field == "note" else "")
    words = field_label(place.field)
    return f"{place.ref} · {words}" if place.ref else words


def clean_message(exc: ValidationError) -> str:
    """The first error of a refused value, as plain words (without pydantic's prefixes)."""
    msg = str(exc.errors(include_url=False)[0]["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg
