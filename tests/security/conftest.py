"""Security suites: the catalogue sizes (inputs fuzzed, tampered variants) in the summary."""

from __future__ import annotations

import pytest
from secsupport import TALLIES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what each catalogue suite tried, so the figures in docs/security.md can be checked."""
    for suite, counts in TALLIES.items():
        if not counts:
            continue
        terminalreporter.write_line(f"{suite}: {sum(counts.values())} in all")
        for category, count in sorted(counts.items()):
            terminalreporter.write_line(f"  {category:<40} {count:>6}")
