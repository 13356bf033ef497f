"""Shared fixtures: every test runs with its own DAPRETURN_HOME so nothing touches real state."""

from __future__ import annotations

from pathlib import Path

import pytest

from dapreturn.core.filling.drafts import DraftStore
from dapreturn.core.filling.session import SaveTarget


@pytest.fixture(autouse=True)
def _hermetic_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point DAPRETURN_HOME at a fresh folder for each test (keys, drafts, config, cache)."""
    home = tmp_path_factory.mktemp("dapreturn-home")
    monkeypatch.setenv("DAPRETURN_HOME", str(home))
    return home


@pytest.fixture
def fill_target(tmp_path: Path) -> SaveTarget:
    """Where a fill session's drafts and signed returns go: both inside ``tmp_path``."""
    return SaveTarget(DraftStore(tmp_path / "drafts"), tmp_path / "returns")
