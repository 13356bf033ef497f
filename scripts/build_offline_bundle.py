#!/usr/bin/env python3
"""Build ``dist/dapreturn-offline-<version>.zip``: everything needed to install with no network.

The zip holds one folder, ``dapreturn-offline-<version>/``, with:

- ``wheels/``: the dapreturn wheel, a wheel of every dependency for each chosen platform and
  Python version (binary wheels only, never source), and a ``pip`` wheel for Pythons that lack
  ``ensurepip`` (Debian and Ubuntu without ``python3-venv``). The dependencies are exactly the
  versions pinned in ``scripts/requirements.lock`` and are downloaded with ``--require-hashes``
  (refresh the lock with ``python scripts/lock_requirements.py``);
- ``requirements.txt``: every package to install, pinned, with the SHA-256 of each wheel of it
  in the bundle;
- ``install.sh`` (Linux, macOS), ``install.ps1`` and ``install.cmd`` (Windows): make a
  user-level virtual environment and ``pip install --no-index --find-links wheels
  --require-hashes -r requirements.txt``. No admin rights, no network;
- ``manifest.json`` (version, platforms, Pythons, the lock's SHA-256, every package with its
  versions and their wheels, every wheel with its SHA-256; the installers copy it into the
  environment, where ``dapreturn --version --verbose`` reads it) and ``README.txt``.

Building needs a package index (PyPI) for ``pip download``; installing never does. Run::

    python scripts/build_offline_bundle.py [--platforms linux,windows,macos]
                                           [--pythons 3.11,3.12,3.13] [--out dist]

Exit status: 0 built; 1 a step failed (the pip output says why); 3 no package index could be
reached, before or during the build (no zip is written).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project checkout this script belongs to."""

sys.path.insert(0, str(ROOT / "scripts"))
from bundle_lock import (  # noqa: E402  (a module beside this script)
    BOOTSTRAP,
    LOCK_FILE_NAME,
    BuildError,
    Locked,
    _normal,
    _sha256,
    _wheel_name_version,
    check_lock_covers,
    for_target,
    packages,
    read_lock,
    requirements_text,
)

TARGETS: dict[str, list[tuple[str, list[str]]]] = {
    "windows": [("Windows x64", ["win_amd64"])],
    "macos": [
        ("macOS Apple silicon", ["macosx_11_0_arm64"]),
        ("macOS Intel", ["macosx_10_13_x86_64"]),
    ],
    "linux": [("Linux x86_64", ["manylinux2014_x86_64", "manylinux_2_28_x86_64"])],
}
"""Per platform: (name, pip ``--platform`` tags, most compatible first)."""

PYTHONS = ("3.11", "3.12", "3.13")
"""The Python versions bundled by default (dapreturn needs 3.11 or newer)."""

LOCK = ROOT / "scripts" / LOCK_FILE_NAME
"""The pinned, hashed runtime dependencies (``python scripts/lock_requirements.py``)."""

REQUIREMENTS_NAME = "requirements.txt"
"""The bundle's hashed install list, beside the installers."""

EXIT_FAILED = 1
EXIT_NO_INDEX = 3

_PLATFORM_MARKER = re.compile(r";.*\b(sys_platform|platform_system|os_name|platform_machine)\b")
_SCRIPTS = ROOT / "scripts"

INSTALL_CMD = (
    "@echo off\r\n"
    "rem Runs install.ps1 for this session only, whatever the PowerShell script policy says.\r\n"
    'powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" %*\r\n'
)


_NETWORK_FAILURE = re.compile(
    r"NewConnectionError|ConnectTimeout|ReadTimeout|Max retries exceeded|Could not fetch URL"
    r"|Temporary failure in name resolution|Name or service not known|Network is unreachable"
    r"|Connection refused|ProxyError|SSLError",
)
"""pip output that means the network failed, not the build."""


class NetworkError(BuildError):
    """A download failed because the package index could not be reached."""


def _pip(args: Sequence[str], *, what: str) -> None:
    """Run ``python -m pip ...``; raise :class:`BuildError` with pip's last lines on failure."""
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = done.stdout + done.stderr
        tail = "\n".join(output.strip().splitlines()[-15:])
        error = NetworkError if _NETWORK_FAILURE.search(output) else BuildError
        raise error(f"{what} failed (pip exit {done.returncode}):\n{tail}")


