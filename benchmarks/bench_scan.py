"""The safeguarding scan on hostile text: cost per character must not grow with length.

A narrative is free text a partner types (or pastes), so the scan must stay linear in its
length whatever is in it: a pattern that backtracks would make a long paste freeze the app
and a crafted return stall the officer's load. Each hostile text is scanned at 10,000 and at
100,000 characters; the figure is the time per character of the long text against the short
one (the floor, same run). Linear is about 1x; quadratic would be about 10x.
"""

from __future__ import annotations

import time

from common import Result

from dapreturn.core.returns.safeguarding import scan_text

HOSTILE = (
    "0",
    "0 ",
    "a",
    "a@",
    "b.",
    "Mr ",
    "DOB ",
    "born 12/",
    "(0",
    "+44 ",
    "B1 1AA ",
    "123 456 ",
    "Mr O'",
    "\x00\u202e🙂 ",
)
"""Repeated to length: runs of the characters each pattern has to look past."""

SHORT, LONG = 10_000, 100_000


def _per_char(unit: str, length: int, repeat: int) -> float:
    """The best time per character of scanning ``unit`` repeated to ``length`` characters."""
    text = (unit * (length // len(unit) + 1))[:length]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        scan_text(text, field="f")
        best = min(best, time.perf_counter() - start)
    return best / length


def hostile(repeat: int) -> list[Result]:
    """One line for the worst hostile text, and the total over all of them."""
    rows = []
    for unit in HOSTILE:
        short = _per_char(unit, SHORT, repeat)
        long = _per_char(unit, LONG, repeat)
        rows.append((long / short, unit, short, long))
    worst = max(rows)
    total_short = sum(r[2] for r in rows) * 1e9
    total_long = sum(r[3] for r in rows) * 1e9
    _, unit, short, long = worst
    return [
        Result("Safeguarding scan of hostile text, 100,000 characters, per character (worst)",
               long * 1e9, "ns", short * 1e9, "the same text at 10,000 characters", "<= 2x",
               long / short <= 2, f"{unit!r} repeated"),
        Result("Safeguarding scan of hostile text, 100,000 characters, per character (all)",
               total_long, "ns", total_short, "the same texts at 10,000 characters", "<= 2x",
               total_long / total_short <= 2, f"{len(HOSTILE)} texts"),
    ]  # fmt: skip
