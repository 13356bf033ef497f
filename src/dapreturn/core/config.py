"""Remembered choices: plan, partner, who prepares returns, output folder, trust list, theme.

Stored as TOML in :func:`dapreturn.core.paths.config_file` (under ``DAPRETURN_HOME`` when set).
A config file that cannot be read is reported, never silently replaced.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, ValidationError

from dapreturn.core import paths
from dapreturn.core.errors import DapreturnError
from dapreturn.core.messages import first_problem
from dapreturn.core.storage import atomic_write_text


class ConfigError(DapreturnError):
    """The config file exists but cannot be read or has wrong values."""


class UserConfig(BaseModel):
    """Everything the apps remember between runs; every field is optional."""

    model_config = ConfigDict(extra="ignore")

    plan: str | None = None
    """Bundled plan id or path of a plan file."""
    partner: str | None = None
    prepared_by: str | None = None
    out_dir: str | None = None
    """Where signed returns are written (default ``./returns``)."""
    trust_file: str | None = None
    """The officer's allowed_signers trust list."""
    theme: Literal["default", "high-contrast"] = "default"


def load_config(path: Path | None = None) -> UserConfig:
    """Read the config (an empty one when there is no file yet)."""
    path = path or paths.config_file()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return UserConfig()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        return UserConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(first_problem(exc, data, str(path))) from None


def save_config(config: UserConfig, path: Path | None = None) -> Path:
    """Write the config atomically; return where."""
    path = path or paths.config_file()
    paths.ensure_dir(path.parent)
    data = {k: v for k, v in config.model_dump().items() if v is not None}
    atomic_write_text(path, tomli_w.dumps(data))
    return path
