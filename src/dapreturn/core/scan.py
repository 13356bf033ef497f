"""Finding and reading the files of a collection folder, and nothing else.

:func:`walk` lists candidate files folder by folder (files by name, then subfolders), never
following or looking through a symbolic link; :func:`read_limited` reads one regular file of at
most 5 MiB without following a link. Neither ever writes, moves or deletes anything.
:func:`printable` keeps names and reasons to one safe terminal line.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from dapreturn.core.plan import PLAN_SCHEMA
from dapreturn.core.signing import MAX_FILE_BYTES

__all__ = [
    "LEDGER_NAME",
    "Job",
    "RefusedError",
    "is_plan_bytes",
    "printable",
    "read_limited",
    "walk",
]

LEDGER_NAME = "review-ledger.toml"
"""The officer's review ledger, kept in the collection folder and never read as a return."""

_SCHEMA_RE = re.compile(rb'^[ \t]*schema[ \t]*=[ \t]*"([^"\n]*)"', re.MULTILINE)
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)

FOLDER_REFUSAL = "a folder, not a file: a return must be a file (files inside it are read)"
"""Why a folder named like a return (``y.toml``) is listed: otherwise it would vanish silently."""

Job = tuple[Path, str, str | None]
"""(path, rel, reason it is refused unread or ``None``)."""


def printable(text: str) -> str:
    """``text`` safe on one terminal line: control, line-break and bidi characters escaped.

    A line feed becomes the four characters ``\\x0a``; a right-to-left override ``\\u202e``.
    Backslashes are kept as they are, so applying it twice changes nothing.
    """
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(
        lambda m: f"\\u{ord(m[0]):04x}" if ord(m[0]) > 0xFF else f"\\x{ord(m[0]):02x}", text
    )


class RefusedError(Exception):
    """A file that is not read at all (link, not a regular file, too large, unreadable)."""


def walk(root: Path) -> Iterator[Job]:
    """Yield a job per candidate file, folder by folder (files, then subfolders, by name).

    Links are never followed (nor looked through): every link is yielded as refused. A folder
    named like a return (``*.toml``) is yielded as refused too, and walked like any folder.
    """
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield folder, prefix or ".", f"cannot read folder: {exc.strerror or exc}"
            continue
        subfolders = []
        for e in entries:
            rel = prefix + e.name
            if e.is_symlink():  # never stat through it: it may loop or lead outside
                yield Path(e.path), rel, "symbolic link — not followed"
            elif e.is_dir(follow_symlinks=False):
                if e.name.lower().endswith(".toml"):  # named like a return: say it is not one
                    yield Path(e.path), rel + "/", FOLDER_REFUSAL
                subfolders.append((Path(e.path), rel + "/"))
            elif e.name.lower().endswith(".toml") and e.name != LEDGER_NAME:
                yield Path(e.path), rel, None
        stack.extend(reversed(subfolders))


def read_limited(path: Path) -> bytes:
    """Read a regular file of at most :data:`MAX_FILE_BYTES` without following a link.

    Raises :class:`RefusedError` saying why a file is not read. The file is read by its size
    (never into a 5 MiB buffer, which would cost a large allocation per file), and reading stops
    one byte past the limit should it grow meanwhile.
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise RefusedError(f"cannot read: {exc.strerror or exc}") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise RefusedError("not a regular file — not read")
        if st.st_size > MAX_FILE_BYTES:
            raise RefusedError(f"too large ({st.st_size:,} bytes; the most is 5 MiB) — not read")
        chunks: list[bytes] = []
        total, want = 0, st.st_size + 1
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(max(want - total, 65536), MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise RefusedError(f"cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        raise RefusedError("too large (grew past 5 MiB while being read) — not read")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def is_plan_bytes(data: bytes) -> bool:
    """Whether a file declares itself a plan (``schema = "dapreturn/plan/v1"`` near the top)."""
    schema = _SCHEMA_RE.search(data[:4096])
    return schema is not None and schema[1] == PLAN_SCHEMA.encode()
