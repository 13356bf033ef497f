"""Loading a collection cold, as an officer opening a folder for the first time does.

Each run is a fresh process (:mod:`_load_child`) that first times the floor, ``tomllib.loads``
of the same bytes already in memory, then ``load_collection`` on the folder: the ratio says
what verifying the signature, validating the return, scanning its narratives for personal data,
checking it against its plan and resolving revisions add on top of merely parsing every byte.
Runs are paired: with ``against`` (another checkout's ``src``), the two alternate run by run,
so both see the same machine. The median is the figure; the worst run stands beside it.
"""

from __future__ import annotations

from pathlib import Path

import dataset
from common import BENCH, Result, median, run_child

CHILD = str(BENCH / "_load_child.py")


def loading(n: int, runs: int, against: Path | None = None) -> list[Result]:
    """Cold loads of ``n`` returns (this checkout, and ``against`` if given), paired runs."""
    folder = dataset.collection(n)
    subjects: list[tuple[str, Path | None]] = [("this checkout", None)]
    if against is not None:
        subjects.append((f"src at {against}", against))
    got: dict[str, list[dict[str, float]]] = {label: [] for label, _ in subjects}
    for _ in range(runs):
        for label, src in subjects:
            got[label].append(run_child([CHILD, "load", str(folder)], src=src))
    results = []
    for label, _ in subjects:
        loads = [r["load"] for r in got[label]]
        floors = [r["floor"] for r in got[label]]
        seconds = median(loads)
        results.append(
            Result(
                f"Cold load of {n:,} returns ({label})",
                seconds,
                "s",
                median(floors),
                "tomllib.loads of the same bytes",
                "<= 2 s",
                max(loads) <= 2,
                f"worst {max(loads):.2f} s of {runs} runs (floor worst {max(floors):.2f} s); "
                f"{n / seconds:,.0f} files/s",
            )
        )
    return results


def memory(n: int) -> list[Result]:
    """Peak resident memory of a process holding ``n`` loaded returns."""
    folder = dataset.collection(n)
    floor = float(run_child([CHILD, "none", str(folder)])["maxrss_mb"])
    got = run_child([CHILD, "load", str(folder)])
    mb = float(got["maxrss_mb"])
    return [
        Result(
            f"Peak RSS with {n:,} returns loaded",
            mb,
            "MB",
            floor,
            "same process, nothing loaded",
            "<= 250 MB",
            mb <= 250,
            f"{got['verified']:.0f} verified",
        )
    ]
