"""Action plans: the data every return is written against.

A plan (``schema/plans/<id>.toml``) lists the plan's status vocabulary, its partner registry,
its sections, actions and KPIs. Plans are data, not code: :func:`load_plan` reads and validates
one, and rejects a wrong one with a message that names the file, the place and the problem.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from dapreturn.core.dates import MAX_YEAR, MIN_YEAR
from dapreturn.core.errors import PlanError
from dapreturn.core.messages import PARTNER_PATTERN, first_problem

PLAN_SCHEMA = "dapreturn/plan/v1"
"""The ``schema`` value every plan file carries."""

PARTNER_CODE_RE = re.compile(PARTNER_PATTERN)
"""Partner codes are identifiers: they become file-name parts and signature principals."""

MAX_PLAN_BYTES = 2 * 1024 * 1024
"""Plans larger than this are refused before parsing."""

PartnerCode = Annotated[str, StringConstraints(pattern=PARTNER_CODE_RE.pattern, max_length=32)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class _Strict(BaseModel):
    """Base for plan tables: unknown keys are errors, values are frozen once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Status(_Strict):
    """One word of the plan's status vocabulary, shown with a text marker, never colour alone."""

    id: Slug
    """The status as returns record it (``on_track``): lower case letters, digits and ``_``."""
    label: Text = Field(min_length=1)
    """The words people see (``On track``)."""
    marker: Annotated[str, StringConstraints(min_length=1, max_length=3)]
    """One to three characters shown with the status (``G``, ``A``, ``R``), so it never
    depends on colour alone."""
    colour: str = "default"
    """A colour hint for screens (``green``, ``amber``, ``red`` or ``default``); the marker
    always shows too."""
    done: bool = False
    """The action is finished: a completion date is required and it is never overdue."""
    requires_risks: bool = False
    """Choosing this status requires the risks/issues field (at risk, off track)."""
    requires_action_taken: bool = True
    """False for statuses such as "not started" where no action can have been taken."""
    description: str = ""
    """What the status means, shown to partners when they choose one."""


class Partner(_Strict):
    """An organisation (or portfolio) that leads or contributes to actions."""

    code: PartnerCode
    """The partner's code (``BSWA``, ``BCC-HM``): capital letters, digits and single hyphens.
    It names the partner's return files and is the principal of its signing key."""
    name: Text = Field(min_length=1)
    """The organisation's full name."""
    kind: str = ""
    """What kind of organisation it is (``statutory``, ``partnership board``, ...)."""
    aliases: list[str] = []
    """Other names people may type to find the partner (abbreviations, former names)."""
    contact_name: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^[^\x00-\x1f\x7f]*$")
    ] = ""
    """Who to write to about returns (optional; the bundled plan leaves it empty)."""
    contact_email: Annotated[
        str, StringConstraints(pattern=r"^([^@\s<>,;\"]+@[^@\s<>,;\"]+)?$")
    ] = ""
    """Their e-mail address (optional); ``dapreturn chase`` addresses its e-mails to it."""


class Section(_Strict):
    """A heading of the plan grouping actions and KPIs."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$")]
    """The section's number or code (``3``), as actions and KPIs name it."""
    title: Text = Field(min_length=1)
    """The heading (``Early Identification & Early Help``)."""
    aim: str = ""
    """What the section's actions aim to achieve."""
    measures: list[str] = []
    """How success in the section is measured, one measure per item."""


