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

**Read as OpenSSH reads it.** Lines end at ``\n`` only and are split, matched and dated by
:mod:`dapreturn.core.signing.trustline`, a port of OpenSSH's own reading. A line OpenSSH would
skip, or
would read differently from other programs (a character such as U+2028 that ``splitlines``
breaks at), is skipped and named in :attr:`TrustList.problems`, so one bad line never stops the
rest of the list from working. Ed25519 keys of small order are refused (:mod:`smallorder`).

**Time zones.** A time ending in ``Z`` (or ``UTC``) is UTC. Without it OpenSSH reads the time
as the computer's local *standard* time (``mktime`` with ``tm_isdst = 0``), and so do we by
default, so a verdict here agrees with ``ssh-keygen -Y verify`` on the same machine.
``parse_trust(..., local_tz=...)`` pins the zone. Trust lists should use ``Z``.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dapreturn.core.errors import SignatureError, StorageError, TrustListError
from dapreturn.core.signing import sshsig
from dapreturn.core.signing.sshsig import WireReader, public_key_blob
from dapreturn.core.signing.trustline import (
    WHITESPACE,
    LineError,
    line_problem,
    match_pattern_list,
    parse_options,
    parse_time,
    split_line,
)
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
    principal_patterns: str = ""
    """The principals field exactly as OpenSSH matches it (defaults to ``principals`` joined)."""
    namespace_patterns: str | None = None
    """The namespaces value exactly as OpenSSH matches it (defaults to ``namespaces`` joined)."""

    def matches_principal(self, principal: str) -> bool:
        """Return whether this line names ``principal`` (patterns honoured, as OpenSSH)."""
        return match_pattern_list(principal, self.principal_patterns or ",".join(self.principals))

    def allows_namespace(self, namespace: str) -> bool:
        """Return whether the key may sign in ``namespace``."""
        if self.namespaces is None:
            return True
        patterns = self.namespace_patterns
        return match_pattern_list(
            namespace, ",".join(self.namespaces) if patterns is None else patterns
        )

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
    problems: tuple[str, ...] = ()
    """One message (``file:line: reason``) per line skipped because OpenSSH would not use it,
    or would read it differently from other programs."""

    def entries_for_key(self, public_key: Ed25519PublicKey) -> list[TrustEntry]:
        """Return the lines that list exactly this key (cert-authority lines never do)."""
        blob = public_key_blob(public_key)
        return [e for e in self.entries if e.key_blob == blob and not e.cert_authority]


def _key_blob(key_type: str, encoded: str) -> bytes | None:
    """The key's blob when OpenSSH could read it (base64 of a blob of that type), else ``None``."""
    try:
        blob = base64.b64decode(encoded, validate=True)
        blob_type = WireReader(blob, "key").string()
    except (binascii.Error, ValueError, SignatureError):
        return None
    return blob if blob_type == key_type.encode() else None


def _is_key_type(word: str) -> bool:
    base = word.removesuffix("-cert-v01@openssh.com")
    return word in KEY_TYPES or (base != word and base in KEY_TYPES)


_KNOWN = frozenset([*KEY_TYPES, *(t + "-cert-v01@openssh.com" for t in KEY_TYPES)])


def _parse_line(text: str, source: str, line_no: int, local_tz: tzinfo | None) -> TrustEntry:
    """Parse one non-blank, non-comment line; raise :class:`LineError` with the reason."""
    problem = line_problem(text)
    if problem is not None:
        raise LineError(problem)
    raw = split_line(text, _KNOWN, lambda kind, data: _key_blob(kind, data) is not None)
    blob = _key_blob(raw.key_type, raw.key_base64)
    if blob is None:
        raise LineError(f"invalid key (not valid base64 {raw.key_type} key data)")
    if raw.key_type == sshsig.KEY_TYPE:
        try:
            sshsig.public_key_from_blob(blob)
        except SignatureError as exc:
            raise LineError(str(exc)) from None
    principals = tuple(p for p in raw.principals.split(",") if p)
    if not principals:
        raise LineError("no principals")
    too_long = [p for p in raw.principals.split(",") if len(p.lstrip("!").encode()) >= 1023]
    if too_long:
        raise LineError("a principal is 1,023 bytes or longer, so OpenSSH matches nothing here")
    values = parse_options(raw.options) if raw.options is not None else {}
    after, before = values.get("valid-after"), values.get("valid-before")
    valid_after = parse_time(after, "valid-after", local_tz) if after is not None else None
    valid_before = parse_time(before, "valid-before", local_tz) if before is not None else None
    if valid_after and valid_before and valid_before <= valid_after:
        raise LineError('bad options: "valid-before" time is before "valid-after"')
    ns = values.get("namespaces")
    return TrustEntry(
        principals=principals,
        namespaces=tuple(n for n in ns.split(",") if n) if ns is not None else None,
        valid_after=valid_after,
        valid_before=valid_before,
        cert_authority="cert-authority" in values,
        key_type=raw.key_type,
        key_blob=blob,
        comment=raw.comment.rstrip(WHITESPACE),
        line_no=line_no,
        source=source,
        principal_patterns=raw.principals,
        namespace_patterns=ns,
    )


