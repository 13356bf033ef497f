"""The steering group's trust list: an OpenSSH ``allowed_signers`` file (ssh-keygen(1)).

Each line is ``principals [options] keytype base64-key [comment]``; ``#`` comments and blank
lines are skipped. Principals are a comma-separated list of partner codes or patterns (``*``,
``?``, and ``!`` to exclude, as OpenSSH's ``match_pattern_list``), optionally in double quotes.
Options (comma-separated, names case-insensitive, values in double quotes):

- ``namespaces="a,b"`` — namespaces (patterns allowed) the key may sign; absent means any.
- ``valid-after="YYYYMMDD[HHMM[SS]][Z]"`` / ``valid-before=...`` — both ends inclusive, as
  OpenSSH checks them.
- ``cert-authority`` — kept, but such a line never vouches for a plain key (we have no
  certificates), so it never matches.

**Time zones.** A time ending in ``Z`` is UTC. Without ``Z`` OpenSSH reads the time in the
computer's local time zone, and so do we by default, so a verdict here agrees with
``ssh-keygen -Y verify`` on the same machine. ``parse_trust(..., local_tz=...)`` pins the zone
(tests, or an officer who wants ``Europe/London`` everywhere). Trust lists should use ``Z``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dapreturn.core.errors import SignatureError, StorageError, TrustListError
from dapreturn.core.sshsig import WireReader, public_key_blob
from dapreturn.core.storage import atomic_write_bytes

__all__ = [
    "TrustEntry",
    "TrustList",
    "append_signer",
    "load_trust",
    "match_pattern_list",
    "parse_trust",
]

MAX_TRUST_BYTES = 5 * 1024 * 1024
"""Larger trust files are refused."""

KEY_TYPES = frozenset(
    [
        "ssh-ed25519",
        "ssh-rsa",
        "ssh-dss",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    ]
)
"""Plain key types OpenSSH knows; ``-cert-v01@openssh.com`` variants are accepted as well."""

_TIME_RE = re.compile(r"(\d{8})(\d{4}(\d{2})?)?([zZ])?")


@functools.lru_cache(maxsize=1024)
def _pattern_regex(body: str) -> re.Pattern[str]:
    """One OpenSSH pattern (``*``, ``?``) as a compiled regular expression."""
    regex = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in body)
    return re.compile(regex, re.DOTALL)


def match_pattern_list(value: str, patterns: tuple[str, ...]) -> bool:
    """Return whether ``value`` matches the OpenSSH pattern list (``*``, ``?``, ``!negation``).

    A matching negated pattern wins over any positive match. Matching is case-sensitive.
    """
    matched = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        if _pattern_regex(pattern[1:] if negated else pattern).fullmatch(value):
            if negated:
                return False
            matched = True
    return matched


@dataclass(frozen=True)
class TrustEntry:
    """One key line of the trust list."""

    principals: tuple[str, ...]
    """Partner codes or patterns this key may sign for."""
    namespaces: tuple[str, ...] | None
    """Namespace patterns the key may sign in; ``None`` means any."""
    valid_after: datetime | None
    """Earliest signing time accepted (aware datetime), inclusive."""
    valid_before: datetime | None
    """Latest signing time accepted (aware datetime), inclusive."""
    cert_authority: bool
    """A certificate-authority line: never matches a plain key."""
    key_type: str
    """The key type word, e.g. ``ssh-ed25519``."""
    key_blob: bytes
    """The key's SSH wire-format blob."""
    comment: str
    """Whatever followed the key on the line."""
    line_no: int
    """1-based line number in the trust file."""
    source: str
    """Name of the trust file, for messages."""

    def matches_principal(self, principal: str) -> bool:
        """Return whether this line names ``principal`` (patterns honoured)."""
        return match_pattern_list(principal, self.principals)

    def allows_namespace(self, namespace: str) -> bool:
        """Return whether the key may sign in ``namespace``."""
        return self.namespaces is None or match_pattern_list(namespace, self.namespaces)

    def valid_at(self, when: datetime) -> bool:
        """Return whether ``when`` (timezone-aware) lies inside valid-after/valid-before."""
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError("valid_at needs a timezone-aware datetime")
        if self.valid_after is not None and when < self.valid_after:
            return False
        return self.valid_before is None or when <= self.valid_before

    @property
    def where(self) -> str:
        """``file:line`` of this entry."""
        return f"{self.source}:{self.line_no}"


