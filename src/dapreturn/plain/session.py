"""The return being filled in by the plain mode, and the draft it is saved to.

A :class:`Session` holds the plan, the partner, the period and the :class:`Return` being edited.
:meth:`Session.save` writes it to the same drafts store and under the same key as the partner
app (``core.filling.draft_key``, text from ``core.tomlio.dump_return``), so a draft started in
one mode resumes in the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from dapreturn.core import paths
from dapreturn.core.config import UserConfig
from dapreturn.core.drafts import DraftKey, DraftStore
from dapreturn.core.errors import StorageError
from dapreturn.core.messages import validation_lines
from dapreturn.core.periods import Period
from dapreturn.core.plan import Plan
from dapreturn.core.returns import Entry, KpiFigure, Return
from dapreturn.core.rules import Problem, check_entry, check_return
from dapreturn.core.tomlio import dump_return
from dapreturn.plain.prompts import Console


def default_returns_dir(config: UserConfig) -> Path:
    """Where signed returns go when ``--out`` is not given.

    The remembered folder, else ``<portable folder>/returns`` in portable mode (the folder
    holding the ``dapreturn-portable`` marker), else ``returns`` in the current folder.
    """
    return Path(config.out_dir) if config.out_dir else paths.default_returns_dir()


def when_text(moment: datetime) -> str:
    """A saved time in the laptop's local time, e.g. ``Tue 15 Jan 2019 at 10:30``."""
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y} at {local:%H:%M}"


def normalise(ret: Return, plan: Plan) -> None:
    """Give ``ret`` an entry for every action the partner leads and a figure for every KPI.

    A draft saved part-way (by either mode) may lack some; missing ones are added blank at the
    end, and nothing already there is changed.
    """
    refs = {e.ref.lower() for e in ret.entries}
    missing = [a for a in plan.actions_led_by(ret.partner) if a.ref.lower() not in refs]
    if missing:
        ret.entries = [*ret.entries, *(Entry(ref=a.ref, role="lead") for a in missing)]
    ids = {k.id for k in ret.kpis}
    extra = [KpiFigure(id=k.id) for k in plan.kpis if k.id not in ids]
    if extra:
        ret.kpis = [*ret.kpis, *extra]


@dataclass
class Session:
    """One partner's return for one period, as it is being filled in."""

    console: Console
    """Where questions are asked."""
    plan: Plan
    """The action plan the return is written against."""
    period: Period
    """The reporting period."""
    ret: Return
    """The return being edited (changed in place; every assignment is validated)."""
    store: DraftStore
    """The drafts store (shared with the partner app)."""
    key: DraftKey
    """The draft's key: ``core.filling.draft_key(plan, partner, period)``."""
    out_dir: Path
    """Where the signed return will be written."""
    previous: Return | None
    """Last period's signed return: reference text, and the rule about moved targets."""
    today: date
    """Today's date, for the rules (a completion date may not be in the future)."""
    walk_all: bool = True
    """Whether to ask every question in turn (False after resuming: straight to the summary)."""
    saved_text: str = field(default="", repr=False)
    """The text of the last draft written, to skip saving an unchanged return."""

    @property
    def partner(self) -> str:
        """The partner code."""
        return self.ret.partner

    def save(self) -> None:
        """Save the return as a new draft generation if it changed since the last save.

        A draft that cannot be written (disk full, USB stick removed) is reported and filling
        in carries on; the next answer tries again.
        """
        text = dump_return(self.ret)
        if text == self.saved_text:
            return
        try:
            self.store.save(self.key, text)
        except StorageError as exc:
            self.console.say(f"Warning: the draft could not be saved: {exc}")
            return
        self.saved_text = text

    def set(self, target: BaseModel, name: str, value: object) -> bool:
        """Set ``target.name = value`` and save; on a refused value say why and return False."""
        try:
            setattr(target, name, value)
        except ValidationError as exc:
            for line in validation_lines(exc, None):
                self.console.refuse(line)
            return False
        self.save()
        return True

    def problems(self) -> list[Problem]:
        """Every rule the return breaks now (the same check that signing makes)."""
        return check_return(self.ret, self.plan, today=self.today, previous=self.previous)

    def entry_problems(self, entry: Entry, name: str) -> list[Problem]:
        """The problems with one field of one entry."""
        prev = self.previous.entry(entry.ref) if self.previous else None
        found = check_entry(entry, self.plan, today=self.today, previous=prev)
        return [p for p in found if p.field == name]

    def previous_entry(self, entry: Entry) -> Entry | None:
        """Last period's entry for the same action, if there was a signed return."""
        return self.previous.entry(entry.ref) if self.previous else None
