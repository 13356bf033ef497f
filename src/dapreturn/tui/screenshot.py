"""Screenshots (the command palette's *Screenshot*) saved in a folder that exists.

Textual saves to ``~/Downloads`` and only says "Failed to save screenshot" when that folder is
missing. Both apps save instead to :func:`dapreturn.core.paths.screenshot_dir` and say where the
file went, as plain text (a path is never read as markup).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TypeVar

from textual.app import App

from dapreturn.core import paths
from dapreturn.core.errors import StorageError
from dapreturn.core.storage import atomic_write_text

ReturnType = TypeVar("ReturnType")


class ScreenshotApp(App[ReturnType]):
    """An app whose screenshots land in a folder that exists, with a message naming it."""

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Save an SVG of the screen; say where it went, or why it could not be saved."""
        folder = Path(path) if path else paths.screenshot_dir()
        name = filename or _name(self.title, time_format)
        target = folder / name
        try:
            atomic_write_text(target, self.export_screenshot())
        except StorageError as exc:
            message = f"Could not save the screenshot: {exc}"
            self.notify(message, title="Screenshot", severity="error", markup=False)
            return None
        self.notify(f"Saved screenshot to {target}", title="Screenshot", markup=False)
        return str(target)


def _name(title: str, time_format: str | None) -> str:
    """A file name from the app's title and the date and time, safe on every system."""
    when = datetime.now().strftime(time_format or "%Y-%m-%dT%H_%M_%S")
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in f"{title} {when}")
    return f"{stem}.svg"
