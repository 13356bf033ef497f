"""What the lead is told once a return is signed, the same in every front end.

Where the file is and its folder, what to send to whom, and, for a key made on this signing, the
trust-list line the steering group needs before the return counts. The front ends only draw it
(the partner app adds a key to open the folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dapreturn.core.filling.session import FillSession

if TYPE_CHECKING:  # signing code loads only when signing, not for the first frame
    from dapreturn.core.filling.signing import Signed


def signed_label(revision: int) -> str:
    """How the header names a signed return: ``signed (r1)``."""
    return f"signed (r{revision})"


@dataclass(frozen=True)
class DoneReport:
    """The words after signing, with the parts a front end shows on their own."""

    title: str
    """``Return signed and saved``."""
    lines: list[str]
    """Paragraphs, in order: what was signed, where it is, what to send to whom; the
    :attr:`trust_line` (when there is one) is shown after the last."""
    path: Path
    """The signed file (absolute)."""
    folder: Path
    """Its folder (absolute), for "open the folder"."""
    trust_line: str | None
    """The trust-list line to send with a first return signed with a new key, else ``None``."""
    trust_line_file: Path | None
    """The file beside the key holding that line."""


def done_report(session: FillSession, signed: Signed) -> DoneReport:
    """The done screen for ``signed``, one of ``session``'s returns."""
    path = signed.path.absolute()
    made = signed.made
    steering = "the steering group's officer"
    lines = [
        f"Revision {signed.revision} of the {session.period} return for {session.partner} is "
        f"signed with key {signed.fingerprint}. It was read back and checked after saving.",
        f"The file is {path.name}, in the folder:\n{path.parent}",
        f"Send this file to {steering} (by e-mail, USB stick or shared drive). Keep the copy in "
        "the folder: next quarter starts from it.",
    ]
    if signed.draft_kept_in is not None:
        lines.append("The draft was put aside, as the signed file now holds the return.")
    if made is not None:  # last, so the line itself can follow the words
        lines.append(
            "This is the first return signed with your new key, so also send the line below "
            f"for the steering group's trust list (it is not secret; a copy is in "
            f"{made.saved_in}). Until they add it, your returns show as signed with an unknown "
            "key."
        )
    return DoneReport(
        "Return signed and saved",
        lines,
        path,
        path.parent,
        made.line if made is not None else None,
        made.saved_in if made is not None else None,
    )
