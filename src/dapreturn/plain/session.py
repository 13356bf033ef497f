"""The plain mode's hold on a return: the shared fill session, the console, and the walk.

The return itself is a :class:`~dapreturn.core.filling.session.FillSession`, the same one the
partner app drives, so drafts, rules and signing are shared and a draft started in one mode
resumes in the other. :class:`Session` adds only what is about asking: the console and whether
to go through every question.
"""

from __future__ import annotations

from dataclasses import dataclass

from dapreturn.core.config import load_config, save_config
from dapreturn.core.errors import DapreturnError, StorageError
from dapreturn.core.filling.session import FillSession
from dapreturn.core.filling.state import Change
from dapreturn.core.plan.model import Plan
from dapreturn.core.returns.model import Entry, Return
from dapreturn.plain.prompts import Console


@dataclass
class Session:
    """One partner's return for one period, as the plain mode fills it in."""

    console: Console
    """Where questions are asked."""
    fill: FillSession
    """The return being filled in (shared with the partner app)."""
    walk_all: bool = True
    """Whether to ask every question in turn (False after resuming: straight to the summary)."""
    remember: bool = True
    """Whether choices may be saved to the config (not when it could not be read)."""

    @property
    def plan(self) -> Plan:
        """The action plan."""
        return self.fill.plan

    @property
    def ret(self) -> Return:
        """The return being edited."""
        return self.fill.ret

    def save(self) -> None:
        """Save the draft if it changed since the last save.

        A draft that cannot be written (disk full, USB stick removed) is reported and filling
        in carries on; the next answer tries again.
        """
        try:
            self.fill.save()
        except StorageError as exc:
            self.console.say(f"Warning: the draft could not be saved: {exc}")

    def remember_folder(self) -> None:
        """After signing, remember the output folder for next time (as the partner app does)."""
        if not self.remember:
            return
        try:
            config = load_config()
            save_config(config.model_copy(update={"out_dir": str(self.fill.target.out_dir)}))
        except DapreturnError as exc:
            self.console.say(f"Warning: the folder could not be remembered: {exc}")

    def set(self, entry: Entry, name: str, value: object) -> bool:
        """Set one field and save; when the value is refused, say why and return False."""
        change = self.fill.set_field(entry.ref, name, value)
        if change is Change.REFUSED:
            self.console.refuse(f"{name}: {self.fill.input_error(entry.ref, name)}")
            return False
        self.save()
        return True
