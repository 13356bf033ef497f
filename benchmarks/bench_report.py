"""``dapreturn report`` over a folder, every format, as the officer runs it.

End to end: a fresh ``python -m dapreturn report`` process per run (start-up, trust list,
loading, building, rendering, writing). The floor is a process that loads the same folder and
does nothing else, so the ratio is what building and rendering the report add.
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

from dapreturn.core.report import FORMATS

PERIOD = "2020/21 Q2"
"""The period reported on (every partner has returns for it)."""

_LOAD_ONLY = (
    "import sys; from pathlib import Path;"
    "from dapreturn.core.collection.load import load_collection;"
    "from dapreturn.core.signing.trust import load_trust;"
    "f = Path(sys.argv[1]); load_collection(f, load_trust(f / 'allowed_signers'))"
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
    """End-to-end report runs per format against a process that only loads."""
    folder = dataset.collection(n)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        home, out = Path(tmp) / "home", Path(tmp) / "out"
        out.mkdir()
        floor = best_of(
            lambda: subprocess.run(
                [sys.executable, "-c", _LOAD_ONLY, str(folder)], env=python_env(home), check=True
            ),
            repeat,
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
                    "process that only loads the folder",
                    "",
                    None,
                    f"{size:,.0f} kB written",
                )
            )
    return results
