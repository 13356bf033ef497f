"""Kill a writer process with SIGKILL mid-save, many times: the target is never half-written.

A child process rewrites one file in a tight loop, alternating a large version A and a small
version B through ``atomic_write_bytes``. The parent kills it at random moments and checks after
each kill that the file is exactly A or exactly B, then that ``clean_stale_temps`` removes every
temp file the kills left behind. Run with ``-s`` to see the counts.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dapreturn.core import storage

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only"),
    pytest.mark.slow,
]

VERSION_A = b"A" * 200_000 + b"\nmarker = 'A'\n"
VERSION_B = b"B" * 3_000 + b"\nmarker = 'B'\n"
TARGET_KILLS = 50
"""Kills per run: the loop is bounded by this count, not by time (so load cannot starve it)."""
TIME_BUDGET = 240.0
"""A safety cap only: a run that needs it means the machine is pathologically slow."""

CHILD = """
import sys
from pathlib import Path
from dapreturn.core.storage import atomic_write_bytes

target = Path(sys.argv[1])
a = b"A" * 200_000 + b"\\nmarker = 'A'\\n"
b = b"B" * 3_000 + b"\\nmarker = 'B'\\n"
sys.stdin.readline()  # wait for "go": the parent starts the next child early
atomic_write_bytes(target, b)
sys.stdout.write("ready\\n")
sys.stdout.flush()
while True:
    atomic_write_bytes(target, a)
    atomic_write_bytes(target, b)
"""


def _spawn(target: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _stop(child: subprocess.Popen[str]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            stream.close()


def _run_and_kill(child: subprocess.Popen[str], delay: float) -> None:
    """Let ``child`` start writing, wait ``delay`` seconds, then SIGKILL it."""
    try:
        assert child.stdin is not None
        assert child.stdout is not None
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline() == "ready\n"
        time.sleep(delay)
    finally:
        _stop(child)
    assert child.returncode == -signal.SIGKILL


def test_sigkill_never_leaves_a_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "return.toml"
    target.write_bytes(VERSION_A)
    rng = random.Random(20190115)
    kills = seen_a = seen_b = 0
    start = time.monotonic()
    spare = _spawn(target)
    try:
        while kills < TARGET_KILLS and time.monotonic() - start < TIME_BUDGET:
            child, spare = spare, _spawn(target)  # the next one starts up while this one runs
            _run_and_kill(child, rng.uniform(0, 0.030))
            kills += 1
            content = target.read_bytes()
            if content == VERSION_A:
                seen_a += 1
            elif content == VERSION_B:
                seen_b += 1
            else:
                pytest.fail(f"kill {kills}: target is partial ({len(content)} bytes)")
    finally:
        _stop(spare)

    leftovers = sorted(p.name for p in tmp_path.iterdir() if p != target)
    assert all(storage.is_temp_name(name) for name in leftovers), leftovers
    removed = storage.clean_stale_temps(tmp_path)
    assert sorted(p.name for p in removed) == leftovers
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    elapsed = time.monotonic() - start
    print(
        f"kills={kills} seen_A={seen_a} seen_B={seen_b} "
        f"temps_left_by_kills={len(leftovers)} elapsed={elapsed:.1f}s"
    )
    assert kills == TARGET_KILLS, f"only {kills} kills before the {TIME_BUDGET:.0f} s safety cap"
