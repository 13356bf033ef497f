"""Signing a return and writing it to the output folder: the one path every front end uses.

:func:`submit_return` refuses rule problems and unconfirmed likely personal data, signs, writes
without overwriting, then reads the file back and verifies it before reporting success.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling import next_revision
from dapreturn.core.plan.model import Plan
from dapreturn.core.returns.model import Return, return_filename, utc_now
from dapreturn.core.returns.rules import Problem, check_return
from dapreturn.core.returns.safeguarding import Finding, scan_fields
from dapreturn.core.returns.tomlio import dump_return, parse_return
from dapreturn.core.schemas import write_editor_association
from dapreturn.core.signing.files import sign_body, verify_bytes
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.sshsig import fingerprint
from dapreturn.core.signing.trust import parse_trust
from dapreturn.core.storage import TargetExistsError, atomic_write_bytes, clean_stale_temps

STALE_TEMP_AGE = 60.0
"""Seconds after which a temp file left in the output folder is certainly not being written."""


class SubmitError(DapreturnError):
    """The return cannot be signed as it stands; ``problems`` lists why."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        """Keep the problems for front ends that list them one by one."""
        super().__init__(message)
        self.problems = problems or []


class PersonalDataError(DapreturnError):
    """Likely personal data was found and not confirmed; ``findings`` lists each one."""

    def __init__(self, findings: list[Finding]) -> None:
        """Summarise the findings in one line; keep them for listing."""
        first = findings[0].message
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        super().__init__(f"possible personal data: {first}{more}")
        self.findings = findings


@dataclass(frozen=True)
class SubmitResult:
    """A signed return that was written, read back and verified."""

    path: Path
    fingerprint: str
    revision: int
    ret: Return


def personal_data(ret: Return) -> list[Finding]:
    """Likely personal data in the return's free text (field names like ``3l.risks``)."""
    return scan_fields(ret.narratives())


def submit_return(
    ret: Return,
    plan: Plan,
    key: Ed25519PrivateKey,
    out_dir: Path,
    *,
    revision: int | None = None,
    personal_data_confirmed: bool = False,
    previous: Return | None = None,
    now: datetime | None = None,
    today: date | None = None,
) -> SubmitResult:
    """Check, sign, write exclusively, read back and verify ``ret``; return where it went.

    ``revision=None`` takes the next free revision for the plan/period/partner in ``out_dir``;
    an explicit revision must be higher than any already there.
    """
    now = now or utc_now()
    # the model stores UTC; a naive time is taken as UTC, an aware one converted (model_copy
    # below does not validate, so this must match what reading the file back gives)
    now = (now.replace(tzinfo=UTC) if now.utcoffset() is None else now.astimezone(UTC)).replace(
        microsecond=0
    )
    problems = check_return(ret, plan, today=today or now.date(), previous=previous)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SubmitError(f"cannot sign yet: {problems[0]}{more}", problems)
    findings = personal_data(ret)
    if findings and not personal_data_confirmed:
        raise PersonalDataError(findings)
    period = ret.period_obj
    free = next_revision(out_dir, plan.id, ret.partner, period)
    if revision is None:
        revision = free
    elif revision < free:
        raise SubmitError(
            f"revision {revision} of {plan.id} {period} for {ret.partner} already exists in "
            f"{out_dir}; to re-submit, set revision = {free}"
        )
    final = ret.model_copy(update={"revision": revision, "submitted_at": now})
    body = dump_return(final).encode("utf-8")
    signed = sign_body(body, key, ret.partner)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_editor_association(out_dir)  # editors check the folder's returns (.taplo.toml)
    # temp files a crash left behind here (never ones young enough to be another writer's)
    clean_stale_temps(out_dir, older_than=STALE_TEMP_AGE)
    path = out_dir / return_filename(plan.id, period, ret.partner, revision)
    try:
        atomic_write_bytes(path, signed, exclusive=True)
    except TargetExistsError:
        raise SubmitError(f"{path} already exists; nothing was overwritten") from None
    _read_back(path, final, key)
    return SubmitResult(path, fingerprint(key.public_key()), revision, final)


def _read_back(path: Path, expected: Return, key: Ed25519PrivateKey) -> None:
    """Read the written file from disk and verify it against the signing key itself."""
    data = path.read_bytes()
    trust = parse_trust(allowed_signers_line(expected.partner, key.public_key()), "(signing key)")
    verdict = verify_bytes(data, trust, source=str(path))
    if not verdict.ok or verdict.body is None:
        raise SubmitError(f"read-back check failed: {verdict.message}")
    again = parse_return(verdict.body.decode("utf-8"), source=str(path))
    if again != expected:
        raise SubmitError(f"read-back check failed: {path} does not hold what was signed")
