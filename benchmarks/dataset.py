"""Synthetic, signed collections for the benchmarks (generated once, cached under /tmp).

A collection of ``n`` returns is laid out the way an officer's folder grows over years: the
bundled ``daps-2018-2023`` plan, ten lead partners (each with its own Ed25519 key in the trust
list), all twenty quarters, and as many revisions per (partner, period) as it takes to reach
``n`` files (``n = 10 partners x 20 periods x revisions``; 100 files use ten periods, one
revision). Every file has different bytes (prepared-by line and narratives vary with a seeded
random generator), about 1 % are tampered after signing and 0.5 % are signed by a key that is
not in the trust list, so the unhappy paths are timed too.

The files land in ``/tmp/dapreturn-bench/<n>-<version>/`` (``DAPRETURN_BENCH_DATA`` moves
it) with ``allowed_signers`` beside them; a ``.complete`` marker says the folder is whole.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core.periods import periods_between
from dapreturn.core.plan.model import Plan, bundled_plan
from dapreturn.core.returns.model import Entry, KpiFigure, Return, return_filename
from dapreturn.core.returns.tomlio import dump_return
from dapreturn.core.signing.files import sign_body
from dapreturn.core.signing.keys import allowed_signers_line

PLAN_ID = "daps-2018-2023"
"""The bundled plan every synthetic return is for."""
PARTNERS = (
    "VAWC-SG",
    "BCC-COMM",
    "BASB",
    "HPB",
    "BCC-HOS",
    "BCT",
    "BSWA",
    "WMPCC",
    "PHE",
    "BCSP",
)
"""Ten lead partners (VAWC-SG leads 12 actions, the others 1-4)."""
VERSION = "v2"
"""Bump to regenerate cached folders after changing the generator."""
STATUSES = ("on_track", "on_track", "on_track", "ongoing", "at_risk", "not_started")
_TEXT = (
    "partners agreed the referral pathway and trained frontline staff across the city; "
    "the steering group reviewed commissioning options and the helpline extended its hours; "
    "refuge spaces were secured and the multi-agency panel met monthly to review cases; "
    "schools received awareness sessions and the workforce programme reached 120 staff; "
    "the evaluation report was shared with the board and recommendations were accepted"
)
WORDS = tuple(_TEXT.split())
"""Vocabulary for narratives (ordinary plan language: no personal data)."""


def data_root() -> Path:
    """Where generated collections are kept."""
    return Path(os.environ.get("DAPRETURN_BENCH_DATA", "/tmp/dapreturn-bench"))


def partner_key(partner: str, salt: str = "") -> Ed25519PrivateKey:
    """A deterministic benchmark key for ``partner`` (benchmark data only)."""
    seed = hashlib.sha256(f"dapreturn-bench-key:{partner}:{salt}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def trust_text() -> str:
    """``allowed_signers`` text trusting the ten partners' benchmark keys."""
    return "".join(allowed_signers_line(p, partner_key(p).public_key()) + "\n" for p in PARTNERS)


def _sentence(rng: random.Random, words: int) -> str:
    """A plausible run of plan words, capitalised, ending with a full stop."""
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def _return(
    plan: Plan, partner: str, period_text: str, revision: int, rng: random.Random
) -> Return:
    """One partner's return with an entry per action led and a few KPI figures."""
    end = date.fromisoformat(f"{2018 + int(period_text[2:4]) - 18 + 1}-03-31")
    entries = []
    for action in plan.actions_led_by(partner):
        status = rng.choice(STATUSES)
        entries.append(
            Entry(
                ref=action.ref,
                status=status,
                started=date(2018, 4, 1),
                target=end,
                responsible=["DA coordinator", "Service manager"][: rng.randint(1, 2)],
                action_taken=_sentence(rng, rng.randint(20, 90)),
                next_steps=_sentence(rng, rng.randint(5, 30)),
                risks=_sentence(rng, rng.randint(8, 20)) if status in ("at_risk",) else "",
            )
        )
    kpis = [KpiFigure(id=k.id, value=rng.randint(0, 90)) for k in plan.kpis[: rng.randint(0, 4)]]
    p = next(x for x in periods_between(plan.start, plan.end) if str(x) == period_text)
    when = datetime.combine(p.end + timedelta(days=rng.randint(5, 40)), time(10), UTC)
    return Return(
        plan=plan.id,
        period=period_text,
        partner=partner,
        prepared_by=f"Lead officer {rng.randint(1, 999)}, {partner} (benchmark)",
        revision=revision,
        submitted_at=when + timedelta(minutes=revision),
        entries=entries,
        kpis=kpis,
    )


def _layout(n: int) -> tuple[int, int]:
    """(periods, revisions) so that 10 partners x periods x revisions = ``n``."""
    if n % 10:
        raise ValueError("the number of returns must be a multiple of 10")
    per_partner = n // len(PARTNERS)
    if per_partner <= 20:
        return per_partner, 1
    if per_partner % 20:
        raise ValueError("above 200 returns the number must be a multiple of 200")
    return 20, per_partner // 20


def generate(folder: Path, n: int, *, seed: int = 2018) -> None:
    """Write ``n`` signed returns and ``allowed_signers`` into ``folder``."""
    plan = bundled_plan(PLAN_ID)
    periods, revisions = _layout(n)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "allowed_signers").write_text(trust_text(), encoding="utf-8")
    stranger = partner_key("stranger")
    count = 0
    for period in periods_between(plan.start, plan.end)[:periods]:
        for partner in PARTNERS:
            for revision in range(1, revisions + 1):
                ret = _return(plan, partner, str(period), revision, rng)
                body = dump_return(ret).encode("utf-8")
                count += 1
                key = stranger if count % 200 == 57 else partner_key(partner)
                data = sign_body(body, key, partner)
                if count % 100 == 13:  # tampered after signing
                    data = data.replace(b"revision = ", b"revision =  ", 1)
                name = return_filename(plan.id, period, partner, revision)
                (folder / name).write_bytes(data)


def collection(n: int) -> Path:
    """The folder holding ``n`` signed returns (generated on first use)."""
    folder = data_root() / f"{n}-{VERSION}"
    if (folder / ".complete").is_file():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    generate(folder, n)
    (folder / ".complete").write_text("ok\n", encoding="utf-8")
    return folder


def trust_file(folder: Path) -> Path:
    """The collection's trust list."""
    return folder / "allowed_signers"
