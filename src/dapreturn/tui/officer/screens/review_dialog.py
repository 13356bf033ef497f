"""Decide on a return: accepted, query raised or no decision, with comments overall and per action.

The dialog answers a :class:`~dapreturn.tui.officer.tasks.ReviewOutcome` (or ``None`` when
cancelled); the caller saves it to the ledger. Only a verified return can be accepted; a query
can be raised on any file that was read.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Static, TextArea

from dapreturn.core.collection import FileRecord
from dapreturn.core.ledger import Decision, Review
from dapreturn.core.plan import Plan
from dapreturn.tui.officer.inbox_rows import problem_words, signature_words
from dapreturn.tui.officer.tasks import ReviewOutcome
from dapreturn.tui.officer.widgets.marked import MarkedRadioButton

_DECISIONS: tuple[tuple[str, str], ...] = (
    ("accepted", "✓ Accepted"),
    ("query_raised", "! Query raised"),
    ("none", "— No decision yet"),
)


def _status(plan: Plan | None, status_id: str) -> str:
    status = plan.status(status_id) if plan else None
    return f"{status.marker} {status.label}" if status else status_id or "(no status)"


class ReviewDialog(ModalScreen[ReviewOutcome | None]):
    """Record a decision and comments on one return file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel: change nothing"),
        Binding("ctrl+s", "save", "Save the decision"),
    ]

    def __init__(
        self, record: FileRecord, plan: Plan | None, review: Review | None, officer: str
    ) -> None:
        """Show ``record`` with its current ``review``; ``officer`` pre-fills the name."""
        super().__init__()
        self.record = record
        """The file decided on."""
        self._plan = plan
        self._review = review
        self._officer = officer
        self._refs = [e.ref for e in record.ret.entries] if record.ret else []

    def compose(self) -> ComposeResult:
        """Summary, decision, name, comments, buttons."""
        rec, review = self.record, self._review
        title = f"Review {rec.partner or '?'} · {rec.period or '?'}"
        if rec.revision:
            title += f" · r{rec.revision}"
        current = review.decision if review and review.decision else "none"
        with Vertical(classes="dialog wide", id="review-dialog"):
            yield Label(Text(title), classes="dialog-title")
            with VerticalScroll(id="review-body"):
                summary = Text(f"{rec.rel}\n{signature_words(rec)} · ")
                summary.append(problem_words(rec, None))
                yield Static(summary)
                with RadioSet(id="decision"):
                    for value, label in _DECISIONS:
                        yield MarkedRadioButton(
                            label,
                            value=value == current,
                            id=f"decision-{value}",
                            disabled=value == "accepted" and not rec.verified,
                        )
                yield Label("Your name (officer):")
                yield Input(self._officer, placeholder="Name, role", id="officer")
                yield Label("Overall comment:")
                yield TextArea(review.comment if review else "", id="comment")
                if self._refs:
                    yield Label("Comments on each action (optional):", classes="heading")
                for i, entry in enumerate(rec.ret.entries if rec.ret else []):
                    action = self._plan.action(entry.ref) if self._plan else None
                    name = action.title if action else ""
                    yield Label(Text(f"{entry.ref} {name} — {_status(self._plan, entry.status)}"))
                    existing = review.comments.get(entry.ref, "") if review else ""
                    yield Input(existing, placeholder="comment on this action", id=f"ref-{i}")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (Esc)", id="cancel")
                yield Button("Save (Ctrl+S)", id="save", variant="primary")

    def on_mount(self) -> None:
        """Start on the decision."""
        self.query_one("#decision", RadioSet).focus()

    def _decision(self) -> Decision | None:
        pressed = self.query_one("#decision", RadioSet).pressed_button
        value = (pressed.id or "").removeprefix("decision-") if pressed else "none"
        if value == "accepted":
            return "accepted"
        if value == "query_raised":
            return "query_raised"
        return None

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Answer with the decision and comments (a name is needed)."""
        officer = self.query_one("#officer", Input).value.strip()
        if not officer:
            self.notify("Type your name first: decisions record who made them.")
            self.query_one("#officer", Input).focus()
            return
        comments = {
            ref: self.query_one(f"#ref-{i}", Input).value.strip()
            for i, ref in enumerate(self._refs)
        }
        old = self._review.comments if self._review else {}
        comments = {ref: text for ref, text in comments.items() if text or ref in old}
        self.dismiss(
            ReviewOutcome(
                self._decision(),
                officer,
                self.query_one("#comment", TextArea).text.strip(),
                comments,
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Change nothing."""
        self.dismiss(None)
