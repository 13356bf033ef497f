"""How the verification cache keys and stores an outcome (see :mod:`dapreturn.core.vcache`).

- :func:`context_key`: a hash of the trust list's entries (keys, principals, namespaces,
  validity, file name and line numbers, which messages quote) and of this program (cache
  format, package versions and the source of every module that verifies, parses or scans).
- :func:`encode` / :func:`decode`: an :class:`~dapreturn.core.examine.Examined` as one row of
  plain columns; the return is kept as JSON and validated by the model again when read back, so
  a damaged row raises instead of giving a wrong record.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from dapreturn.core.examine import Examined
from dapreturn.core.returns import STORED, Return
from dapreturn.core.rules import Problem
from dapreturn.core.safeguarding import Finding, FindingKind
from dapreturn.core.signing import VerdictState
from dapreturn.core.trust import TrustList

__all__ = [
    "COLUMNS",
    "FORMAT",
    "Row",
    "context_key",
    "decode",
    "decode_problems",
    "encode",
    "encode_problems",
]

FORMAT = 4
"""The row layout (``PRAGMA user_version`` of the cache file)."""
COLUMNS = "state, reason, partner, plan, period, revision, submitted_at, fingerprint, findings, ret"
"""The stored columns of an outcome, in :data:`Row` order."""
_MODULES = (
    "dapreturn.core.examine",
    "dapreturn.core.signing",
    "dapreturn.core.sshsig",
    "dapreturn.core.trust",
    "dapreturn.core.trustline",
    "dapreturn.core.smallorder",
    "dapreturn.core.returns",
    "dapreturn.core.tomlio",
    "dapreturn.core.tomlfast",
    "dapreturn.core.messages",
    "dapreturn.core.periods",
    "dapreturn.core.dates",
    "dapreturn.core.safeguarding",
    "dapreturn.core.textnorm",
    "dapreturn.core.identifiers",
    "dapreturn.core.rules",
    "dapreturn.core.plan",
    "dapreturn.core.resolve",
    "dapreturn.core.vcache_rows",
)
"""Modules whose code decides what is cached: any change to them makes a new context."""

_Text = str | None
Row = tuple[str, str, _Text, _Text, _Text, int | None, _Text, _Text, str, _Text]
"""One outcome as stored (the :data:`COLUMNS`)."""


@functools.cache
def _code_fingerprint() -> bytes:
    """A hash of everything in this program that decides what verification finds."""
    import cryptography
    import pydantic

    from dapreturn import __version__

    versions = f"{FORMAT}|{__version__}|{pydantic.VERSION}|{cryptography.__version__}|"
    h = hashlib.sha256((versions + sys.version).encode())
    for name in _MODULES:
        origin = getattr(importlib.import_module(name), "__file__", None)
        try:
            h.update(Path(origin).read_bytes() if origin else name.encode())
        except OSError:
            h.update(name.encode())
    return h.digest()


def context_key(trust: TrustList | None) -> bytes:
    """The key under which outcomes for ``trust`` (and this program) are cached."""
    entries = [
        [
            list(e.principals),
            list(e.namespaces) if e.namespaces is not None else None,
            e.valid_after.isoformat() if e.valid_after else None,
            e.valid_before.isoformat() if e.valid_before else None,
            e.cert_authority,
            e.key_type,
            e.key_blob.hex(),
            e.line_no,
            e.source,
        ]
        for e in (trust.entries if trust is not None else ())
    ]
    described = [trust.source, entries] if trust is not None else None
    text = json.dumps(described, separators=(",", ":"))
    return hashlib.sha256(_code_fingerprint() + text.encode()).digest()


def encode(ex: Examined) -> Row:
    """The row that stores ``ex``."""
    findings = [[f.field, f.kind.name, f.text, f.start, f.end, f.message] for f in ex.findings]
    return (
        ex.state.value,
        ex.reason,
        ex.partner,
        ex.plan,
        ex.period,
        ex.revision,
        ex.submitted_at.isoformat() if ex.submitted_at else None,
        ex.fingerprint,
        json.dumps(findings, ensure_ascii=False),
        _sealed(ex.ret.model_dump_json(by_alias=True)) if ex.ret is not None else None,
    )


def _sealed(ret_json: str) -> str:
    """The return's JSON behind its SHA-256 (hex), so that a damaged row is noticed."""
    return hashlib.sha256(ret_json.encode()).hexdigest() + ret_json


def _return(sealed: str) -> Return:
    """The return from :func:`_sealed` text; :class:`ValueError` if the digest does not match.

    A row whose digest matches holds exactly what the validated model wrote, so its text is
    not cleaned again (:data:`~dapreturn.core.returns.STORED`); the schema still checks it.
    """
    digest, ret_json = sealed[:64], sealed[64:]
    if hashlib.sha256(ret_json.encode()).hexdigest() != digest:
        raise ValueError("the stored return does not match its digest")
    return Return.model_validate_json(ret_json, context=STORED)


def _text(value: object) -> str | None:
    """A text column (``None`` for NULL); anything else means the row is damaged."""
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"unexpected column value {type(value).__name__}")


def decode(row: Sequence[object]) -> Examined:
    """Rebuild an outcome from its row; :class:`ValueError` (or a subclass) if it is damaged.

    Also raises ``TypeError``/``KeyError`` for malformed findings and pydantic's
    ``ValidationError`` (a ``ValueError``) for a return that is not valid.
    """
    state, reason, partner, plan, period, revision, submitted, fpr, findings, ret = row
    if revision is not None and type(revision) is not int:
        raise ValueError("unexpected revision")
    when, ret_json = _text(submitted), _text(ret)
    return Examined(
        VerdictState(_text(state)),
        str(_text(reason)),
        partner=_text(partner),
        plan=_text(plan),
        period=_text(period),
        revision=revision,
        submitted_at=datetime.fromisoformat(when) if when is not None else None,
        fingerprint=_text(fpr),
        findings=tuple(
            Finding(str(f), FindingKind[str(k)], str(t), int(s), int(e), str(m))
            for f, k, t, s, e, m in json.loads(str(_text(findings)))
        ),
        ret=_return(ret_json) if ret_json is not None else None,
    )


def encode_problems(problems: Sequence[Problem]) -> str:
    """Plan-rule problems as stored."""
    return json.dumps([[p.ref, p.field, p.message] for p in problems], ensure_ascii=False)


def decode_problems(text: object) -> tuple[Problem, ...]:
    """Problems from :func:`encode_problems`; ``ValueError``/``TypeError`` if damaged."""
    items = json.loads(str(_text(text)))
    out = []
    for ref, field, message in items:
        if not (ref is None or isinstance(ref, str)) or not isinstance(field, str):
            raise ValueError("unexpected problem")
        out.append(Problem(ref, field, str(message)))
    return tuple(out)
