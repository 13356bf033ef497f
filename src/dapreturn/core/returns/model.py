"""Returns: one partner's progress report on one plan for one reporting period.

The :class:`Return` model checks the *shape* of a return (types, clean text, a real period, a
partner code). Rules that need the plan — the ref exists, the status is in the plan's
vocabulary, a done status has a completion date — live in :mod:`dapreturn.core.returns.rules`, which
reports every problem at once so a form can show each beside its field.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)

from dapreturn.core.dates import MAX_YEAR, MIN_YEAR
from dapreturn.core.messages import PARTNER_PATTERN
from dapreturn.core.periods import Period

RETURN_SCHEMA: Literal["dapreturn/return/v1"] = "dapreturn/return/v1"
"""The ``schema`` value every return file carries."""

MAX_TEXT = 20_000
"""Most characters a narrative field may hold (about eight pages of text)."""
MAX_LINE = 200
"""Most characters a one-line field (a name, a role) may hold."""

_CONTROL_NAMES = {
    "\x1b": "ESC",
    "\x00": "NUL",
    "\x7f": "DEL",
    "\r": "CR",
    "\x08": "BS",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u00ad": "soft hyphen",
    "\u180e": "Mongolian vowel separator",
    "\u200b": "zero-width space",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space (byte-order mark)",
}

_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u00ad\u180e\u200b\u2060-\u2064\ufeff"
"""Category ``Cc``, line/paragraph separators, the bidi embeddings/overrides (text shown in
another order than it reads; RLM/LRM are fine) and invisible characters that can hide a detail
from a reader or the safeguarding check. ZWJ and ZWNJ stay: emoji and Persian/Urdu need them."""


def _expand(spec: str) -> list[str]:
    """The characters of a character-class body such as ``_CONTROLS`` (``a-z`` ranges)."""
    out: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return out


@functools.cache
def _control_re(allowed: str) -> re.Pattern[str]:
    """A character class of every control character but ``allowed`` (faster than a look-ahead)."""
    chars = [c for c in _expand(_CONTROLS) if c not in allowed]
    return re.compile(f"[{''.join(re.escape(c) for c in chars)}]")


def _control_char(text: str, allowed: str) -> str | None:
    """Describe the first control character in ``text`` that is not in ``allowed``."""
    m = _control_re(allowed).search(text)
    if m is None:
        return None
    ch = m[0]
    name = _CONTROL_NAMES.get(ch, "control character")
    return f"contains a {name} (U+{ord(ch):04X}) at character {m.start() + 1}; remove it"


def clean_multiline(value: str) -> str:
    """NFC-normalise narrative text, turn CRLF into LF, refuse other control characters."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
    if len(value) > MAX_TEXT:
        raise ValueError(
            f"is {len(value):,} characters long; the most a field holds is {MAX_TEXT:,}"
        )
    problem = _control_char(value, "\n\t")
    if problem:
        raise ValueError(problem)
    return value


def clean_line(value: str) -> str:
    """NFC-normalise a one-line value, trim it, refuse line breaks and control characters."""
    value = unicodedata.normalize("NFC", value).strip()
    if len(value) > MAX_LINE:
        raise ValueError(f"is {len(value):,} characters long; the most is {MAX_LINE}")
    if "\n" in value:
        raise ValueError("must be one line")
    problem = _control_char(value, "")
    if problem:
        raise ValueError(problem)
    return value


MultiLine = Annotated[str, AfterValidator(clean_multiline)]
OneLine = Annotated[str, AfterValidator(clean_line)]


class _Model(BaseModel):
    """Base for return tables: unknown keys are errors; assignment is validated too."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True)


class Entry(_Model):
    """The report on one action: its status, dates and narrative."""

    ref: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$", max_length=16)]
    """The reference of the plan's action this entry reports on (``3l``)."""
    role: Literal["lead", "contributor"] = "lead"
    """``lead`` for an action the partner leads, ``contributor`` for one it contributes to."""
    status: str = ""
    """A status id from the plan's vocabulary; empty while the entry is being drafted."""
    started: date | None = None
    """The date work on the action started (``2018-04-01``)."""
    target: date | None = None
    """The date the action is expected to be finished by."""
    completed: date | None = None
    """The date the action was finished; required when the status is a done one."""
    responsible: list[OneLine] = []
    """Individuals responsible (name and/or role), one per item."""
    action_taken: MultiLine = ""
    """What was done this period. Describe work, not people: no names of victims, service
    users or their families."""
    next_steps: MultiLine = ""
    """What will be done next period."""
    risks: MultiLine = ""
    """Risks and issues; required by statuses such as "at risk" and "off track"."""

    @field_validator("responsible")
    @classmethod
    def _drop_blank(cls, value: list[str]) -> list[str]:
        """Blank lines in the responsible list carry nothing: drop them."""
        return [v for v in value if v]


class KpiFigure(_Model):
    """One KPI figure for the period."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$", max_length=16)]
    """The id of the plan's KPI this figure is for (``K1``)."""
    value: int | float | None = None
    """The figure for the period, in the KPI's unit; left out while not known."""
    note: MultiLine = ""
    """Anything a reader needs to understand the figure (how it was counted, a caveat)."""

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        """Infinity and not-a-number are not figures."""
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


Sha256 = Annotated[str, Field(pattern=r"^([0-9a-f]{64})?$")]
"""A SHA-256 in lower-case hex, or empty when there is none."""


