"""Signed return files: signing, splitting, verdicts, tampering and truncation."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from dapreturn.core.errors import SignatureError
from dapreturn.core.signing import files as signing
from dapreturn.core.signing import sshsig
from dapreturn.core.signing import table as sigtable
from dapreturn.core.signing.files import VerdictState as V
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.trust import TrustList, parse_trust

BODY = b'''schema = "dapreturn/return/v1"
plan = "daps-2018-2023"
period = "2018/19 Q3"
partner = "BSWA"
prepared_by = "A. Lead, Service Manager"
revision = 1
submitted_at = 2018-11-14T10:02:11Z

[[entries]]
ref = "3l"
role = "lead"
status = "on_track"
started = 2018-04-01
target = 2023-03-31
responsible = ["Helpline manager"]
action_taken = """
Ask Me ambassadors trained in two wards."""
next_steps = """Extend to a third ward."""
risks = """None."""

[[kpis]]
id = "K1"
value = 42
note = "Q3 count"

'''
KEY = Ed25519PrivateKey.from_private_bytes(b"K" * 32)
OTHER = Ed25519PrivateKey.from_private_bytes(b"O" * 32)
FPR = sshsig.fingerprint(KEY.public_key())


def _trust(*lines: str) -> TrustList:
    return parse_trust("\n".join(lines) + "\n", "allowed_signers")


TRUST = _trust(allowed_signers_line("BSWA", KEY.public_key()))
SIGNED = signing.sign_body(BODY, KEY, "BSWA")


def _verify(data: bytes, trust: TrustList | None = TRUST) -> signing.Verdict:
    return signing.verify_bytes(data, trust, source="r.toml")


# --- signing and the happy path -------------------------------------------------------------


def test_signed_file_is_body_plus_block_and_verifies() -> None:
    assert SIGNED.startswith(BODY)
    block = SIGNED[len(BODY) :]
    assert block.startswith(b"[signature]\n")
    verdict = _verify(SIGNED)
    assert verdict.state is V.VERIFIED
    assert verdict.ok
    assert verdict.message == f"r.toml: verified: BSWA, {FPR}"
    assert verdict.partner == "BSWA"
    assert verdict.fingerprint == FPR
    assert verdict.body == BODY
    assert verdict.signed_at == datetime(2018, 11, 14, 10, 2, 11, tzinfo=UTC)
    assert verdict.plan == "daps-2018-2023"
    assert verdict.period == "2018/19 Q3"


def test_signature_block_text_is_exact() -> None:
    armored = sshsig.sign(BODY, KEY, signing.NAMESPACE)
    block = signing.signature_block("BSWA", KEY.public_key(), armored)
    expected = (
        "[signature]\n"
        'format = "sshsig"\n'
        'namespace = "return@dapreturn"\n'
        'signer = "BSWA"\n'
        f'key = "{FPR}"\n'
        f'armored = """\n{armored}"""\n'
    ).encode()
    assert block == expected
    assert b"\r" not in block
    assert BODY + expected == SIGNED


def test_signature_block_rejects_bad_signer() -> None:
    with pytest.raises(SignatureError):
        signing.signature_block('BSWA"\nx = "', KEY.public_key(), "x")


def test_sign_body_refuses_body_without_final_newline_or_with_header_line() -> None:
    with pytest.raises(SignatureError, match="newline"):
        signing.sign_body(BODY.rstrip(b"\n"), KEY, "BSWA")
    with pytest.raises(SignatureError, match=r"\[signature\]"):
        signing.sign_body(BODY + b'x = """\n[signature]\n"""\n', KEY, "BSWA")


def test_no_trust_list_is_not_verified() -> None:
    verdict = _verify(SIGNED, None)
    assert verdict.state is V.NO_TRUST_LIST
    assert not verdict.ok
    assert FPR in verdict.message and "no trust list" in verdict.message


# --- split_signed ---------------------------------------------------------------------------


def test_split_signed_variants() -> None:
    body, table = sigtable.split_signed(SIGNED)
    assert body == BODY
    assert table is not None and table.startswith(b"[signature]\n")
    assert sigtable.split_signed(BODY) == (BODY, None)
    crlf = SIGNED.replace(b"\n", b"\r\n")
    body, table = sigtable.split_signed(crlf)
    assert body == BODY.replace(b"\n", b"\r\n")
    assert table is not None and table.startswith(b"[signature]\r\n")
    # not at the start of a line, or not exactly the header: not a split point
    assert sigtable.split_signed(b'a = "[signature]"\n [signature]\n')[1] is None
    assert sigtable.split_signed(b"[signature]")[1] == b"[signature]"


def test_split_signed_rejects_two_headers() -> None:
    with pytest.raises(SignatureError, match=r"more than one \[signature\] line \(lines 1, 3\)"):
        sigtable.split_signed(b"[signature]\nx = 1\n[signature]\n")


# --- verdicts -------------------------------------------------------------------------------


def test_crlf_in_transit_is_diagnosed() -> None:
    verdict = _verify(SIGNED.replace(b"\n", b"\r\n"))
    assert verdict.state is V.CRLF
    assert verdict.partner == "BSWA"
    assert verdict.fingerprint == FPR
    assert "line endings changed in transit (CRLF)" in verdict.message


def test_changed_body_is_bad_signature() -> None:
    verdict = _verify(SIGNED.replace(b"value = 42", b"value = 43"))
    assert verdict.state is V.BAD_SIGNATURE
    assert verdict.message == "r.toml: BAD SIGNATURE — the file was changed after signing"
    assert verdict.partner == "BSWA"  # the claim, for the officer's list
    crlf_and_changed = SIGNED.replace(b"value = 42", b"value = 43").replace(b"\n", b"\r\n")
    assert _verify(crlf_and_changed).state is V.BAD_SIGNATURE


def test_wrong_namespace_signature_is_bad_and_says_so() -> None:
    armored = sshsig.sign(BODY, KEY, "file")
    data = BODY + signing.signature_block("BSWA", KEY.public_key(), armored)
    verdict = _verify(data)
    assert verdict.state is V.BAD_SIGNATURE
    assert "namespace 'file'" in verdict.message


def test_unknown_key() -> None:
    verdict = _verify(signing.sign_body(BODY, OTHER, "BSWA"))
    assert verdict.state is V.UNKNOWN_KEY
    other_fpr = sshsig.fingerprint(OTHER.public_key())
    assert verdict.message == f"r.toml: unknown key {other_fpr} (claims BSWA)"


def test_key_of_another_partner() -> None:
    trust = _trust(allowed_signers_line("WMP", OTHER.public_key()), TRUST_LINE)
    verdict = _verify(signing.sign_body(BODY, OTHER, "BSWA"), trust)
    assert verdict.state is V.WRONG_PARTNER
    assert verdict.message == "r.toml: key belongs to another partner (WMP), file claims BSWA"


TRUST_LINE = allowed_signers_line("BSWA", KEY.public_key())
PUB = sshsig.public_key_line(KEY.public_key())


@pytest.mark.parametrize(
    ("line", "state"),
    [
        (f'BSWA namespaces="return@dapreturn",valid-before="20181114100210Z" {PUB}', "expired"),
        (f'BSWA namespaces="return@dapreturn",valid-after="20181114100212Z" {PUB}', "not yet"),
        (f'BSWA namespaces="file,git" {PUB}', "namespace"),
        (f"BSWA cert-authority {PUB}", "cert-authority"),
    ],
)
def test_key_not_valid(line: str, state: str) -> None:
    verdict = _verify(SIGNED, _trust(line))
    if state == "cert-authority":
        assert verdict.state is V.UNKNOWN_KEY
        return
    assert verdict.state is V.KEY_NOT_VALID
    if state in ("expired", "not yet"):
        assert "key not valid at signing time 2018-11-14T10:02:11Z" in verdict.message
        assert "allowed_signers:1" in verdict.message
    else:
        assert "may not sign returns" in verdict.message


def test_validity_boundaries_are_inclusive() -> None:
    line = 'BSWA valid-after="20181114100211Z",valid-before="20181114100212Z" '
    assert _verify(SIGNED, _trust(line + PUB)).state is V.VERIFIED
    line = 'BSWA valid-after="20181114100210Z",valid-before="20181114100211Z" '
    assert _verify(SIGNED, _trust(line + PUB)).state is V.VERIFIED


def test_a_later_valid_line_for_the_same_key_still_counts() -> None:
    trust = _trust(f'BSWA valid-before="20170101Z" {PUB}', f'BSWA valid-after="20180101Z" {PUB}')
    assert _verify(SIGNED, trust).state is V.VERIFIED


def test_principal_wildcards_in_trust_list() -> None:
    assert _verify(SIGNED, _trust(f"BS* {PUB}")).state is V.VERIFIED
    assert _verify(SIGNED, _trust(f"*,!BSWA {PUB}")).state is V.WRONG_PARTNER


def test_not_signed() -> None:
    verdict = _verify(BODY)
    assert verdict.state is V.NOT_SIGNED
    assert verdict.message == "r.toml: not signed"
    assert verdict.partner == "BSWA"
    assert verdict.body == BODY


# --- INVALID --------------------------------------------------------------------------------


def _invalid(data: bytes) -> str:
    verdict = _verify(data)
    assert verdict.state is V.INVALID, verdict
    assert verdict.message.startswith("r.toml: not a return / invalid: ")
    assert "\n" not in verdict.message
    return verdict.message


def test_appended_entries_table_is_rejected_with_line_number() -> None:
    line_no = SIGNED.count(b"\n") + 1
    message = _invalid(SIGNED + b'[[entries]]\nref = "1a"\n')
    assert f"line {line_no}: [[entries]]" in message


def test_appended_second_signature_is_rejected() -> None:
    message = _invalid(SIGNED + SIGNED[len(BODY) :])
    assert "more than one [signature] line" in message


def test_rewrapped_armor_is_rejected() -> None:
    # joining two base64 lines keeps the same signature but is not what dapreturn writes
    armor_start = SIGNED.index(b"-----BEGIN SSH SIGNATURE-----\n") + 30
    line_end = SIGNED.index(b"\n", armor_start)
    assert "not exactly as dapreturn writes it" in _invalid(
        SIGNED[:line_end] + SIGNED[line_end + 1 :]
    )


@pytest.mark.parametrize(
    "extra",
    [b'extra = "x"\n', b"# looks official: approved\n", b"\n", b"[signature.more]\nx = 1\n"],
)
def test_anything_else_after_signature_is_rejected(extra: bytes) -> None:
    _invalid(SIGNED + extra)


def test_extra_key_inside_table_is_rejected() -> None:
    _invalid(SIGNED.replace(b'format = "sshsig"\n', b'format = "sshsig"\nnote = "hi"\n'))


def test_missing_key_in_table_is_rejected() -> None:
    _invalid(SIGNED.replace(b'format = "sshsig"\n', b""))


def test_signer_must_match_body_partner() -> None:
    data = BODY + signing.signature_block(
        "WMP", KEY.public_key(), sshsig.sign(BODY, KEY, signing.NAMESPACE)
    )
    assert "signer WMP is not partner BSWA" in _invalid(data)


def test_key_label_must_match_signature_key() -> None:
    other = sshsig.fingerprint(OTHER.public_key())
    assert "not the signing key" in _invalid(SIGNED.replace(FPR.encode(), other.encode()))


def test_toml_error_in_table_reports_file_line() -> None:
    line_no = BODY.count(b"\n") + 2
    message = _invalid(SIGNED.replace(b'format = "sshsig"', b"format = sshsig"))
    assert f"(at line {line_no}, column" in message


def test_body_problems() -> None:
    assert "(at line 2," in _invalid(b'schema = "dapreturn/return/v1"\nplan = \n')
    assert "schema" in _invalid(b'plan = "x"\n')
    assert "partner" in _invalid(BODY.replace(b'partner = "BSWA"\n', b""))
    naive = BODY.replace(b"10:02:11Z", b"10:02:11")
    assert "submitted_at" in _invalid(signing.sign_body(naive, KEY, "BSWA"))
    assert "UTF-8" in _invalid(b"\xff\xfe")
    assert "line of its own" in _invalid(BODY + b"[ signature ]\nx = 1\n")


# --- tampering and truncation: never VERIFIED -----------------------------------------------


@pytest.mark.parametrize("mask", [0x01, 0x20, 0x80, 0xFF])
def test_every_single_byte_change_is_never_verified(mask: int) -> None:
    data = bytearray(SIGNED)
    for index in range(len(data)):
        data[index] ^= mask
        verdict = _verify(bytes(data))
        assert verdict.state is not V.VERIFIED, (index, mask)
        data[index] ^= mask
    assert _verify(bytes(data)).state is V.VERIFIED


def test_every_truncation_is_never_verified() -> None:
    for size in range(len(SIGNED)):
        assert _verify(SIGNED[:size]).state is not V.VERIFIED, size


def test_every_single_byte_deletion_is_never_verified() -> None:
    for index in range(len(SIGNED)):
        assert _verify(SIGNED[:index] + SIGNED[index + 1 :]).state is not V.VERIFIED, index


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes_never_raise(data: bytes) -> None:
    verdict = _verify(data)
    assert verdict.state is not V.VERIFIED
    assert "\n" not in verdict.message


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(SIGNED)), st.binary(min_size=1, max_size=40))
def test_fuzz_insertions_never_verified(at: int, junk: bytes) -> None:
    assert _verify(SIGNED[:at] + junk + SIGNED[at:]).state is not V.VERIFIED


# --- files ----------------------------------------------------------------------------------


def test_verify_file(tmp_path: Path) -> None:
    path = tmp_path / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
    path.write_bytes(SIGNED)
    verdict = signing.verify_file(path, TRUST)
    assert verdict.state is V.VERIFIED
    assert verdict.message.startswith(f"{path}: verified")


def test_verify_file_unreadable_or_too_large(tmp_path: Path) -> None:
    missing = signing.verify_file(tmp_path / "missing.toml", TRUST)
    assert missing.state is V.INVALID
    assert "No such file" in missing.message
    assert signing.verify_file(tmp_path, TRUST).state is V.INVALID
    big = tmp_path / "big.toml"
    big.write_bytes(SIGNED + b"#" * (5 * 1024 * 1024))
    verdict = signing.verify_file(big, TRUST)
    assert verdict.state is V.INVALID
    assert "too large" in verdict.message


def test_export_for_openssh(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_bytes(SIGNED)
    body_path, sig_path = signing.export_for_openssh(path)
    assert body_path == tmp_path / "r.toml.body"
    assert sig_path == tmp_path / "r.toml.sig"
    assert body_path.read_bytes() == BODY
    sig = sshsig.parse_armored(sig_path.read_text())
    sshsig.verify(body_path.read_bytes(), sig, "return@dapreturn")
    assert path.read_bytes() == SIGNED  # the return itself is untouched
    unsigned = tmp_path / "u.toml"
    unsigned.write_bytes(BODY)
    with pytest.raises(SignatureError, match="not signed"):
        signing.export_for_openssh(unsigned)


@pytest.mark.skipif(os.name != "posix", reason="needs chmod")
def test_verify_file_permission_denied(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "r.toml"
    path.write_bytes(SIGNED)
    path.chmod(0)
    assert signing.verify_file(path, TRUST).state is V.INVALID


def test_signature_table_not_in_the_written_shape_gets_tomllib_message() -> None:
    table = sigtable.split_signed(SIGNED)[1]
    assert table is not None
    odd = table.replace(b'format = "sshsig"', b"format = 'sshsig'")
    assert sigtable.parse_table(odd, 20)["format"] == "sshsig"
    with pytest.raises(SignatureError, match=r"line 22"):
        sigtable.parse_table(table.replace(b"format =", b"format"), 20)
