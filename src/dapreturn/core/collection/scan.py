"""Finding and reading the files of a collection folder, and nothing else.

:class:`Folder` lists files folder by folder, never following a symbolic link, and reads each
one (a regular file of at most 5 MiB) so that nothing outside the folder can be read, even if a
subfolder is swapped for a link between listing and reading: folders and files are opened
relative to their parent's descriptor with ``O_NOFOLLOW`` where the system allows it, and
everywhere what was opened must be the very file listed (same device and inode). Nothing here
writes. :func:`printable` keeps names and reasons to one safe terminal line.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dapreturn.core.plan.model import PLAN_SCHEMA
from dapreturn.core.schemas import TAPLO_CONFIG_NAME

__all__ = [
    "FOLDER_REFUSAL",
    "LEDGER_NAME",
    "MAX_FILE_BYTES",
    "NOT_RETURNS",
    "Folder",
    "Job",
    "RefusedError",
    "is_plan_bytes",
    "printable",
    "read_limited",
]

LEDGER_NAME = "review-ledger.toml"
"""The officer's review ledger, kept in the collection folder and never read as a return."""

NOT_RETURNS = frozenset({LEDGER_NAME, TAPLO_CONFIG_NAME})
"""TOML files a collection folder may hold that are not returns (the editor association)."""

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Files larger than this are refused unread."""

MAX_DEPTH = 32
"""Subfolders deeper than this are listed as refused, not read (a hostile archive cannot make
the walk run out of descriptors or stack)."""

LINK_REFUSAL = "symbolic link — not followed"
"""Why a link is not read (the same words for the loader and ``dapreturn verify``)."""

FOLDER_REFUSAL = "a folder, not a file: a return must be a file (files inside it are read)"
"""Why a folder named like a return (``y.toml``) is listed: otherwise it would vanish silently."""

_SCHEMA_RE = re.compile(rb'^[ \t]*schema[ \t]*=[ \t]*"([^"\n]*)"', re.MULTILINE)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | _NOFOLLOW
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
DIR_FD = (
    os.open in os.supports_dir_fd and os.scandir in os.supports_fd and hasattr(os, "O_DIRECTORY")
)
"""Whether folders are walked through directory descriptors here (else: the after-open check)."""
_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)


def printable(text: str) -> str:
    """``text`` safe on one terminal line: control, line-break and bidi characters escaped.

    A line feed becomes ``\\x0a``, an override ``\\u202e``; applying it twice changes nothing.
    """
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(
        lambda m: f"\\u{ord(m[0]):04x}" if ord(m[0]) > 0xFF else f"\\x{ord(m[0]):02x}", text
    )


class RefusedError(Exception):
    """A file that is not read at all (link, not a regular file, too large, unreadable)."""


@dataclass(frozen=True)
class Job:
    """One candidate file as listed: where it is, and what it was when listed."""

    path: Path
    """Where it is (for records and messages; never opened by this path where ``dir_fd`` is)."""
    rel: str
    """Its path relative to the folder, ``/`` separators."""
    parts: tuple[str, ...] = ()
    """Its path from the folder, one name per step."""
    identity: tuple[int, int] = (0, 0)
    """``(st_dev, st_ino)`` from the listing (never a later stat): what is opened must match."""
    refusal: str | None = None
    """Why it is refused unread (a link, an unreadable folder), or ``None``."""
    dirs: tuple[tuple[int, int], ...] = ()
    """The identities of the subfolders on its way, as listed (checked again where there is no
    ``dir_fd``)."""


def _same(listed: tuple[int, int], st: os.stat_result) -> bool:
    """Whether an opened file is the one listed (inode only where the listing has no device)."""
    dev, ino = listed
    return st.st_ino == ino and dev in (0, st.st_dev)


def _read_fd(fd: int) -> bytes:
    """Read an open regular file by its size, stopping one byte past :data:`MAX_FILE_BYTES`."""
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
    if total > MAX_FILE_BYTES:
        raise RefusedError("too large (grew past 5 MiB while being read) — not read")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _open_error(exc: OSError) -> RefusedError:
    """The refusal for a failed open (a link met on the way says so)."""
    if exc.errno in (errno.ELOOP, errno.EMLINK, errno.ENOTDIR):
        return RefusedError(f"{LINK_REFUSAL} (or a folder on its way was swapped for one)")
    return RefusedError(f"cannot read: {exc.strerror or exc}")


def read_limited(path: Path) -> bytes:
    """Read one regular file by path, never through a link; else raise :class:`RefusedError`."""
    if not _NOFOLLOW and os.path.islink(path):
        raise RefusedError(LINK_REFUSAL)
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise _open_error(exc) from exc
    try:
        return _read_fd(fd)
    except OSError as exc:
        raise RefusedError(f"cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


class Folder:
    """A collection folder opened for reading: :meth:`walk` lists it, :meth:`read` reads a job.

    A context manager that closes its descriptors; nothing inside the folder is followed.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._fd = os.open(self.root, _DIR_FLAGS) if DIR_FD else -1
        self._last: tuple[tuple[str, ...], int] | None = None
        """The subfolder last read from and its descriptor (files are read in walking order)."""

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the descriptors held."""
        if self._last is not None:
            os.close(self._last[1])
            self._last = None
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def walk(self) -> Iterator[Job]:
        """Yield a job per candidate file, folder by folder (files, then subfolders, by name).

        Every link, and every folder named like a return (``*.toml``), is yielded as refused.
        """
        yield from self._walk((), "", self._fd if DIR_FD else None, ())

    def _check_way(self, parts: tuple[str, ...], dirs: tuple[tuple[int, int], ...]) -> None:
        """Without ``dir_fd``: every subfolder on the way is still the real folder listed."""
        for depth, identity in enumerate(dirs, start=1):
            st = os.stat(self.root.joinpath(*parts[:depth]), follow_symlinks=False)
            reparse: object = getattr(st, "st_reparse_tag", 0)  # a Windows junction, say
            if stat.S_ISLNK(st.st_mode) or reparse or not _same(identity, st):
                raise RefusedError(f"{LINK_REFUSAL} (a folder on its way was swapped for one)")

    def _walk(
        self,
        parts: tuple[str, ...],
        prefix: str,
        fd: int | None,
        dirs: tuple[tuple[int, int], ...],
    ) -> Iterator[Job]:
        """List one folder (by descriptor, or by path where there is no ``dir_fd``)."""
        where = self.root.joinpath(*parts)
        if len(parts) > MAX_DEPTH:
            why = f"more than {MAX_DEPTH} folders deep — not read"
            yield Job(where, prefix, parts, refusal=why)
            return
        try:
            if fd is None:
                self._check_way(parts, dirs)
            with os.scandir(fd if fd is not None else where) as it:
                entries = sorted(it, key=lambda e: e.name)
            dev = os.fstat(fd).st_dev if fd is not None else os.stat(where).st_dev
            if fd is None:
                self._check_way(parts, dirs)
        except RefusedError as exc:
            yield Job(where, prefix or ".", parts, refusal=str(exc))
            return
        except OSError as exc:
            yield Job(where, prefix or ".", parts, refusal=f"cannot read folder: {exc.strerror}")
            return
        subfolders = []
        for e in entries:
            rel, path, steps = prefix + e.name, where / e.name, (*parts, e.name)
            try:
                if e.is_symlink():  # never stat through it: it may loop or lead outside
                    yield Job(path, rel, steps, refusal=LINK_REFUSAL)
                elif e.is_dir(follow_symlinks=False):
                    if e.name.lower().endswith(".toml"):  # named like a return: say it is not
                        yield Job(path, rel + "/", steps, refusal=FOLDER_REFUSAL)
                    subfolders.append((steps, rel + "/", (dev, e.inode())))
                elif e.name.lower().endswith(".toml") and e.name not in NOT_RETURNS:
                    yield Job(path, rel, steps, (dev, e.inode()), dirs=dirs)
            except OSError as exc:  # gone (or changed) while being listed
                yield Job(path, rel, steps, refusal=f"cannot read: {exc.strerror or exc}")
        for steps, sub_prefix, identity in subfolders:
            if fd is None:
                yield from self._walk(steps, sub_prefix, None, (*dirs, identity))
                continue
            try:
                sub = os.open(steps[-1], _DIR_FLAGS | _NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                why = str(_open_error(exc)).replace("cannot read:", "cannot read folder:")
                yield Job(self.root.joinpath(*steps), sub_prefix, steps, refusal=why)
                continue
            try:
                yield from self._walk(steps, sub_prefix, sub, (*dirs, identity))
            finally:
                os.close(sub)

    def _dir_fd(self, parts: tuple[str, ...]) -> int:
        """A descriptor of the subfolder ``parts``, opened step by step with no link followed."""
        if not parts:
            return self._fd
        if self._last is not None and self._last[0] == parts:
            return self._last[1]
        fd = self._fd
        try:
            for name in parts:
                nxt = os.open(name, _DIR_FLAGS | _NOFOLLOW, dir_fd=fd)
                if fd != self._fd:
                    os.close(fd)
                fd = nxt
        except OSError:
            if fd != self._fd:
                os.close(fd)
            raise
        if self._last is not None:
            os.close(self._last[1])
        self._last = (parts, fd)
        return fd

    def read(self, job: Job) -> bytes:
        """The bytes of a listed file; :class:`RefusedError` says why it is not read."""
        if job.refusal:
            raise RefusedError(job.refusal)
        try:
            if DIR_FD:
                fd = os.open(job.parts[-1], _READ_FLAGS, dir_fd=self._dir_fd(job.parts[:-1]))
            else:
                fd = os.open(job.path, _READ_FLAGS)
        except OSError as exc:
            raise _open_error(exc) from exc
        try:
            if not _same(job.identity, os.fstat(fd)):
                raise RefusedError("changed between listing and reading — not read")
            if not DIR_FD:
                self._check_way(job.parts[:-1], job.dirs)
            return _read_fd(fd)
        except OSError as exc:
            raise RefusedError(f"cannot read: {exc.strerror or exc}") from exc
        finally:
            os.close(fd)


def is_plan_bytes(data: bytes) -> bool:
    """Whether a file declares itself a plan (``schema = "dapreturn/plan/v1"`` near the top)."""
    schema = _SCHEMA_RE.search(data[:4096])
    return schema is not None and schema[1] == PLAN_SCHEMA.encode()
