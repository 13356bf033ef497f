"""The ``[signature]`` table of every signed file: where it starts, how it is written and read.

A signed file is the exact body bytes, then a line that is exactly ``[signature]`` and the
table's five keys, written by :func:`signature_table` and read back by
:func:`read_signature_table` only if it is byte for byte what would be written (so nothing rides
along unsigned). Returns use it (:mod:`dapreturn.core.signing.files`), and so do the group's
calls, decisions and feedback (:mod:`dapreturn.core.signing.groupsig`).
"""

from __future__ import annotations

import re
import tomllib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dapreturn.core.errors import SignatureError
from dapreturn.core.signing import sshsig

__all__ = [
    "SIGNATURE_HEADER",
    "header_lines",
    "parse_table",
    "read_signature_table",
    "signature_table",
    "split_signed",
    "toml_error",
]

SIGNATURE_HEADER = b"[signature]"
"""The line that separates the signed body from the signature table."""

_TABLE_KEYS = frozenset({"format", "namespace", "signer", "key", "armored"})
_TOML_POS_RE = re.compile(r"\(at line (\d+), column (\d+)\)")


_HEADER_RE = re.compile(b"^" + re.escape(SIGNATURE_HEADER) + rb"\r?$", re.MULTILINE)
"""A line that is exactly ``[signature]`` (CRLF tolerated)."""


def header_lines(data: bytes) -> list[tuple[int, int]]:
    """Return (offset, line number) of every line that is exactly ``[signature]``."""
    return [(m.start(), data.count(b"\n", 0, m.start()) + 1) for m in _HEADER_RE.finditer(data)]


def split_signed(data: bytes) -> tuple[bytes, bytes | None]:
    """Split file bytes into (body, signature table from its header line, or ``None`` if unsigned).

    Raises :class:`SignatureError` if more than one line is exactly ``[signature]``.
    """
    headers = header_lines(data)
    if len(headers) > 1:
        lines = ", ".join(str(n) for _, n in headers)
        raise SignatureError(f"more than one [signature] line (lines {lines})")
    if not headers:
        return data, None
    offset = headers[0][0]
    return data[:offset], data[offset:]


def signature_table(
    principal: str, public_key: Ed25519PublicKey, armored: str, namespace: str
) -> bytes:
    """The ``[signature]`` table exactly as dapreturn writes it, for any signed file kind
    (returns here; calls, decisions and feedback in :mod:`dapreturn.core.signing.groupsig`)."""
    armored = armored if armored.endswith("\n") else armored + "\n"
    text = (
        "[signature]\n"
        'format = "sshsig"\n'
        f'namespace = "{namespace}"\n'
        f'signer = "{principal}"\n'
        f'key = "{sshsig.fingerprint(public_key)}"\n'
        f'armored = """\n{armored}"""\n'
    )
    return text.encode("ascii")


def toml_error(exc: tomllib.TOMLDecodeError, offset: int) -> str:
    """tomllib's message with its line number shifted by ``offset`` lines."""

    def shift(match: re.Match[str]) -> str:
        return f"(at line {int(match.group(1)) + offset}, column {match.group(2)})"

    return _TOML_POS_RE.sub(shift, str(exc))


def _stray_line(table_text: str, offset: int) -> str:
    """Locate the first table header after ``[signature]`` (e.g. a stray ``[[entries]]``)."""
    for index, line in enumerate(table_text.splitlines()[1:], start=2):
        if line.lstrip().startswith("["):
            return f"line {index + offset}: {line.strip()[:60]}"
    return "[signature]"


def parse_table(table: bytes, offset: int) -> dict[str, str]:
    """Parse the signature table with ``tomllib``; raise :class:`SignatureError` with a reason."""
    try:
        text = table.decode("utf-8")
        doc = tomllib.loads(text)
    except UnicodeDecodeError:
        raise SignatureError("the [signature] table is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SignatureError(f"[signature] table: {toml_error(exc, offset)}") from None
    except RecursionError:
        raise SignatureError("[signature] table: nested too deeply") from None
    values = doc.get("signature")
    if set(doc) != {"signature"} or not isinstance(values, dict) or set(values) != _TABLE_KEYS:
        where = _stray_line(text, offset)
        raise SignatureError(
            f"{where}: only format, namespace, signer, key and armored may follow [signature]"
        )
    if not all(isinstance(v, str) for v in values.values()):
        raise SignatureError("[signature] values must all be strings")
    if not all(v.isascii() for v in values.values()):
        raise SignatureError("[signature] values must be ASCII text")
    return values


def read_signature_table(
    table: bytes, offset: int, namespace: str | None
) -> tuple[dict[str, str], sshsig.SshSignature]:
    """Parse a ``[signature]`` table (``offset``: lines before it) and its signature strictly.

    ``namespace``: the one the table must name (``None``: any, for the caller to judge). The
    table must be exactly as :func:`signature_table` writes it. Raises :class:`SignatureError`.
    """
    values = parse_table(table, offset)
    wanted = values["namespace"] if namespace is None else namespace
    if values["format"] != "sshsig" or values["namespace"] != wanted:
        raise SignatureError(f'[signature] must say format = "sshsig", namespace = "{wanted}"')
    sig = sshsig.parse_armored(values["armored"])
    if values["key"] != sig.fingerprint:
        raise SignatureError(f"[signature] key {values['key'][:60]} is not the signing key")
    expected = signature_table(values["signer"], sig.public_key, sig.armored(), values["namespace"])
    if table.replace(b"\r\n", b"\n") != expected:
        raise SignatureError(
            "[signature] table is not exactly as dapreturn writes it "
            "(extra comments, spacing or lines ride along unsigned)"
        )
    return values, sig
