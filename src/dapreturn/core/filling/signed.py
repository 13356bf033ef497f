"""Signed returns already in the output folder: the starting points and the next revision.

These are read for carry-forward and for "signing again makes r<n+1>", never trusted: the
officer side verifies signatures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dapreturn.core.errors import DapreturnError
from dapreturn.core.periods import Period
from dapreturn.core.returns.model import Return, parse_return_filename
from dapreturn.core.returns.tomlio import MAX_RETURN_BYTES, decode_utf8, parse_return


@dataclass(frozen=True)
class SignedReturnFile:
    """A signed return found in an output folder (read for carry-forward, not trusted)."""

    path: Path
    """The file."""
    revision: int
    """Its revision (from the file name)."""
    ret: Return
    """Its body."""


def _candidates(out_dir: Path, plan_id: str, partner: str, period: Period) -> list[Path]:
    """Files in ``out_dir`` named like this partner's returns for ``period``."""
    if not out_dir.is_dir():
        return []
    return list(out_dir.glob(f"{plan_id}_{period.slug}_{partner}_r*.toml"))


def signed_returns(
    out_dir: Path, plan_id: str, partner: str, period: Period
) -> list[SignedReturnFile]:
    """The partner's signed return files for a period in ``out_dir``, lowest revision first.

    Files that cannot be read as a return are skipped: they are the officer side's concern, and
    carry-forward only ever offers a starting point the lead then reviews. So are files not
    signed with this computer's key for ``partner`` (demo files, a colleague's copy, a file
    changed after signing): the lead's own returns are known by their signature.
    """
    candidates = _candidates(out_dir, plan_id, partner, period)
    if not candidates:  # the first return of a period: nothing to read, nothing to import
        return []
    # these load cryptography: not at every start
    from dapreturn.core.signing.own_key import signed_here
    from dapreturn.core.signing.table import split_signed

    found = []
    for path in candidates:
        parts = parse_return_filename(path.name)
        if parts is None or path.is_symlink() or path.stat().st_size > MAX_RETURN_BYTES:
            continue
        try:
            data = path.read_bytes()
            if not signed_here(data, partner, source=str(path)):
                continue  # not this computer's key for the partner: a demo or someone else's
            body, _sig = split_signed(data)
            ret = parse_return(decode_utf8(body, source=str(path)), source=str(path))
        except (OSError, DapreturnError):
            continue
        if ret.partner == partner and ret.plan == plan_id and ret.period == str(period):
            found.append(SignedReturnFile(path, parts[3], ret))
    return sorted(found, key=lambda f: f.revision)


def latest_signed(
    out_dir: Path, plan_id: str, partner: str, period: Period
) -> SignedReturnFile | None:
    """The highest revision signed for this period, or ``None``."""
    files = signed_returns(out_dir, plan_id, partner, period)
    return files[-1] if files else None


def next_revision(out_dir: Path, plan_id: str, partner: str, period: Period) -> int:
    """The revision number the next signed return for this period must carry."""
    highest = 0
    for path in _candidates(out_dir, plan_id, partner, period):
        parts = parse_return_filename(path.name)
        if parts is not None:
            highest = max(highest, parts[3])
    return highest + 1
