"""Autosaved drafts of returns being filled in, kept as several generations per return.

Layout under the drafts root (``paths.drafts_dir()`` unless given)::

    <root>/<plan>/<period slug>/<partner>/draft-20190115T103000.123456Z.toml   (newest last)
    <root>/<plan>/<period slug>/<partner>/kept-20190116T090000.000000Z/...     ("start fresh")

Each save writes a new generation atomically, never overwriting an older one, then keeps the
newest ``keep``. Names are UTC times that never go backwards, even if the clock does. A file
that is empty, holds NUL bytes or is not UTF-8 is damaged: skipped and reported, never fatal.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dapreturn.core import paths, storage
from dapreturn.core.errors import DapreturnError, StorageError

__all__ = ["DraftInfo", "DraftKey", "DraftKeyError", "DraftProblem", "DraftStore"]

_STAMP = "%Y%m%dT%H%M%S.%fZ"
_GEN_RE = re.compile(r"\Adraft-(\d{8}T\d{6}\.\d{6}Z)\.toml\Z")
_KEPT_PREFIX = "kept-"
_SAFE_RE = re.compile(r"\A[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?\Z")
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)]
)
_STALE_TEMP_AGE = 60.0
"""Seconds after which a leftover temp file in a draft folder is certainly not being written."""
_TICK = timedelta(microseconds=1)

_LOCK = threading.RLock()
"""Serialises saves, prunes and set-asides across every store in this process."""


class DraftKeyError(DapreturnError, ValueError):
    """A plan id, partner code or period slug that is not safe to use as a folder name."""


def _check_part(field: str, value: str) -> None:
    if not isinstance(value, str) or ".." in value or not _SAFE_RE.match(value):
        raise DraftKeyError(
            f"draft key: {field} {value!r} is not a safe name (1-100 letters, digits, '.', '_' "
            "or '-', starting and ending with a letter or digit, no '..' or path separators)"
        )


def _to_folder(part: str) -> str:
    """Folder name for a key part: Windows device names (``CON``, ``AUX.x``...) get a ``_``."""
    return f"{part}_" if part.split(".", maxsplit=1)[0].upper() in _RESERVED else part


def _from_folder(name: str) -> str:
    """Inverse of :func:`_to_folder` (valid parts never end in ``_``, so this is unambiguous)."""
    if name.endswith("_") and name[:-1].split(".", maxsplit=1)[0].upper() in _RESERVED:
        return name[:-1]
    return name


@dataclass(frozen=True, slots=True)
class DraftKey:
    """Which return a draft belongs to: plan id, partner code and period slug (``2018-19-Q3``)."""

    plan: str
    partner: str
    period_slug: str

    def __post_init__(self) -> None:
        """Refuse parts that could escape the drafts folder or are not portable folder names."""
        _check_part("plan", self.plan)
        _check_part("partner", self.partner)
        _check_part("period", self.period_slug)


@dataclass(frozen=True, slots=True)
class DraftProblem:
    """A generation that could not be read back, with a one-line reason."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class DraftInfo:
    """One saved generation: where it is, when it was saved (UTC) and its text.

    ``skipped`` lists newer generations that were passed over because they were damaged (only
    filled in by :meth:`DraftStore.latest`).
    """

    path: Path
    saved_at: datetime
    text: str
    skipped: tuple[DraftProblem, ...] = ()


def _stamp(when: datetime) -> str:
    return when.strftime(_STAMP)


def _utc(now: datetime | None) -> datetime:
    """``now`` in UTC (naive values are taken to be UTC already); the current time if ``None``."""
    if now is None:
        return datetime.now(UTC)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, _STAMP).replace(tzinfo=UTC)


