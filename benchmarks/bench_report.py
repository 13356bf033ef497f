"""``dapreturn report`` over a large folder, every format, as the officer runs it.

End to end: a fresh ``python -m dapreturn report`` process per run (start-up, trust list,
loading, building, rendering, writing). The first run finds an empty verification cache (a
first report on a new folder); the others find it filled (every later report). The floor is the
same process loading the folder from the cache and doing nothing else, so the ratio is what
building and rendering the report add. An in-process split (load / build / render) is shown too.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import dataset
from common import Result, best_of, python_env

from dapreturn.core.collection import load_collection
from dapreturn.core.periods import Period
from dapreturn.core.plan import bundled_plan
from dapreturn.core.report import FORMATS, build_report, render
from dapreturn.core.trust import load_trust
from dapreturn.core.vcache import VerificationCache

PERIOD = "2020/21 Q2"
"""The period reported on (every partner has returns for it, many revisions each)."""

_LOAD_ONLY = (
    "import sys; from pathlib import Path;"
    "from dapreturn.core.collection import load_collection;"
    "from dapreturn.core.trust import load_trust;"
    "from dapreturn.core.vcache import VerificationCache;"
    "f = Path(sys.argv[1]);"
    "c = VerificationCache(); load_collection(f, load_trust(f / 'allowed_signers'), cache=c)"
)


def _cli(home: Path, folder: Path, fmt: str, out: Path) -> float:
    """Seconds for one ``dapreturn report`` process."""
    args = [sys.executable, "-m", "dapreturn", "report", str(folder), "--period", PERIOD]
    args += ["--format", fmt, "-o", str(out), "--trust", str(dataset.trust_file(folder))]
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=python_env(home), check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"dapreturn report failed: {proc.stderr[-2000:]}")
    return elapsed


def report(n: int, repeat: int) -> list[Result]:
    """End-to-end report runs (cold cache, then warm per format) and the in-process split."""
    folder = dataset.collection(n)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        home, out = Path(tmp) / "home", Path(tmp) / "out"
        out.mkdir()
        first = _cli(home, folder, "md", out / "first.md")
        floor = best_of(
            lambda: subprocess.run(
                [sys.executable, "-c", _LOAD_ONLY, str(folder)],
                env=python_env(home),
                check=True,
            ),
            repeat,
        )
        results.append(
            Result(
                f"dapreturn report, {n:,} returns, md, first run (empty cache)",
                first,
                "s",
                floor,
                "process that only loads from the cache",
                "",
                None,
            )
        )
        for fmt in FORMATS:
            seconds = best_of(partial(_cli, home, folder, fmt, out / f"r.{fmt}"), repeat)
            size = (out / f"r.{fmt}").stat().st_size / 1e3
            results.append(
                Result(
                    f"dapreturn report, {n:,} returns, {fmt}",
                    seconds,
                    "s",
                    floor,
                    "process that only loads from the cache",
                    "",
                    None,
                    f"{size:,.0f} kB written",
                )
            )
        results.extend(_split(folder, home, repeat))
    return results


def _split(folder: Path, home: Path, repeat: int) -> list[Result]:
    """In-process: load from the cache, build the report model, render each format."""
    import os

    os.environ["DAPRETURN_HOME"] = str(home)
    trust = load_trust(dataset.trust_file(folder))
    with VerificationCache() as cache:
        collection = load_collection(folder, trust, cache=cache)
    plan = bundled_plan(dataset.PLAN_ID)
    period = Period.parse(PERIOD)
    model = build_report(collection, plan, period)
    out = [
        Result(
            "  of which: build the report model",
            best_of(lambda: build_report(collection, plan, period), repeat),
            "s",
        )
    ]
    for fmt in FORMATS:
        out.append(
            Result(f"  of which: render {fmt}", best_of(partial(render, model, fmt), repeat), "s")
        )
    return out
