"""End to end: every value typed in a burst lands in its own field of the signed return.

The real ``dapreturn fill`` runs in tmux at 80x24 for Birmingham City Council Commissioning,
which leads four actions. Each value goes in with one ``send-keys -l`` and is followed at once
by Tab (machine speed: as a paste arrives, or a fast typist types), or with a short pause after
every key (a person's pace). The signed file must then hold every value in its own field.
"""

from __future__ import annotations

import os
import shutil
import time
import tomllib
from pathlib import Path

import pytest
from terminal_driver import Terminal, dapreturn_command

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PARTNER = "BCC-COMM"
REFS = ["3d", "3g", "4b", "4j"]
"""The actions BCC-COMM leads in the bundled plan, in the order the list shows them."""
PREPARED_BY = "Sam Carter, Commissioning Manager"


def values(ref: str) -> dict[str, str]:
    """What is typed into each field of action ``ref``."""
    return {
        "started": "01/04/2018",
        "target": "31 Mar 2020",
        "responsible": f"Hub Project Lead {ref}, Commissioning",
        "action_taken": f"On {ref}: 14 of 20 actions closed; venues booked for Q4.",
        "next_steps": f"Close the remaining actions on {ref}.",
        "risks": f"Staff turnover could slow {ref}.",
    }


def fill_action(term: Terminal, ref: str, pause: float) -> None:
    """With the cursor on Status: choose On track, then type every field, Tab after each."""
    v = values(ref)
    term.keys("Enter", "Down", "Down", "Enter", pause=pause)  # (blank) -> Not started -> On track
    steps: list[tuple[str, str | None]] = [
        ("Tab", v["started"]),
        ("Tab", v["target"]),
        ("Tab", None),  # Completed stays empty
        ("Tab", v["responsible"]),
        ("Tab", v["action_taken"]),
        ("Tab", v["next_steps"]),
        ("Tab", v["risks"]),
    ]
    for key, text in steps:
        term.keys(key, pause=pause)
        if text is not None:
            term.type(text)
            if pause:
                time.sleep(pause)


@pytest.mark.parametrize("pace", [0.0, 0.15], ids=["machine-speed", "human-speed"])
def test_burst_typing_lands_in_every_field(tmp_path: Path, pace: float) -> None:
    home, cwd = tmp_path / "home", tmp_path / "work"
    cwd.mkdir()
    env = {
        "DAPRETURN_HOME": str(home),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
    }
    command = [*dapreturn_command(), "--period", "2018/19 Q3"]
    term = Terminal(tmp_path / "tmux.sock", cwd, env, command, size=(80, 24))
    try:
        term.wait_for("Welcome to dapreturn")
        term.type(PARTNER)
        term.wait_for(f"Chosen: {PARTNER}")
        term.keys("Enter", pause=pace)
        name, role = PREPARED_BY.split(", ")
        term.type(name)
        term.keys("Tab", pause=pace)
        term.type(role)
        term.keys("C-g", pause=pace)
        term.wait_for("0 of 4 actions complete")
        # The whole return in one go: no waiting for the screen between fields or actions.
        term.keys("Enter", pause=pace)  # open the first action: the cursor goes to Status
        fill_action(term, REFS[0], pace)
        for ref in REFS[1:]:
            term.keys("C-n", pause=pace)  # next action, cursor on its Status
            fill_action(term, ref, pace)
        term.wait_for("4 of 4 actions complete", timeout=60)
        term.keys("F3")
        term.wait_for("No problems found", timeout=30)
        term.keys("C-g")
        term.wait_for("make your signing key")
        term.keys("Enter")
        time.sleep(0.3)
        term.keys("Enter")
        term.wait_for("Your signing key is ready")
        term.keys("Enter")
        term.wait_for("Return signed and saved", timeout=30)
        term.keys("Enter")
        term.keys("C-q")
        term.wait_until_gone()
    finally:
        term.close()
    signed = home / "returns" / f"daps-2018-2023_2018-19-Q3_{PARTNER}_r1.toml"
    data = tomllib.loads(signed.read_text(encoding="utf-8"))
    assert data["prepared_by"] == PREPARED_BY
    entries = {e["ref"]: e for e in data["entries"]}
    assert sorted(entries) == sorted(REFS)
    for ref in REFS:
        v, e = values(ref), entries[ref]
        assert e["status"] == "on_track", ref
        assert str(e["started"]) == "2018-04-01", ref
        assert str(e["target"]) == "2020-03-31", ref
        assert "completed" not in e, ref
        assert e["responsible"] == [v["responsible"]], ref
        for field in ("action_taken", "next_steps", "risks"):
            assert e[field] == v[field], (ref, field)
