"""State that another account, or a folder's contents, could redirect (issue 13, item 9).

Attacks tried: a fresh ``DAPRETURN_HOME`` created under umask 0 (world-writable, so another
account could rewrite ``config.toml`` and redirect where returns go); a home or keys folder that
is a symbolic link into a returns folder (the private-key rule judged the path as written);
trusting a key through a symlinked trust list (the link was replaced by a local copy, so the
steering group's real list silently stopped being used); ``--trust <folder>/allowed_signers``
(silenced the in-folder warning and was remembered); and a one-off ``verify --trust X``
(replaced the remembered steering-group list).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from secsupport import BSWA_KEY, STRANGER_KEY, T0, ready_return, trust_text

from dapreturn.cli import main
from dapreturn.core.config import UserConfig, load_config, save_config
from dapreturn.core.errors import KeyFileError
from dapreturn.core.returns.tomlio import dump_return
from dapreturn.core.signing import keys
from dapreturn.core.signing.files import sign_body
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.trust import append_signer, load_trust

posix = pytest.mark.skipif(os.name != "posix", reason="permissions and links are POSIX here")
GENUINE = "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"


@pytest.fixture
def umask_zero() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@posix
@pytest.mark.usefixtures("umask_zero")
def test_a_new_home_and_its_parents_are_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "fresh" / "home"
    monkeypatch.setenv("DAPRETURN_HOME", str(home))
    save_config(UserConfig(partner="BSWA"))
    keys.new_key("BSWA")
    for folder in (tmp_path / "fresh", home, home / "keys"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@posix
def test_a_home_linked_into_a_returns_folder_gets_no_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "shared" / "returns" / "state"
    real.mkdir(parents=True)
    link = tmp_path / "home"
    link.symlink_to(real)
    monkeypatch.setenv("DAPRETURN_HOME", str(link))
    with pytest.raises(KeyFileError, match="returns folder"):
        keys.new_key("BSWA")
    assert not list(real.rglob("*BSWA*"))


@posix
def test_trusting_a_key_writes_through_a_symlinked_trust_list(tmp_path: Path) -> None:
    steering = tmp_path / "steering" / "allowed_signers"
    steering.parent.mkdir()
    steering.write_text(trust_text(("BSWA", BSWA_KEY)))
    link = tmp_path / "returns" / "allowed_signers"
    link.parent.mkdir()
    link.symlink_to(steering)
    append_signer(link, allowed_signers_line("WMP", STRANGER_KEY.public_key()))
    assert link.is_symlink() and link.resolve() == steering.resolve()
    assert [e.principals for e in load_trust(steering).entries] == [("BSWA",), ("WMP",)]


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "shared"
    folder.mkdir()
    ret = ready_return().model_copy(update={"plan": "daps-2018-2023", "submitted_at": T0})
    (folder / GENUINE).write_bytes(sign_body(dump_return(ret).encode(), BSWA_KEY, "BSWA"))
    (folder / "allowed_signers").write_text(trust_text(("BSWA", BSWA_KEY)))
    steering = tmp_path / "steering"
    steering.mkdir()
    (steering / "allowed_signers").write_text(trust_text(("BSWA", BSWA_KEY)))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "allowed_signers").write_text(trust_text(("BSWA", BSWA_KEY)))
    return tmp_path


def test_trust_inside_the_folder_still_warns_and_is_not_remembered(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", f"shared/{GENUINE}", "--trust", "shared/allowed_signers"]) == 0
    assert "inside the returns folder" in capsys.readouterr().err
    assert load_config().trust_file is None


def test_a_one_off_trust_does_not_replace_the_remembered_list(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remembered = str(shared / "steering" / "allowed_signers")
    save_config(UserConfig(trust_file=remembered))
    assert main(["verify", f"shared/{GENUINE}", "--trust", "other/allowed_signers"]) == 0
    assert "for this run only" in capsys.readouterr().err
    assert load_config().trust_file == remembered


def test_the_first_trust_given_is_remembered(shared: Path) -> None:
    assert main(["verify", f"shared/{GENUINE}", "--trust", "steering/allowed_signers"]) == 0
    assert load_config().trust_file == str(shared / "steering" / "allowed_signers")
