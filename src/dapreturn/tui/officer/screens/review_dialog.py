"""Decide on a return: accepted, query raised or no decision, with comments overall and per action.

The dialog answers a :class:`~dapreturn.core.review.tasks.ReviewOutcome` (or ``None`` when
cancelled); the caller saves it to the ledger. Only a verified return can be accepted (the
dialog says why not, beside the decision); a query can be raised on any file that was read. The
highlight starts on the decision already chosen, and cancelling with anything changed asks first
(:class:`~dapreturn.tui.officer.screens.confirm_dialog.DiscardDialog`).
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

from dapreturn.core.collection.ledger import Decision, Review
from dapreturn.core.collection.load import FileRecord
from dapreturn.core.plan.model import Plan
from dapreturn.core.review.inbox_rows import problem_words, signature_words
from dapreturn.core.review.tasks import ReviewOutcome
from dapreturn.tui.officer.screens.confirm_dialog import Discard, DiscardDialog
from dapreturn.tui.officer.widgets.marked import MarkedRadioButton

_DECISIONS: tuple[tuple[str, str], ...] = (
    ("accepted", "✓ Accepted"),
    ("query_raised", "! Query raised"),
    ("none", "— No decision yet"),
)


class DecisionSet(RadioSet):
    """A radio set whose highlight starts on the option already chosen (Textual's: the first)."""

    def on_mount(self) -> None:
        """Once RadioSet's own mount has highlighted the first button, move to the pressed one."""
        self.call_after_refresh(self._highlight_pressed)

    def _highlight_pressed(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index


def not_accepted_why(record: FileRecord) -> str:
    """Why "Accepted" cannot be chosen for ``record`` (empty: it can)."""
    if record.verified:
        return ""
    return (
        f"Accepted is not offered: this file is {signature_words(record)}. Only a return whose "
        "signature verifies against the trust list can be accepted; you can raise a query."
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
        self._initial: tuple[str, ...] = ()

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
                with DecisionSet(id="decision"):
                    for value, label in _DECISIONS:
                        yield MarkedRadioButton(
                            label,
                            value=value == current,
                            id=f"decision-{value}",
                            disabled=value == "accepted" and not rec.verified,
                        )
                why = not_accepted_why(rec)
                if why:
                    yield Static(Text(why), id="accept-why")
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
        """Start on the decision; remember what was there to tell a change on cancel."""
        self.query_one("#decision", RadioSet).focus()
        self._initial = self._typed()

    def _typed(self) -> tuple[str, ...]:
        """Everything the officer can change, to compare with what the dialog opened with."""
        boxes = [self.query_one(f"#ref-{i}", Input).value for i in range(len(self._refs))]
        return (
            str(self._decision()),
            self.query_one("#officer", Input).value,
            self.query_one("#comment", TextArea).text,
            *boxes,
        )

    def _changed(self) -> str:
        """What was changed since the dialog opened, in words (empty: nothing)."""
        now, was = self._typed(), self._initial
        words = [
            name
            for name, a, b in zip(
                ("the decision", "your name", "the overall comment"), now[:3], was[:3], strict=True
            )
            if a != b
        ]
        words += [
            f"the comment on {ref}"
            for ref, a, b in zip(self._refs, now[3:], was[3:], strict=True)
            if a != b
        ]
        return ", ".join(words)

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
        """Change nothing; if something was typed, ask before throwing it away."""
        changed = self._changed()
        if not changed:
            self.dismiss(None)
            return

        def answered(choice: Discard | None) -> None:
            if choice is Discard.DISCARD:
                self.dismiss(None)

        self.app.push_screen(DiscardDialog(changed), answered)