@dataclass(frozen=True)
class TrustList:
    """A parsed allowed_signers file."""

    source: str
    """Where it came from (file name), for messages."""
    entries: tuple[TrustEntry, ...]
    """Every key line, in file order."""

    def entries_for_key(self, public_key: Ed25519PublicKey) -> list[TrustEntry]:
        """Return the lines that list exactly this key (cert-authority lines never do)."""
        blob = public_key_blob(public_key)
        return [e for e in self.entries if e.key_blob == blob and not e.cert_authority]


def _split_token(text: str, where: str) -> tuple[str, str]:
    """Split off the first word, or a double-quoted string, from ``text``."""
    if text.startswith('"'):
        end = text.find('"', 1)
        if end < 0:
            raise TrustListError(f"{where}: unterminated quote in principals")
        return text[1:end], text[end + 1 :].lstrip(" \t")
    parts = text.split(None, 1)
    if not parts:  # only characters str.split() counts as spaces (e.g. U+001F)
        raise TrustListError(f"{where}: no principals")
    return parts[0], (parts[1] if len(parts) > 1 else "")


def _split_options(text: str, where: str) -> tuple[list[str], str]:
    """Split the options word (commas outside quotes) off ``text``; return (options, rest)."""
    options: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if quoted and ch == "\\" and text[i + 1 : i + 2] == '"':
            current.append('\\"')
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in " \t":
            break
        if ch == "," and not quoted:
            options.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    if quoted:
        raise TrustListError(f"{where}: unterminated quote in options")
    options.append("".join(current))
    return options, text[i:].lstrip(" \t")


def _parse_time(value: str, name: str, where: str, local_tz: tzinfo | None) -> datetime:
    """Parse an OpenSSH ``YYYYMMDD[HHMM[SS]][Z]`` time into an aware datetime."""
    match = _TIME_RE.fullmatch(value)
    if not match:
        raise TrustListError(f'{where}: {name}="{value}" is not YYYYMMDD[HHMM[SS]][Z]')
    digits = (match.group(1) + (match.group(2) or "")).ljust(14, "0")
    try:
        naive = datetime.strptime(digits, "%Y%m%d%H%M%S")
    except ValueError:
        raise TrustListError(f'{where}: {name}="{value}" is not a real date and time') from None
    if match.group(4):
        return naive.replace(tzinfo=UTC)
    return naive.replace(tzinfo=local_tz) if local_tz is not None else naive.astimezone()


def _parse_key(text: str, where: str) -> tuple[str, bytes, str]:
    """Parse ``keytype base64 [comment]``; return (type, blob, comment)."""
    parts = text.split(None, 2)
    if len(parts) < 2:
        raise TrustListError(f"{where}: missing key")
    key_type, encoded = parts[0], parts[1]
    try:
        blob = base64.b64decode(encoded, validate=True)
        blob_type = WireReader(blob, "key").string()
    except (binascii.Error, ValueError, SignatureError):
        raise TrustListError(f"{where}: key is not valid base64 key data") from None
    if blob_type != key_type.encode():
        raise TrustListError(f"{where}: key data is not of type {key_type}")
    return key_type, blob, (parts[2].strip() if len(parts) > 2 else "")


def _is_key_type(word: str) -> bool:
    base = word.removesuffix("-cert-v01@openssh.com")
    return word in KEY_TYPES or (base != word and base in KEY_TYPES)


