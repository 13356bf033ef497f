"""The trust list read exactly as stock ``ssh-keygen`` reads it (differential, issue 13).

Attack: a partner sends the steering group a trust-list line whose comment holds a character
that Python's ``str.splitlines`` (and editors, mail clients) take for a line break but OpenSSH
reads as an ordinary byte, smuggling a second principal for the partner's own key. Every such
character is put at every place on a line (before and inside the principals, after them, inside
and after the options, after the key type, inside and after the base64, inside the comment, at
the end) and the line is read by us and by ``ssh-keygen -Y find-principals`` / ``-Y verify``.
We must never vouch for a principal OpenSSH does not, and a line we refuse is named with its
number and reason. Also: times without ``Z`` under several ``TZ`` settings, patterns matched
byte by byte, over-long principals, and small-order keys.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from secsupport import BSWA_KEY, WMP_KEY

from dapreturn.core.errors import SignatureError, TrustListError
from dapreturn.core.signing import sshsig
from dapreturn.core.signing.files import NAMESPACE
from dapreturn.core.signing.trust import append_signer, parse_trust

SSH_KEYGEN = shutil.which("ssh-keygen")
pytestmark = pytest.mark.skipif(SSH_KEYGEN is None, reason="stock ssh-keygen is not installed")

BREAKS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r"]
"""Every character ``str.splitlines`` breaks at, other than ``\\n`` itself."""

KEY_A = sshsig.public_key_line(BSWA_KEY.public_key())
TYPE_A, B64_A = KEY_A.split()
MESSAGE = b"a return body\n"
SIG_A = sshsig.sign(MESSAGE, BSWA_KEY, NAMESPACE)
SMUGGLE = f"WMP {KEY_A}"
"""What the partner BSWA tries to add: its own key, for WMP."""


def _places(ch: str) -> dict[str, str]:
    """A trust-list line for BSWA with ``ch`` (then the smuggled line) at each place."""
    opts = f'namespaces="{NAMESPACE}"'
    s = ch + SMUGGLE
    return {
        "line start": f"{s} BSWA {opts} {KEY_A} note",
        "in principals": f"BS{s},WA {opts} {KEY_A} note",
        "after principals": f"BSWA{s} {opts} {KEY_A} note",
        "in options": f'BSWA namespaces="{NAMESPACE}{s}" {KEY_A} note',
        "after options": f"BSWA {opts}{s} {KEY_A} note",
        "after key type": f"BSWA {opts} {TYPE_A}{s} {B64_A} note",
        "in base64": f"BSWA {opts} {TYPE_A} {B64_A[:20]}{s}{B64_A[20:]} note",
        "after base64": f"BSWA {opts} {KEY_A}{s} note",
        "in comment": f"BSWA {opts} {KEY_A} from BSWA{s}",
        "line end": f"BSWA {opts} {KEY_A} note{s}",
    }


def _keygen(tmp: Path, *args: str, tz: str = "UTC") -> subprocess.CompletedProcess[bytes]:
    assert SSH_KEYGEN is not None
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
    env["TZ"] = tz
    return subprocess.run(
        [SSH_KEYGEN, *args], input=MESSAGE, capture_output=True, env=env, cwd=tmp, check=False
    )


def _openssh_principals(tmp: Path, text: str) -> set[str]:
    """The principals stock ssh-keygen finds for key A's signature in ``text``."""
    (tmp / "as").write_bytes(text.encode("utf-8"))
    (tmp / "m.sig").write_text(SIG_A)
    found = _keygen(tmp, "-Y", "find-principals", "-s", "m.sig", "-f", "as")
    names = set(found.stdout.decode("utf-8", "replace").split("\n")) - {""}
    verified = set()
    for who in ("BSWA", "WMP"):
        args = ["-Y", "verify", "-f", "as", "-I", who, "-n", NAMESPACE, "-s", "m.sig"]
        if _keygen(tmp, *args).returncode == 0:
            verified.add(who)
    assert verified <= {p for n in names for p in n.split(",")} | verified
    return verified


def _our_principals(text: str) -> tuple[set[str], tuple[str, ...]]:
    parsed = parse_trust(text, "as")
    entries = parsed.entries_for_key(BSWA_KEY.public_key())
    vouched = {
        who
        for who in ("BSWA", "WMP")
        if any(e.matches_principal(who) and e.allows_namespace(NAMESPACE) for e in entries)
    }
    return vouched, tuple(getattr(parsed, "problems", ()))  # main had none: it raised


