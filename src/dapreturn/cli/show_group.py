"""Plain-text views of feedback and decision files for ``dapreturn show`` (text from a file
always passes through :func:`safe`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dapreturn.core.cycle.feedback import Feedback
from dapreturn.core.returns.model import Return
from dapreturn.core.signing.groupsig import GroupVerdict

DECISION_WORDS = {
    "accepted": "ACCEPTED",
    "query_raised": "QUERY RAISED: please answer and resubmit",
    "not_accepted": "NOT ACCEPTED",
}
"""What a decision is called in plain words (never by colour alone)."""


def safe(text: object) -> str:
    """``text`` with control characters (but newlines and tabs) shown as escapes."""
    return "".join(ch if ch in "\n\t" or ch.isprintable() else ascii(ch)[1:-1] for ch in str(text))


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%a %d %b %Y %H:%M UTC")
    return safe(value)


def _indented(text: str) -> list[str]:
    return [f"      {line}" for line in safe(text).splitlines()] or ["      (empty)"]


def feedback_lines(fb: Feedback, verdict: GroupVerdict) -> list[str]:
    """The feedback in plain words: decision, overall comment, then each field's comment."""
    lines = [
        f"Feedback on your return: {safe(fb.plan)} {safe(fb.period)} revision {fb.revision}",
        f"  decision:   {DECISION_WORDS.get(fb.decision, safe(fb.decision))}",
        f"  return:     {safe(fb.file)}, SHA-256:",
        f"    {fb.sha256}",
        f"  decided by: {safe(fb.decided_by)} on {_when(fb.decided_at)}",
        f"  signed by:  {safe(verdict.signer)} {verdict.fingerprint}",
    ]
    if fb.comment:
        lines += ["  overall comment:", *_indented(fb.comment)]
    lines.append(f"  comments on fields ({len(fb.comments)}):")
    for c in fb.comments:
        lines += [f"    {safe(c.on)}:", *_indented(c.text)]
    return lines


def decision_lines(verdict: GroupVerdict) -> list[str]:
    """A verified decision file in plain words."""
    doc = verdict.doc or {}
    word = str(doc.get("decision", ""))
    lines = [
        safe(verdict.message),
        f"Review decision: {DECISION_WORDS.get(word, safe(word))}",
        f"  return:     {safe(doc.get('file'))}, SHA-256:",
        f"    {safe(doc.get('sha256'))}",
        f"  decided by: {safe(verdict.signer)} on {_when(doc.get('decided_at'))}",
    ]
    if doc.get("comment"):
        lines += ["  overall comment:", *_indented(str(doc["comment"]))]
    comments = doc.get("comments")
    for on, text in sorted(comments.items()) if isinstance(comments, dict) else []:
        lines += [f"    {safe(on)}:", *_indented(str(text))]
    return lines


def return_lines(ret: Return) -> list[str]:
    """A verified return in brief: who, what period, each action's status, what it answers."""
    lines = [
        f"Return: {safe(ret.plan)} {safe(ret.period)} from {safe(ret.partner)}, "
        f"revision {ret.revision}",
        f"  prepared by: {safe(ret.prepared_by) or '(not given)'}",
        f"  signed at:   {_when(ret.submitted_at)}",
        f"  actions ({len(ret.entries)}):",
    ]
    lines += [
        f"    {safe(e.ref):<6} {e.role:<12} {safe(e.status) or '(no status)'}" for e in ret.entries
    ]
    lines.append(f"  KPI figures: {len(ret.kpis)}")
    if ret.answers is not None:
        for name, digest in ret.answers.model_dump().items():
            if digest:
                lines += [f"  answers {name.removesuffix('_sha256')} (SHA-256):", f"    {digest}"]
    return lines
