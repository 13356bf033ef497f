"""Decisions that are not about drawing, made once for every front end: where signed returns go
(:func:`returns_folder`), the trust list's usual name in a returns folder and the passphrase
from the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from dapreturn.core import paths
from dapreturn.core.config import UserConfig

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

    The default is :func:`dapreturn.core.paths.default_returns_dir`: ``returns`` beside the
    portable marker, or in ``DAPRETURN_HOME``, else ``Documents/dapreturn-returns`` (never the
    current folder, which in a clone holds the demo collection).
    """
    if explicit is not None:
        return explicit
    return Path(config.out_dir) if config.out_dir else paths.default_returns_dir()
