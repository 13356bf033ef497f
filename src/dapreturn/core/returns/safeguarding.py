"""Scan narrative text for details that could identify a victim.

A domestic-abuse return must never carry a victim's personal data. :func:`scan_text` looks for
the kinds of detail that most often slip into free-text narratives: a name after a title, a
date of birth, a UK postcode, street address, phone number or e-mail address, an NHS number and
a National Insurance number. A :class:`Finding` is a warning for a person to look at, not proof.

Text is folded first (:mod:`dapreturn.core.returns.textnorm`: no-break/thin/zero-width spaces, soft
hyphens, full-width digits and lookalike letters read as what a reader sees), numbers may be
grouped with spaces, hyphens or dots, and capitals do not matter where they carry no meaning
("MRS KHAN", "b15 2tt", "JANE.DOE@EXAMPLE.COM"). Every field is scanned, the preparer and the
individuals responsible too; those two name staff by design, so there a title and name is not a
finding (:data:`STAFF_FIELDS`), but every identifier is.

The rules lean towards precision on the vocabulary of action-plan returns: organisation names,
periods ("2018/19 Q3"), plan references ("3l"), figures ("£250,000", "28-34 weeks") and ordinary
reporting dates ("31 January 2019") never match. In particular:

- a date is flagged only with a birth cue (DOB, D.O.B., date of birth, birth date, born) before
  it, or an age ("aged 33") right next to it;
- "Dr" right after a capitalised word ("Hagley Dr Birmingham") is read as "Drive", not a title;
- the identifiers (phones, postcodes, addresses, NHS and NI numbers, e-mail) have their own
  rules, in :mod:`dapreturn.core.returns.identifiers`.

Every pattern is linear in the length of the text (bounded or possessive quantifiers, anchored
starts), so 100,000 characters of hostile input scan quickly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum

from dapreturn.core.returns.identifiers import (
    DIGITS_RE,
    addresses,
    emails,
    nhs_numbers,
    ni_numbers,
    phones,
    postcodes,
)
from dapreturn.core.returns.textnorm import fold


class FindingKind(Enum):
    """The sort of personal detail a finding looks like; the value is its human label."""

    TITLED_NAME = "name after a title"
    DATE_OF_BIRTH = "date of birth"
    POSTCODE = "UK postcode"
    ADDRESS = "street address"
    PHONE = "UK phone number"
    EMAIL = "e-mail address"
    NHS_NUMBER = "NHS number"
    NI_NUMBER = "National Insurance number"

    @property
    def label(self) -> str:
        """The human label, e.g. ``"UK postcode"``."""
        return str(self.value)


@dataclass(frozen=True)
class Finding:
    """One likely piece of personal data: ``text == scanned_text[start:end]``."""

    field: str
    kind: FindingKind
    text: str
    start: int
    end: int
    message: str


# Overlapping matches keep the kind listed first (e-mail beats a title inside it, etc.).
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(
        [
            FindingKind.EMAIL,
            FindingKind.NHS_NUMBER,
            FindingKind.NI_NUMBER,
            FindingKind.PHONE,
            FindingKind.DATE_OF_BIRTH,
            FindingKind.POSTCODE,
            FindingKind.ADDRESS,
            FindingKind.TITLED_NAME,
        ]
    )
}

_Span = tuple[int, int]

_TITLE_RE = re.compile(
    r"\b(?P<title>Mrs|Mr|Ms|Miss|Mx|Dr|MRS|MR|MISS|MX|DR|(?P<lower>mrs|mr|miss))"
    r"(?:\.[ \t]{0,2}|[ \t]{1,2})"
)
_NAME_WORD_RE = re.compile(r"[^\W\d_][^\W\d_]*+(?:['’-][^\W\d_]++)*+")
_GAP_RE = re.compile(r"[ \t]{1,2}")
_WORD_BEFORE_RE = re.compile(r"(?<![\w'’-])([\w'’-]+)[ \t]\Z")

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_DATE = (
    r"(?<![\w/.-])(?P<date>\d{1,2}(?P<dsep>[/. -])\d{1,2}(?P=dsep)(?:\d{4}|\d{2})"
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
    rf"|\d{{1,2}}{_ORD}[ \t-]{{1,2}}(?:of[ \t]{{1,2}})?{_MONTH},?[ \t-]{{1,2}}\d{{4}}"
    rf"|{_MONTH}[ \t]{{1,2}}\d{{1,2}}{_ORD},?[ \t]{{1,2}}\d{{4}})(?![\w/]|[.-]\d)"
)
_BIRTH_CUE = (
    r"(?:\bD\.?O\.?B\b\.?|\bdate[ \t]{1,3}of[ \t]{1,3}birth\b|\bbirth[ \t]?date\b|\bborn\b)"
)
_AGE_CUE = r"\baged?[ \t]{1,2}\d{1,3}\b"
_DOB_RES = (
    re.compile(
        _BIRTH_CUE + r"[ \t:;,=(–-]{0,4}(?:(?:is|was|on|of|in|the)[ \t]{1,3}){0,2}" + _DATE, re.I
    ),
    re.compile(_AGE_CUE + r"[ \t,:;(]{1,3}" + _DATE, re.I),
    re.compile(_DATE + r"[ \t,;]{0,3}\(?[ \t]{0,2}(?:" + _BIRTH_CUE + "|" + _AGE_CUE + ")", re.I),
)


def _names(text: str) -> Iterator[_Span]:
    """Titles followed by up to three capitalised words or initials ("Mrs J. Khan")."""
    for m in _TITLE_RE.finditer(text):
        if m["title"] == "Dr":
            before = _WORD_BEFORE_RE.search(text[max(0, m.start() - 41) : m.start()])
            if before and before[1][0].isupper() and not before[1].isupper():
                continue  # "Hagley Dr Birmingham": a street (Drive), not a doctor
        pos, end = m.end(), 0
        for _ in range(3):
            word = _NAME_WORD_RE.match(text, pos)
            if word is None or not (word[0][0].isupper() or (m["lower"] and len(word[0]) > 1)):
                break
            end = word.end()
            if len(word[0]) == 1 and text.startswith(".", end):
                end += 1
            gap = _GAP_RE.match(text, end)
            if gap is None:
                break
            pos = gap.end()
        if end:
            yield m.start(), end


def _plausible_date(date: str) -> bool:
    """Whether a matched date has a real day and month (UK order, or ISO, or US as fallback)."""
    numbers = [int(n) for n in DIGITS_RE.findall(date)]
    if len(numbers) == 2:  # "12 March 1985", "March 12, 1985": day, year
        return 1 <= numbers[0] <= 31
    if len(numbers) != 3:
        return False
    first, second, third = numbers
    if len(DIGITS_RE.findall(date)[0]) == 4:  # ISO: yyyy-mm-dd
        return 1 <= second <= 12 and 1 <= third <= 31
    return 1 <= min(first, second) <= 12 and 1 <= max(first, second) <= 31


def _dates_of_birth(text: str) -> Iterator[_Span]:
    """Full dates with a birth or age cue next to them."""
    for pattern in _DOB_RES:
        for m in pattern.finditer(text):
            if _plausible_date(m["date"]):
                yield m.span("date")


_SCANNERS: tuple[tuple[FindingKind, _Scanner], ...] = (
    (FindingKind.TITLED_NAME, _names),
    (FindingKind.DATE_OF_BIRTH, _dates_of_birth),
    (FindingKind.POSTCODE, postcodes),
    (FindingKind.ADDRESS, addresses),
    (FindingKind.PHONE, phones),
    (FindingKind.EMAIL, emails),
    (FindingKind.NHS_NUMBER, nhs_numbers),
    (FindingKind.NI_NUMBER, ni_numbers),
)


def _show(text: str) -> str:
    """Quote matched text for a one-line message (control characters escaped)."""
    shown = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return f'"{shown}"'


_Scanner = Callable[[str], Iterator[_Span]]
STAFF_FIELDS = ("prepared_by", ".responsible")
"""Fields that name staff by design (the preparer; an action's individuals responsible): a
title and name is expected there, so they are scanned for every kind but :data:`TITLED_NAME`."""


def _is_staff_field(field: str) -> bool:
    return field == STAFF_FIELDS[0] or field.endswith(STAFF_FIELDS[1])


def scan_text(text: str, *, field: str) -> list[Finding]:
    """Find likely personal data in one narrative ``text``; ``field`` names it in messages.

    The text is folded first (:func:`dapreturn.core.returns.textnorm.fold`: compatibility form,
    every
    space a space, invisible characters dropped, lookalike letters as Latin), and findings
    point back at the characters as typed. Findings are in order of position and never
    overlap: where two kinds match the same characters the more specific one (e-mail, NHS, NI,
    phone, date of birth, postcode, address, name) is kept. In a staff field
    (:data:`STAFF_FIELDS`) names after a title are not findings.
    """
    folded, origin = fold(text)
    scanners = _SCANNERS
    if _is_staff_field(field):
        scanners = tuple(pair for pair in scanners if pair[0] is not FindingKind.TITLED_NAME)
    candidates = sorted(
        (start, _PRIORITY[kind], end, kind)
        for kind, scan in scanners
        for start, end in scan(folded)
    )
    kept: list[tuple[int, int, int, FindingKind]] = []
    for start, rank, end, kind in candidates:
        while kept and kept[-1][1] > start and rank < kept[-1][2]:
            kept.pop()
        if not kept or kept[-1][1] <= start:
            kept.append((start, end, rank, kind))
    if origin is not None:
        kept = [(origin[s], origin[e - 1] + 1, r, k) for s, e, r, k in kept]
    return [
        Finding(
            field=field,
            kind=kind,
            text=text[start:end],
            start=start,
            end=end,
            message=f"{field}: possible {kind.label} {_show(text[start:end])}",
        )
        for start, end, _, kind in kept
    ]


def scan_fields(fields: Mapping[str, str]) -> list[Finding]:
    """Scan several named narratives (e.g. ``{"entries[3l].risks": ...}``).

    Findings come field by field, in the mapping's order (the order of the form), then by
    position within each field.
    """
    return [finding for name, text in fields.items() for finding in scan_text(text, field=name)]