def index_reachable(scratch: Path) -> bool:
    """Whether ``pip download`` can fetch a small wheel (i.e. a package index is reachable)."""
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", "download", "--no-deps"]
    cmd += ["--only-binary=:all:", "--dest", str(scratch), "tomli-w"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return done.returncode == 0


def project_version(project: Path) -> str:
    """The ``[project] version`` from ``pyproject.toml``."""
    with open(project / "pyproject.toml", "rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def build_own_wheel(project: Path, wheels: Path) -> Path:
    """Build the dapreturn wheel into ``wheels``; return its path."""
    _pip(
        ["wheel", "--no-deps", "--wheel-dir", str(wheels), str(project)], what="building dapreturn"
    )
    found = sorted(wheels.glob("dapreturn-*.whl"))
    if len(found) != 1:
        raise BuildError(f"expected one dapreturn wheel in {wheels}, found {len(found)}")
    return found[0]


def download_for(pins: Sequence[Locked], wheels: Path, tags: list[str], python: str) -> None:
    """Download the binary wheel of every pin for one platform and Python, hashes checked."""
    abi = "cp" + python.replace(".", "")
    with tempfile.TemporaryDirectory(prefix="dapreturn-lock-") as scratch:
        listing = Path(scratch) / "requirements.txt"
        listing.write_text("".join(f"{p.line(marker=False)}\n" for p in pins), encoding="utf-8")
        args = ["download", "--only-binary=:all:", "--no-deps", "--require-hashes"]
        args += ["--dest", str(wheels), "-r", str(listing)]
        for tag in tags:
            args += ["--platform", tag]
        args += ["--python-version", python, "--implementation", "cp", "--abi", abi]
        _pip(args, what=f"downloading wheels for {tags[0]}, Python {python}")
    have = {_wheel_name_version(w.name) for w in wheels.glob("*.whl")}
    missing = [f"{p.name}=={p.version}" for p in pins if (_normal(p.name), p.version) not in have]
    if missing:
        raise BuildError(f"no wheel for {tags[0]}, Python {python}: {', '.join(missing)}")


def platform_markers(wheels: Path) -> list[str]:
    """Requirements that depend on the platform (pip judges those on the build machine).

    Requirements of optional extras are left out: dapreturn asks for none that has one.
    """
    found = []
    for wheel in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            names = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
            text = archive.read(names[0]).decode("utf-8", "replace") if names else ""
        for line in text.splitlines():
            if (
                line.startswith("Requires-Dist:")
                and _PLATFORM_MARKER.search(line)
                and "extra ==" not in line
            ):
                found.append(f"{wheel.name}: {line.removeprefix('Requires-Dist:').strip()}")
    return found


_LEGACY_MANYLINUX = {"manylinux1": 5, "manylinux2010": 12, "manylinux2014": 17}
_MANYLINUX = re.compile(r"manylinux_2_(\d+)_|(manylinux1|manylinux2010|manylinux2014)_")


def glibc_needed(wheels: Path) -> str | None:
    """The newest glibc any bundled Linux wheel needs (``"2.17"``), or None with no Linux wheels.

    A wheel tagged for several manylinux levels needs only the oldest of them.
    """
    needed = 0
    for wheel in wheels.glob("*.whl"):
        levels = [
            int(m[1]) if m[1] else _LEGACY_MANYLINUX[m[2]] for m in _MANYLINUX.finditer(wheel.name)
        ]
        if levels:
            needed = max(needed, min(levels))
    return f"2.{needed}" if needed else None


def _readme(version: str, platforms: list[str], pythons: list[str]) -> str:
    """The README.txt inside the bundle (plain text, CRLF so Notepad shows it too)."""
    names = ", ".join(name for p in platforms for name, _ in TARGETS[p])
    lines = [
        f"dapreturn {version} - offline installation bundle",
        "",
        "Everything needed to install dapreturn is in this folder. Installing needs no",
        "network and no admin rights. You need Python " + " or ".join(pythons) + ".",
        f"Built for: {names}.",
        "",
        "Windows",
        "  Double-click install.cmd, or in PowerShell:  .\\install.cmd",
        "  It makes %LOCALAPPDATA%\\Programs\\dapreturn\\venv and adds it to your PATH.",
        "  Then open a new terminal and type:  dapreturn",
        "",
        "macOS and Linux",
        "  In a terminal, in this folder:  sh install.sh",
        "  It makes ~/.local/share/dapreturn-venv and links ~/.local/bin/dapreturn.",
        "  Then type:  dapreturn",
        "",
        "Portable use (a USB stick or a shared folder)",
        "  install.cmd -Portable   or   sh install.sh --portable",
        "  The program, your signing key, drafts and settings all stay in this folder",
        "  (dapreturn-data), and returns are written to the returns folder here.",
        "  Start it with dapreturn.cmd (Windows) or ./dapreturn (macOS, Linux).",
        "  Protect your key with a passphrase: anyone with the stick has the key file.",
        "",
        "Screen readers and basic terminals",
        "  dapreturn fill --plain   asks one question at a time, with no screen drawing.",
        "",
        "Options: install.sh --help, or Get-Help .\\install.ps1",
        "manifest.json lists every package with its version and every wheel with its",
        "SHA-256 checksum; after installing, dapreturn --version --verbose prints the same.",
    ]
    return "\r\n".join(lines) + "\r\n"


def _zip(folder: Path, target: Path) -> None:
    """Zip ``folder`` (as the archive's top folder) to ``target``; install.sh is executable."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_dir():
                continue
            name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if path.suffix == ".sh" else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    os.replace(partial, target)


def build(
    out: Path,
    platforms: list[str],
    pythons: list[str],
    *,
    project: Path = ROOT,
    lock: Path = LOCK,
) -> Path:
    """Build the bundle; return the zip's path. Raises :class:`BuildError` on failure."""
    version = project_version(project)
    locked = read_lock(lock)
    with tempfile.TemporaryDirectory(prefix="dapreturn-bundle-") as scratch:
        folder = Path(scratch) / f"dapreturn-offline-{version}"
        wheels = folder / "wheels"
        wheels.mkdir(parents=True)
        own = build_own_wheel(project, wheels)
        check_lock_covers(own, locked)
        tools = [p for p in locked if p.name.lower() in BOOTSTRAP]
        download_for(tools, wheels, TARGETS["linux"][0][1], pythons[0])  # pure-Python pip
        for platform in platforms:
            for name, tags in TARGETS[platform]:
                for python in pythons:
                    print(f"  {name}, Python {python}", flush=True)
                    pins = [p for p in for_target(locked, name, python) if p not in tools]
                    download_for(pins, wheels, tags, python)
        for warning in platform_markers(wheels):
            print(f"warning: platform-dependent requirement (check it): {warning}")
        glibc = glibc_needed(wheels)
        if glibc:
            print(f"  the Linux wheels need glibc {glibc} or newer")
        shutil.copy2(_SCRIPTS / "install.sh", folder / "install.sh")
        shutil.copy2(_SCRIPTS / "install.ps1", folder / "install.ps1")
        (folder / "install.cmd").write_bytes(INSTALL_CMD.encode("ascii"))
        (folder / "README.txt").write_bytes(_readme(version, platforms, pythons).encode())
        held = packages(wheels)
        (folder / REQUIREMENTS_NAME).write_text(
            requirements_text(locked, held), encoding="utf-8", newline="\n"
        )
        manifest = {
            "name": "dapreturn",
            "version": version,
            "pythons": pythons,
            "platforms": {p: [name for name, _ in TARGETS[p]] for p in platforms},
            "linux_glibc": glibc,
            "lock": {"file": f"scripts/{lock.name}", "sha256": _sha256(lock)},
            "packages": held,
            "wheels": {w.name: _sha256(w) for w in sorted(wheels.glob("*.whl"))},
        }
        text = json.dumps(manifest, indent=2) + "\n"
        (folder / "manifest.json").write_text(text, encoding="utf-8", newline="\n")
        target = out / f"dapreturn-offline-{version}.zip"
        _zip(folder, target)
    return target


def _list(text: str, allowed: Sequence[str], what: str) -> list[str]:
    """A comma-separated option value as a list; refuse anything not in ``allowed``."""
    items = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in items if t not in allowed]
    if bad or not items:
        raise argparse.ArgumentTypeError(
            f"{what} must be a comma-separated list of {', '.join(allowed)}"
        )
    return items


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: parse the options, check the index is reachable, build."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--platforms",
        default="linux,windows,macos",
        type=lambda t: _list(t, list(TARGETS), "--platforms"),
        help="comma-separated: linux, windows, macos (default: all three)",
    )
    parser.add_argument(
        "--pythons",
        default=",".join(PYTHONS),
        type=lambda t: _list(t, [f"3.{n}" for n in range(11, 20)], "--pythons"),
        help="comma-separated Python versions (default: 3.11,3.12,3.13)",
    )
    parser.add_argument("--out", type=Path, default=Path("dist"), help="output folder")
    parser.add_argument("--project", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as probe:
        if not index_reachable(Path(probe)):
            print(
                "build_offline_bundle: no package index can be reached (pip download failed); "
                "building the bundle needs one, installing it does not",
                file=sys.stderr,
            )
            return EXIT_NO_INDEX
    print(
        f"Building the offline bundle for {', '.join(args.platforms)}; Python "
        f"{', '.join(args.pythons)}"
    )
    try:
        target = build(args.out, args.platforms, args.pythons, project=args.project)
    except NetworkError as exc:
        print(
            f"build_offline_bundle: the package index could not be reached: {exc}", file=sys.stderr
        )
        return EXIT_NO_INDEX
    except BuildError as exc:
        print(f"build_offline_bundle: {exc}", file=sys.stderr)
        return EXIT_FAILED
    size = target.stat().st_size / 2**20
    print(f"Wrote {target} ({size:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
