"""Shared pieces of the benchmarks: results, timing, subprocess helpers, the table.

Every figure is a :class:`Result`: the value measured, the *floor* (a baseline this stack cannot
beat, measured in the same run) and the target. Loading is the **median** of several paired runs
with the worst beside it; start-up and report runs are the minimum of several (noise only ever
adds time); key latency is the median and the 95th percentile.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
"""The repository."""
BENCH = Path(__file__).resolve().parent
"""This folder."""


@dataclass
class Result:
    """One line of the table."""

    name: str
    """What was measured."""
    value: float
    """The figure (unit in :attr:`unit`)."""
    unit: str
    """``s``, ``ms``, ``MB``, ``files/s`` ..."""
    floor: float | None = None
    """The baseline measured in the same run (same unit), if there is one."""
    floor_name: str = ""
    """What the baseline is."""
    target: str = ""
    """The target, in words (``<= 1.2x``, ``<= 16 ms``)."""
    met: bool | None = None
    """Whether the target is met (``None``: no target)."""
    note: str = ""
    """Anything needed to read the figure."""

    @property
    def ratio(self) -> float | None:
        """``value / floor`` when there is a floor."""
        return self.value / self.floor if self.floor else None


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The shortest of ``repeat`` timings of ``fn()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def paired(
    subject: Callable[[], object], floor: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Best-of timings of ``subject`` and ``floor``, interleaved so both see the same machine."""
    s_times, f_times = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        floor()
        f_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subject()
        s_times.append(time.perf_counter() - start)
    return min(s_times), min(f_times)


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)


PYCACHE = Path(tempfile.gettempdir()) / "dapreturn-bench" / "pycache"
"""Compiled bytecode of the children, kept outside the repository."""


def python_env(home: Path | None = None, src: Path | None = None) -> dict[str, str]:
    """The environment for a child Python: this checkout importable, an optional home.

    Bytecode is cached (in :data:`PYCACHE`), as it is for an installed program, even where
    ``PYTHONDONTWRITEBYTECODE`` is set: otherwise every start would compile dapreturn afresh
    while Textual (installed, compiled) would not, which is not what a user's laptop does.
    ``src`` puts another checkout's ``src`` first (to measure it beside this one).
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["PYTHONPATH"] = os.pathsep.join([str(src or ROOT / "src"), str(BENCH)])
    if home is not None:
        env["DAPRETURN_HOME"] = str(home)
    return env


def run_child(
    args: list[str], *, home: Path | None = None, src: Path | None = None, timeout: float = 600
) -> dict[str, Any]:
    """Run ``python args...`` and return the JSON object on its last line of output."""
    proc = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=python_env(home, src),
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def load_average() -> str:
    """The 1-minute load average (how busy the machine was), or ``?``."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit in ("files/s",):
        return f"{value:,.0f} {unit}"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:.3g} {unit}"


def table(results: list[Result]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| Measure | Value | Floor (same run) | Ratio | Target | Met |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        floor = f"{_fmt(r.floor, r.unit)} ({r.floor_name})" if r.floor is not None else ""
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[r.met]
        name = f"{r.name} — {r.note}" if r.note else r.name
        lines.append(
            f"| {name} | {_fmt(r.value, r.unit)} | {floor} | {ratio} | {r.target} | {met} |"
        )
    return "\n".join(lines)


def dump(results: list[Result], path: Path) -> None:
    """Write the results as JSON."""
    path.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n", encoding="utf-8")
