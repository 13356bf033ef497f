"""Partner key generation, storage and loading."""

from __future__ import annotations

import base64
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core import paths
from dapreturn.core.errors import KeyFileError
from dapreturn.core.signing import keys, sshsig

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DAPRETURN_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_new_key_stores_pair_in_keys_dir(home: Path) -> None:
    info = keys.new_key("BSWA")
    assert info.private_path == home / "keys" / "BSWA_ed25519"
    assert info.private_path == keys.key_path("BSWA")
    assert info.public_path == home / "keys" / "BSWA_ed25519.pub"
    assert info.partner == "BSWA"
    assert info.fingerprint == sshsig.fingerprint(info.public_key)
    assert info.private_path.read_bytes().startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----\n")
    pub_line = info.public_path.read_text()
    assert pub_line == sshsig.public_key_line(info.public_key, "BSWA@dapreturn") + "\n"
    loaded = keys.load_private_key(info.private_path, None)
    assert loaded.public_key().public_bytes_raw() == info.public_key.public_bytes_raw()
    assert not keys.key_needs_passphrase(info.private_path)


def test_new_key_explicit_keys_dir(tmp_path: Path) -> None:
    info = keys.new_key("VAWC-SG", keys_dir=tmp_path / "elsewhere")
    assert info.private_path == tmp_path / "elsewhere" / "VAWC-SG_ed25519"
    assert info.private_path.is_file()


@posix_only
def test_private_key_is_0600() -> None:
    info = keys.new_key("BSWA")
    assert stat.S_IMODE(info.private_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(info.public_path.stat().st_mode) & 0o077 != 0o077  # public is readable


def test_refuses_to_overwrite_without_force() -> None:
    first = keys.new_key("BSWA")
    before = first.private_path.read_bytes()
    with pytest.raises(KeyFileError, match=re.escape(str(first.private_path))):
        keys.new_key("BSWA")
    assert first.private_path.read_bytes() == before
    second = keys.new_key("BSWA", force=True)
    assert second.fingerprint != first.fingerprint
    assert first.private_path.read_bytes() != before


def test_refuses_when_only_public_half_exists() -> None:
    first = keys.new_key("BSWA")
    first.private_path.unlink()
    with pytest.raises(KeyFileError, match=r"BSWA_ed25519\.pub"):
        keys.new_key("BSWA")


@pytest.mark.parametrize("bad", ["", "bswa", "../BSWA", "BS WA", "BSWA/..", "-BSWA"])
def test_partner_code_is_validated(bad: str) -> None:
    with pytest.raises(KeyFileError, match="not a partner code"):
        keys.new_key(bad)


def test_passphrase_round_trip_and_errors() -> None:
    info = keys.new_key("BSWA", passphrase=b"correct horse battery staple")
    raw = info.private_path.read_bytes()
    assert b"correct horse" not in raw
    assert b"bcrypt" in base64.b64decode(b"".join(raw.splitlines()[1:-1]))
    assert keys.key_needs_passphrase(info.private_path)
    key = keys.load_private_key(info.private_path, b"correct horse battery staple")
    assert sshsig.fingerprint(key.public_key()) == info.fingerprint
    with pytest.raises(keys.PassphraseRequired):
        keys.load_private_key(info.private_path, None)
    with pytest.raises(keys.PassphraseRequired):
        keys.load_private_key(info.private_path, b"")
    with pytest.raises(keys.WrongPassphrase) as caught:
        keys.load_private_key(info.private_path, b"wrong")
    assert isinstance(caught.value, KeyFileError)
    assert "wrong passphrase" in str(caught.value)


def test_passphrase_never_written_anywhere(home: Path) -> None:
    secret = b"pa55-Unique-Marker-xyzzy"
    keys.new_key("BSWA", passphrase=secret)
    for path in home.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path


def test_passphrase_ignored_for_unencrypted_key() -> None:
    info = keys.new_key("BSWA")
    key = keys.load_private_key(info.private_path, b"anything")
    assert sshsig.fingerprint(key.public_key()) == info.fingerprint


@posix_only
def test_too_open_permissions_refused_like_ssh() -> None:
    info = keys.new_key("BSWA")
    os.chmod(info.private_path, 0o644)
    with pytest.raises(KeyFileError) as caught:
        keys.load_private_key(info.private_path, None)
    assert str(caught.value).startswith(f"permissions 0644 for '{info.private_path}' are too open")
    os.chmod(info.private_path, 0o640)
    with pytest.raises(KeyFileError, match="0640"):
        keys.key_needs_passphrase(info.private_path)
    os.chmod(info.private_path, 0o400)
    keys.load_private_key(info.private_path, None)


@pytest.mark.parametrize("folder", ["returns", "Returns", "returns/2018-19"])
def test_key_inside_a_returns_folder_refused(tmp_path: Path, folder: str) -> None:
    info = keys.new_key("BSWA")
    target = tmp_path / "share" / folder / "BSWA_ed25519"
    target.parent.mkdir(parents=True)
    shutil.copy2(info.private_path, target)
    os.chmod(target, 0o600)
    with pytest.raises(KeyFileError, match="returns folder"):
        keys.load_private_key(target, None)


def test_key_in_folder_merely_containing_returns_word_is_fine(tmp_path: Path) -> None:
    info = keys.new_key("BSWA")
    target = tmp_path / "my-returns-keys" / "BSWA_ed25519"
    target.parent.mkdir()
    shutil.copy2(info.private_path, target)
    os.chmod(target, 0o600)
    keys.load_private_key(target, None)


def test_missing_and_damaged_files(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="no key file"):
        keys.load_private_key(tmp_path / "nope", None)
    bad = tmp_path / "bad_ed25519"
    bad.write_bytes(b"not a key at all")
    os.chmod(bad, 0o600)
    with pytest.raises(KeyFileError, match="not an OpenSSH private key"):
        keys.load_private_key(bad, None)
    info = keys.new_key("BSWA")
    lines = info.private_path.read_bytes().splitlines(keepends=True)
    damaged = tmp_path / "damaged"
    damaged.write_bytes(b"".join([lines[0], lines[1][:20] + b"\n", lines[-1]]))
    os.chmod(damaged, 0o600)
    with pytest.raises(KeyFileError):
        keys.load_private_key(damaged, None)


def test_rsa_key_refused(tmp_path: Path) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "id_rsa"
    path.write_bytes(
        rsa_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )
    os.chmod(path, 0o600)
    with pytest.raises(KeyFileError, match="Ed25519"):
        keys.load_private_key(path, None)


def test_find_key() -> None:
    assert keys.find_key("BSWA") is None
    made = keys.new_key("BSWA", passphrase=b"secret")
    found = keys.find_key("BSWA")  # no passphrase needed: public half is in clear
    assert found is not None
    assert found.fingerprint == made.fingerprint
    assert found.private_path == made.private_path
    assert keys.find_key("WMP") is None


def test_allowed_signers_line() -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes(32)).public_key()
    line = keys.allowed_signers_line("BSWA", key)
    assert line == f'BSWA namespaces="return@dapreturn" {sshsig.public_key_line(key)}'
    assert line.startswith('BSWA namespaces="return@dapreturn" ssh-ed25519 AAAA')


def test_public_key_text_matches_pub_file() -> None:
    info = keys.new_key("BSWA")
    assert keys.public_key_text(info) + "\n" == info.public_path.read_text()


def test_keys_dir_follows_dapreturn_home(home: Path) -> None:
    assert paths.keys_dir() == home / "keys"
    assert keys.key_path("WMP") == home / "keys" / "WMP_ed25519"
