"""The palette's Screenshot in both apps: with no Downloads folder it goes to one that exists
and the app says where (Textual alone says only "Failed to save screenshot")."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest
from partner_helpers import make_app as make_partner_app
from partner_helpers import remember
from textual.app import App

from dapreturn.core import paths
from dapreturn.tui.officer.app import ReviewApp


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No Downloads or Pictures folder; Documents exists."""
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(platformdirs, "user_downloads_dir", lambda: str(tmp_path / "Downloads"))
    monkeypatch.setattr(platformdirs, "user_pictures_dir", lambda: str(tmp_path / "Pictures"))
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


def test_the_folder_falls_back_to_one_that_exists(
    documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths.screenshot_dir() == documents
    (tmp_path / "Downloads").mkdir()
    assert paths.screenshot_dir() == tmp_path / "Downloads"
    documents.rmdir()
    (tmp_path / "Downloads").rmdir()
    monkeypatch.setenv("HOME", str(tmp_path / "nowhere"))
    assert paths.screenshot_dir() == tmp_path  # the current folder, the last resort


async def _shoot(app: App[None]) -> str:
    """Take a screenshot as the command palette does; the notifications' text."""
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.deliver_screenshot()
        await pilot.pause()
        return " ".join(n.message for n in app._notifications)


async def test_partner_app_screenshot_without_downloads(documents: Path) -> None:
    remember()
    text = await _shoot(make_partner_app())
    [saved] = documents.glob("*.svg")
    assert "Failed" not in text and f"Saved screenshot to {saved}" in text
    assert saved.read_text(encoding="utf-8").startswith("<svg")


async def test_officer_app_screenshot_without_downloads(documents: Path, tmp_path: Path) -> None:
    (tmp_path / "collected").mkdir()
    text = await _shoot(ReviewApp(tmp_path / "collected"))
    [saved] = documents.glob("*.svg")
    assert f"Saved screenshot to {saved}" in text
