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
from dapreturn.core.policy import ENV_PASSPHRASE, TRUST_FILE_NAME, env_passphrase, returns_folder
from dapreturn.core.signing.trust import TrustList, load_trust

__all__ = [  # ENV_PASSPHRASE and TRUST_FILE_NAME are core.policy's, re-exported for commands
    "ENV_PASSPHRASE",
    "TRUST_FILE_NAME",
    "TrustChoice",
    "ask_passphrase",
    "choose_trust",
    "default_out_dir",
    "load_chosen_trust",
]


def reader_gone() -> None:
    """After a :class:`BrokenPipeError` on standard output (``dapreturn ... | head``): point
    standard output at the null device, so the flush at exit cannot fail and print a traceback.
    The command then ends normally; the reader did not want the rest."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


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


@dataclass(frozen=True)
class TrustChoice:
    """Which trust list a command uses, and whether it came from inside the returns folder."""

    path: Path | None
    inside_folder: bool = False
    note: str | None = None
    """Something else to say about the choice (a one-off list that was not remembered)."""

    def warning(self) -> str | None:
        """A caution when the list sits in the folder being checked (anyone there can edit it)."""
        if not self.inside_folder:
            return self.note
        return (
            f"note: using the trust list inside the returns folder ({self.path}); anyone who "
            "can write to that folder could add a key. Keep the steering group's list "
            "elsewhere and give it once with --trust (it is remembered)."
        )


def _inside(path: Path, folder: Path | None) -> bool:
    """Whether ``path`` (where links lead) lies in ``folder`` (the returns being checked)."""
    real = Path(os.path.realpath(path))
    return folder is not None and real.is_relative_to(os.path.realpath(folder))


def choose_trust(explicit: Path | None, folder: Path | None) -> TrustChoice:
    """``--trust``, else the remembered list, else the folder's own (with a warning).

    ``--trust`` is remembered only when no list is remembered yet and it lies outside the
    returns folder: a list inside the folder always warns and is never remembered, and a
    one-off ``--trust`` never replaces the steering group's remembered list.
    """
    config = load_config()
    remembered = config.trust_file
    if explicit is not None:
        if _inside(explicit, folder):
            return TrustChoice(explicit, inside_folder=True)
        absolute = str(explicit.expanduser().absolute())
        if not remembered:
            save_config(config.model_copy(update={"trust_file": absolute}))
            return TrustChoice(explicit)
        if remembered != absolute:
            note = (
                f"note: using {explicit} for this run only; the remembered trust list stays "
                f"{remembered} (change trust_file in {paths.config_file()} to replace it)"
            )
            return TrustChoice(explicit, note=note)
        return TrustChoice(explicit)
    if remembered:
        return TrustChoice(Path(remembered).expanduser())
    if folder is not None:
        local = folder / TRUST_FILE_NAME
        if local.is_file() and not local.is_symlink():
            return TrustChoice(local, inside_folder=True)
    return TrustChoice(None)


def load_chosen_trust(choice: TrustChoice) -> TrustList | None:
    """Load the chosen trust list (``None`` when there is none); print its warning once, and
    one warning per trust-list line skipped (naming the line and why)."""
    note = choice.warning()
    if note:
        print(note, file=sys.stderr)
    if choice.path is None:
        return None
    trust = load_trust(choice.path)
    for problem in trust.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return trust