class Answers(_Model):
    """What a return answers (optional; returns written without a pack have none): the call
    pack and the exact plan text it was written for, and on a resubmission the feedback it
    answers. Each is the SHA-256 of that file's bytes (the plan: of its text)."""

    pack_sha256: Sha256 = ""
    """The call-for-returns pack file."""
    plan_sha256: Sha256 = ""
    """The plan text the pack carried (the plan version the return was written for)."""
    feedback_sha256: Sha256 = ""
    """The feedback file a resubmission answers."""


class Return(_Model):
    """One partner's return for one plan and one period (the unsigned body of a return file)."""

    schema_: Literal["dapreturn/return/v1"] = Field(default=RETURN_SCHEMA, alias="schema")
    """Always ``dapreturn/return/v1``: the kind of file and the version of its format."""
    plan: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
    """The id of the action plan reported on (``daps-2018-2023``)."""
    period: str
    """Canonical period text, e.g. ``2018/19 Q3`` (other typed forms are normalised)."""
    partner: Annotated[str, Field(pattern=PARTNER_PATTERN, max_length=32)]
    """The reporting partner's code (``BSWA``), as in the plan's partner registry; a signed
    return must be signed with a key the steering group trusts for this code."""
    prepared_by: OneLine = ""
    """Who prepared the return: a name and role, or a role alone."""
    revision: Annotated[int, Field(ge=1, le=999)] = 1
    """1 for the first return for this plan, period and partner; a re-submission is the next
    number and replaces the earlier ones."""
    submitted_at: datetime | None = None
    """When the return was signed, with its time zone (``2018-11-14T10:02:11Z``); set by
    ``dapreturn`` when it signs."""
    entries: list[Entry] = []
    """One entry per action reported on, in plan order."""
    kpis: list[KpiFigure] = []
    """KPI figures for the period."""
    answers: Answers | None = None
    """The pack, plan version and feedback this return answers (see :class:`Answers`)."""

    @field_validator("period")
    @classmethod
    def _canonical_period(cls, value: str) -> str:
        """Accept any period form people type; store the canonical one.

        Only quarters of plan years (dates 1990-2099) are accepted, so a return's period always
        has a previous and a next quarter (carry-forward and history step between them).
        """
        period = Period.parse(value)
        if period.end.year < MIN_YEAR or period.start.year > MAX_YEAR:
            raise ValueError(
                f"{value!r} is outside the years a plan can cover ({MIN_YEAR}-{MAX_YEAR})"
            )
        return str(period)

    @field_validator("submitted_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """A submission time must carry its offset; it is stored in UTC, whole seconds."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2018-11-14T10:02:11Z")
        try:
            return value.astimezone(UTC).replace(microsecond=0)
        except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 is before year 1 in UTC
            raise ValueError("is out of range") from None

    @property
    def period_obj(self) -> Period:
        """The period as a :class:`Period`."""
        return Period.parse(self.period)

    def entry(self, ref: str) -> Entry | None:
        """The entry for ``ref`` (case-insensitive), or ``None``."""
        key = ref.lower()
        return next((e for e in self.entries if e.ref.lower() == key), None)

    def kpi(self, kpi_id: str) -> KpiFigure | None:
        """The KPI figure with this id, or ``None``."""
        return next((k for k in self.kpis if k.id == kpi_id), None)

    def narratives(self) -> dict[str, str]:
        """Every non-empty free-text field by place (``prepared_by``, ``3l.action_taken``), in file
        order: what the safeguarding check scans (names of staff only for identifiers).
        """
        out: dict[str, str] = {"prepared_by": self.prepared_by}
        for e in self.entries:
            out[f"{e.ref}.responsible"] = "\n".join(e.responsible)
            out[f"{e.ref}.action_taken"] = e.action_taken
            out[f"{e.ref}.next_steps"] = e.next_steps
            out[f"{e.ref}.risks"] = e.risks
        for k in self.kpis:
            out[f"kpis.{k.id}.note"] = k.note
        return {place: text for place, text in out.items() if text}


_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


def _safe(part: str) -> str:
    """Reduce a value to a file-name-safe part (letters, digits, hyphens)."""
    return _UNSAFE.sub("-", part).strip("-") or "x"


def return_filename(plan: str, period: Period | str, partner: str, revision: int) -> str:
    """``<plan>_<period slug>_<partner>_r<revision>.toml`` with every part sanitised."""
    p = period if isinstance(period, Period) else Period.parse(period)
    return f"{_safe(plan)}_{p.slug}_{_safe(partner)}_r{int(revision)}.toml"


_FILENAME = re.compile(
    r"^(?P<plan>[a-z0-9][a-z0-9-]*)_(?P<period>\d{4}-\d{2}-Q[1-4])_"
    r"(?P<partner>[A-Z0-9]+(?:-[A-Z0-9]+)*)_r(?P<rev>\d{1,3})\.toml$"
)


def parse_return_filename(name: str) -> tuple[str, str, str, int] | None:
    """Split a return file name into (plan, period slug, partner, revision), or ``None``."""
    m = _FILENAME.match(name)
    if m is None:
        return None
    return m["plan"], m["period"], m["partner"], int(m["rev"])


def utc_now() -> datetime:
    """The current time in UTC, whole seconds (what ``submitted_at`` records)."""
    return datetime.now(UTC).replace(microsecond=0)
