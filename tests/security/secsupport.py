"""Shared material for the security tests: fixed keys, a small plan, deterministic returns.

Everything here is deterministic (fixed Ed25519 seeds, fixed times), so a signed return built
here is byte-for-byte reproducible: the crash harness uses that to compute exactly what a file
written by its child process must contain. The module is imported by the test files (pytest puts
this folder on ``sys.path``) and by ``crash_child.py``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core.filling.drafts import DraftKey
from dapreturn.core.plan.model import Plan, load_plan
from dapreturn.core.returns.model import Entry, KpiFigure, Return
from dapreturn.core.returns.tomlio import dump_return
from dapreturn.core.signing.files import sign_body
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.trust import TrustList, parse_trust

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
REPO = TESTS.parent
MINI_PLAN_PATH = TESTS / "data" / "mini-plan.toml"
CORPUS = HERE / "corpus"


def seeded_key(label: str) -> Ed25519PrivateKey:
    """An Ed25519 key derived from ``label`` (the same key in every process and run)."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


BSWA_KEY = seeded_key("dapreturn-security-BSWA")
WMP_KEY = seeded_key("dapreturn-security-WMP")
STRANGER_KEY = seeded_key("dapreturn-security-stranger")

T0 = datetime(2019, 1, 10, 9, 30, tzinfo=UTC)
"""Submission time of the first revision; revision ``n`` is stamped ``T0 + n`` seconds."""
TODAY = date(2019, 6, 1)
"""The 'today' every check runs at, so the tests do not depend on the real date."""
PERIOD = "2018/19 Q3"
DRAFT_KEY = DraftKey(plan="mini", partner="BSWA", period_slug="2018-19-Q3")


def mini_plan() -> Plan:
    """The small test plan (BSWA leads 3l and 3h; WMP is not in it)."""
    return load_plan(MINI_PLAN_PATH)


def trust_list(*pairs: tuple[str, Ed25519PrivateKey], source: str = "allowed_signers") -> TrustList:
    """A trust list vouching for each (partner, key) pair."""
    text = "".join(allowed_signers_line(code, key.public_key()) + "\n" for code, key in pairs)
    return parse_trust(text, source)


def trust_text(*pairs: tuple[str, Ed25519PrivateKey]) -> str:
    """The allowed_signers text for the pairs."""
    return "".join(allowed_signers_line(code, key.public_key()) + "\n" for code, key in pairs)


def narrative(label: str, size: int) -> str:
    """Deterministic narrative text of exactly ``size`` characters starting with ``label``."""
    filler = " Ask Me ambassadors trained; referrals reviewed at the weekly hub meeting."
    text = label + filler * (size // len(filler) + 1)
    return text[:size]


def ready_return(
    *,
    partner: str = "BSWA",
    action_taken: str = "Trained 12 Ask Me ambassadors in two wards.",
    prepared_by: str = "A. Lead, Service Manager",
    risks: str = "",
    note: str = "",
) -> Return:
    """A return for the mini plan that passes every rule (on TODAY)."""
    return Return(
        plan="mini",
        period=PERIOD,
        partner=partner,
        prepared_by=prepared_by,
        entries=[
            Entry(
                ref="3l",
                status="on_track",
                started=date(2018, 4, 1),
                target=date(2020, 3, 31),
                responsible=["Helpline manager"],
                action_taken=action_taken,
                next_steps="Extend to a third ward.",
                risks=risks,
            ),
            Entry(ref="3h", status="not_started"),
        ],
        kpis=[KpiFigure(id="K1", value=42, note=note), KpiFigure(id="K2", value=12.5)],
    )


# --- the crash harness's deterministic content ------------------------------------------------


def draft_text(index: int) -> str:
    """Draft generation ``index``: even ones large (18,000 characters), odd ones small."""
    size = 18_000 if index % 2 == 0 else 300
    ret = ready_return(
        prepared_by=f"Harness draft {index}", action_taken=narrative(f"draft {index}:", size)
    )
    return dump_return(ret)


def draft_index(ret: Return) -> int:
    """Which generation a parsed draft claims to be (from ``prepared_by``)."""
    prefix = "Harness draft "
    if not ret.prepared_by.startswith(prefix):
        raise ValueError(f"not a harness draft: {ret.prepared_by!r}")
    return int(ret.prepared_by.removeprefix(prefix))


def return_for_revision(revision: int) -> Return:
    """What the harness signs as ``revision``: odd revisions large, even ones small."""
    size = 12_000 if revision % 2 == 1 else 200
    return ready_return(
        prepared_by="Harness signer, Service Manager",
        action_taken=narrative(f"revision {revision}:", size),
    )


def submitted_at(revision: int) -> datetime:
    """The pinned submission time of ``revision``."""
    return T0 + timedelta(seconds=revision)


def expected_signed(revision: int) -> tuple[Return, bytes]:
    """(the return as signed, the exact file bytes) that revision ``revision`` must have."""
    final = return_for_revision(revision).model_copy(
        update={"revision": revision, "submitted_at": submitted_at(revision)}
    )
    body = dump_return(final).encode("utf-8")
    return final, sign_body(body, BSWA_KEY, "BSWA")


def one_line(message: str) -> bool:
    """Whether a message is a single line (no line break of any kind)."""
    return len(message.splitlines()) <= 1 and "\n" not in message and "\r" not in message


TALLIES: dict[str, Counter[str]] = {}
"""What the catalogue suites tried, by suite then category: printed in pytest's summary."""


def tally(suite: str) -> Counter[str]:
    """The counter of ``suite`` (``fuzz: inputs tried``), created on first use."""
    return TALLIES.setdefault(suite, Counter())