def _read(path: Path, saved_at: datetime) -> DraftInfo | DraftProblem | None:
    """Load one generation; ``None`` if it vanished (pruned meanwhile), a problem if damaged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return DraftProblem(path, f"{path}: cannot be read ({exc.strerror or exc})")
    if not data:
        return DraftProblem(path, f"{path}: the file is empty")
    if b"\x00" in data:
        return DraftProblem(path, f"{path}: the file contains NUL bytes (damaged)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return DraftProblem(path, f"{path}: not UTF-8 text at byte {exc.start}")
    return DraftInfo(path, saved_at, text)


class DraftStore:
    """Autosaved draft generations per (plan, partner, period), safe to use from any thread."""

    def __init__(self, root: Path | None = None, *, keep: int = 5) -> None:
        """Use ``root`` (default ``paths.drafts_dir()``; created on first save); keep ``keep``."""
        if keep < 1:
            raise ValueError("keep must be at least 1")
        self.root = Path(root) if root is not None else paths.drafts_dir()
        self.keep = keep
        self._cleaned: set[DraftKey] = set()

    def folder(self, key: DraftKey) -> Path:
        """The folder holding ``key``'s generations (it may not exist yet)."""
        return (
            self.root / _to_folder(key.plan) / _to_folder(key.period_slug) / _to_folder(key.partner)
        )

    def _open(self, key: DraftKey) -> Path:
        """Return the key folder, removing stale temp files the first time it is used."""
        folder = self.folder(key)
        if key in self._cleaned:  # no lock needed to look: keeps readers off a saver's fsync
            return folder
        with _LOCK:
            if key not in self._cleaned:
                storage.clean_stale_temps(folder, older_than=_STALE_TEMP_AGE)
                self._cleaned.add(key)
        return folder

    @staticmethod
    def _series(folder: Path) -> list[tuple[datetime, Path]]:
        """Current generations in ``folder`` (not the kept ones), oldest first."""
        found: list[tuple[datetime, Path]] = []
        try:
            names = os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return found
        except OSError as exc:
            raise DapreturnError(f"{folder}: cannot list drafts ({exc.strerror or exc})") from exc
        for name in names:
            match = _GEN_RE.match(name)
            if match:
                try:
                    found.append((_parse_stamp(match.group(1)), folder / name))
                except ValueError:  # e.g. month 13: not one of ours
                    continue
        found.sort()
        return found

    def save(self, key: DraftKey, text: str, *, now: datetime | None = None) -> DraftInfo:
        """Write ``text`` as a new generation, prune to the newest ``keep``; return it.

        Raises :class:`~dapreturn.core.errors.StorageError` if it could not be written; a failed
        prune is retried at the next save.
        """
        folder = self._open(key)
        with _LOCK:
            paths.ensure_dir(folder)
            series = self._series(folder)
            when = _utc(now)
            if series and when <= series[-1][0]:
                when = series[-1][0] + _TICK
            for attempt in range(1000):
                path = folder / f"draft-{_stamp(when)}.toml"
                try:
                    storage.atomic_write_text(path, text, mode=0o600, exclusive=True)
                    break
                except storage.TargetExistsError:  # another process saved this instant
                    if attempt == 999:
                        raise
                    when += _TICK
            series.append((when, path))
            for _, old in series[: -self.keep]:
                try:
                    old.unlink()
                except FileNotFoundError:
                    continue
                except OSError:  # e.g. open in an editor on Windows: leave it for next time
                    continue
        return DraftInfo(path, when, text)

    def generations(self, key: DraftKey) -> list[DraftInfo]:
        """The readable generations of ``key``'s current series, newest first."""
        return [g for g in self._load(key) if isinstance(g, DraftInfo)]

    def problems(self, key: DraftKey) -> list[DraftProblem]:
        """The damaged generations of ``key``'s current series, newest first."""
        return [g for g in self._load(key) if isinstance(g, DraftProblem)]

    def _load(self, key: DraftKey) -> list[DraftInfo | DraftProblem]:
        loaded: list[DraftInfo | DraftProblem] = []
        for saved_at, path in reversed(self._series(self._open(key))):
            item = _read(path, saved_at)
            if item is not None:
                loaded.append(item)
        return loaded

    def latest(self, key: DraftKey) -> DraftInfo | None:
        """The newest generation that reads back as text (damaged ones skipped), else ``None``."""
        skipped: list[DraftProblem] = []
        for saved_at, path in reversed(self._series(self._open(key))):
            item = _read(path, saved_at)
            if isinstance(item, DraftInfo):
                return DraftInfo(item.path, item.saved_at, item.text, tuple(skipped))
            if item is not None:
                skipped.append(item)
        return None

    def set_aside(self, key: DraftKey, *, now: datetime | None = None) -> Path | None:
        """Start fresh: move the generations into ``kept-<timestamp>/`` (``None``: none moved)."""
        folder = self._open(key)
        with _LOCK:
            series = self._series(folder)
            if not series:
                return None
            when = _utc(now)
            while True:
                kept = folder / f"{_KEPT_PREFIX}{_stamp(when)}"
                try:
                    kept.mkdir(mode=0o700)
                    break
                except FileExistsError:
                    when += _TICK
                except OSError as exc:
                    raise StorageError(f"cannot create {kept}: {exc.strerror or exc}") from exc
            for _, path in series:
                storage.move_file(path, kept / path.name)
        return kept

    def all_drafts(self) -> list[tuple[DraftKey, DraftInfo]]:
        """Every key with a readable current draft and its latest generation, newest first."""
        found: list[tuple[DraftKey, DraftInfo]] = []
        for partner_dir in sorted(self.root.glob("*/*/*")):
            if not partner_dir.is_dir():
                continue
            try:
                key = DraftKey(
                    plan=_from_folder(partner_dir.parent.parent.name),
                    partner=_from_folder(partner_dir.name),
                    period_slug=_from_folder(partner_dir.parent.name),
                )
            except DraftKeyError:
                continue
            if self.folder(key) != partner_dir:
                continue  # not a folder this store would have made (e.g. "kept-..." inside one)
            info = self.latest(key)
            if info is not None:
                found.append((key, info))
        found.sort(key=lambda pair: pair[1].saved_at, reverse=True)
        return found
