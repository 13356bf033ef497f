"""Officer-app tests: each works on the scenario folder in its own current folder (``env``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from officer_helpers import Env

from builders import build_scenario


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Env:
    """``returns/`` with the scenario's 13 files, in a private current folder."""
    cwd = tmp_path / "work"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return Env(cwd, build_scenario(Path("returns")))
