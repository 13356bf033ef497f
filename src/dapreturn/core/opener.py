"""Open a folder in the system's file manager when the computer offers a way to.

Only tried when a known opener exists (``os.startfile`` on Windows, ``open`` on macOS,
``xdg-open`` elsewhere); the caller always shows the path as well, so nothing depends on it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def open_folder(path: Path) -> bool:
    """Ask the system to show ``path``; return whether an opener was started."""
    startfile = getattr(os, "startfile", None)
    if startfile is not None:
        try:
            startfile(str(path))
        except OSError:
            return False
        return True
    tool = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    if tool is None:
        return False
    try:
        subprocess.Popen(
            [tool, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True
