"""Build folders of signed return files for tests: real Ed25519 keys, a real allowed_signers.

:class:`CollectionBuilder` makes and signs returns one by one (any plan, including the bundled
one); :func:`build_scenario` lays out a realistic collection for the officer side, described in
its docstring, whose figures the collection, analysis and report tests check.

Keys are derived from the partner code (deterministic and fast); they are test keys only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan, parse_plan
from dapreturn.core.returns.model import Entry, KpiFigure, Return, return_filename
from dapreturn.core.returns.tomlio import dump_return
from dapreturn.core.signing.files import sign_body
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.trust import TrustList, parse_trust

TEST_PLAN_TOML = """\
schema = "dapreturn/plan/v1"
id = "test-daps"
title = "Test domestic abuse prevention plan"
start = 2018-04-01
end = 2021-03-31

[[statuses]]
id = "not_started"
label = "Not started"
marker = "NS"
requires_action_taken = false

[[statuses]]
id = "on_track"
label = "On track"
marker = "G"
colour = "green"

[[statuses]]
id = "at_risk"
label = "Some delay / at risk"
marker = "A"
colour = "amber"
requires_risks = true

[[statuses]]
id = "complete"
label = "Complete"
marker = "C"
colour = "blue"
done = true

[[partners]]
code = "BSWA"
name = "Birmingham and Solihull Women's Aid"

[[partners]]
code = "BCC-COMM"
name = "Birmingham City Council Commissioning"

[[partners]]
code = "VAWC-SG"
name = "Violence Against Women and Children Steering Group"

[[partners]]
code = "WMP"
name = "West Midlands Police"

[[partners]]
code = "BCT"
name = "Birmingham Children's Trust"

[[partners]]
code = "DWP"
name = "Department for Work and Pensions"

[[sections]]
id = "1"
title = "Whole System Actions"

[[sections]]
id = "3"
title = "Early Identification & Early Help"

[[sections]]
id = "4"
title = "Safety and Support"

[[actions]]
ref = "1a"
section = "1"
title = "Workforce programme"
text = "Develop a workforce programme on domestic abuse."
leads = ["VAWC-SG", "BCC-COMM"]
due = 2021-03-31

[[actions]]
ref = "1b"
section = "1"
title = "Quality assurance framework"
text = "Design and implement a quality assurance framework."
leads = ["VAWC-SG"]
due = 2018-12-31

[[actions]]
ref = "3d"
section = "3"
title = "DA hub"
text = "Establish a holistic, positive pathway and intervention hub."
leads = ["BCC-COMM"]
due = 2019-03-31

[[actions]]
ref = "3h"
section = "3"
title = "Helpline"
text = "Expand current helpline provision."
leads = ["VAWC-SG", "BSWA"]

[[actions]]
ref = "3l"
section = "3"
title = "Ask Me scheme"
text = "Introduce an 'Ask Me' type scheme."
leads = ["BSWA"]
due = 2021-03-31

[[actions]]
ref = "4a"
section = "4"
title = "Refuge provision"
text = "Expand refuge provision."
leads = ["WMP"]
due = 2018-09-30

[[actions]]
ref = "4b"
section = "4"
title = "Children's support"
text = "Support for children living with domestic abuse."
leads = ["BCT"]
due = 2019-03-31

[[actions]]
ref = "4c"
section = "4"
title = "Job centre leads"
text = "Domestic abuse leads in every job centre."
contributors = ["DWP"]

[[kpis]]
id = "K1"
section = "3"
measure = "Number of referrals for early help"
unit = "count"
direction = "increase"
baseline = 100

[[kpis]]
id = "K2"
section = "4"
measure = "% of child protection plans with DA as a factor"
unit = "percent"
direction = "reduce"

[[kpis]]
id = "K3"
section = "1"
measure = "Funding secured for refuge spaces"
unit = "currency"
direction = "target"
target = 50000
"""

OTHER_PLAN_TOML = """\
schema = "dapreturn/plan/v1"
id = "other-plan"
title = "Another plan kept in the same folder"
start = 2018-04-01
end = 2020-03-31

[[statuses]]
id = "on_track"
label = "On track"
marker = "G"

[[statuses]]
id = "complete"
label = "Complete"
marker = "C"
done = true

[[partners]]
code = "BSWA"
name = "Birmingham and Solihull Women's Aid"

[[sections]]
id = "R"
title = "Recommendations"

