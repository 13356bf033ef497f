"""Calls for returns: one signed pack per partner, from the steering group.

A pack (schema ``dapreturn/call/v1``, namespace ``call@dapreturn``, signed by an officer; see
:mod:`dapreturn.core.signing.groupsig`) carries the plan text and its SHA-256, the period, deadline,
that partner's actions, the officer contact and the group's keys. Each names one partner, so a
pack sent to the wrong person is refused by their app. :func:`check_pack` is the one place a
pack is judged.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from dapreturn.core.collection.scan import RefusedError, read_limited
from dapreturn.core.errors import DapreturnError
from dapreturn.core.messages import PARTNER_PATTERN, first_problem
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import (
    MAX_PLAN_BYTES,
    Plan,
    bundled_plan,
    bundled_plans_dir,
    parse_plan,
)
from dapreturn.core.returns.model import Answers
from dapreturn.core.returns.tomlio import SIGNATURE_LINE, utc_text
from dapreturn.core.signing.groupsig import (
    CALL,
    GroupVerdict,
    OfficerSigner,
    RefusedFileError,
    sign_group_body,
    verify_group_bytes,
)
from dapreturn.core.signing.sshsig import fingerprint, public_key_line
from dapreturn.core.signing.trust import TrustList

__all__ = [
    "CheckedPack",
    "Expected",
    "GroupKey",
    "Pack",
    "answers_for",
    "build_pack",
    "check_pack",
    "check_pack_file",
    "expected_actions",
    "pack_name",
    "plan_digest",
    "read_plan_text",
]

OneLine = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$", max_length=300)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Expected(_Strict):
    """One action the partner is asked to report on."""

    ref: str
    role: Literal["lead", "contributor"]
    title: str = ""


class GroupKey(_Strict):
    """One steering-group key, as the pack announces it."""

    principal: str
    key: str
    """``ssh-ed25519 AAAA...``."""
    fingerprint: str


class PlanFile(_Strict):
    """The exact text of the plan the pack is for."""

    text: str


class Pack(_Strict):
    """The body of a call-for-returns pack (everything above ``[signature]``)."""

    schema_: Literal["dapreturn/call/v1"] = Field(alias="schema")
    signed_by: str
    issued_at: datetime
    plan: str
    plan_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    period: str
    partner: Annotated[str, StringConstraints(pattern=PARTNER_PATTERN)]
    partner_name: OneLine = ""
    deadline: date
    contact: OneLine = ""
    """Who at the steering group to ask (name, e-mail, phone), one line."""
    expected: tuple[Expected, ...] = ()
    group_keys: tuple[GroupKey, ...] = ()
    plan_file: PlanFile
    """The plan itself (last in the file: it is long)."""

    @property
    def plan_text(self) -> str:
        """The exact plan text the digest is of."""
        return self.plan_file.text

    def days_left(self, today: date) -> int:
        """Days from ``today`` to the deadline (negative once it has passed)."""
        return (self.deadline - today).days


def plan_digest(plan_text: str) -> str:
    """SHA-256 (hex) of the exact plan text, UTF-8 encoded."""
    return hashlib.sha256(plan_text.encode("utf-8")).hexdigest()


def expected_actions(plan: Plan, partner: str) -> list[Expected]:
    """The actions ``partner`` leads, then those it contributes to, in plan order."""
    lead = [
        Expected(ref=a.ref, role="lead", title=a.title) for a in plan.actions if partner in a.leads
    ]
    helps = [
        Expected(ref=a.ref, role="contributor", title=a.title)
        for a in plan.actions
        if partner in a.contributors and partner not in a.leads
    ]
    return lead + helps


def pack_name(pack: Pack) -> str:
    """``call_<plan>_<period>_<partner>_<issued>.toml``: a re-issued pack never replaces one."""
    stamp = pack.issued_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"call_{pack.plan}_{Period.parse(pack.period).slug}_{pack.partner}_{stamp}.toml"


def _text_value(text: str) -> str:
    """``text`` as a TOML value a person can read: a literal multi-line string where that
    reads back exactly, else tomli-w's escaped form (and never a raw ``[signature]`` line)."""
    plain = all(ch in "\n\t" or (ch.isprintable() and ch != "\x7f") for ch in text)
    if plain and "'''" not in text and SIGNATURE_LINE not in text.split("\n"):
        candidate = f"'''\n{text}'''"
        if tomllib.loads(f"v = {candidate}\n").get("v") == text:
            return candidate
    return tomli_w.dumps({"v": text}, multiline_strings=False).removeprefix("v = ").rstrip("\n")


def _body_text(pack: Pack) -> str:
    """The pack body: header keys, each expected action, each group key, then the plan."""
    head = pack.model_dump(
        by_alias=True, exclude={"issued_at", "expected", "group_keys", "plan_file"}
    )
    lines = tomli_w.dumps(head).split("\n", 2)
    parts = [lines[0], "\n", lines[1], "\n", f"issued_at = {utc_text(pack.issued_at)}\n", lines[2]]
    for e in pack.expected:
        parts.append("\n[[expected]]\n" + tomli_w.dumps(e.model_dump()))
    for k in pack.group_keys:
        parts.append("\n[[group_keys]]\n" + tomli_w.dumps(k.model_dump()))
    parts.append(f"\n[plan_file]\ntext = {_text_value(pack.plan_file.text)}\n")
    return "".join(parts)


