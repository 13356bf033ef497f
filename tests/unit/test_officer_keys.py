"""Officer keys: the same custody as partner keys, a principal no partner code can take, and
stock ``ssh-keygen -Y verify`` agreeing with our verdict on officer-signed files."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.cli.main import main
from dapreturn.core.errors import KeyFileError
from dapreturn.core.plan.model import PARTNER_CODE_RE
from dapreturn.core.signing.files import NAMESPACE as RETURN_NS
from dapreturn.core.signing.groupsig import (
    CALL,
    DECISION,
    OfficerSigner,
    State,
    sign_group_body,
    verify_group_bytes,
)
from dapreturn.core.signing.keys import key_needs_passphrase, load_private_key
from dapreturn.core.signing.officers import (
    OFFICER_NAMESPACES,
    check_officer_name,
    find_officer_key,
    is_officer_principal,
    new_officer_key,
    officer_signers_line,
)
from dapreturn.core.signing.sshsig import parse_armored
from dapreturn.core.signing.table import split_signed
from dapreturn.core.signing.trust import parse_trust

SSH_KEYGEN = shutil.which("ssh-keygen")
KEY = Ed25519PrivateKey.from_private_bytes(b"O" * 32)
SIGNER = OfficerSigner("officer:jo.bloggs", KEY)


def _body(signed_by: str = "officer:jo.bloggs") -> bytes:
    return (
        f'schema = "{CALL.schema}"\nsigned_by = "{signed_by}"\nissued_at = 2018-12-01T09:00:00Z\n'
    ).encode()


def test_officer_key_custody(tmp_path: Path) -> None:
    """Same custody as a partner key: 0600, passphrase, OpenSSH format, never replaced."""
    info = new_officer_key("jo.bloggs", passphrase=b"s3cret")
    assert info.principal == "officer:jo.bloggs"
    assert stat.S_IMODE(os.stat(info.private_path).st_mode) == 0o600
    assert info.private_path.read_text().startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert key_needs_passphrase(info.private_path)
    assert load_private_key(info.private_path, b"s3cret").public_key() == info.public_key
    assert find_officer_key("jo.bloggs") == info
    with pytest.raises(KeyFileError, match="already stored"):
        new_officer_key("jo.bloggs")


@pytest.mark.parametrize("name", ["Jo", "jo bloggs", "jo:b", "", ".jo", "jo..b", "a" * 41, "BSWA"])
def test_bad_officer_names_refused(name: str) -> None:
    """Names that would not make a clean principal (or a file name) are refused."""
    with pytest.raises(KeyFileError, match="not an officer name"):
        check_officer_name(name)


@pytest.mark.parametrize("text", ["officer:jo.bloggs", "officer:a", "officer:x-1_2"])
def test_officer_principal_never_a_partner_code(text: str) -> None:
    """Every officer principal fails the partner-code pattern, and the reverse."""
    assert is_officer_principal(text)
    assert not PARTNER_CODE_RE.match(text)
    assert not is_officer_principal(text.upper())


def test_cli_keys_new_officer(capsys: pytest.CaptureFixture[str]) -> None:
    """``keys new --officer`` prints the principal, fingerprint and the trust-list line."""
    assert main(["keys", "new", "--officer", "jo.bloggs"]) == 0
    out = capsys.readouterr().out
    info = find_officer_key("jo.bloggs")
    assert info is not None
    assert info.fingerprint in out
    assert officer_signers_line("jo.bloggs", info.public_key) in out
    assert main(["keys", "new", "--officer", "Jo Bloggs"]) == 2
    assert "not an officer name" in capsys.readouterr().err


def _ssh_verify(tmp_path: Path, data: bytes, principal: str, namespace: str, line: str) -> bool:
    assert SSH_KEYGEN is not None
    body, table = split_signed(data)
    assert table is not None
    armored = table.decode().split('"""\n', 1)[1].rsplit('"""', 1)[0]
    (tmp_path / "sig").write_text(parse_armored(armored).armored())
    (tmp_path / "allowed").write_text(line + "\n")
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
    args = ["-f", str(tmp_path / "allowed"), "-I", principal, "-n", namespace]
    run = subprocess.run(
        [SSH_KEYGEN, "-Y", "verify", *args, "-s", str(tmp_path / "sig")],
        input=body,
        capture_output=True,
        env=env,
        check=False,
    )
    return run.returncode == 0


@pytest.mark.skipif(SSH_KEYGEN is None, reason="OpenSSH ssh-keygen is not installed")
@pytest.mark.parametrize(
    ("principal", "namespace", "line_principal", "expect"),
    [
        ("officer:jo.bloggs", CALL.namespace, "officer:jo.bloggs", True),
        ("officer:jo.bloggs", CALL.namespace, "officer:*", True),
        ("officer:jo.bloggs", RETURN_NS, "officer:jo.bloggs", False),
        ("officer:jo.bloggs", DECISION.namespace, "officer:jo.bloggs", False),
        ("officer:other", CALL.namespace, "officer:jo.bloggs", False),
        ("BSWA", CALL.namespace, "officer:jo.bloggs", False),
    ],
)
def test_officer_principal_agrees_with_ssh_keygen(
    tmp_path: Path, principal: str, namespace: str, line_principal: str, expect: bool
) -> None:
    """Stock ssh-keygen and our verifier give the same answer for officer trust lines."""
    data = sign_group_body(_body(), SIGNER, CALL)
    line = officer_signers_line("jo.bloggs", KEY.public_key()).replace(
        "officer:jo.bloggs", line_principal, 1
    )
    assert _ssh_verify(tmp_path, data, principal, namespace, line) is expect
    ours = verify_group_bytes(data, CALL, parse_trust(line, "allowed"), source="f")
    if principal == "officer:jo.bloggs" and namespace == CALL.namespace:
        assert ours.ok is expect


def test_officer_line_never_signs_returns() -> None:
    """The officer trust line lists the group namespaces only."""
    line = officer_signers_line("jo.bloggs", KEY.public_key())
    (entry,) = parse_trust(line, "t").entries
    assert not entry.allows_namespace(RETURN_NS)
    assert all(entry.allows_namespace(ns) for ns in OFFICER_NAMESPACES)
    assert entry.valid_at(datetime(2019, 1, 1, tzinfo=UTC))
    assert (
        verify_group_bytes(sign_group_body(_body(), SIGNER, CALL), CALL, None, source="f").state
        is State.NO_TRUST
    )
