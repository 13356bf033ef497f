"""Helpers shared by commands: passphrase prompts, default folders, the trust list to use."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from dapreturn.core.config import load_config
from dapreturn.core.errors import DapreturnError
from dapreturn.core.policy import (
    ENV_PASSPHRASE,
    TRUST_FILE_NAME,
    TrustChoice,
    choose_trust,
    env_passphrase,
    returns_folder,
)
from dapreturn.core.trust import TrustList, load_trust

__all__ = [
    "ENV_PASSPHRASE",
    "TRUST_FILE_NAME",
    "TrustChoice",
    "ask_passphrase",
    "choose_trust",
    "default_out_dir",
    "load_chosen_trust",
]


def ask_passphrase(prompt: str, *, confirm: bool = False) -> bytes:
    """Prompt for a passphrase without echo (or take it from ``DAPRETURN_PASSPHRASE``)."""
    env = env_passphrase()
    if env is not None:
        return env
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
    """Where signed returns go: the remembered folder, else the default (portable-aware)."""
    return returns_folder(None, load_config())


def load_chosen_trust(choice: TrustChoice) -> TrustList | None:
    """Load the chosen trust list (``None`` when there is none); print its warning once."""
    note = choice.warning()
    if note:
        print(note, file=sys.stderr)
    return load_trust(choice.path) if choice.path is not None else None
