"""Plain-text views of decision and feedback files for ``dapreturn show``."""

from __future__ import annotations

from pathlib import Path

from dapreturn.core.groupsig import GroupVerdict, Kind


def group_lines(path: Path, kind: Kind, verdict: GroupVerdict) -> list[str]:
    """The verified file in plain words."""
    return [verdict.message]
