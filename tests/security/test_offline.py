"""Offline guarantee: every flow works in a process that cannot reach the network.

``offline_driver.py`` cuts the network before dapreturn is imported (patched ``socket`` plus an
audit hook that refuses internet sockets, connects and name look-ups, and counts attempts),
proves the cut works (``urllib`` cannot fetch a page), then runs: fill (core), ``keys new``,
``sign``, ``verify``, review (``load_collection``), ``report`` and the officer side of the cycle
(``call``, ``decide``, ``feedback``, ``show``) when the commands exist, and
Pilot runs of the partner and officer apps (when they exist). Every flow present must succeed
without a single network attempt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from secsupport import HERE

REQUIRED = [
    "guard bites",
    "fill (core: blank_return, DraftStore, submit_return)",
    "keys new, sign, verify (cli)",
    "review (core: load_collection)",
]
OPTIONAL = [
    "report (cli)",
    "call, decide, feedback, show (cli)",
    "partner app (Pilot)",
    "officer app (Pilot)",
]


def test_every_flow_runs_with_the_network_blocked(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP", "http", "NO_PROXY"))}
    env["DAPRETURN_HOME"] = str(tmp_path / "home")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    proc = subprocess.run(
        [sys.executable, str(HERE / "offline_driver.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    assert proc.returncode == 0 and lines, proc.stderr[-3000:]
    report = json.loads(lines[-1])
    results: dict[str, str] = report["results"]
    print("\noffline flows:")
    for name, outcome in results.items():
        print(f"  {name:<55} {outcome.splitlines()[0] if outcome else outcome}")
    for name in REQUIRED:
        assert results.get(name) == "ok", f"{name}: {results.get(name)}"
    for name in OPTIONAL:
        assert results.get(name) in ("ok", "absent"), f"{name}: {results.get(name)}"
    assert report["attempts"] == [], report["attempts"]
