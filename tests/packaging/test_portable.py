"""Portable mode: a ``dapreturn-portable`` marker beside the install keeps all state with it.

A real venv-on-a-stick is exercised by the (slow) offline-bundle test; here ``sys.prefix`` is
pointed at a venv-like folder in-process, and keys, drafts, config and the default returns
folder are checked to land beside the marker, with ``DAPRETURN_HOME`` taking precedence.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from pathlib import Path

import platformdirs
import pytest

from dapreturn.core import paths
from dapreturn.core.config import UserConfig, load_config, save_config
from dapreturn.core.filling.drafts import DraftKey, DraftStore
from dapreturn.core.policy import returns_folder
from dapreturn.core.signing.keys import find_key, load_private_key, new_key
from dapreturn.plain import EXIT_OK, run_plain

KEY = DraftKey("daps-2018-2023", "BSWA", "2018-19-Q3")


@pytest.fixture
def stick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A USB-stick-like folder: ``stick/venv`` is the environment, the marker beside it."""
    root = tmp_path / "stick"
    (root / "venv").mkdir(parents=True)
    (root / paths.PORTABLE_MARKER).write_bytes(b"")
    monkeypatch.setattr(sys, "prefix", str(root / "venv"))
    monkeypatch.delenv(paths.ENV_HOME, raising=False)
    monkeypatch.chdir(tmp_path)
    return root


def test_marker_beside_the_environment_moves_all_state(stick: Path) -> None:
    data = stick / "dapreturn-data"
    assert paths.portable_root() == data
    assert paths.home() == data
    info = new_key("BSWA")
    assert info.private_path == data / "keys" / "BSWA_ed25519"
    assert find_key("BSWA") is not None
    load_private_key(info.private_path, None)  # permissions and location accepted
    saved = DraftStore().save(KEY, "x = 1\n")
    assert saved.path.is_relative_to(data / "drafts")
    assert save_config(UserConfig(partner="BSWA")) == data / "config.toml"
    assert load_config().partner == "BSWA"


def test_marker_inside_the_environment_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / paths.PORTABLE_MARKER).write_bytes(b"")
    monkeypatch.setattr(sys, "prefix", str(venv))
    monkeypatch.delenv(paths.ENV_HOME, raising=False)
    assert paths.home() == venv / "dapreturn-data"


def test_a_folder_named_like_the_marker_does_not_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "venv").mkdir()
    (tmp_path / paths.PORTABLE_MARKER).mkdir()
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    monkeypatch.delenv(paths.ENV_HOME, raising=False)
    assert paths.portable_root() is None
    assert paths.home() == Path(platformdirs.user_data_dir("dapreturn", appauthor=False))


def test_dapreturn_home_wins_over_the_marker(
    stick: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv(paths.ENV_HOME, str(elsewhere))
    assert paths.home() == elsewhere
    assert new_key("BSWA").private_path == elsewhere / "keys" / "BSWA_ed25519"
    assert DraftStore().save(KEY, "x = 1\n").path.is_relative_to(elsewhere / "drafts")
    assert not (stick / "dapreturn-data").exists()


def test_empty_dapreturn_home_is_ignored(stick: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.ENV_HOME, "")
    assert paths.home() == stick / "dapreturn-data"


def test_default_returns_folder(stick: Path, tmp_path: Path) -> None:
    assert returns_folder(None, UserConfig()) == stick / "returns"
    remembered = tmp_path / "shared-drive"
    assert returns_folder(None, UserConfig(out_dir=str(remembered))) == remembered


def test_partner_app_uses_the_same_default_folder(stick: Path) -> None:
    # The partner app used to fall back to ./returns, off the stick.
    from dapreturn.tui.partner.app import LaunchOptions, PartnerApp

    assert PartnerApp(LaunchOptions()).out_dir == stick / "returns"


def test_default_returns_folder_without_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    monkeypatch.delenv(paths.ENV_HOME, raising=False)
    documents = tmp_path / "Documents"
    monkeypatch.setattr(paths.platformdirs, "user_documents_dir", lambda: str(documents))
    assert returns_folder(None, UserConfig()) == documents / "dapreturn-returns"
    monkeypatch.setenv(paths.ENV_HOME, str(tmp_path / "home"))
    assert returns_folder(None, UserConfig()) == tmp_path / "home" / "returns"


def test_plain_mode_signs_into_the_stick(stick: Path, tmp_path: Path) -> None:
    answers = ["Jo Bloggs, Service Manager", "g", "01/04/2018", "31/03/2023", "Ann", "."]
    answers += ["Trained 12 ambassadors.", ".", "", "", "", "n", "y", "y", "stick secret"]
    args = argparse.Namespace(plan="daps-2018-2023", partner="BSWA", period="2018/19 Q3", out=None)
    stdin = io.StringIO("".join(f"{a}\n" for a in answers))
    stdout = io.StringIO()
    code = run_plain(args, stdin=stdin, stdout=stdout, today=date(2019, 1, 10))
    assert code == EXIT_OK, stdout.getvalue()
    assert (stick / "returns" / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml").is_file()
    assert (stick / "dapreturn-data" / "keys" / "BSWA_ed25519").is_file()
    assert not (tmp_path / "returns").exists()
