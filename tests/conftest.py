"""Shared fixtures: every test runs with its own DAPRETURN_HOME so nothing touches real state."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _hermetic_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point DAPRETURN_HOME at a fresh folder for each test (keys, drafts, config, cache)."""
    home = tmp_path_factory.mktemp("dapreturn-home")
    monkeypatch.setenv("DAPRETURN_HOME", str(home))
    return home
