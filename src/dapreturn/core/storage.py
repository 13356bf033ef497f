"""Crash-safe file writing: the one way dapreturn puts bytes on disk.

Every write goes to an exclusively created temporary file in the target's folder, is flushed and
``fsync``-ed, then moved onto the target with ``os.replace`` (and the folder ``fsync``-ed on
POSIX), so a reader sees the old file or the new one, never a mixture. Failures raise
:class:`~dapreturn.core.errors.StorageError` naming the file and leave the target as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import sys
import time
from pathlib import Path

from dapreturn.core.errors import StorageError

__all__ = [
    "TargetExistsError",
    "atomic_write_bytes",
    "atomic_write_text",
    "clean_stale_temps",
    "is_temp_name",
    "move_file",
]

_IS_WINDOWS = sys.platform == "win32"
"""Whether to use the Windows behaviours (retry on sharing violations, no folder fsync)."""

_RETRY_DELAYS: tuple[float, ...] = (0.01, 0.02, 0.04, 0.08, 0.16, 0.2, 0.2, 0.2, 0.2)
"""Pauses between the 10 attempts at a replace that Windows refused (about 1.1 s in total)."""

_TEMP_RE = re.compile(r"\A\.(?P<name>.+)\.(?P<token>[0-9a-f]{16})\.tmp\Z", re.DOTALL)
"""Names made by :func:`_temp_name`: dot, target name, dot, 16 lowercase hex digits, ``.tmp``."""

_MAX_TEMP_STEM = 200
"""Longest part of the target name copied into a temp name (keeps it under 255 bytes)."""

_OPEN_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
)


class TargetExistsError(StorageError, FileExistsError):
    """An exclusive write found the target already there; nothing was changed."""


def is_temp_name(name: str) -> bool:
    """Return whether ``name`` is a temporary-file name made by this module."""
    return _TEMP_RE.match(name) is not None


def _temp_name(target: str) -> str:
    return f".{target[:_MAX_TEMP_STEM]}.{secrets.token_hex(8)}.tmp"


def _error(exc: OSError, path: Path) -> StorageError:
    """Map an ``OSError`` met while saving ``path`` to a one-line :class:`StorageError`."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        msg = (
            f"disk full while saving {path} — nothing already saved was changed; "
            "free some space and try again"
        )
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        msg = f"cannot write to {path.parent}: read-only or no permission"
    elif code == errno.ENOENT:
        msg = f"cannot save {path}: the folder {path.parent} does not exist"
    elif code == errno.EISDIR:
        msg = f"cannot save {path}: a folder of that name is in the way"
    elif code == errno.ENAMETOOLONG:
        msg = f"cannot save {path}: the name is too long"
    elif code == errno.EIO:
        msg = f"cannot save {path}: the disk reported an error (was it unplugged?)"
    else:
        msg = f"cannot save {path}: {exc.strerror or exc}"
    return StorageError(msg)


def _replace(src: Path, dst: Path) -> None:
    """``os.replace`` with a bounded retry while Windows reports the file as in use."""
    for delay in (*_RETRY_DELAYS, None):
        try:
            os.replace(src, dst)
            return
        except PermissionError as exc:
            if not _IS_WINDOWS:
                raise
            if delay is None:
                raise StorageError(
                    f"cannot replace {dst}: it is open in another program "
                    "(an editor, Excel or a virus scanner); close it and try again"
                ) from exc
            time.sleep(delay)


def _fsync_dir(folder: Path, path: Path) -> None:
    """Flush ``folder``'s entries to disk (POSIX only; Windows cannot open folders this way)."""
    if _IS_WINDOWS:
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # cannot open the folder for reading: the data itself is already synced
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF):
            raise StorageError(
                f"saved {path}, but the disk reported an error while confirming it "
                f"({exc.strerror or exc}); check the disk and save again"
            ) from exc
    finally:
        os.close(fd)


def _write_temp(folder: Path, name: str, data: bytes, mode: int) -> Path:
    """Create, fill and fsync a new temporary file in ``folder``; return its path."""
    for attempt in range(100):
        tmp = folder / _temp_name(name)
        try:
            fd = os.open(tmp, _OPEN_FLAGS, mode)
            break
        except FileExistsError:  # 64 random bits collided: pick another name
            if attempt == 99:
                raise
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _discard(tmp)
        raise
    try:
        os.close(fd)
    except BaseException:
        _discard(tmp)
        raise
    return tmp


def _discard(tmp: Path) -> None:
    """Remove a temporary file we made, never masking the error being raised."""
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _place_exclusive(tmp: Path, path: Path) -> None:
    """Move ``tmp`` to ``path`` only if ``path`` does not exist, atomically where possible."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except (OSError, NotImplementedError):
        # No hard links here (FAT/exFAT USB sticks, some network shares). Reserve the name with an
        # exclusive create, then replace our own placeholder: still never clobbers anybody else.
        fd = os.open(path, _OPEN_FLAGS, 0o600)
        os.close(fd)
        try:
            _replace(tmp, path)
        except BaseException:
            _discard(path)
            raise
        return
    _discard(tmp)  # a leftover temp is harmless; clean_stale_temps gets it


def atomic_write_bytes(
    path: Path, data: bytes, *, mode: int = 0o644, exclusive: bool = False
) -> None:
    """Write ``data`` to ``path`` so that readers only ever see the old or the new content.

    ``mode`` is a new file's permission (less the umask). With ``exclusive=True`` an existing
    ``path`` is never replaced, even in a race: :class:`TargetExistsError` is raised instead. The
    folder must exist. Any failure raises :class:`StorageError` naming the file, and leaves the
    target unchanged and no temporary file behind.
    """
    path = Path(path)
    folder = path.parent
    tmp: Path | None = None
    try:
        tmp = _write_temp(folder, path.name, bytes(data), mode)
        if exclusive:
            _place_exclusive(tmp, path)
        else:
            _replace(tmp, path)
        tmp = None
    except FileExistsError as exc:
        if isinstance(exc, TargetExistsError):
            raise
        raise TargetExistsError(f"not saving {path}: a file of that name already exists") from exc
    except StorageError:
        raise
    except OSError as exc:
        raise _error(exc, path) from exc
    finally:
        if tmp is not None:
            _discard(tmp)
    _fsync_dir(folder, path)


def atomic_write_text(path: Path, text: str, *, mode: int = 0o644, exclusive: bool = False) -> None:
    """Write ``text`` as UTF-8 via :func:`atomic_write_bytes`; line endings are kept as given."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode, exclusive=exclusive)


def move_file(src: Path, dst: Path) -> None:
    """Atomically move ``src`` to ``dst`` within one disk, replacing ``dst``; sync both folders."""
    src, dst = Path(src), Path(dst)
    try:
        _replace(src, dst)
    except StorageError:
        raise
    except OSError as exc:
        raise _error(exc, dst) from exc
    _fsync_dir(dst.parent, dst)
    if src.parent != dst.parent:
        _fsync_dir(src.parent, dst)


def clean_stale_temps(folder: Path, *, older_than: float = 0) -> list[Path]:
    """Remove temporary files left in ``folder`` by interrupted writes; return those removed.

    Only regular files named exactly as this module names them, last modified at least
    ``older_than`` seconds ago, are touched; one another program holds open is skipped.
    """
    removed: list[Path] = []
    cutoff = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return removed
    except OSError as exc:
        raise _error(exc, Path(folder) / ".tmp") from exc
    for entry in entries:
        if not is_temp_name(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if older_than > 0 and entry.stat(follow_symlinks=False).st_mtime > cutoff:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return sorted(removed)