[[actions]]
ref = "R01"
section = "R"
title = "Recommendation one"
text = "Do the first thing."
leads = ["BSWA"]
"""


def sample_plan() -> Plan:
    """The ``test-daps`` plan (8 actions in sections 1, 3, 4; KPIs K1 count, K2 %, K3 money)."""
    return parse_plan(TEST_PLAN_TOML, source="test-daps.toml")


def other_plan() -> Plan:
    """The ``other-plan`` plan (one action, R01, led by BSWA)."""
    return parse_plan(OTHER_PLAN_TOML, source="other-plan.toml")


def partner_key(partner: str, salt: str = "") -> Ed25519PrivateKey:
    """A deterministic test key for ``partner`` (a different ``salt`` gives another key)."""
    seed = hashlib.sha256(f"dapreturn-test-key:{partner}:{salt}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def own_key(partner: str) -> Ed25519PrivateKey:
    """This computer's key for ``partner`` (no passphrase, in DAPRETURN_HOME), made on first use.

    Only returns signed with it are the lead's own: carry-forward starts from nothing else.
    """
    from dapreturn.core.signing import keys

    info = keys.find_key(partner) or keys.new_key(partner)
    return keys.load_private_key(info.private_path, None)


def entry(
    ref: str,
    status: str = "on_track",
    *,
    role: str = "lead",
    started: date | None = date(2018, 4, 1),
    target: date | None = None,
    completed: date | None = None,
    action_taken: str | None = None,
    next_steps: str = "",
    risks: str = "",
    responsible: Sequence[str] = ("DA coordinator",),
) -> Entry:
    """An entry with sensible defaults (``action_taken`` says what was done on ``ref``)."""
    return Entry(
        ref=ref,
        role=role,
        status=status,
        started=started,
        target=target,
        completed=completed,
        action_taken=f"Work on {ref} this quarter." if action_taken is None else action_taken,
        next_steps=next_steps,
        risks=risks,
        responsible=list(responsible),
    )


@dataclass
class CollectionBuilder:
    """Writes signed returns and a trust list into ``folder``."""

    folder: Path
    plan: Plan = field(default_factory=sample_plan)

    def __post_init__(self) -> None:
        """Create the folder."""
        self.folder.mkdir(parents=True, exist_ok=True)

    def trust_text(self, partners: Iterable[str]) -> str:
        """allowed_signers text trusting each partner's test key."""
        return "".join(
            allowed_signers_line(p, partner_key(p).public_key()) + "\n" for p in partners
        )

    def write_trust(self, partners: Iterable[str], name: str = "allowed_signers") -> Path:
        """Write the trust list into the folder; return its path."""
        path = self.folder / name
        path.write_text(self.trust_text(partners), encoding="utf-8")
        return path

    def trust(self, partners: Iterable[str]) -> TrustList:
        """The parsed trust list for ``partners``."""
        return parse_trust(self.trust_text(partners), "allowed_signers")

    def make_return(
        self,
        partner: str,
        period: str,
        entries: Sequence[Entry] | None = None,
        *,
        revision: int = 1,
        submitted_at: datetime | None = None,
        kpis: dict[str, float] | None = None,
        plan_id: str | None = None,
    ) -> Return:
        """A return; default entries: one on-track lead entry per action the partner leads.

        ``submitted_at`` defaults to 14 days after the period ends, 10:00 UTC.
        """
        p = Period.parse(period)
        if entries is None:
            entries = [entry(a.ref) for a in self.plan.actions_led_by(partner)]
        when = submitted_at or datetime.combine(p.end + timedelta(days=14), time(10), UTC)
        return Return(
            plan=plan_id or self.plan.id,
            period=str(p),
            partner=partner,
            prepared_by="A. Lead, DA coordinator",
            revision=revision,
            submitted_at=when,
            entries=list(entries),
            kpis=[KpiFigure(id=k, value=v) for k, v in (kpis or {}).items()],
        )

    def sign(self, ret: Return, key: Ed25519PrivateKey | None = None) -> bytes:
        """The signed file bytes (signed with the partner's test key unless ``key``)."""
        body = dump_return(ret).encode("utf-8")
        return sign_body(body, key or partner_key(ret.partner), ret.partner)

    def write(
        self,
        ret: Return,
        *,
        key: Ed25519PrivateKey | None = None,
        subdir: str = "",
        name: str | None = None,
    ) -> Path:
        """Sign and write ``ret`` (default name: the standard return file name)."""
        name = name or return_filename(ret.plan, ret.period, ret.partner, ret.revision)
        return self.write_bytes(f"{subdir}/{name}" if subdir else name, self.sign(ret, key))

    def write_bytes(self, rel: str, data: bytes) -> Path:
        """Write raw bytes at ``rel`` inside the folder (folders created)."""
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path


TRUSTED = ("BSWA", "BCC-COMM", "VAWC-SG", "WMP", "BCT")
"""Partners in the scenario's trust list (DWP's key is not)."""
TODAY = date(2019, 3, 1)
REPORT_AT = datetime(2019, 3, 1, 12, 0, tzinfo=UTC)
"""When the test reports are produced (and the test ledger's decisions made)."""
"""The "today" the scenario is loaded at."""


@dataclass
class Scenario:
    """The files :func:`build_scenario` wrote, by role."""

    folder: Path
    builder: CollectionBuilder
    trust_path: Path
    files: dict[str, Path]


