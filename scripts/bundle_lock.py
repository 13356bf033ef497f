"""The offline bundle's lock: reading ``scripts/requirements.lock`` and choosing per target.

Used by ``build_offline_bundle.py`` (kept apart so that script stays about building): the pins
of the lock with their markers and hashes, which pins hold for one target (judged for that
target, not for the machine building the bundle), the packages a folder of wheels holds, and
the bundle's hashed install list.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOCK_FILE_NAME = "requirements.lock"
"""The lock's file name, in ``scripts/`` (``python scripts/lock_requirements.py``)."""

MARKER_ENV: dict[str, dict[str, str]] = {
    "Windows x64": {
        "sys_platform": "win32",
        "platform_system": "Windows",
        "os_name": "nt",
        "platform_machine": "AMD64",
    },
    "macOS Apple silicon": {
        "sys_platform": "darwin",
        "platform_system": "Darwin",
        "os_name": "posix",
        "platform_machine": "arm64",
    },
    "macOS Intel": {
        "sys_platform": "darwin",
        "platform_system": "Darwin",
        "os_name": "posix",
        "platform_machine": "x86_64",
    },
    "Linux x86_64": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
    },
}
"""Per target: the environment markers of a CPython there (``pip download`` would judge the
lock's markers on the build machine instead)."""

BOOTSTRAP = frozenset({"pip"})
"""Locked packages the bundle carries but does not install as dependencies."""


class BuildError(Exception):
    """A build step failed; the message says which and why."""


@dataclass(frozen=True)
class Locked:
    """One pinned package of the lock: name, version, marker (or ``""``) and its hashes."""

    name: str
    version: str
    marker: str
    hashes: tuple[str, ...]

    def line(self, hashes: Sequence[str] | None = None, *, marker: bool = True) -> str:
        """The requirement line: ``name==version ; marker --hash=sha256:...`` (given hashes).

        ``marker=False`` leaves the marker out, for a pin already chosen for its target (pip
        would judge it on the building machine, and silently skip it).
        """
        suffix = f" ; {self.marker}" if self.marker and marker else ""
        chosen = self.hashes if hashes is None else hashes
        return f"{self.name}=={self.version}{suffix} " + " ".join(f"--hash={h}" for h in chosen)


_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)\s*(?:;\s*(.*?))?\s*$")


def read_lock(path: Path) -> list[Locked]:
    """Every pin of a hashed lock file (``uv pip compile --generate-hashes`` output).

    Raises :class:`BuildError` naming the line for a requirement that is not pinned with
    ``==`` or has no hash.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BuildError(f"{path}: cannot read the lock file: {exc.strerror or exc}") from None
    entries: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):  # comments, and uv's "# via" notes
            continue
        if not current:
            start = number
        current.append(line.removesuffix("\\").strip())
        if not line.endswith("\\"):
            entries.append((start, " ".join(current)))
            current = []
    found = []
    for number, entry in entries:
        words = entry.split(" --hash=")
        match = _PIN.match(words[0])
        if match is None or len(words) < 2:
            raise BuildError(f"{path}:{number}: not a pinned requirement with hashes: {entry[:80]}")
        hashes = tuple(w.strip() for w in words[1:])
        found.append(Locked(match[1], match[2], match[3] or "", hashes))
    return found


def _marker_class() -> Any:
    """``packaging.markers.Marker`` (pip's own copy when ``packaging`` is not installed)."""
    try:
        from packaging.markers import Marker
    except ImportError:
        from pip._vendor.packaging.markers import Marker
    return Marker


def for_target(locked: Sequence[Locked], target: str, python: str) -> list[Locked]:
    """The pins whose marker holds for CPython ``python`` on ``target`` (a ``TARGETS`` name)."""
    env = {
        **MARKER_ENV[target],
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": f"{python}.0",
    }
    marker = _marker_class()
    return [p for p in locked if not p.marker or marker(p.marker).evaluate(env)]


def _normal(name: str) -> str:
    """A project name as indexes compare them (``Typing_Extensions`` -> ``typing-extensions``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _wheel_name_version(wheel: str) -> tuple[str, str]:
    """(normalised project name, version) from a wheel file name."""
    name, version = wheel.split("-")[:2]
    return _normal(name), version


def packages(wheels: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Normalised name -> version -> ``{wheel file: sha256}`` for the wheels in a folder.

    A package has two versions where the lock pins one for some targets only (a marker).
    """
    found: dict[str, dict[str, dict[str, str]]] = {}
    for wheel in sorted(wheels.glob("*.whl")):
        name, version = _wheel_name_version(wheel.name)
        found.setdefault(name, {}).setdefault(version, {})[wheel.name] = _sha256(wheel)
    return found


def requirements_text(locked: Sequence[Locked], held: dict[str, dict[str, dict[str, str]]]) -> str:
    """The bundle's install list: dapreturn and every locked dependency (not the bootstrap
    tools), each pinned, with its marker, and the SHA-256 of each of its wheels in the bundle."""
    lines = [
        "# Installed by install.sh / install.ps1 with pip --require-hashes: every package,",
        "# pinned, with the SHA-256 of each of its wheels in this bundle (wheels/).",
    ]
    ((own_version, own_wheels),) = held["dapreturn"].items()
    own_hashes = " ".join(f"--hash=sha256:{h}" for h in own_wheels.values())
    lines.append(f"dapreturn=={own_version} {own_hashes}")
    for pin in locked:
        key = re.sub(r"[-_.]+", "-", pin.name).lower()
        wheels = held.get(key, {}).get(pin.version)
        if key in BOOTSTRAP or not wheels:
            continue
        lines.append(pin.line([f"sha256:{h}" for h in wheels.values()]))
    return "\n".join(lines) + "\n"


def check_lock_covers(own: Path, locked: Sequence[Locked]) -> None:
    """Refuse to build when dapreturn needs a package the lock does not pin (a new dependency
    added to pyproject.toml without ``python scripts/lock_requirements.py``)."""
    with zipfile.ZipFile(own) as archive:
        (meta,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(meta).decode("utf-8")
    pinned = {re.sub(r"[-_.]+", "-", p.name).lower() for p in locked}
    missing = []
    for line in text.splitlines():
        if line.startswith("Requires-Dist:") and "extra ==" not in line:
            name = re.split(r"[\s\[(<>=!~;]", line.removeprefix("Requires-Dist:").strip())[0]
            if re.sub(r"[-_.]+", "-", name).lower() not in pinned:
                missing.append(name)
    if missing:
        raise BuildError(
            f"{LOCK_FILE_NAME} does not pin {', '.join(missing)}: "
            "run python scripts/lock_requirements.py"
        )


def _sha256(path: Path) -> str:
    """The file's SHA-256 in hex (as ``sha256sum`` and ``Get-FileHash`` show it)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
