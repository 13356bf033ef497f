"""Remembered choices round-trip, and a broken config file is reported, not replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from dapreturn.core import paths
from dapreturn.core.config import ConfigError, UserConfig, load_config, save_config


def test_round_trip_under_dapreturn_home(_hermetic_home: Path) -> None:
    assert load_config() == UserConfig()
    written = save_config(UserConfig(partner="BSWA", prepared_by="Jo, Manager", out_dir="/r"))
    assert written == _hermetic_home / "config.toml" == paths.config_file()
    assert load_config().partner == "BSWA"


def test_broken_config_names_the_file(_hermetic_home: Path) -> None:
    paths.config_file().write_text("partner = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.toml: not valid TOML"):
        load_config()
    paths.config_file().write_text('theme = "pink"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="theme"):
        load_config()
