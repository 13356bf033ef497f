"""allowed_signers parsing, matching and appending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from dapreturn.core.errors import TrustListError
from dapreturn.core.signing import sshsig, trust

KEY_A = Ed25519PrivateKey.from_private_bytes(b"A" * 32).public_key()
KEY_B = Ed25519PrivateKey.from_private_bytes(b"B" * 32).public_key()
A = sshsig.public_key_line(KEY_A)
B = sshsig.public_key_line(KEY_B)
RSA = (
    rsa.generate_private_key(public_exponent=65537, key_size=1024)
    .public_key()
    .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    .decode()
)


def _one(line: str, **kw: object) -> trust.TrustEntry:
    parsed = trust.parse_trust(line, "allowed_signers", **kw)  # type: ignore[arg-type]
    assert len(parsed.entries) == 1
    return parsed.entries[0]


def test_plain_line() -> None:
    entry = _one(f"BSWA {A} partner key")
    assert entry.principals == ("BSWA",)
    assert entry.namespaces is None
    assert entry.valid_after is None and entry.valid_before is None
    assert entry.key_type == "ssh-ed25519"
    assert entry.key_blob == sshsig.public_key_blob(KEY_A)
    assert entry.comment == "partner key"
    assert entry.line_no == 1
    assert entry.allows_namespace("anything")


def test_comments_blank_lines_and_line_numbers() -> None:
    text = f"# steering group trust list\n\n   \nBSWA {A}\n  # indented comment\nWMP {B}\n"
    parsed = trust.parse_trust(text, "as")
    assert [e.line_no for e in parsed.entries] == [4, 6]
    assert [e.where for e in parsed.entries] == ["as:4", "as:6"]


def test_options_namespaces_and_validity() -> None:
    entry = _one(
        f'BSWA,WMP namespaces="return@dapreturn,file",valid-after="20180401",'
        f'valid-before="20230331235959Z" {A}'
    )
    assert entry.principals == ("BSWA", "WMP")
    assert entry.namespaces == ("return@dapreturn", "file")
    assert entry.allows_namespace("return@dapreturn")
    assert not entry.allows_namespace("git")
    assert entry.valid_before == datetime(2023, 3, 31, 23, 59, 59, tzinfo=UTC)
    assert entry.valid_after is not None and entry.valid_after.tzinfo is not None


def test_option_names_are_case_insensitive_and_values_may_hold_spaces() -> None:
    entry = _one(f'"BSWA" NAMESPACES="a b,c" {A}')
    assert entry.namespaces == ("a b", "c")


def test_quoted_principals() -> None:
    assert _one(f'"BSWA,WMP" {A}').principals == ("BSWA", "WMP")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20181114Z", datetime(2018, 11, 14, tzinfo=UTC)),
        ("201811141002Z", datetime(2018, 11, 14, 10, 2, tzinfo=UTC)),
        ("20181114100211Z", datetime(2018, 11, 14, 10, 2, 11, tzinfo=UTC)),
        ("20181114100211z", datetime(2018, 11, 14, 10, 2, 11, tzinfo=UTC)),
    ],
)
def test_time_formats(value: str, expected: datetime) -> None:
    assert _one(f'BSWA valid-after="{value}" {A}').valid_after == expected


def test_time_without_z_is_local_standard_time_like_openssh() -> None:
    # OpenSSH hands mktime a zeroed struct tm (tm_isdst = 0): a summer date is read in
    # standard time, so 1 July 2018 00:00 in London is 00:00 UTC, not 23:00 the day before.
    london = ZoneInfo("Europe/London")
    summer = _one(f'BSWA valid-after="20180701" {A}', local_tz=london).valid_after
    assert summer == datetime(2018, 7, 1, 0, 0, tzinfo=UTC)
    winter = _one(f'BSWA valid-after="20181201" {A}', local_tz=london).valid_after
    assert winter == datetime(2018, 12, 1, tzinfo=UTC)
    new_york = ZoneInfo("America/New_York")
    assert _one(f'BSWA valid-after="20180701" {A}', local_tz=new_york).valid_after == datetime(
        2018, 7, 1, 5, tzinfo=UTC
    )
    assert _one(f'BSWA valid-after="20180701UTC" {A}').valid_after == datetime(
        2018, 7, 1, tzinfo=UTC
    )


def test_valid_at_is_inclusive_at_both_ends() -> None:
    entry = _one(f'BSWA valid-after="20180401Z",valid-before="20190331Z" {A}')
    start = datetime(2018, 4, 1, tzinfo=UTC)
    end = datetime(2019, 3, 31, tzinfo=UTC)
    second = timedelta(seconds=1)
    assert entry.valid_at(start) and entry.valid_at(end)
    assert not entry.valid_at(start - second)
    assert not entry.valid_at(end + second)
    assert entry.valid_at(datetime(2018, 11, 14, 11, 2, tzinfo=timezone(timedelta(hours=1))))
    with pytest.raises(ValueError, match="timezone-aware"):
        entry.valid_at(datetime(2018, 11, 14))


def test_principal_patterns() -> None:
    entry = _one(f"BS*,W?P,!BSX {A}")
    assert entry.matches_principal("BSWA")
    assert entry.matches_principal("WMP")
    assert not entry.matches_principal("BSX")  # negation wins
    assert not entry.matches_principal("WMMP")
    assert not entry.matches_principal("bswa")  # case-sensitive like OpenSSH
    assert not _one(f"[AB]SWA {A}").matches_principal("ASWA")  # no character classes


def test_namespace_patterns() -> None:
    entry = _one(f'BSWA namespaces="*@dapreturn" {A}')
    assert entry.allows_namespace("return@dapreturn")
    assert not entry.allows_namespace("file")


def test_entries_for_key_and_cert_authority_never_matches() -> None:
    text = f"BSWA {A}\nWMP {B}\nCA cert-authority {A}\nWMP2 {A}\nOLD {RSA}\n"
    parsed = trust.parse_trust(text, "as")
    assert [e.principals for e in parsed.entries_for_key(KEY_A)] == [("BSWA",), ("WMP2",)]
    assert [e.principals for e in parsed.entries_for_key(KEY_B)] == [("WMP",)]
    assert parsed.entries[2].cert_authority
    assert parsed.entries[4].key_type == "ssh-rsa"
    other = Ed25519PrivateKey.generate().public_key()
    assert parsed.entries_for_key(other) == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("BSWA", "no key after the principals"),
        ("BSWA ssh-ed25519", "missing key"),
        ('BSWA namespaces="x"', "missing key"),
        ("BSWA ssh-ed25519 !!!notbase64", "invalid key"),
        (f"BSWA ssh-rsa {A.split()[1]}", "invalid key"),
        (f"BSWA bogus-option {A}", "unknown key option 'bogus-option'"),
        (f"BSWA namespaces=x {A}", "quoted value"),
        (f'BSWA namespaces="x {A}', "unterminated quote"),
        (f'"BSWA {A}', "unterminated quote"),
        (f'BSWA namespaces="a",namespaces="b" {A}', "multiple"),
        (f'BSWA valid-after="2018" {A}', "YYYYMMDD"),
        (f'BSWA valid-after="20181340" {A}', "not a real date"),
        (f'BSWA valid-after="20190101Z",valid-before="20180101Z" {A}', "is before"),
    ],
)
def test_bad_line_is_skipped_with_file_line_and_reason(line: str, reason: str) -> None:
    text = f"# header\n{line}\nWMP {B}\n"
    parsed = trust.parse_trust(text, "steering/allowed_signers")
    assert [e.principals for e in parsed.entries] == [("WMP",)]  # the good line still counts
    (message,) = parsed.problems
    assert message.startswith("steering/allowed_signers:2: ")
    assert reason in message and message.endswith("line skipped")
    assert "\n" not in message
    with pytest.raises(TrustListError, match=r"^steering/allowed_signers:2: "):
        trust.parse_trust(text, "steering/allowed_signers", strict=True)


def test_load_trust(tmp_path: Path) -> None:
    path = tmp_path / "allowed_signers"
    path.write_text(f"BSWA {A}\n", encoding="utf-8")
    loaded = trust.load_trust(path)
    assert loaded.source == str(path)
    assert len(loaded.entries_for_key(KEY_A)) == 1
    with pytest.raises(TrustListError, match="no trust list"):
        trust.load_trust(tmp_path / "missing")
    path.write_bytes(b"BSWA \xff\n" + f"WMP {B}\n".encode())
    loaded = trust.load_trust(path)
    assert [e.principals for e in loaded.entries] == [("WMP",)]
    assert "allowed_signers:1: is not UTF-8" in loaded.problems[0]
    path.write_text(f"BSWA {A}\nbroken\n", encoding="utf-8")
    (problem,) = trust.load_trust(path).problems
    assert problem.startswith(f"{path}:2: ")


def test_append_signer_creates_appends_and_skips_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "allowed_signers"
    trust.append_signer(path, f'BSWA namespaces="return@dapreturn" {A}')
    assert path.read_text() == f'BSWA namespaces="return@dapreturn" {A}\n'
    path.write_text(path.read_text() + "# no newline at end", encoding="utf-8")
    trust.append_signer(path, f"WMP {B}\n")
    assert path.read_text().splitlines()[-1] == f"WMP {B}"
    assert path.read_text().splitlines()[1] == "# no newline at end"
    before = path.read_text()
    trust.append_signer(path, f"WMP {B}")
    assert path.read_text() == before
    assert len(trust.load_trust(path).entries) == 2
    assert not list(tmp_path.glob(".*.tmp"))


def test_append_signer_refuses_bad_lines_and_leaves_file(tmp_path: Path) -> None:
    path = tmp_path / "allowed_signers"
    path.write_text(f"BSWA {A}\n", encoding="utf-8")
    for bad in ("WMP nonsense", f"WMP {B}\nEVIL {A}", "# just a comment"):
        with pytest.raises(TrustListError):
            trust.append_signer(path, bad)
    assert path.read_text() == f"BSWA {A}\n"


def test_match_pattern_list() -> None:
    assert trust.match_pattern_list("a.b", "a.b")
    assert not trust.match_pattern_list("axb", "a.b")  # dot is literal
    assert trust.match_pattern_list("anything", "*")
    assert not trust.match_pattern_list("x", "")
    assert not trust.match_pattern_list("\u00e9", "?")  # one byte, as OpenSSH: é is two
    assert trust.match_pattern_list("\u00e9", "??")
    assert not trust.match_pattern_list("x", "x," + "y" * 1023)  # over-long: nothing matches


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "BSWA",
                " ",
                "\t",
                ",",
                '"',
                "=",
                "\\",
                "#",
                "*",
                "!",
                "\n",
                "namespaces",
                "Z",
                "valid-after",
                "valid-before",
                "cert-authority",
                "20180101",
                "ssh-ed25519",
                A,
                "x",
            ]
        )
        | st.text(max_size=5),
        max_size=12,
    )
)
def test_fuzz_parse_never_raises_and_names_each_skipped_line(parts: list[str]) -> None:
    parsed = trust.parse_trust("".join(parts), "fz")
    for problem in parsed.problems:
        assert problem.startswith("fz:")
        assert "\n" not in problem
    for entry in parsed.entries:
        entry.matches_principal("BSWA")
        entry.allows_namespace("return@dapreturn")
        entry.valid_at(datetime(2020, 1, 1, tzinfo=UTC))