class Action(_Strict):
    """One action of the plan, identified by its reference (``1a``, ``3l``, ``R02b``)."""

    ref: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$", max_length=16)]
    """The action's reference (``3l``), unique in the plan; returns name actions by it."""
    section: str
    """The ``id`` of the section the action belongs to."""
    title: Text = Field(min_length=1, max_length=60)
    """A short title for lists (the full wording is ``text``)."""
    text: Text = Field(min_length=1)
    """The action's full wording, as the plan states it."""
    leads: list[PartnerCode] = []
    """Codes of the partners that lead the action (empty where the plan names none yet)."""
    contributors: list[PartnerCode] = []
    """Codes of other partners expected to report on the action."""
    success_measure: str = ""
    """How the plan says success is measured."""
    timescale: str = ""
    """The timescale in the plan's own words (``Years 1-5 (2018/19-2022/23)``)."""
    due: date | None = None
    """The date the action is due by, where the timescale gives one; after it, an action
    that is not done counts as overdue."""


class Kpi(_Strict):
    """A key performance indicator reported each period."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$")]
    """The KPI's code (``K1``), as returns name it."""
    section: str
    """The ``id`` of the section the KPI belongs to."""
    measure: Text = Field(min_length=1)
    """What is counted or measured, in words."""
    theme: str = ""
    """A grouping for reports (e.g. the strategy theme)."""
    unit: Literal["count", "percent", "number", "currency"] = "count"
    """How figures are read: ``count`` and ``currency`` add up across partners, ``percent``
    and ``number`` do not."""
    direction: Literal["increase", "reduce", "target"] = "increase"
    """Which way is better: ``increase``, ``reduce``, or ``target`` (towards ``target``)."""
    target: float | None = None
    """The figure aimed for (required when ``direction`` is ``target``)."""
    baseline: float | None = None
    """The figure at the start of the plan, where known."""


class Plan(_Strict):
    """A whole action plan, validated across its tables."""

    schema_: Literal["dapreturn/plan/v1"] = Field(alias="schema")
    """Always ``dapreturn/plan/v1``: the kind of file and the version of its format."""
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
    """The plan's id (``daps-2018-2023``): lower case letters, digits and hyphens. Returns name
    the plan by it, and it starts every return's file name."""
    title: Text = Field(min_length=1)
    """The plan's full title."""
    frequency: Literal["quarterly"] = "quarterly"
    """How often partners report: quarterly, by UK financial-year quarter (``2018/19 Q3`` is
    1 October to 31 December 2018)."""
    start: date
    """The first day the plan covers."""
    end: date
    """The last day the plan covers (after ``start``)."""
    source: str = ""
    """Where the plan's text comes from (the document it was transcribed from)."""
    description: str = ""
    """What the plan is for, in a paragraph."""
    statuses: list[Status] = Field(min_length=1)
    """The plan's status vocabulary; at least one status must be ``done``."""
    partners: list[Partner] = []
    """The partner registry: every organisation that leads or contributes to an action."""
    sections: list[Section] = Field(min_length=1)
    """The plan's headings, in order."""
    actions: list[Action] = Field(min_length=1)
    """The plan's actions, in order."""
    kpis: list[Kpi] = []
    """The key performance indicators partners report figures for each period."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _cross_check(self) -> Plan:
        """Check uniqueness and that every reference points at something that exists."""
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        for name, day in (("start", self.start), ("end", self.end)):
            if not MIN_YEAR <= day.year <= MAX_YEAR:  # periods (and their neighbours) must exist
                raise ValueError(f"{name} {day} is outside the years {MIN_YEAR}-{MAX_YEAR}")
        for table, keys in (
            ("statuses", [s.id for s in self.statuses]),
            ("partners", [p.code for p in self.partners]),
            ("sections", [s.id for s in self.sections]),
            ("actions", [a.ref.lower() for a in self.actions]),
            ("kpis", [k.id for k in self.kpis]),
        ):
            seen: set[str] = set()
            for i, key in enumerate(keys):
                if key in seen:
                    raise ValueError(f"{table}[{i}]: duplicate {key!r}")
                seen.add(key)
        if not any(s.done for s in self.statuses):
            raise ValueError("statuses: no status has done = true")
        codes = {p.code for p in self.partners}
        sections = {s.id for s in self.sections}
        for i, a in enumerate(self.actions):
            where = f'actions[{i}] (ref "{a.ref}")'
            if a.section not in sections:
                raise ValueError(
                    f"{where}: section {a.section!r} is not one of the plan's sections"
                )
            for code in (*a.leads, *a.contributors):
                if code not in codes:
                    raise ValueError(f"{where}: partner {code!r} is not in the partner registry")
        for i, k in enumerate(self.kpis):
            if k.section not in sections:
                raise ValueError(
                    f'kpis[{i}] (id "{k.id}"): section {k.section!r} '
                    "is not one of the plan's sections"
                )
            if k.direction == "target" and k.target is None:
                raise ValueError(
                    f'kpis[{i}] (id "{k.id}"): direction "target" needs a target value'
                )
        return self

    def status(self, status_id: str) -> Status | None:
        """The status with this id, or ``None``."""
        return next((s for s in self.statuses if s.id == status_id), None)

    def partner(self, code: str) -> Partner | None:
        """The partner with this code, or ``None``."""
        return next((p for p in self.partners if p.code == code), None)

    def action(self, ref: str) -> Action | None:
        """The action with this reference (case-insensitive), or ``None``."""
        key = ref.strip().lower()
        return next((a for a in self.actions if a.ref.lower() == key), None)

    def section(self, section_id: str) -> Section | None:
        """The section with this id, or ``None``."""
        return next((s for s in self.sections if s.id == section_id), None)

    def kpi(self, kpi_id: str) -> Kpi | None:
        """The KPI with this id, or ``None``."""
        return next((k for k in self.kpis if k.id == kpi_id), None)

    def actions_led_by(self, code: str) -> list[Action]:
        """Actions whose leads include ``code``, in plan order."""
        return [a for a in self.actions if code in a.leads]

    def partner_name(self, code: str) -> str:
        """The partner's full name, or the code itself when it is not registered."""
        p = self.partner(code)
        return p.name if p else code


