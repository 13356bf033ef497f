"""Trusting a key the officer has not seen before, explicitly, one key at a time.

A return signed with an unknown key carries the public key inside its SSHSIG signature. To
offer it for trust we read the file again (read only), check it is the very file that was
listed (same SHA-256), that its signature is intact and still made by that key, and build the
``allowed_signers`` line for the partner the signed body claims, stamped ``added <UTC time>``
in the key's comment (OpenSSH ignores the comment; the trust view shows it). Only after the
officer confirms is the line appended (atomically) with
:func:`~dapreturn.core.signing.trust.append_signer`.

:func:`trust_rows` lists every key for the trust view: each line of the trust list (with when
it was added, where the stamp says) and each unknown key behind intact signatures.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dapreturn.core.collection.load import Collection, FileRecord
from dapreturn.core.errors import KeyFileError, SignatureError
from dapreturn.core.review.inbox_rows import TRUSTABLE
from dapreturn.core.review.snapshot import Snapshot
from dapreturn.core.signing.files import MAX_FILE_BYTES, verify_bytes
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.sshsig import blob_fingerprint, parse_armored
from dapreturn.core.signing.table import split_signed
from dapreturn.core.signing.trust import TrustEntry, TrustList, append_signer

ADDED_RE = re.compile(r"(?:^|\s)added (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z)(?:\s|$)")
"""The stamp this app writes in a trusted key's comment: ``added 2026-12-04T09:30Z``."""
NOT_RECORDED = "not recorded"
"""Shown for a key line that carries no ``added`` stamp (added by hand or by ssh-keygen)."""


@dataclass(frozen=True)
class UnknownSigner:
    """A key that signed intact returns but is not in the trust list, and who it claims to be."""

    fingerprint: str
    """``SHA256:...`` of the key."""
    partner: str
    """The partner code the signed returns claim (not proven until the key is trusted)."""
    files: tuple[FileRecord, ...]
    """The files signed with it."""

    @property
    def periods(self) -> str:
        """The periods of its files, e.g. ``2018/19 Q3``."""
        return ", ".join(sorted({f.period or "?" for f in self.files}))


def stamped(line: str, when: datetime) -> str:
    """``line`` with ``added <when, UTC to the minute>`` as its key comment."""
    return f"{line} added {when.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


def added_at(entry: TrustEntry) -> str:
    """When the line was added, from its stamp (``2026-12-04 09:30 UTC``), else "not recorded"."""
    found = ADDED_RE.search(entry.comment)
    if found is None:
        return NOT_RECORDED
    return found[1].replace("T", " ").replace("Z", " UTC")


@dataclass(frozen=True)
class TrustRow:
    """One key in the trust view: trusted (a line of the list) or waiting to be trusted."""

    trusted: bool
    """Whether the trust list holds it."""
    partners: str
    """The partner codes (patterns) the line names, or the partner an unknown key claims."""
    fingerprint: str
    """``SHA256:...`` of the key."""
    added: str
    """When it was added to the list (``not recorded``; ``—`` for a key not trusted)."""
    files: tuple[FileRecord, ...]
    """The folder's files signed with it."""
    where: str = ""
    """``file:line`` of a trusted key's line."""

    @property
    def state(self) -> str:
        """``✓ trusted`` or ``? not trusted`` (a marker, never colour alone)."""
        return "✓ trusted" if self.trusted else "? not trusted"

    @property
    def periods(self) -> str:
        """The periods of its files, e.g. ``2018/19 Q3`` (``—`` for none)."""
        return ", ".join(sorted({f.period or "?" for f in self.files})) or "—"


def trust_rows(snapshot: Snapshot) -> list[TrustRow]:
    """Keys waiting to be trusted first, then every line of the trust list in file order."""
    files = snapshot.collection.files
    waiting = [
        TrustRow(False, s.partner, s.fingerprint, "—", s.files)
        for s in unknown_signers(snapshot.collection)
    ]
    trusted = []
    for entry in snapshot.trust.entries:
        fpr = blob_fingerprint(entry.key_blob)
        signed = tuple(f for f in files if f.fingerprint == fpr and f.state not in TRUSTABLE)
        partners = ",".join(entry.principals)
        if entry.cert_authority:
            partners += " (certificate authority: never matches a key)"
        trusted.append(TrustRow(True, partners, fpr, added_at(entry), signed, entry.where))
    return waiting + trusted


def unknown_signers(collection: Collection) -> list[UnknownSigner]:
    """Every (key, claimed partner) behind intact signatures the trust list does not vouch for."""
    groups: dict[tuple[str, str], list[FileRecord]] = {}
    for rec in collection.files:
        if rec.state in TRUSTABLE and rec.fingerprint and rec.partner:
            groups.setdefault((rec.fingerprint, rec.partner), []).append(rec)
    return [UnknownSigner(fpr, partner, tuple(files)) for (fpr, partner), files in groups.items()]


def signer_line(record: FileRecord, trust: TrustList | None = None) -> str:
    """The ``allowed_signers`` line for the key that signed ``record`` (read again, read only).

    Raises :class:`~dapreturn.core.errors.SignatureError` when the file changed since it was
    listed, is no longer an intact signature by that key, or claims no valid partner code.
    """
    where = record.rel
    if record.state not in TRUSTABLE or not record.partner or not record.fingerprint:
        raise SignatureError(f"{where}: not signed by an unknown key; nothing to trust")
    try:
        with open(record.path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SignatureError(f"{where}: cannot read: {exc.strerror or exc}") from exc
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise SignatureError(f"{where}: the file changed since it was loaded; reload first")
    verdict = verify_bytes(data, trust, source=where)
    if verdict.state not in TRUSTABLE or verdict.fingerprint != record.fingerprint:
        raise SignatureError(f"{where}: {verdict.message.removeprefix(where + ': ')}")
    _, table = split_signed(data)
    if table is None:
        raise SignatureError(f"{where}: not signed")
    try:
        armored = tomllib.loads(table.decode("utf-8"))["signature"]["armored"]
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise SignatureError(f"{where}: cannot read the [signature] table: {exc}") from exc
    sig = parse_armored(str(armored))
    if sig.fingerprint != record.fingerprint:
        raise SignatureError(f"{where}: the signature's key is not {record.fingerprint}")
    try:
        return allowed_signers_line(verdict.partner or record.partner, sig.public_key)
    except KeyFileError as exc:
        raise SignatureError(f"{where}: {exc}") from exc


def trust_signer(trust_file: Path, line: str) -> bool:
    """Append ``line`` to the trust list at ``trust_file``; return whether the file was created."""
    created = not trust_file.exists()
    append_signer(trust_file, line)
    return created
