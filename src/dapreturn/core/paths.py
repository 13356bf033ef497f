"""Where dapreturn keeps a user's state: keys, drafts, config and caches.

Everything lives under one folder, the *home*. By default that is the platform's user data
directory (``platformdirs``). ``DAPRETURN_HOME`` relocates all of it, for portable use from a USB
stick and for hermetic tests. A ``dapreturn-portable`` marker file beside the Python executable's
environment (the install folder) switches to portable mode as well.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

ENV_HOME = "DAPRETURN_HOME"
"""Environment variable that relocates every piece of user state."""

DOCUMENTS_FOLDER = "dapreturn-returns"
"""The default folder for signed returns, inside the user's Documents folder."""

PORTABLE_MARKER = "dapreturn-portable"
"""Name of the marker file that turns on portable mode when it sits beside the install."""


def portable_root() -> Path | None:
    """Return the portable home when a marker file sits beside the install, else ``None``.

    The marker is looked for in the virtual environment's folder (``sys.prefix``) and in its
    parent, so both ``venv/dapreturn-portable`` and ``stick/dapreturn-portable`` next to
    ``stick/venv`` work. The portable home is ``<marker folder>/dapreturn-data``.
    """
    prefix = Path(sys.prefix)
    for folder in (prefix, prefix.parent):
        if (folder / PORTABLE_MARKER).is_file():
            return folder / "dapreturn-data"
    return None


def home() -> Path:
    """Return the folder that holds all of this user's dapreturn state (not created here)."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().absolute()
    portable = portable_root()
    if portable is not None:
        return portable
    return Path(platformdirs.user_data_dir("dapreturn", appauthor=False))


def keys_dir() -> Path:
    """Folder for private and public signing keys."""
    return home() / "keys"


def drafts_dir() -> Path:
    """Folder for autosaved drafts of returns being filled in."""
    return home() / "drafts"


def config_file() -> Path:
    """The user's remembered choices (plan, partner, preparer, output folder, trust list)."""
    return home() / "config.toml"


def group_dir() -> Path:
    """A partner's record of the steering group: the keys they accepted and packs opened."""
    return home() / "steering-group"


def default_returns_dir() -> Path:
    """Where signed returns go when no folder was chosen or remembered: a folder of the user's.

    - portable mode: ``returns`` beside the ``dapreturn-portable`` marker (the stick holds
      everything);
    - ``DAPRETURN_HOME`` set: ``returns`` inside it (keys, drafts and returns move together);
    - otherwise ``dapreturn-returns`` in the user's Documents folder, where a partner lead looks
      for a file to send. Never the current folder: run from a clone, that holds the demo
      collection, and a real return must not land among demo files.
    """
    portable = portable_root()
    if portable is not None:
        return portable.parent / "returns"
    if os.environ.get(ENV_HOME):
        return home() / "returns"
    return Path(platformdirs.user_documents_dir()) / DOCUMENTS_FOLDER


def screenshot_dir() -> Path:
    """A folder that exists for a screenshot: Downloads, else Pictures, Documents, home, here.

    A fresh account or a locked-down desktop may have no Downloads folder; a screenshot then
    goes to the next of these that exists, and the app says where it went.
    """
    candidates = (
        platformdirs.user_downloads_dir,
        platformdirs.user_pictures_dir,
        platformdirs.user_documents_dir,
    )
    for folder in (*(Path(find()) for find in candidates), Path.home()):
        if folder.is_dir():
            return folder
    return Path.cwd()


def ensure_dir(path: Path) -> Path:
    """Create ``path`` and every missing parent owner-only (``0700``); return it.

    ``Path.mkdir(parents=True)`` would give the parents it creates the umask's permissions
    (``0777`` under umask 0), so a new ``DAPRETURN_HOME`` would let another account rewrite
    ``config.toml`` and redirect where returns are written. Each missing folder is created here
    with ``0700`` instead (folders that already exist are left as they are).
    """
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)  # exist_ok: another process may race us
    return path