def _parse_line(text: str, source: str, line_no: int, local_tz: tzinfo | None) -> TrustEntry:
    """Parse one non-blank, non-comment line."""
    where = f"{source}:{line_no}"
    principal_text, rest = _split_token(text, where)
    principals = tuple(p for p in principal_text.split(",") if p)
    if not principals:
        raise TrustListError(f"{where}: no principals")
    if not rest.split():
        raise TrustListError(f"{where}: missing key")
    values: dict[str, str | None] = {}
    if not _is_key_type(rest.split(None, 1)[0]):
        options, rest = _split_options(rest, where)
        for option in options:
            name, eq, value = option.partition("=")
            name = name.lower()
            if name in values:
                raise TrustListError(f'{where}: option "{name}" given more than once')
            if name == "cert-authority" and not eq:
                values[name] = None
                continue
            if name not in ("namespaces", "valid-after", "valid-before"):
                raise TrustListError(f"{where}: unknown option '{option}'")
            if len(value) < 2 or not (value.startswith('"') and value.endswith('"')):
                raise TrustListError(f'{where}: option {name} needs a quoted value: {name}="..."')
            values[name] = value[1:-1].replace('\\"', '"')
    key_type, blob, comment = _parse_key(rest, where)
    after = values.get("valid-after")
    before = values.get("valid-before")
    valid_after = _parse_time(after, "valid-after", where, local_tz) if after else None
    valid_before = _parse_time(before, "valid-before", where, local_tz) if before else None
    if valid_after and valid_before and valid_before <= valid_after:
        raise TrustListError(f"{where}: valid-before is not later than valid-after")
    ns = values.get("namespaces")
    namespaces = tuple(n for n in ns.split(",") if n) if ns is not None else None
    return TrustEntry(
        principals=principals,
        namespaces=namespaces,
        valid_after=valid_after,
        valid_before=valid_before,
        cert_authority="cert-authority" in values,
        key_type=key_type,
        key_blob=blob,
        comment=comment,
        line_no=line_no,
        source=source,
    )


def parse_trust(text: str, source: str, *, local_tz: tzinfo | None = None) -> TrustList:
    """Parse allowed_signers ``text``; raise :class:`TrustListError` naming ``source:line``.

    ``local_tz`` is the zone for times written without ``Z`` (default: this computer's).
    """
    entries: list[TrustEntry] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip(" \t\r\n\ufeff")
        if not line or line.startswith("#"):
            continue
        entries.append(_parse_line(line, source, line_no, local_tz))
    return TrustList(source=source, entries=tuple(entries))


def _read(path: Path) -> bytes | None:
    """Return the file's bytes, ``None`` if it does not exist; raise for other failures."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_TRUST_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise TrustListError(f"{path}: cannot read trust list: {exc.strerror or exc}") from exc
    if len(data) > MAX_TRUST_BYTES:
        raise TrustListError(f"{path}: too large to be a trust list")
    return data


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise TrustListError(f"{path}: trust list is not UTF-8 text") from None


def load_trust(path: Path, *, local_tz: tzinfo | None = None) -> TrustList:
    """Read and parse the allowed_signers file at ``path``; errors name ``file:line``."""
    path = Path(path)
    data = _read(path)
    if data is None:
        raise TrustListError(f"{path}: no trust list here")
    return parse_trust(_decode(data, path), str(path), local_tz=local_tz)


def append_signer(path: Path, line: str) -> None:
    """Add ``line`` (one allowed_signers line) to the trust list at ``path``, atomically.

    The line is checked first; the whole file is rewritten through the atomic writer (created if
    missing). A line already present word for word is not added twice.
    """
    path = Path(path)
    line = line.strip()
    if "\n" in line or "\r" in line:
        raise TrustListError(f"{path}: a trust-list line must be a single line")
    if not parse_trust(line, f"{path} (new line)").entries:
        raise TrustListError(f"{path}: the new line holds no key")
    data = _read(path) or b""
    existing = _decode(data, path)
    parse_trust(existing, str(path))
    if line in (old.strip() for old in existing.splitlines()):
        return
    if existing and not existing.endswith("\n"):
        existing += "\n"
    try:
        atomic_write_bytes(path, (existing + line + "\n").encode("utf-8"), mode=0o644)
    except StorageError as exc:
        raise TrustListError(str(exc)) from exc
