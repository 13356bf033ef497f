"""Interoperability with real OpenSSH ``ssh-keygen``: signatures, keys, trust lists.

Every scenario is run through both ``ssh-keygen -Y verify`` and our verifier, and the two must
agree. The negative cases mirror OpenSSH's ``regress/sshsig.sh``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core.errors import TrustListError
from dapreturn.core.signing import files as signing
from dapreturn.core.signing import keys, sshsig
from dapreturn.core.signing.files import VerdictState as V
from dapreturn.core.signing.trust import parse_trust

SSH_KEYGEN = shutil.which("ssh-keygen") or (
    "/usr/bin/ssh-keygen" if os.path.exists("/usr/bin/ssh-keygen") else None
)
pytestmark = pytest.mark.skipif(
    SSH_KEYGEN is None, reason="OpenSSH ssh-keygen is not installed; interop cannot be checked"
)

DATA = Path(__file__).resolve().parent.parent / "data" / "sshsig"
NS = signing.NAMESPACE
KEY = Ed25519PrivateKey.from_private_bytes(b"I" * 32)
PUB = sshsig.public_key_line(KEY.public_key())


def _body(submitted_at: str = "2018-11-14T10:02:11Z", partner: str = "BSWA") -> bytes:
    return (
        'schema = "dapreturn/return/v1"\n'
        'plan = "daps-2018-2023"\n'
        'period = "2018/19 Q3"\n'
        f'partner = "{partner}"\n'
        "revision = 1\n"
        f"submitted_at = {submitted_at}\n"
        "\n"
        "[[entries]]\n"
        'ref = "3l"\n'
        'status = "on_track"\n'
        "\n"
    ).encode()


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
    env["TZ"] = "UTC"
    return env


def _keygen(
    *args: str, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    assert SSH_KEYGEN is not None
    return subprocess.run(
        [SSH_KEYGEN, *args], input=stdin, capture_output=True, env=_env(), cwd=cwd, check=False
    )


def _write_private(tmp_path: Path, key: Ed25519PrivateKey, name: str = "key") -> Path:
    path = tmp_path / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.OpenSSH,
                serialization.NoEncryption(),
            )
        )
    return path


def _ssh_verify(
    tmp_path: Path,
    allowed: str,
    sig: str,
    message: bytes,
    *,
    principal: str = "BSWA",
    namespace: str = NS,
    when: str | None = None,
) -> bool:
    (tmp_path / "allowed_signers").write_text(allowed + "\n")
    (tmp_path / "msg.sig").write_text(sig)
    args = ["-Y", "verify", "-f", "allowed_signers", "-I", principal, "-n", namespace]
    args += ["-s", "msg.sig"]
    if when:
        args.append(f"-Overify-time={when}")
    return _keygen(*args, stdin=message, cwd=tmp_path).returncode == 0


# --- keys and fingerprints ------------------------------------------------------------------


def test_fingerprint_matches_ssh_keygen_l(tmp_path: Path) -> None:
    info = keys.new_key("BSWA")
    result = _keygen("-lf", str(info.public_path))
    assert result.returncode == 0, result.stderr
    bits, fpr, *_ = result.stdout.decode().split()
    assert bits == "256"
    assert fpr == info.fingerprint
    private = _keygen("-lf", str(info.private_path))
    assert private.stdout.decode().split()[1] == info.fingerprint


def test_our_encrypted_key_opens_in_ssh_keygen(tmp_path: Path) -> None:
    info = keys.new_key("BSWA", passphrase=b"s3cret phrase")
    result = _keygen("-y", "-P", "s3cret phrase", "-f", str(info.private_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split()[:2] == sshsig.public_key_line(info.public_key).split()
    assert _keygen("-y", "-P", "wrong", "-f", str(info.private_path)).returncode != 0


def test_ssh_keygen_keys_load_here(tmp_path: Path) -> None:
    for passphrase in ("", "pass word"):
        path = tmp_path / f"k{len(passphrase)}"
        made = _keygen("-q", "-t", "ed25519", "-N", passphrase, "-C", "x", "-f", str(path))
        assert made.returncode == 0, made.stderr
        assert keys.key_needs_passphrase(path) is bool(passphrase)
        key = keys.load_private_key(path, passphrase.encode() or None)
        pub = path.with_name(path.name + ".pub").read_text().split()
        assert sshsig.public_key_line(key.public_key()).split() == pub[:2]
    with pytest.raises(keys.WrongPassphrase):
        keys.load_private_key(tmp_path / "k9", b"nope")


# --- signatures both ways -------------------------------------------------------------------


def test_our_signature_verifies_with_ssh_keygen(tmp_path: Path) -> None:
    body = _body()
    sig = sshsig.sign(body, KEY, NS)
    allowed = keys.allowed_signers_line("BSWA", KEY.public_key())
    assert _ssh_verify(tmp_path, allowed, sig, body)
    assert not _ssh_verify(tmp_path, allowed, sig, body + b"x")


def test_armored_text_is_byte_identical_to_ssh_keygen(tmp_path: Path) -> None:
    key_path = _write_private(tmp_path, KEY)
    for message in (_body(), b"", b"x" * 5000):
        result = _keygen("-Y", "sign", "-f", str(key_path), "-n", NS, "-", stdin=message)
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode() == sshsig.sign(message, KEY, NS)


def test_ssh_keygen_signature_verifies_here(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    key_path = _write_private(tmp_path, key)
    body = _body()
    result = _keygen("-Y", "sign", "-f", str(key_path), "-n", NS, "-", stdin=body)
    armored = result.stdout.decode()
    sshsig.verify(body, sshsig.parse_armored(armored), NS)
    # and a return assembled around OpenSSH's signature verifies end to end
    data = body + signing.signature_block("BSWA", key.public_key(), armored)
    trust = parse_trust(keys.allowed_signers_line("BSWA", key.public_key()), "as")
    assert signing.verify_bytes(data, trust, source="r.toml").state is V.VERIFIED


def test_openssh_regress_vector_with_both(tmp_path: Path) -> None:
    message = (DATA / "signed-data").read_bytes()
    namespace = (DATA / "namespace").read_text()
    armored = (DATA / "ed25519.sig").read_text()
    sshsig.verify(message, sshsig.parse_armored(armored), namespace)
    pub = " ".join((DATA / "ed25519.pub").read_text().split()[:2])
    assert _ssh_verify(
        tmp_path, f"tester {pub}", armored, message, principal="tester", namespace=namespace
    )


def test_export_for_openssh_verifies_with_ssh_keygen(tmp_path: Path) -> None:
    path = tmp_path / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
    path.write_bytes(signing.sign_body(_body(), KEY, "BSWA"))
    body_path, sig_path = signing.export_for_openssh(path)
    (tmp_path / "allowed_signers").write_text(
        keys.allowed_signers_line("BSWA", KEY.public_key()) + "\n"
    )
    args = ["-Y", "verify", "-f", "allowed_signers", "-I", "BSWA", "-n", NS, "-s", sig_path.name]
    good = _keygen(*args, stdin=body_path.read_bytes(), cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    assert b"Good" in good.stdout
    tampered = body_path.read_bytes().replace(b"on_track", b"complete")
    assert _keygen(*args, stdin=tampered, cwd=tmp_path).returncode != 0


# --- negative cases from regress/sshsig.sh: both verifiers must agree -----------------------

WRONG = sshsig.public_key_line(Ed25519PrivateKey.from_private_bytes(b"W" * 32).public_key())
SPAN = 'valid-after="19800101Z",valid-before="19900101Z"'


@pytest.mark.parametrize(
    ("name", "allowed", "when", "ok", "state"),
    [
        ("plain", f"BSWA {PUB}", "19850101Z", True, V.VERIFIED),
        (
            "limited namespace",
            f'BSWA namespaces="{NS},whatever" {PUB}',
            "19850101Z",
            True,
            V.VERIFIED,
        ),
        ("wrong key trusted", f"BSWA {WRONG}", "19850101Z", False, V.UNKNOWN_KEY),
        ("wrong principal", f"josef.k {PUB}", "19850101Z", False, V.WRONG_PARTNER),
        (
            "excluded namespace",
            f'BSWA namespaces="whatever" {PUB}',
            "19850101Z",
            False,
            V.KEY_NOT_VALID,
        ),
        ("lifespan valid", f"BSWA {SPAN} {PUB}", "19850101Z", True, V.VERIFIED),
        ("not yet valid", f"BSWA {SPAN} {PUB}", "19790101Z", False, V.KEY_NOT_VALID),
        ("expired", f"BSWA {SPAN} {PUB}", "19910101Z", False, V.KEY_NOT_VALID),
        ("valid-before edge", f"BSWA {SPAN} {PUB}", "19900101000000Z", True, V.VERIFIED),
        ("after valid-before", f"BSWA {SPAN} {PUB}", "19900101000001Z", False, V.KEY_NOT_VALID),
        ("valid-after edge", f"BSWA {SPAN} {PUB}", "19800101000000Z", True, V.VERIFIED),
        ("wildcard principal", f"BS*,!BSX {PUB}", "19850101Z", True, V.VERIFIED),
        ("negated principal", f"*,!BSWA {PUB}", "19850101Z", False, V.WRONG_PARTNER),
        ("cert-authority", f"BSWA cert-authority {PUB}", "19850101Z", False, V.UNKNOWN_KEY),
        *[
            (
                f"two spans at {when}",
                f'BSWA valid-after="19800101Z",valid-before="19900101Z" {PUB}\n'
                f'BSWA valid-after="19850101Z",valid-before="20000101Z" {PUB}',
                when,
                ok,
                V.VERIFIED if ok else V.KEY_NOT_VALID,
            )
            for when, ok in [
                ("20100101Z", False),
                ("19830101Z", True),
                ("19880101Z", True),
                ("19950101Z", True),
            ]
        ],
    ],
)
def test_scenarios_agree_with_ssh_keygen(
    tmp_path: Path, name: str, allowed: str, when: str, ok: bool, state: V
) -> None:
    stamp = datetime.strptime(when.rstrip("Z").ljust(14, "0"), "%Y%m%d%H%M%S")
    body = _body(stamp.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    sig = sshsig.sign(body, KEY, NS)
    assert _ssh_verify(tmp_path, allowed, sig, body, when=when) is ok, name
    data = body + signing.signature_block("BSWA", KEY.public_key(), sig)
    verdict = signing.verify_bytes(data, parse_trust(allowed, "as"), source="r.toml")
    assert verdict.state is state, verdict.message


def test_wrong_data_and_wrong_namespace_agree(tmp_path: Path) -> None:
    body = _body()
    sig = sshsig.sign(body, KEY, NS)
    allowed = f"BSWA {PUB}"
    assert not _ssh_verify(tmp_path, allowed, sig, body + body)
    assert not _ssh_verify(tmp_path, allowed, sig, body, namespace="COWS_COWS_COWS")
    trust = parse_trust(allowed, "as")
    data = body + signing.signature_block("BSWA", KEY.public_key(), sig)
    changed = data.replace(b"on_track", b"off_trck")
    assert signing.verify_bytes(changed, trust, source="r").state is V.BAD_SIGNATURE
    other_ns = body + signing.signature_block(
        "BSWA", KEY.public_key(), sshsig.sign(body, KEY, "COWS_COWS_COWS")
    )
    assert signing.verify_bytes(other_ns, trust, source="r").state is V.BAD_SIGNATURE


@pytest.mark.parametrize(
    "allowed",
    [
        f"BSWA octopus {PUB}",
        f'BSWA valid-after="19900101Z",valid-before="19900101Z" {PUB}',
        f"BSWA namespaces=unquoted {PUB}",
    ],
)
def test_bad_trust_lines_rejected_by_both(tmp_path: Path, allowed: str) -> None:
    body = _body()
    assert not _ssh_verify(tmp_path, allowed, sshsig.sign(body, KEY, NS), body, when="19850101Z")
    parsed = parse_trust(allowed, "as")
    assert not parsed.entries
    assert [p.split(": ")[0] for p in parsed.problems] == ["as:1"]
    with pytest.raises(TrustListError, match=r"^as:1: "):
        parse_trust(allowed, "as", strict=True)
