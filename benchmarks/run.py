"""Run every dapreturn benchmark and print one table; each figure beside its floor, same run.

Usage (from the repository, in a virtual environment with dapreturn installed)::

    python benchmarks/run.py            # everything (about 5 minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer runs
    python benchmarks/run.py --only load --against /tmp/before/src --runs 9

Benchmarks: ``startup``, ``typing`` (with autosave), ``load`` (cold, 1,000 returns, fresh
process per run), ``memory``, ``report``, ``scan`` (the safeguarding scan on hostile text).
``--against SRC`` also loads with another checkout's ``src`` (e.g. ``git archive main src``),
paired run by run with this one. ``--size`` changes the number of returns (the real scale is
about 1,000: ~40 partners x 4 quarters x 5 years). Synthetic signed collections are generated
once into ``/tmp/dapreturn-bench`` (``DAPRETURN_BENCH_DATA`` moves it); nothing in the
repository or in your own dapreturn folders is touched. The table is Markdown, ready for
``docs/performance.md``; ``--json`` also writes every figure as JSON.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH, Result, dump, load_average, median, percentile, run_child, table

ALL = ("startup", "typing", "load", "memory", "report", "scan")


def typing_results(runs: int) -> list[Result]:
    """Key-to-repaint and autosave blocking, from ``bench_typing.py``: ``runs`` fresh processes.

    Each run types across several autosaves; the p95 of every run is computed, and the report
    gives the median run beside the worst one (the goal holds only if every run meets it).
    """
    got = run_child([str(BENCH / "bench_typing.py"), "--runs", str(runs)], timeout=1200 * runs)
    per_run = got["runs"]
    p95s = [percentile([float(x) * 1e3 for x in r["latencies"]], 95) for r in per_run]
    bare95 = [percentile([float(x) * 1e3 for x in r["bare"]], 95) for r in per_run]
    ours = [float(x) * 1e3 for r in per_run for x in r["latencies"]]
    bare = [float(x) * 1e3 for r in per_run for x in r["bare"]]
    blocks = [float(x) * 1e3 for r in per_run for x in r["fire"] + r["schedule"]]
    floor_worker = min(float(r["worker_floor"]) for r in per_run) * 1e3
    saves = sum(len(r["fire"]) for r in per_run)
    worst = max(p95s)
    return [
        Result("Typing: key to repaint, median", median(ours), "ms", median(bare),
               "bare Textual TextArea, same size", "", None, f"{len(ours)} keys, {runs} runs"),
        Result("Typing: key to repaint, p95, median run (200-action plan)", median(p95s), "ms",
               median(bare95), "bare Textual TextArea, same size", "<= 16 ms",
               median(p95s) <= 16, f"max {max(ours):.1f} ms"),
        Result("Typing: key to repaint, p95, worst run (200-action plan)", worst, "ms",
               max(bare95), "bare Textual TextArea, same size", "<= 16 ms", worst <= 16,
               "p95 per run: " + ", ".join(f"{p:.1f}" for p in p95s)),
        Result("Autosave: longest UI-thread block", max(blocks), "ms", floor_worker,
               "starting a no-op thread worker", "<= 5 ms", max(blocks) <= 5,
               f"{saves} saves of a {per_run[0]['draft_kb']:.0f} kB draft"),
    ]  # fmt: skip


def main() -> int:
    """Parse arguments, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller folders, fewer runs")
    parser.add_argument("--only", default=",".join(ALL), help=f"comma-separated: {','.join(ALL)}")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--size", type=int, default=1_000, help="returns in the folder")
    parser.add_argument("--runs", type=int, help="paired load runs (default 7, quick 3)")
    parser.add_argument("--against", type=Path, metavar="SRC", help="also load with this src")
    args = parser.parse_args()
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(only) - set(ALL)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    quick = args.quick
    repeat = 2 if quick else 3
    runs = args.runs or (3 if quick else 7)
    size = args.size

    import bench_load

    started = time.perf_counter()
    load_before = load_average()
    results: list[Result] = []
    for name in only:
        print(f"… {name}", file=sys.stderr, flush=True)
        if name == "startup":
            import bench_startup

            results += bench_startup.startup(bench_startup.MIN_RUNS)
        elif name == "typing":
            results += typing_results(repeat + 2)
        elif name == "load":
            results += bench_load.loading(size, runs, args.against)
        elif name == "memory":
            results += bench_load.memory(size)
        elif name == "report":
            import bench_report

            results += bench_report.report(size, repeat)
        elif name == "scan":
            import bench_scan

            results += bench_scan.hostile(repeat)
    print(table(results))
    print(
        f"\n{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}; load average "
        f"{load_before} before, {load_average()} after; {time.perf_counter() - started:.0f} s."
    )
    if args.json:
        dump(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
