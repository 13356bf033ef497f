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
    """Where signed returns go when no folder was chosen or remembered.

    ``returns`` beside the ``dapreturn-portable`` marker in portable mode (so the stick holds
    everything), else ``returns`` in the current folder.
    """
    portable = portable_root()
    return portable.parent / "returns" if portable is not None else Path("returns")


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
