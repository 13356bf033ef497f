"""``dapreturn call --period P --deadline DATE [--partners ...] [-o DIR]``: write one signed
call-for-returns pack per partner, ready to attach to an e-mail."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from dapreturn.cli.common import choose_trust, load_chosen_trust
from dapreturn.cli.officer_keys import officer_signer
from dapreturn.core.config import load_config
from dapreturn.core.cycle.packs import (
    GroupKey,
    build_pack,
    expected_actions,
    pack_name,
    read_plan_text,
)
from dapreturn.core.dates import describe_date, parse_date
from dapreturn.core.errors import DapreturnError
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import DEFAULT_PLAN_ID, parse_plan
from dapreturn.core.signing.officers import CALL_NAMESPACE, is_officer_principal
from dapreturn.core.signing.sshsig import blob_fingerprint, public_key_from_blob, public_key_line
from dapreturn.core.signing.trust import TrustList
from dapreturn.core.storage import atomic_write_bytes


def register(sub: Any) -> None:
    """Add the ``call`` command."""
    p = sub.add_parser(
        "call",
        help="write a signed call for returns for each partner",
        description="Write one signed call-for-returns pack per partner (officers).",
    )
    p.add_argument("--period", required=True, metavar="P", help='e.g. "2018/19 Q3"')
    p.add_argument("--deadline", required=True, metavar="DATE", help="e.g. 2019-01-15")
    p.add_argument("--partners", nargs="+", metavar="CODE", help="only these partners")
    p.add_argument("--plan", metavar="ID|FILE", help="plan id or plan file")
    p.add_argument("--officer", metavar="NAME", help="whose officer key signs the packs")
    p.add_argument("--contact", default="", metavar="TEXT", help="who to ask, one line")
    p.add_argument(
        "--trust", type=Path, metavar="FILE", help="the group's trust list (its officer keys go in)"
    )
    p.add_argument("-o", "--out", type=Path, metavar="DIR", help="where to write (default calls)")
    p.set_defaults(handler=run)


def group_keys(trust: TrustList | None) -> list[GroupKey]:
    """The officer keys of the trust list that may sign calls."""
    keys: list[GroupKey] = []
    for entry in trust.entries if trust is not None else ():
        officers = [p for p in entry.principals if is_officer_principal(p)]
        if not officers or not entry.allows_namespace(CALL_NAMESPACE):
            continue
        public_key = public_key_from_blob(entry.key_blob)
        keys.append(
            GroupKey(
                principal=officers[0],
                key=public_key_line(public_key),
                fingerprint=blob_fingerprint(entry.key_blob),
            )
        )
    return keys


def run(args: argparse.Namespace) -> int:
    """Write the packs and print one line per partner."""
    period = Period.parse(args.period)
    deadline = parse_date(args.deadline)
    text = read_plan_text(args.plan or load_config().plan or DEFAULT_PLAN_ID)
    plan = parse_plan(text, source="plan")
    codes = args.partners or [p.code for p in plan.partners if expected_actions(plan, p.code)]
    if not codes:
        raise DapreturnError(f"plan {plan.id} names no partner with actions; give --partners")
    contact = " ".join(args.contact.split())
    signer = officer_signer(args.officer)
    keys = group_keys(load_chosen_trust(choose_trust(args.trust, None)))
    out: Path = args.out or Path("calls")
    for code in codes:
        pack, data = build_pack(
            text,
            period=period,
            partner=code,
            deadline=deadline,
            contact=contact,
            signer=signer,
            group_keys=keys,
        )
        path = out / pack_name(pack)
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data, exclusive=True)
        refs = ", ".join(e.ref for e in pack.expected) or "no actions"
        print(f"{code:<12} {refs}; wrote {path}")
    print(
        f"{len(codes)} pack(s) for {period}, deadline {describe_date(deadline)}, "
        f"signed by {signer.principal}"
    )
    return 0