def parse_plan(text: str, *, source: str) -> Plan:
    """Parse and validate plan TOML text; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        raise PlanError(f"{source}: nested too deeply to be a plan") from None
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(first_problem(exc, data, source)) from None


def load_plan(path: Path) -> Plan:
    """Read and validate the plan file at ``path``."""
    try:
        size = path.stat().st_size
        if size > MAX_PLAN_BYTES:
            raise PlanError(f"{path}: {size} bytes is too large for a plan file")
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return parse_plan(text, source=str(path))


def bundled_plans_dir() -> Path:
    """Folder of the bundled plans: in the wheel, or ``schema/plans`` in a source checkout."""
    here = Path(__file__).resolve().parents[2]  # the dapreturn package
    shipped = here / "plans"
    if shipped.is_dir():
        return shipped
    return here.parent.parent / "schema" / "plans"


def bundled_plan_ids() -> list[str]:
    """Ids of the bundled plans, sorted."""
    return sorted(p.stem for p in bundled_plans_dir().glob("*.toml"))


@cache
def bundled_plan(plan_id: str) -> Plan:
    """Load a bundled plan by id (cached: plans are immutable)."""
    path = bundled_plans_dir() / f"{plan_id}.toml"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", plan_id) or not path.is_file():
        known = ", ".join(bundled_plan_ids()) or "none"
        raise PlanError(f"no bundled plan {plan_id!r} (bundled plans: {known})")
    plan = load_plan(path)
    if plan.id != plan_id:
        raise PlanError(f"{path}: file name says {plan_id!r} but the plan's id is {plan.id!r}")
    return plan


DEFAULT_PLAN_ID = "daps-2018-2023"
"""The plan the partner app opens when none is chosen."""


def resolve_plan(id_or_path: str) -> Plan:
    """A bundled plan by id, or a plan file when the argument names an existing file."""
    candidate = Path(id_or_path)
    if candidate.suffix == ".toml" or candidate.is_file():
        return load_plan(candidate)
    return bundled_plan(id_or_path)
