"""Helpers shared by commands: passphrase prompts, default folders, the trust list to use, a
reader that stopped reading."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from dapreturn.core import paths
from dapreturn.core.config import load_config, save_config
from dapreturn.core.errors import DapreturnError
from dapreturn.core.trust import TrustList, load_trust

ENV_PASSPHRASE = "DAPRETURN_PASSPHRASE"  # noqa: S105 - a variable name, not a secret
"""For scripted use only: a passphrase taken from the environment instead of a prompt."""

TRUST_FILE_NAME = "allowed_signers"
"""The trust list's usual name inside a returns folder."""


def reader_gone() -> None:
    """After a :class:`BrokenPipeError` on standard output (``dapreturn ... | head``): point
    standard output at the null device, so the flush at exit cannot fail and print a traceback.
    The command then ends normally; the reader did not want the rest."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


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
    """Where signed returns go: the remembered folder, else the user's default folder."""
    remembered = load_config().out_dir
    return Path(remembered) if remembered else paths.default_returns_dir()


@dataclass(frozen=True)
class TrustChoice:
    """Which trust list a command uses, and whether it came from inside the returns folder."""

    path: Path | None
    inside_folder: bool = False

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


def load_chosen_trust(choice: TrustChoice) -> TrustList | None:
    """Load the chosen trust list (``None`` when there is none); print its warning once."""
    note = choice.warning()
    if note:
        print(note, file=sys.stderr)
    return load_trust(choice.path) if choice.path is not None else None