@pytest.mark.parametrize("ch", BREAKS, ids=[f"U+{ord(c):04X}" for c in BREAKS])
def test_line_breaks_python_sees_and_openssh_does_not(tmp_path: Path, ch: str) -> None:
    smuggled = 0
    for place, line in _places(ch).items():
        text = f"# steering group\n{line}\n"
        theirs = _openssh_principals(tmp_path, text)
        ours, problems = _our_principals(text)
        assert "WMP" not in theirs, f"{place}: OpenSSH itself took the smuggled line"
        assert ours <= theirs, f"{place}: we vouch for {ours - theirs} and ssh-keygen does not"
        if ours != theirs:  # refused where OpenSSH reads one line: say so, naming the line
            assert problems and problems[0].startswith("as:2: "), place
        smuggled += "WMP" in ours
        with pytest.raises(TrustListError):
            append_signer(tmp_path / "allowed_signers", line)
    assert smuggled == 0
    assert not (tmp_path / "allowed_signers").exists()


def test_plain_lines_agree_with_openssh(tmp_path: Path) -> None:
    """The same lines without the odd character: both read BSWA, and CRLF files still work."""
    for text in (f"BSWA {KEY_A} note\n", f"BSWA {KEY_A} note\r\n", f'"BSWA" {KEY_A}\n'):
        assert _openssh_principals(tmp_path, text) == {"BSWA"}
        assert _our_principals(text) == ({"BSWA"}, ())


def test_patterns_match_bytes_like_openssh(tmp_path: Path) -> None:
    """``?`` is one byte in OpenSSH: it does not match a two-byte UTF-8 letter."""
    sig = sshsig.sign(MESSAGE, BSWA_KEY, NAMESPACE)
    (tmp_path / "m.sig").write_text(sig)
    for pattern, who in (("?", "\u00e9"), ("??", "\u00e9"), ("B*,!BSX", "BSX"), ("x" * 1100, "x")):
        (tmp_path / "as").write_text(f"{pattern},{who[:1] if len(who) > 5 else 'Q'} {KEY_A}\n")
        text = (tmp_path / "as").read_text()
        args = ["-Y", "verify", "-f", "as", "-I", who, "-n", NAMESPACE, "-s", "m.sig"]
        theirs = _keygen(tmp_path, *args).returncode == 0
        parsed = parse_trust(text, "as")
        ours = any(e.matches_principal(who) for e in parsed.entries)
        assert ours == theirs, (pattern, who)


def test_over_long_principal_is_refused_with_a_reason() -> None:
    parsed = parse_trust(f"{'x' * 1100},BSWA {KEY_A}\n", "as")
    assert not parsed.entries
    assert "1,023 bytes" in parsed.problems[0]


def test_one_bad_line_does_not_spoil_the_list(tmp_path: Path) -> None:
    key_b = sshsig.public_key_line(WMP_KEY.public_key())
    text = f"BSWA octopus {KEY_A}\nWMP {key_b}\n"
    parsed = parse_trust(text, "as")
    assert [e.principals for e in parsed.entries] == [("WMP",)]
    assert parsed.problems[0].startswith("as:1: ") and "unknown key option" in parsed.problems[0]


@pytest.mark.parametrize("tz", ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("value", ["20260601120000", "20260115", "202610250130", "20260329013000"])
def test_times_without_z_are_read_as_openssh_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tz: str, value: str
) -> None:
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        entry = parse_trust(f'BSWA valid-after="{value}" {KEY_A}\n', "as").entries[0]
    finally:
        monkeypatch.undo()
        time.tzset()
    assert entry.valid_after is not None
    edge = int(entry.valid_after.timestamp())
    (tmp_path / "as").write_text(f'BSWA valid-after="{value}" {KEY_A}\n')
    (tmp_path / "m.sig").write_text(SIG_A)
    for offset, ok in ((-1, False), (0, True)):
        stamp = datetime.fromtimestamp(edge + offset, UTC).strftime("%Y%m%d%H%M%SZ")
        args = ["-Y", "verify", "-f", "as", "-I", "BSWA", "-n", NAMESPACE, "-s", "m.sig"]
        result = _keygen(tmp_path, *args, f"-Overify-time={stamp}", tz=tz)
        assert (result.returncode == 0) is ok, (value, tz, offset, result.stderr)


def test_small_order_keys_are_refused_in_trust_list_and_signature() -> None:
    # y = 0 (order 4), y = 1 (the identity), y = p - 1 (order 2)
    for raw in (bytes(32), b"\x01" + bytes(31), bytes.fromhex("ec" + "ff" * 30 + "7f")):
        blob = sshsig._string(b"ssh-ed25519") + sshsig._string(raw)
        line = f"BSWA ssh-ed25519 {base64.b64encode(blob).decode()}\n"
        parsed = parse_trust(line, "as")
        assert not parsed.entries and "small-order" in parsed.problems[0]
        with pytest.raises(SignatureError, match="small-order"):
            sshsig.public_key_from_blob(blob)
