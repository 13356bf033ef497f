"""Decisions that are not about drawing, made once for every front end.

- where signed returns go when no folder is given (:func:`returns_folder`: the remembered
  folder, else ``returns`` beside the portable marker or in the current folder);
- which trust list applies (:func:`choose_trust`);
- the key's passphrase from the environment, for scripted use (:data:`ENV_PASSPHRASE`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dapreturn.core import paths
from dapreturn.core.config import UserConfig, load_config, save_config

ENV_PASSPHRASE = "DAPRETURN_PASSPHRASE"  # noqa: S105 - a variable's name, not a secret
"""For scripted use only: the key's passphrase, taken from the environment instead of asked."""

TRUST_FILE_NAME = "allowed_signers"
"""The trust list's usual name inside a returns folder."""


def env_passphrase(environ: Mapping[str, str] | None = None) -> bytes | None:
    """The passphrase set in :data:`ENV_PASSPHRASE`, or ``None`` when it is not set."""
    value = (os.environ if environ is None else environ).get(ENV_PASSPHRASE)
    return None if value is None else value.encode("utf-8")


def returns_folder(explicit: Path | None, config: UserConfig) -> Path:
    """Where signed returns go: ``explicit`` (``--out``), else remembered, else the default.

    The default is ``<portable folder>/returns`` in portable mode (the folder holding the
    ``dapreturn-portable`` marker), else ``returns`` in the current folder.
    """
    if explicit is not None:
        return explicit
    return Path(config.out_dir) if config.out_dir else paths.default_returns_dir()


@dataclass(frozen=True)
class TrustChoice:
    """Which trust list a command uses, and whether it came from inside the returns folder."""

    path: Path | None
    """The trust list (``None``: there is none)."""
    inside_folder: bool = False
    """It is the list inside the folder being checked."""

    def warning(self) -> str | None:
        """A caution when the list sits in the folder being checked (anyone there can edit it)."""
        if not self.inside_folder:
            return None
        return (
            f"note: using the trust list inside the returns folder ({self.path}); anyone who "
            "can write to that folder could add a key. Keep the steering group's list "
            "elsewhere and give it once with --trust (it is remembered)."
        )


def choose_trust(explicit: Path | None, folder: Path | None) -> TrustChoice:
    """``--trust`` (remembered for next time), else the remembered list, else the folder's own."""
    if explicit is not None:
        config = load_config()
        absolute = str(explicit.expanduser().absolute())
        if config.trust_file != absolute:
            save_config(config.model_copy(update={"trust_file": absolute}))
        return TrustChoice(explicit)
    remembered = load_config().trust_file
    if remembered:
        return TrustChoice(Path(remembered).expanduser())
    if folder is not None:
        local = folder / TRUST_FILE_NAME
        if local.is_file() and not local.is_symlink():
            return TrustChoice(local, inside_folder=True)
    return TrustChoice(None)
