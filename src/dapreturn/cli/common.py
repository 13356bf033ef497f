"""Helpers shared by commands: passphrase prompts, default folders, the trust list to use."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from dapreturn.core import paths
from dapreturn.core.config import load_config
from dapreturn.core.errors import DapreturnError
from dapreturn.core.trust import TrustList, load_trust

ENV_PASSPHRASE = "DAPRETURN_PASSPHRASE"  # noqa: S105 - a variable name, not a secret
"""For scripted use only: a passphrase taken from the environment instead of a prompt."""

TRUST_FILE_NAME = "allowed_signers"
"""The trust list's usual name inside a returns folder."""


def ask_passphrase(prompt: str, *, confirm: bool = False) -> bytes:
    """Prompt for a passphrase without echo (or take it from ``DAPRETURN_PASSPHRASE``)."""
    env = os.environ.get(ENV_PASSPHRASE)
    if env is not None:
        return env.encode("utf-8")
    if not sys.stdin.isatty():
        raise DapreturnError(
            f"a passphrase is needed but there is no terminal to ask on; "
            f"set {ENV_PASSPHRASE} for scripted use"
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != first:
        raise DapreturnError("the two passphrases differ; nothing was changed")
    return first.encode("utf-8")


def default_out_dir() -> Path:
    """Where signed returns go: the remembered folder, else ``returns/`` here."""
    remembered = load_config().out_dir
    return Path(remembered) if remembered else paths.default_returns_dir()


def trust_path(explicit: Path | None, folder: Path | None) -> Path | None:
    """The trust list: ``--trust``, else the remembered one, else ``folder/allowed_signers``."""
    if explicit is not None:
        return explicit
    remembered = load_config().trust_file
    if remembered:
        return Path(remembered)
    if folder is not None and (folder / TRUST_FILE_NAME).is_file():
        return folder / TRUST_FILE_NAME
    return None


def resolve_trust(explicit: Path | None, folder: Path | None) -> TrustList | None:
    """Load the trust list chosen by :func:`trust_path`, or ``None`` when there is none."""
    path = trust_path(explicit, folder)
    return load_trust(path) if path is not None else None
