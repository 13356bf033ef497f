"""Start-up: process start to the first frame a person can type into, in a real terminal.

Each run starts a fresh Python process on a pseudo-terminal (120x40, ``xterm-256color``), so
Textual uses its real driver and draws real escape sequences, which are read and thrown away.
The clock runs from just before the process is started until the child signals its first
frame on a pipe (see ``_startup_child.py``). The floor is a bare Textual app composing the same
widget types, measured alternately with ``dapreturn fill`` so both see the same machine.

Every figure is the median of at least 15 paired runs, with the median of the per-pair ratios
and the worst pair beside it. Also here: ``dapreturn --version`` against ``python -c pass``
(the command layer's own cost). Run alone with ``python benchmarks/bench_startup.py [RUNS]``.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from common import BENCH, Result, best_of, median, python_env, table

from dapreturn.core.config import UserConfig, save_config

CHILD = BENCH / "_startup_child.py"


def _first_frame(mode: str, tree: Path, home: Path, cwd: Path) -> tuple[float, float]:
    """Seconds from starting ``_startup_child.py mode`` on a terminal to its first frame.

    Returns (wall-clock seconds, CPU seconds the child had used by then); the second is much
    less disturbed by other work on the machine.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    read_end, write_end = os.pipe()
    env = python_env(home) | {
        "BENCH_SIGNAL_FD": str(write_end),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), mode, str(tree)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=env,
        pass_fds=(write_end,),
        start_new_session=True,
    )
    os.close(slave)
    os.close(write_end)
    elapsed: float | None = None
    message = b""
    deadline = start + 60
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master, read_end], [], [], 0.5)
            if read_end in ready and not message.endswith(b"\n"):
                chunk = os.read(read_end, 64)
                if chunk and elapsed is None:
                    elapsed = time.perf_counter() - start
                message += chunk
            if master in ready:
                try:
                    os.read(master, 65536)  # the terminal's output, drawn nowhere
                except OSError:
                    break  # the child closed the terminal
            if message.endswith(b"\n") and proc.poll() is not None:
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        os.close(master)
        os.close(read_end)
    if elapsed is None or not message.endswith(b"\n"):
        raise RuntimeError(f"{mode}: no first frame (exit status {proc.returncode})")
    return elapsed, float(message)


MIN_RUNS = 15
"""Paired runs at the least, whatever the caller asks for: start-up varies from run to run."""


def _pairs(repeat: int, tree: Path, home: Path, cwd: Path) -> dict[str, list[tuple[float, float]]]:
    """``repeat`` rounds of (dapreturn, bare, bare-deps), each round run back to back."""
    runs: dict[str, list[tuple[float, float]]] = {"dapreturn": [], "bare": [], "bare-deps": []}
    for _ in range(repeat):
        for mode, times in runs.items():
            times.append(_first_frame(mode, tree, home, cwd))
    return runs


def _compare(
    subject: list[float], floor: list[float], what: str, floor_name: str, widgets_note: str
) -> Result:
    """One line: medians, the median of the paired ratios, and the worst pair beside it."""
    ratios = [s / f for s, f in zip(subject, floor, strict=True)]
    worst = max(range(len(ratios)), key=ratios.__getitem__)
    middle = median(ratios)
    return Result(
        f"Start-up: `dapreturn fill` to first interactive frame, {what}, median",
        median(subject) * 1e3,
        "ms",
        median(floor) * 1e3,
        floor_name,
        "<= 1.2x",
        middle <= 1.2,
        f"{widgets_note}; {len(ratios)} paired runs: ratio median {middle:.2f}x, worst "
        f"{ratios[worst]:.2f}x ({subject[worst] * 1e3:.0f} vs {floor[worst] * 1e3:.0f} ms), "
        f"slowest run {max(subject) * 1e3:.0f} ms",
    )


def startup(repeat: int) -> list[Result]:
    """``dapreturn fill`` on the bundled plan (remembered answers) against a bare Textual app.

    At least :data:`MIN_RUNS` rounds; each round starts ``dapreturn fill``, the bare app and the
    bare app with dapreturn's libraries one after another, so a pair sees the same machine.
    """
    repeat = max(repeat, MIN_RUNS)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        home, cwd, tree = root / "home", root / "work", root / "tree.json"
        cwd.mkdir()
        os.environ["DAPRETURN_HOME"] = str(home)
        save_config(
            UserConfig(
                plan="daps-2018-2023",
                partner="VAWC-SG",
                prepared_by="Jo Bloggs, DA coordinator",
                out_dir=str(cwd / "returns"),
            )
        )
        _first_frame("dapreturn", tree, home, cwd)  # warm the disk cache, record the tree
        runs = _pairs(repeat, tree, home, cwd)
        widgets = tree.read_text(encoding="utf-8").count('"type"')
    note = "VAWC-SG, 12 actions, 120x40 terminal"
    results = []
    for index, what in ((0, "wall clock"), (1, "CPU time")):
        subject = [run[index] for run in runs["dapreturn"]]
        for floor_mode, floor_name in (
            ("bare", f"bare Textual app, same {widgets} widget types"),
            ("bare-deps", "the same, after importing pydantic, tomli-w, platformdirs"),
        ):
            floor = [run[index] for run in runs[floor_mode]]
            results.append(_compare(subject, floor, what, floor_name, note))
    version = best_of(
        lambda: subprocess.run(
            [sys.executable, "-m", "dapreturn", "--version"],
            env=python_env(),
            capture_output=True,
            check=True,
        ),
        repeat,
    )
    python = best_of(
        lambda: subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True),
        repeat,
    )
    results.append(
        Result(
            "`dapreturn --version`",
            version * 1e3,
            "ms",
            python * 1e3,
            "python -c pass",
            "",
            None,
        )
    )
    return results


if __name__ == "__main__":
    print(table(startup(int(sys.argv[1]) if len(sys.argv) > 1 else MIN_RUNS)))