def parse_trust(
    text: str, source: str, *, local_tz: tzinfo | None = None, strict: bool = False
) -> TrustList:
    """Parse allowed_signers ``text`` as OpenSSH does: lines end at ``\n`` only.

    A line OpenSSH would not use, or would read differently from other programs (see
    :func:`~dapreturn.core.signing.trustline.line_problem`), is skipped and named in
    :attr:`TrustList.problems` (``file:line: reason``), as ``ssh-keygen`` skips it with an
    error; ``strict`` raises :class:`TrustListError` for it instead. ``local_tz`` is the zone
    for times written without ``Z`` (default: this computer's, read as OpenSSH reads it).
    """
    entries: list[TrustEntry] = []
    problems: list[str] = []
    for line_no, raw in enumerate(text.split("\n"), start=1):
        line = raw.lstrip(WHITESPACE)
        if not line.rstrip(WHITESPACE) or line.startswith("#"):
            continue
        try:
            entries.append(_parse_line(raw, source, line_no, local_tz))
        except LineError as exc:
            message = f"{source}:{line_no}: {' '.join(str(exc).split())}; line skipped"
            if strict:
                raise TrustListError(message) from None
            problems.append(message)
    return TrustList(source=source, entries=tuple(entries), problems=tuple(problems))


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


def _decode(data: bytes) -> str:
    """The file as text; bytes that are not UTF-8 become lone surrogates, which
    :func:`~dapreturn.core.signing.trustline.line_problem` refuses line by line."""
    return data.decode("utf-8", "surrogateescape")


def load_trust(path: Path, *, local_tz: tzinfo | None = None) -> TrustList:
    """Read and parse the allowed_signers file at ``path``; errors name ``file:line``."""
    path = Path(path)
    data = _read(path)
    if data is None:
        raise TrustListError(f"{path}: no trust list here")
    return parse_trust(_decode(data), str(path), local_tz=local_tz)


def append_signer(path: Path, line: str) -> None:
    """Add ``line`` (one allowed_signers line) to the trust list at ``path``, atomically.

    The line must be one line that OpenSSH and every other program read alike (no character
    :func:`~dapreturn.core.signing.trustline.line_problem` refuses) and hold a usable key. The
    whole file
    is rewritten through the atomic writer (created if missing); a symbolic link is written
    through to the file it points at, never replaced. A line already present word for word is
    not added twice.
    """
    path = Path(path)
    line = line.strip(" \t\n")
    if "\n" in line:
        raise TrustListError(f"{path}: a trust-list line must be a single line")
    problem = line_problem(line)
    if problem is not None:
        raise TrustListError(f"{path}: the new line {problem}; nothing was added")
    if not parse_trust(line, f"{path} (new line)", strict=True).entries:
        raise TrustListError(f"{path}: the new line holds no key")
    target = path.resolve() if path.is_symlink() else path
    data = _read(target) or b""
    existing = _decode(data)
    if line in (old.strip(WHITESPACE) for old in existing.split("\n")):
        return
    if existing and not existing.endswith("\n"):
        existing += "\n"
    try:
        payload = (existing + line + "\n").encode("utf-8", "surrogateescape")
        atomic_write_bytes(target, payload, mode=0o644)
    except StorageError as exc:
        raise TrustListError(str(exc)) from exc
