#!/usr/bin/env python3
"""Refresh ``scripts/requirements.lock``: every runtime dependency pinned, with its hashes.

The lock is what ``scripts/build_offline_bundle.py`` downloads (``pip download
--require-hashes``) for every bundle target, and what the bundle's installers then install with
``pip install --require-hashes``, so two builds of one version hold the same wheels, and a
bundle can be checked against the lock it was built from (its manifest records the lock's
SHA-256). It is one universal resolution (``uv pip compile --universal``) of the
``[project] dependencies`` in ``pyproject.toml`` plus ``scripts/bundle-tools.in`` (the pip wheel
the bundle carries), capped by ``scripts/lock-constraints.txt`` (so that each pinned version has
a wheel for every bundle target), for CPython 3.11 and newer on every platform, with the hash of
every file of every pinned version.

Run it after changing the dependencies in ``pyproject.toml`` (``tests/packaging`` fails until
you do)::

    pip install uv                           # once; uv is on PyPI
    python scripts/lock_requirements.py      # keep current pins where they still fit
    python scripts/lock_requirements.py --upgrade   # move every pin to the newest that fits

It needs a package index; nothing else in the project does. Exit status: 0 written, 1 the
resolution failed (uv says why), 2 uv is not installed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project checkout this script belongs to."""
LOCK = ROOT / "scripts" / "requirements.lock"
"""The lock file written."""
TOOLS = ROOT / "scripts" / "bundle-tools.in"
"""Extra packages the bundle carries but does not install as dependencies (pip)."""
CONSTRAINTS = ROOT / "scripts" / "lock-constraints.txt"
"""Caps that keep one version per package usable on every bundle target (see the file)."""
OLDEST_PYTHON = "3.11"
"""The oldest Python the lock resolves for (``requires-python`` in pyproject.toml)."""
COMMAND = "python scripts/lock_requirements.py"
"""The command named in the lock's header."""


def find_uv() -> str | None:
    """The ``uv`` program: the one the ``uv`` package installed, else one on the PATH."""
    try:
        import uv  # type: ignore[import-not-found]
    except ImportError:
        return shutil.which("uv")
    found: str = uv.find_uv_bin()
    return found


def compile_command(uv: str, *, upgrade: bool) -> list[str]:
    """The ``uv pip compile`` command line that writes the lock."""
    cmd = [uv, "pip", "compile", "pyproject.toml", str(TOOLS.relative_to(ROOT))]
    cmd += ["--constraint", str(CONSTRAINTS.relative_to(ROOT))]
    cmd += ["--universal", "--python-version", OLDEST_PYTHON, "--generate-hashes"]
    cmd += ["--custom-compile-command", COMMAND, "--quiet"]
    cmd += ["--output-file", str(LOCK.relative_to(ROOT))]
    if upgrade:
        cmd.append("--upgrade")
    return cmd


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: find uv, run the resolution, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--upgrade", action="store_true", help="move every pin to the newest version that fits"
    )
    args = parser.parse_args(argv)
    uv = find_uv()
    if uv is None:
        print("lock_requirements: uv is not installed (pip install uv)", file=sys.stderr)
        return 2
    done = subprocess.run(compile_command(uv, upgrade=args.upgrade), cwd=ROOT, check=False)
    if done.returncode != 0:
        print(f"lock_requirements: uv pip compile failed (exit {done.returncode})", file=sys.stderr)
        return 1
    pins = [line for line in LOCK.read_text(encoding="utf-8").splitlines() if "==" in line]
    print(f"Wrote {LOCK.relative_to(ROOT)}: {len(pins)} packages, each with its hashes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