def build_scenario(folder: Path) -> Scenario:
    """A realistic collection of plan ``test-daps`` returns (report period 2018/19 Q3).

    - 2018/19 Q1 (``email/``): BSWA (3l target 31 Mar 2019; K1 30, K2 40).
    - 2018/19 Q2 (``email/``): BSWA (K1 40, K2 38), VAWC-SG (K3 20000), BCC-COMM (3d target
      30 Nov 2018; K1 50), WMP (4a at risk, target 30 Sep 2018; K1 20, K2 30), BCT (4b complete).
    - 2018/19 Q3 (folder root and ``usb/``):
      BSWA r1, superseded by BSWA r2 (3l target moved to 30 Jun 2019 = one slip; "Mrs Jane
      Smith" in 3l's narrative = a safeguarding finding; K1 45, K2 35);
      VAWC-SG **late** (signed 20 Feb 2019; 3h at risk; 1b target 31 Dec 2018; K3 30000);
      BCC-COMM with a rule problem (1a has no action taken; K1 60);
      BCT **tampered** after signing; DWP signed with a key **not in the trust list**;
      WMP **missing**; BSWA's return for **another plan** (``other-plan``: an officer gives it,
      :func:`other_plan`; a plan file in the folder would never be used).
    """
    b = CollectionBuilder(folder)
    files: dict[str, Path] = {}
    trust_path = b.write_trust(TRUSTED)
    q1, q2, q3 = "2018/19 Q1", "2018/19 Q2", "2018/19 Q3"
    mar19, jun19 = date(2019, 3, 31), date(2019, 6, 30)
    bswa = [entry("3h", target=mar19), entry("3l", target=mar19)]
    files["bswa_q1"] = b.write(
        b.make_return("BSWA", q1, bswa, kpis={"K1": 30, "K2": 40}), subdir="email"
    )
    files["bswa_q2"] = b.write(
        b.make_return("BSWA", q2, bswa, kpis={"K1": 40, "K2": 38}), subdir="email"
    )
    files["vawc_q2"] = b.write(b.make_return("VAWC-SG", q2, kpis={"K3": 20000}), subdir="email")
    bcc_q2 = [entry("1a"), entry("3d", target=date(2018, 11, 30))]
    files["bcc_q2"] = b.write(
        b.make_return("BCC-COMM", q2, bcc_q2, kpis={"K1": 50}), subdir="email"
    )
    wmp = [entry("4a", "at_risk", target=date(2018, 9, 30), risks="Funding not yet agreed.")]
    files["wmp_q2"] = b.write(
        b.make_return("WMP", q2, wmp, kpis={"K1": 20, "K2": 30}), subdir="email"
    )
    bct = [entry("4b", "complete", completed=date(2018, 9, 1))]
    files["bct_q2"] = b.write(b.make_return("BCT", q2, bct), subdir="email")

    files["bswa_q3_r1"] = b.write(b.make_return("BSWA", q3, bswa, kpis={"K1": 44, "K2": 36}))
    bswa_r2 = [
        entry("3h", target=mar19),
        entry(
            "3l",
            target=jun19,
            risks="Training venue fell through; target moved.",
            action_taken="Trained 40 staff. Mrs Jane Smith led the sessions.",
        ),
    ]
    late = datetime(2019, 2, 20, 9, 30, tzinfo=UTC)
    r2 = b.make_return(
        "BSWA",
        q3,
        bswa_r2,
        revision=2,
        kpis={"K1": 45, "K2": 35},
        submitted_at=datetime(2019, 1, 20, 12, 0, tzinfo=UTC),
    )
    files["bswa_q3_r2"] = b.write(r2, subdir="usb")
    vawc = [
        entry("1a"),
        entry("1b", target=date(2018, 12, 31)),
        entry("3h", "at_risk", target=mar19, risks="Helpline contract ends in March."),
    ]
    files["vawc_q3_late"] = b.write(
        b.make_return("VAWC-SG", q3, vawc, submitted_at=late, kpis={"K3": 30000})
    )
    bcc_q3 = [entry("1a", action_taken=""), entry("3d", target=date(2018, 11, 30))]
    files["bcc_q3"] = b.write(b.make_return("BCC-COMM", q3, bcc_q3, kpis={"K1": 60}))
    signed = b.sign(b.make_return("BCT", q3, bct))
    files["bct_q3_tampered"] = b.write_bytes(
        "usb/" + return_filename("test-daps", q3, "BCT", 1),
        signed.replace(b'status = "complete"', b'status = "on_track"'),
    )
    dwp = b.make_return("DWP", q3, [entry("4c", role="contributor")])
    files["dwp_q3_unknown_key"] = b.write(dwp)
    other = b.make_return("BSWA", q3, [entry("R01")], plan_id="other-plan")
    files["bswa_other_plan"] = b.write(other)
    return Scenario(folder, b, trust_path, files)