def build_pack(
    plan_text: str,
    *,
    period: Period,
    partner: str,
    deadline: date,
    contact: str,
    signer: OfficerSigner,
    group_keys: list[GroupKey],
    now: datetime | None = None,
) -> tuple[Pack, bytes]:
    """Make and sign one partner's pack; return it and the file's bytes."""
    plan = parse_plan(plan_text, source="the plan")
    if plan.partner(partner) is None and not any(
        partner in a.leads or partner in a.contributors for a in plan.actions
    ):
        raise DapreturnError(f"{partner} is not a partner of plan {plan.id}")
    own = GroupKey(
        principal=signer.principal,
        key=public_key_line(signer.key.public_key()),
        fingerprint=fingerprint(signer.key.public_key()),
    )
    keys = [own, *(k for k in group_keys if k.key != own.key)]
    pack = Pack(
        schema_="dapreturn/call/v1",
        signed_by=signer.principal,
        issued_at=(now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
        plan=plan.id,
        plan_sha256=plan_digest(plan_text),
        period=str(period),
        partner=partner,
        partner_name=plan.partner_name(partner),
        deadline=deadline,
        contact=contact,
        expected=tuple(expected_actions(plan, partner)),
        group_keys=tuple(keys),
        plan_file=PlanFile(text=plan_text),
    )
    body = _body_text(pack).encode("utf-8")
    return pack, sign_group_body(body, signer, CALL)


@dataclass(frozen=True)
class CheckedPack:
    """A pack that passed every check, with the verdict on its signature."""

    pack: Pack
    verdict: GroupVerdict
    sha256: str
    """SHA-256 of the pack file's bytes."""


def check_pack(
    data: bytes,
    trust: TrustList | None,
    *,
    source: str,
    partner: str | None = None,
    newest_seen: datetime | None = None,
) -> CheckedPack:
    """Judge a pack; raise :class:`RefusedFileError` naming ``source`` and the reason.

    ``partner``: the partner this computer answers for (a pack for another is refused).
    ``newest_seen``: when the newest pack already opened for the same plan, period and partner
    was issued (an older one is a replay and is refused).
    """
    verdict = verify_group_bytes(data, CALL, trust, source=source)
    if not verdict.ok or verdict.doc is None:
        raise RefusedFileError(verdict.message)
    doc = verdict.doc
    try:
        pack = Pack.model_validate(doc)
        Period.parse(pack.period)
    except ValidationError as exc:
        raise RefusedFileError(f"refused: {first_problem(exc, doc, source)}") from None
    except DapreturnError as exc:
        raise RefusedFileError(f"{source}: refused: period: {exc}") from None
    if plan_digest(pack.plan_text) != pack.plan_sha256:
        raise RefusedFileError(f"{source}: refused: the plan inside does not match its digest")
    try:
        plan = parse_plan(pack.plan_text, source=f"{source} (plan inside)")
    except DapreturnError as exc:
        raise RefusedFileError(f"refused: {exc}") from None
    if plan.id != pack.plan:
        raise RefusedFileError(f"{source}: refused: the plan inside is {plan.id}, not {pack.plan}")
    if partner is not None and pack.partner != partner:
        raise RefusedFileError(
            f"{source}: refused: this pack is for {pack.partner}, not for {partner} "
            "(sent to the wrong partner?)"
        )
    if newest_seen is not None and pack.issued_at < newest_seen:
        raise RefusedFileError(
            f"{source}: refused: an older pack for {pack.period} (issued {_utc(pack.issued_at)}); "
            f"you already opened one issued {_utc(newest_seen)} (replayed or out of date)"
        )
    return CheckedPack(pack, verdict, hashlib.sha256(data).hexdigest())


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def check_pack_file(path: Path, trust: TrustList | None, **kwargs: Any) -> CheckedPack:
    """Read ``path`` safely and :func:`check_pack` it."""
    try:
        data = read_limited(Path(path))
    except RefusedError as exc:
        raise RefusedFileError(f"{path}: refused: {exc}") from None
    return check_pack(data, trust, source=str(path), **kwargs)


def read_plan_text(id_or_path: str) -> str:
    """The exact text of a bundled plan (by id) or a plan file, checked to be a valid plan."""
    candidate = Path(id_or_path)
    if candidate.suffix != ".toml" and not candidate.is_file():
        bundled_plan(id_or_path)  # validates the id and the plan, naming the problem
        candidate = bundled_plans_dir() / f"{id_or_path}.toml"
    try:
        raw = read_limited(candidate)
    except RefusedError as exc:
        raise DapreturnError(f"{candidate}: {exc}") from None
    if len(raw) > MAX_PLAN_BYTES:
        raise DapreturnError(f"{candidate}: too large for a plan file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DapreturnError(f"{candidate}: not UTF-8 text (byte {exc.start})") from None
    parse_plan(text, source=str(candidate))
    return text


def answers_for(checked: CheckedPack, *, feedback_sha256: str = "") -> Answers:
    """What a return written from ``checked`` records it answers."""
    return Answers(
        pack_sha256=checked.sha256,
        plan_sha256=checked.pack.plan_sha256,
        feedback_sha256=feedback_sha256,
    )
