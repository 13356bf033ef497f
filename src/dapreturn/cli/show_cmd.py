"""``dapreturn show FILE``: a pack, feedback or decision file in plain words, and if it verified.

Packs and feedback are checked against the steering-group keys this partner accepted or, with
``--trust``, the group's trust list (officers). Text from the file has control characters made
visible, so a file cannot drive the terminal.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dapreturn.cli.common import choose_trust, load_chosen_trust
from dapreturn.cli.group_prompt import verify_with_pins
from dapreturn.cli.show_group import decision_lines, feedback_lines, return_lines, safe
from dapreturn.core.collection.scan import RefusedError, read_limited
from dapreturn.core.config import load_config
from dapreturn.core.cycle.feedback import Feedback, check_feedback
from dapreturn.core.cycle.group_trust import newest_seen, record_seen
from dapreturn.core.cycle.packs import Pack, check_pack
from dapreturn.core.dates import describe_date
from dapreturn.core.errors import DapreturnError
from dapreturn.core.signing.files import verify_file
from dapreturn.core.signing.groupsig import (
    CALL,
    DECISION,
    FEEDBACK,
    GroupVerdict,
    Kind,
    RefusedFileError,
    verify_group_file,
)
from dapreturn.core.signing.table import split_signed
from dapreturn.core.signing.trust import TrustList, load_trust

_KINDS = {k.schema: k for k in (CALL, DECISION, FEEDBACK)}


def register(sub: Any) -> None:
    """Add the ``show`` command."""
    p = sub.add_parser(
        "show",
        help="show a pack, feedback or decision file in plain words",
        description="Show any dapreturn file in plain words, and whether its signature holds.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--partner", metavar="CODE", help="the partner you answer for")
    p.add_argument("--trust", type=Path, metavar="FILE", help="the group's trust list (officers)")
    p.add_argument(
        "--accept-new-key",
        action="store_true",
        help="accept a steering-group key different from the one you accepted before",
    )
    p.set_defaults(handler=run)


def kind_of(path: Path) -> Kind | None:
    """The kind a file says it is (``None``: a return or not a dapreturn file); only chooses
    the verifier, which then checks the signed namespace."""
    try:
        body, _ = split_signed(read_limited(path))
        schema = tomllib.loads(body.decode("utf-8")).get("schema")
    except (RefusedError, DapreturnError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DapreturnError(f"{path}: cannot be read as a dapreturn file: {exc}") from None
    return _KINDS.get(schema) if isinstance(schema, str) else None


def _days(left: int) -> str:
    if left == 0:
        return "due today"
    return f"{left} day(s) left" if left > 0 else f"{-left} day(s) OVERDUE"


def pack_lines(pack: Pack, verdict: GroupVerdict, today: date) -> list[str]:
    """The pack in plain words."""
    lines = [
        f"Call for returns: {safe(pack.plan)} {safe(pack.period)}",
        f"  for:        {safe(pack.partner)} ({safe(pack.partner_name)})",
        f"  deadline:   {describe_date(pack.deadline)} ({_days(pack.days_left(today))})",
        f"  contact:    {safe(pack.contact) or '(none given)'}",
        f"  signed by:  {safe(verdict.signer)} {verdict.fingerprint}",
        f"  plan:       {safe(pack.plan)}, SHA-256:",
        f"    {pack.plan_sha256}",
        f"  actions you are asked to report on ({len(pack.expected)}):",
    ]
    lines += [f"    {safe(e.ref):<6} {e.role:<12} {safe(e.title)}" for e in pack.expected]
    lines.append("  steering-group keys named in this pack:")
    lines += [f"    {safe(k.principal)}  {safe(k.fingerprint)}" for k in pack.group_keys]
    return lines


def _trust(args: argparse.Namespace, kind: Kind) -> tuple[GroupVerdict, TrustList | None]:
    if args.trust is not None:
        trust = load_trust(args.trust)
        return verify_group_file(args.file, kind, trust), trust
    return verify_with_pins(args.file, kind, accept_new_key=args.accept_new_key)


def _seen(args: argparse.Namespace, data: bytes, what: str, partner: str | None) -> datetime | None:
    """The newest ``what`` already opened for the file's plan and period (partner side)."""
    if args.trust is not None or not partner:
        return None
    try:
        body = tomllib.loads(split_signed(data)[0].decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return newest_seen(what, str(body.get("plan")), str(body.get("period")), partner)


def _show(args: argparse.Namespace, kind: Kind, trust: TrustList | None) -> list[str]:
    partner = args.partner or load_config().partner
    data = read_limited(args.file)
    source = str(args.file)
    what = "call" if kind is CALL else "feedback"
    seen = _seen(args, data, what, partner)
    body: Pack | Feedback
    if kind is CALL:
        pack = check_pack(data, trust, source=source, partner=partner, newest_seen=seen)
        body, verdict = pack.pack, pack.verdict
        lines = pack_lines(body, verdict, date.today())
    else:
        fb = check_feedback(data, trust, source=source, partner=partner, newest_seen=seen)
        body, verdict = fb.feedback, fb.verdict
        lines = feedback_lines(body, verdict)
    if args.trust is None:
        record_seen(what, body.plan, body.period, body.partner, body.issued_at)
    head = [safe(verdict.message)]
    if not partner:
        head.append("  note: no partner chosen (--partner), so whose file it is was not checked")
    return head + lines


def run(args: argparse.Namespace) -> int:
    """Verify and show the file; exit 0 only if it verified."""
    kind = kind_of(args.file)
    if kind is None:
        choice = choose_trust(args.trust, args.file.parent)
        ret = verify_file(args.file, load_chosen_trust(choice))
        print(safe(ret.message))
        if ret.ret is not None:
            sys.stdout.write("".join(f"{line}\n" for line in return_lines(ret.ret)))
        return 0 if ret.ok else 1
    verdict, trust = _trust(args, kind)
    if not verdict.ok:
        print(safe(verdict.message))
        return 1
    try:
        lines = decision_lines(verdict) if kind is DECISION else _show(args, kind, trust)
    except RefusedFileError as exc:
        print(safe(exc))
        return 1
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    return 0
