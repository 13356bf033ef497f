"""Partner-app tests: each gets its own DAPRETURN_HOME and current folder (the ``env`` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest
from partner_helpers import Env


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Env:
    """A private DAPRETURN_HOME and current folder; xdg-open is never started."""
    home = tmp_path / "home"
    cwd = tmp_path / "work"
    cwd.mkdir()
    monkeypatch.setenv("DAPRETURN_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path))  # the output folder shows as ~/home/returns/
    monkeypatch.chdir(cwd)
    made = Env(home, cwd)

    def open_folder(path: Path) -> bool:
        made.opened.append(path)
        return False

    monkeypatch.setattr("dapreturn.core.opener.open_folder", open_folder)
    return made
