"""Key custody, end to end through the command line (``tests/unit/test_keys.py`` covers the API).

- the private key is written 0600 (even under umask 0) in a 0700 folder, and a key that group or
  others can read is refused — every one of the six bits, by ``dapreturn sign`` as well;
- a passphrase is never written anywhere: after creating a protected key, signing, verifying
  and exporting, no file under DAPRETURN_HOME, the output folder or the working folder holds
  the passphrase (UTF-8, UTF-16, base64) — and no signed file holds private key material;
- a key is never created in, or used from, a folder called ``returns``.
"""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from dapreturn.cli import main
from dapreturn.core import paths
from dapreturn.core.errors import KeyFileError
from dapreturn.core.schemas import RETURN_FILE_GLOB
from dapreturn.core.signing import keys

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

PASSPHRASE = "Tr0ub4dor&3 — ñandú 🔑 unique-marker-5b1f"
DRAFT = """\
plan = "daps-2018-2023"
period = "2018/19 Q3"
partner = "BSWA"
prepared_by = "Jo Bloggs, Service Manager"

[[entries]]
ref = "3l"
status = "on_track"
action_taken = "Trained 12 Ask Me ambassadors."
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with its own DAPRETURN_HOME; the draft is ready to sign."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DAPRETURN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DAPRETURN_PASSPHRASE", raising=False)
    (tmp_path / "draft.toml").write_text(DRAFT)
    return tmp_path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_key_files_and_folder_are_owner_only_even_with_umask_0(workdir: Path) -> None:
    old = os.umask(0)
    try:
        assert main(["keys", "new", "--partner", "BSWA"]) == 0
    finally:
        os.umask(old)
    private = workdir / "home" / "keys" / "BSWA_ed25519"
    assert _mode(private) == 0o600
    assert _mode(private.parent) == 0o700
    assert _mode(private.with_name("BSWA_ed25519.pub")) & 0o022 == 0  # readable, not writable


@pytest.mark.parametrize("bit", [0o040, 0o020, 0o010, 0o004, 0o002, 0o001])
def test_every_group_or_world_bit_is_refused(
    workdir: Path, bit: int, capsys: pytest.CaptureFixture[str]
) -> None:
    info = keys.new_key("BSWA")
    os.chmod(info.private_path, 0o600 | bit)
    with pytest.raises(KeyFileError, match="too open"):
        keys.load_private_key(info.private_path, None)
    capsys.readouterr()
    assert main(["sign", "draft.toml", "--key", str(info.private_path)]) == 2
    err = capsys.readouterr().err
    assert f"permissions {0o600 | bit:04o}" in err and "chmod 600" in err
    out = paths.default_returns_dir()
    assert not out.exists() or not any(out.iterdir())
    os.chmod(info.private_path, 0o400)  # owner-read-only is fine
    keys.load_private_key(info.private_path, None)


def test_a_symlink_to_a_world_readable_key_is_refused(workdir: Path) -> None:
    info = keys.new_key("BSWA")
    exposed = workdir / "shared" / "key"
    exposed.parent.mkdir()
    exposed.write_bytes(info.private_path.read_bytes())
    os.chmod(exposed, 0o644)
    link = workdir / "home" / "keys" / "linked_ed25519"
    link.symlink_to(exposed)
    with pytest.raises(KeyFileError, match="too open"):
        keys.load_private_key(link, None)


def _needles(secret: str) -> list[bytes]:
    raw = secret.encode("utf-8")
    return [
        raw,
        secret.encode("utf-16-le"),
        secret.encode("utf-16-be"),
        base64.b64encode(raw),
        raw.hex().encode(),
        b"unique-marker-5b1f",
    ]


def _all_files(*roots: Path) -> list[Path]:
    found = []
    for root in roots:
        found.extend(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return found


def test_a_passphrase_is_never_written_anywhere(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DAPRETURN_PASSPHRASE", PASSPHRASE)
    assert main(["keys", "new", "--partner", "BSWA", "--passphrase"]) == 0
    trust_line = capsys.readouterr().out.strip().splitlines()[-1]
    private = workdir / "home" / "keys" / "BSWA_ed25519"
    assert keys.key_needs_passphrase(private)
    assert main(["sign", "draft.toml", "--out", "out"]) == 0
    (workdir / "allowed_signers").write_text(trust_line + "\n")
    signed = next((workdir / "out").glob(RETURN_FILE_GLOB))
    assert main(["verify", str(signed), "--trust", "allowed_signers", "--export"]) == 0
    assert main(["keys", "show"]) == 0
    assert main(["keys", "export", "-o", "pub.txt"]) == 0
    printed = capsys.readouterr()
    files = _all_files(workdir)
    assert len(files) >= 8, files  # key pair, draft, signed file, .body, .sig, trust, pub.txt
    for path in files:
        data = path.read_bytes()
        for needle in _needles(PASSPHRASE):
            assert needle not in data, f"passphrase found in {path}"
    assert PASSPHRASE not in printed.out and PASSPHRASE not in printed.err
    # and the wrong passphrase signs nothing
    monkeypatch.setenv("DAPRETURN_PASSPHRASE", "wrong")
    assert main(["sign", "draft.toml", "--out", "out2"]) == 2
    assert "wrong passphrase" in capsys.readouterr().err
    assert not (workdir / "out2").exists() or not any((workdir / "out2").iterdir())


def test_no_private_key_material_leaves_the_key_file(workdir: Path) -> None:
    info = keys.new_key("BSWA")
    assert main(["sign", "draft.toml", "--out", "out"]) == 0
    key = keys.load_private_key(info.private_path, None)
    seed = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    pem_body = b"".join(info.private_path.read_bytes().splitlines()[1:-1])
    for path in _all_files(workdir / "out", workdir / "draft.toml"):
        data = path.read_bytes()
        assert b"PRIVATE KEY" not in data
        assert seed not in data and base64.b64encode(seed)[:40] not in data
        assert pem_body[40:120] not in data


def test_a_key_is_never_created_in_a_returns_folder(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DAPRETURN_HOME", str(workdir / "Returns" / "2018-19" / ".dapreturn"))
    assert main(["keys", "new", "--partner", "BSWA"]) == 2
    assert "must never be created in a returns folder" in capsys.readouterr().err
    assert not (workdir / "Returns").exists() or not _all_files(workdir / "Returns")
    with pytest.raises(KeyFileError, match="returns folder"):
        keys.new_key("BSWA", keys_dir=workdir / "returns")


def test_a_key_copied_into_a_returns_folder_is_refused_by_sign(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    info = keys.new_key("BSWA")
    copy = workdir / "returns" / "BSWA_ed25519"
    copy.parent.mkdir()
    copy.write_bytes(info.private_path.read_bytes())
    os.chmod(copy, 0o600)
    assert main(["sign", "draft.toml", "--key", str(copy), "--out", "out"]) == 2
    assert "must never be kept in a returns folder" in capsys.readouterr().err
    assert not (workdir / "out").exists()
