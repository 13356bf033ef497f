"""SSHSIG framing, armor, parsing and verification (no external tools needed)."""

from __future__ import annotations

import base64
import hashlib
import struct
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from dapreturn.core.errors import SignatureError
from dapreturn.core.signing import sshsig

DATA = Path(__file__).resolve().parent.parent / "data" / "sshsig"
NS = "return@dapreturn"
SEED = bytes(range(32))


def _key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(SEED)


def _s(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _armor(blob: bytes) -> str:
    enc = base64.b64encode(blob).decode()
    lines = [enc[i : i + 70] for i in range(0, len(enc), 70)]
    return "\n".join([sshsig.ARMOR_BEGIN, *lines, sshsig.ARMOR_END]) + "\n"


def _blob(
    *,
    magic: bytes = b"SSHSIG",
    version: int = 1,
    key_blob: bytes | None = None,
    namespace: bytes = NS.encode(),
    reserved: bytes = b"",
    hash_alg: bytes = b"sha512",
    sig_blob: bytes | None = None,
    trailer: bytes = b"",
) -> bytes:
    key = _key()
    if key_blob is None:
        key_blob = sshsig.public_key_blob(key.public_key())
    if sig_blob is None:
        sig_blob = _s(b"ssh-ed25519") + _s(b"\x00" * 64)
    return (
        magic
        + struct.pack(">I", version)
        + _s(key_blob)
        + _s(namespace)
        + _s(reserved)
        + _s(hash_alg)
        + _s(sig_blob)
        + trailer
    )


# --- round trips and formatting -------------------------------------------------------------


def test_sign_parse_verify_round_trip() -> None:
    key = _key()
    armored = sshsig.sign(b"hello\n", key, NS)
    sig = sshsig.parse_armored(armored)
    assert sig.namespace == NS
    assert sig.hash_alg == "sha512"
    assert sig.public_key_blob == sshsig.public_key_blob(key.public_key())
    assert len(sig.signature) == 64
    sshsig.verify(b"hello\n", sig, NS)


def test_sha256_round_trip() -> None:
    armored = sshsig.sign(b"x", _key(), NS, hash_alg="sha256")
    sig = sshsig.parse_armored(armored)
    assert sig.hash_alg == "sha256"
    sshsig.verify(b"x", sig, NS)


def test_armor_format_matches_ssh_keygen_layout() -> None:
    armored = sshsig.sign(b"a" * 1000, _key(), NS)
    lines = armored.split("\n")
    assert lines[0] == "-----BEGIN SSH SIGNATURE-----"
    assert lines[-2] == "-----END SSH SIGNATURE-----"
    assert lines[-1] == ""  # ends with exactly one newline
    body = lines[1:-2]
    assert all(len(line) == 70 for line in body[:-1])
    assert 0 < len(body[-1]) <= 70
    assert base64.b64decode("".join(body)).startswith(b"SSHSIG\x00\x00\x00\x01")


def test_parsed_signature_re_armors_identically() -> None:
    armored = sshsig.sign(b"m", _key(), NS)
    assert sshsig.parse_armored(armored).armored() == armored
    vector = (DATA / "ed25519.sig").read_text()
    assert sshsig.parse_armored(vector).armored() == vector


def test_signature_is_deterministic() -> None:
    assert sshsig.sign(b"m", _key(), NS) == sshsig.sign(b"m", _key(), NS)


def test_parse_tolerates_crlf_and_surrounding_space() -> None:
    armored = sshsig.sign(b"m", _key(), NS)
    sig = sshsig.parse_armored("\n  " + armored.replace("\n", "\r\n") + "  \n")
    sshsig.verify(b"m", sig, NS)


def test_fingerprint_and_public_key_line() -> None:
    pub = _key().public_key()
    blob = sshsig.public_key_blob(pub)
    expected = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    assert sshsig.fingerprint(pub) == "SHA256:" + expected
    assert "=" not in sshsig.fingerprint(pub)
    openssh = pub.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert sshsig.public_key_line(pub) == openssh.decode()
    assert sshsig.public_key_line(pub, "BSWA") == openssh.decode() + " BSWA"


def test_sign_rejects_bad_arguments() -> None:
    with pytest.raises(SignatureError, match="namespace"):
        sshsig.sign(b"m", _key(), "")
    with pytest.raises(SignatureError, match="hash algorithm"):
        sshsig.sign(b"m", _key(), NS, hash_alg="md5")


# --- verification failures ------------------------------------------------------------------


def test_verify_changed_message_says_data_does_not_match() -> None:
    sig = sshsig.parse_armored(sshsig.sign(b"original", _key(), NS))
    with pytest.raises(SignatureError, match="does not match the data"):
        sshsig.verify(b"originaL", sig, NS)


def test_verify_wrong_namespace_says_namespace() -> None:
    sig = sshsig.parse_armored(sshsig.sign(b"m", _key(), "file"))
    with pytest.raises(SignatureError, match="namespace 'file' does not match"):
        sshsig.verify(b"m", sig, NS)


def test_verify_signature_from_other_key_in_blob_fails() -> None:
    armored = sshsig.sign(b"m", _key(), NS)
    other = Ed25519PrivateKey.generate().public_key()
    raw = base64.b64decode("".join(armored.splitlines()[1:-1]))
    swapped = raw.replace(
        sshsig.public_key_blob(_key().public_key()), sshsig.public_key_blob(other)
    )
    sig = sshsig.parse_armored(_armor(swapped))
    with pytest.raises(SignatureError, match="does not match"):
        sshsig.verify(b"m", sig, NS)


# --- OpenSSH's own regress vector -----------------------------------------------------------


def test_openssh_regress_vector_verifies() -> None:
    message = (DATA / "signed-data").read_bytes()
    namespace = (DATA / "namespace").read_text()
    sig = sshsig.parse_armored((DATA / "ed25519.sig").read_text())
    sshsig.verify(message, sig, namespace)
    pub_line = (DATA / "ed25519.pub").read_text().split()
    assert sshsig.public_key_line(sig.public_key) == " ".join(pub_line[:2])
    with pytest.raises(SignatureError):
        sshsig.verify(message + b"!", sig, namespace)


def test_openssh_regress_key_reproduces_vector_byte_for_byte() -> None:
    key = serialization.load_ssh_private_key((DATA / "ed25519").read_bytes(), None)
    assert isinstance(key, Ed25519PrivateKey)
    message = (DATA / "signed-data").read_bytes()
    namespace = (DATA / "namespace").read_text()
    assert sshsig.sign(message, key, namespace) == (DATA / "ed25519.sig").read_text()


# --- malformed input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blob", "reason"),
    [
        (_blob(magic=b"SSHSIH"), "bad magic"),
        (_blob(version=2), "version 2"),
        (_blob(key_blob=_s(b"ssh-rsa") + _s(b"\x01\x00\x01") + _s(b"\x00" * 64)), "ssh-rsa"),
        (_blob(key_blob=_s(b"ssh-ed25519") + _s(b"\x00" * 31)), "32 bytes"),
        (_blob(key_blob=_s(b"ssh-ed25519") + _s(b"\x00" * 32) + b"x"), "trailing"),
        (_blob(reserved=b"x"), "reserved"),
        (_blob(hash_alg=b"md5"), "hash algorithm 'md5'"),
        (_blob(namespace=b"\xff\xfe"), "UTF-8"),
        (_blob(sig_blob=_s(b"ssh-rsa") + _s(b"\x00" * 64)), "signature type 'ssh-rsa'"),
        (_blob(sig_blob=_s(b"ssh-ed25519") + _s(b"\x00" * 63)), "64 bytes"),
        (_blob(sig_blob=_s(b"ssh-ed25519") + _s(b"\x00" * 64) + b"!"), "trailing"),
        (_blob(trailer=b"\x00"), "trailing"),
        (_blob()[:-10], "truncated"),
        (b"SSHSIG", "truncated"),
        (b"SSHSIG\x00\x00\x00\x01\xff\xff\xff\xff", "truncated"),
    ],
)
def test_parse_rejects_malformed_blobs(blob: bytes, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        sshsig.parse_armored(_armor(blob))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "must start with"),
        ("hello", "must start with"),
        ("-----BEGIN SSH SIGNATURE-----\nAAAA\n", "must end with"),
        ("-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n", "empty"),
        ("-----BEGIN SSH SIGNATURE-----\nU1NI*0lH\n-----END SSH SIGNATURE-----\n", "base64"),
        ("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH=\n-----END SSH SIGNATURE-----\n", "base64"),
        ("-----BEGIN SSH SIGNATURE-----\nU1NIU0l=\n-----END SSH SIGNATURE-----\n", "canonical"),
        ("-----BEGIN SSH SIGNATURE-----\nÜ1NIU0lH\n-----END SSH SIGNATURE-----\n", "base64"),
    ],
)
def test_parse_rejects_malformed_armor(text: str, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        sshsig.parse_armored(text)


def test_public_key_from_blob_rejects_other_types_clearly() -> None:
    with pytest.raises(SignatureError, match="only ssh-ed25519 keys are accepted"):
        sshsig.public_key_from_blob(_s(b"ecdsa-sha2-nistp256") + _s(b"nistp256") + _s(b"\x04"))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fuzz_text_only_raises_signature_error(text: str) -> None:
    try:
        sshsig.parse_armored(text)
    except SignatureError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_blob_only_raises_signature_error(blob: bytes) -> None:
    try:
        sshsig.parse_armored(_armor(b"SSHSIG\x00\x00\x00\x01" + blob))
    except SignatureError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_fuzz_mutated_valid_blob_never_verifies(data: st.DataObject) -> None:
    armored = sshsig.sign(b"message", _key(), NS)
    raw = bytearray(base64.b64decode("".join(armored.splitlines()[1:-1])))
    index = data.draw(st.integers(0, len(raw) - 1))
    raw[index] ^= data.draw(st.integers(1, 255))
    try:
        sig = sshsig.parse_armored(_armor(bytes(raw)))
        sshsig.verify(b"message", sig, NS)
    except SignatureError:
        return
    pytest.fail(f"mutated byte {index} still verified")
