"""Choosing a status by its first letter, as in any list a lead has used.

Typing ``c`` picks the next status (after the current one, wrapping) whose label starts with
``c``, else whose marker does; typing it again moves on to the next such status. Both front ends
use it (the partner app's status box; plain mode can take a letter too).
"""

from __future__ import annotations

from collections.abc import Sequence

from dapreturn.core.plan.model import Status


def status_for_letter(statuses: Sequence[Status], letter: str, current: str = "") -> str | None:
    """The id of the status ``letter`` picks after ``current``, or ``None`` if none fits."""
    if len(letter) != 1 or not letter.strip():
        return None
    key = letter.casefold()
    ids = [s.id for s in statuses]
    start = ids.index(current) + 1 if current in ids else 0
    order = [statuses[(start + i) % len(statuses)] for i in range(len(statuses))]
    for status in order:
        if status.label.casefold().startswith(key):
            return status.id
    for status in order:
        if status.marker.casefold().startswith(key):
            return status.id
    return None
