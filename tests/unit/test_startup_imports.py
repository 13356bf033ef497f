"""The partner app reaches its first frame without loading what only later steps need.

Run in a fresh interpreter (what is already imported here would hide it): the app starts on
remembered answers, and the modules loaded when its main screen is showing are listed. Signing
(``cryptography``), the safeguarding scan, the officer side, reports and the export libraries
load when first used; the start-up benchmark (benchmarks/bench_startup.py) measures the time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = (
    "cryptography",
    "sqlite3",
    "openpyxl",
    "docx",
    "lxml",
    "dapreturn.core.signing.files",
    "dapreturn.core.signing.sshsig",
    "dapreturn.core.returns.safeguarding",
    "dapreturn.core.collection.load",
    "dapreturn.core.report",
    "dapreturn.tui.officer",
)
"""Modules the first frame of ``dapreturn fill`` must not need."""

CHILD = """
import asyncio, sys
from dapreturn.core.config import UserConfig, save_config
save_config(UserConfig(plan="daps-2018-2023", partner="BSWA", prepared_by="Jo Bloggs",
                       out_dir=sys.argv[1]))
from dapreturn.tui.partner.app import PartnerApp
from dapreturn.tui.partner.screens.main import MainScreen

async def first_frame() -> None:
    app = PartnerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):  # pushed and mounted: its widgets are there (leaving mid-mount
            if isinstance(app.screen, MainScreen) and app.screen.query("ActionList"):
                break  # would tear the screen down under its own on_mount)
            await pilot.pause(0.05)
        assert isinstance(app.screen, MainScreen), app.screen
        await pilot.pause()  # the first frame is drawn
        heavy = tuple(sys.argv[2].split(","))
        print(",".join(sorted(m for m in sys.modules if m.startswith(heavy))))

asyncio.run(first_frame())
"""


def test_the_first_frame_loads_no_signing_review_or_export_code(tmp_path: Path) -> None:
    out = tmp_path / "returns"
    out.mkdir()  # a returns folder that exists (and is empty): nothing signed to read yet
    env = {**os.environ, "DAPRETURN_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(out), ",".join(HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert loaded == "", f"loaded before the first frame: {loaded}"
