"""``dapreturn --version --verbose``: what is installed, checked against the offline bundle.

For dapreturn and every package it needs (its ``Requires-Dist``, with extras, as installed),
this prints the name, the version ``importlib.metadata`` reports, and the SHA-256 of the wheel
it came from. The wheel is found in the bundle's manifest, which the installers copy into the
environment as ``dapreturn-bundle.json``: by name, version and the wheel tags the installed
``.dist-info/WHEEL`` records, so the line is the manifest's own line for that wheel. Every
installed file is also checked against its package's ``RECORD`` hashes (what pip wrote as it
installed), so a file changed since is reported. The exit status is 0 only when everything
matches (or, without a bundle manifest, when every file is intact).
"""

from __future__ import annotations

import base64
import hashlib
import json
import platform
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from dapreturn.core.errors import StorageError

BUNDLE_MANIFEST_NAME = "dapreturn-bundle.json"
"""The bundle's ``manifest.json`` as the installers copy it into the environment."""

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?[^;]*(?:;(.*))?$")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def normalise(name: str) -> str:
    """A project name as indexes compare them (``Typing_Extensions`` -> ``typing-extensions``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Package:
    """One installed distribution and what the bundle manifest says of it."""

    name: str
    """Normalised project name."""
    version: str
    """The installed version (``importlib.metadata``)."""
    wheel: str | None
    """File name of the bundle's wheel it was installed from, if one matches."""
    sha256: str | None
    """That wheel's SHA-256 as the bundle manifest records it."""
    problem: str
    """Why it does not match the bundle (empty when it does, or when there is no bundle)."""
    files_checked: int
    """Installed files whose hash was compared with the package's ``RECORD``."""
    files_changed: tuple[str, ...]
    """Installed files missing or not matching ``RECORD``."""


def requirements_closure(root: str = "dapreturn") -> list[metadata.Distribution]:
    """``root`` and every installed distribution it needs, following extras, in name order.

    Requirements only for extras nobody asked for are left out; others are followed when the
    package is installed (one whose marker is false for this Python is simply not there).
    """
    found: dict[str, metadata.Distribution] = {}
    wanted: dict[str, set[str]] = {}
    queue: list[tuple[str, set[str]]] = [(root, set())]
    while queue:
        name, extras = queue.pop()
        key = normalise(name)
        if key in found and extras <= wanted[key]:
            continue
        try:
            dist = found.get(key) or metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[key] = dist
        wanted[key] = wanted.get(key, set()) | extras
        for line in dist.requires or []:
            match = _REQUIREMENT.match(line)
            if match is None:
                continue
            marker = match[3] or ""
            needed = _EXTRA.findall(marker)
            if needed and not set(needed) & wanted[key]:
                continue
            more = {e.strip() for e in (match[2] or "").split(",") if e.strip()}
            queue.append((match[1], more))
    return [found[k] for k in sorted(found)]


def _installed_tags(dist: metadata.Distribution) -> set[str]:
    """The wheel tags recorded in the installed ``.dist-info/WHEEL`` (``cp311-cp311-...``)."""
    text = dist.read_text("WHEEL") or ""
    return {line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Tag:")}


def wheel_tags(filename: str) -> set[str]:
    """Every tag a wheel file name stands for (``py2.py3-none-any`` -> two tags)."""
    parts = filename.removesuffix(".whl").split("-")
    pythons, abis, platforms = (p.split(".") for p in parts[-3:])
    return {f"{p}-{a}-{o}" for p in pythons for a in abis for o in platforms}


def _file_hash(path: Path) -> str:
    """A file's SHA-256 as ``RECORD`` writes it: urlsafe base64 without padding."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")


def check_record(dist: metadata.Distribution) -> tuple[int, tuple[str, ...]]:
    """(files checked, files missing or changed) against the distribution's ``RECORD``."""
    checked, changed = 0, []
    for file in dist.files or []:
        if file.hash is None or file.hash.mode != "sha256":
            continue
        checked += 1
        path = Path(str(file.locate()))
        try:
            same = _file_hash(path) == file.hash.value
        except OSError:
            same = False
        if not same:
            changed.append(str(file))
    return checked, tuple(changed)


def _match(
    dist: metadata.Distribution, manifest: dict[str, Any] | None
) -> tuple[str | None, str | None, str]:
    """(wheel file, its SHA-256, problem) for an installed distribution in the manifest."""
    if manifest is None:
        return None, None, ""
    name, version = normalise(dist.metadata["Name"]), dist.version
    versions = manifest.get("packages", {}).get(name)
    if not versions:
        return None, None, "not in the bundle"
    if version not in versions:
        return None, None, f"the bundle has version {', '.join(sorted(versions))}"
    tags = _installed_tags(dist)
    for wheel, sha in versions[version].items():
        if wheel_tags(wheel) == tags:
            return wheel, sha, ""
    return None, None, "no wheel in the bundle has the installed tags"


def load_manifest(prefix: Path | None = None) -> tuple[Path, dict[str, Any] | None]:
    """The environment's copy of the bundle manifest (``None`` when it has none)."""
    path = (prefix or Path(sys.prefix)) / BUNDLE_MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return path, None
    except (OSError, ValueError) as exc:
        raise StorageError(f"{path}: cannot read the bundle manifest: {exc}") from None
    return path, data if isinstance(data, dict) else None


def installed(manifest: dict[str, Any] | None) -> list[Package]:
    """Every package of the installation, matched against ``manifest``, files checked."""
    out = []
    for dist in requirements_closure():
        wheel, sha, problem = _match(dist, manifest)
        checked, changed = check_record(dist)
        name = normalise(dist.metadata["Name"])
        out.append(Package(name, dist.version, wheel, sha, problem, checked, changed))
    return out


def report(prefix: Path | None = None) -> tuple[str, int]:
    """The ``--version --verbose`` text and the exit status (0: everything matches)."""
    from dapreturn import __version__

    path, manifest = load_manifest(prefix)
    lines = [
        f"dapreturn {__version__}",
        f"Python {platform.python_version()} ({platform.python_implementation()}) on "
        f"{sys.platform} {platform.machine()}, in {sys.prefix}",
    ]
    if manifest is None:
        lines.append(f"Not installed from an offline bundle (no {path}): wheel hashes unknown.")
    else:
        lock = manifest.get("lock", {}).get("sha256", "unknown")
        lines.append(
            f"Installed from the offline bundle dapreturn-offline-{manifest.get('version')} "
            f"(manifest {path}; lock sha256:{lock})."
        )
    lines.append("Packages (name==version, SHA-256 of the wheel installed, wheel file):")
    packages = installed(manifest)
    for p in packages:
        digest = f"sha256:{p.sha256}" if p.sha256 else "sha256:unknown"
        tail = f"  NOT FROM THE BUNDLE: {p.problem}" if p.problem else ""
        lines.append(f"  {p.name}=={p.version}  {digest}  {p.wheel or '-'}{tail}")
    checked = sum(p.files_checked for p in packages)
    changed = [f"{p.name}: {f}" for p in packages for f in p.files_changed]
    if changed:
        lines.append(f"Installed files: {len(changed)} of {checked:,} missing or changed:")
        lines += [f"  {c}" for c in changed[:20]]
    else:
        lines.append(f"Installed files: all {checked:,} match their package's RECORD.")
    bad = bool(changed) or any(p.problem for p in packages)
    return "\n".join(lines), 1 if bad else 0
