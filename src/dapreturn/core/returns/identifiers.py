"""Scanners for identifiers in (folded) text: postcodes, street addresses, phone, NHS and
National Insurance numbers, e-mail addresses.

Each scanner yields the ``(start, end)`` spans of what it finds;
:mod:`dapreturn.core.returns.safeguarding`
runs them, settles overlaps and words the findings. Every pattern is linear in the length of the
text (bounded or possessive quantifiers, anchored starts). Only personal phone ranges are
flagged: freephone and non-geographic numbers (080x, 03xx, 084x, 087x) belong to services.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = [
    "DIGITS_RE",
    "addresses",
    "emails",
    "nhs_numbers",
    "ni_numbers",
    "phones",
    "postcodes",
]

_Span = tuple[int, int]

_POSTCODE_RE = re.compile(
    r"\b(?:GIR[ ]?0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPS-UW]|[A-HK-Y]\d[ABEHMNPRV-Y])"
    r"[ ]{0,2}\d[ABD-HJLNP-UW-Z]{2})\b",
    re.I,
)
_PHONE_RE = re.compile(
    r"(?<![\w+/.,£$€])(?<!\d-)(?:(?P<intl>(?:\+|00)44[ -]?(?:\(0\)[ -]?)?)|(?=\(?0))"
    r"(?P<body>\(?\d++(?:(?:[ .-]|\)[ .-]?)\d++){0,4})"
)
DIGITS_RE = re.compile(r"\d+")
# (first digit after the trunk 0, digits after the trunk 0): 01 landlines, 02 landlines, 07 mobiles
_UK_PERSONAL_LENGTHS = frozenset({("1", 9), ("1", 10), ("2", 10), ("7", 10)})
_NHS_RE = re.compile(r"(?<![\w.,/-])\d{3}(?P<sep>[ .-]?)\d{3}(?P=sep)\d{4}(?![\w/]|[.,-]\d)")
_NI_RE = re.compile(
    r"\b(?P<prefix>[A-Z]{2})[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?(?P<suffix>[A-D])\b", re.I
)
_NI_UNALLOCATED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_LOCAL = r"A-Za-z0-9.!#$%&'*+/=?^_`{|}~-"
_EMAIL_RE = re.compile(
    rf"(?<![{_LOCAL}])[{_LOCAL}]++(?:@|[ ]?[\[(]at[\])][ ]?)[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)+",
    re.I,
)
_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Grove|Way|Crescent|Cres|Place|Court"
    "|Gardens|Gdns|Terrace|Walk|Hill|Row|Mews|Square|Sq|View|Rise|Croft|Green|Park|Parade"
)
_ADDRESS_RE = re.compile(
    r"(?<![\w.,/£$€-])(?:(?:flat|apartment|apt)\.?[ ]{1,2}\d{1,4}[a-z]?,?[ ]{1,2})?"
    r"\d{1,4}[a-z]?,?[ ]{1,2}(?:(?P<words>[a-z][a-z'’]++)[ ]{1,2}){1,3}"
    rf"(?:{_STREET_TYPES})\b\.?",
    re.I,
)


def postcodes(text: str) -> Iterator[_Span]:
    """UK postcodes; "A38 1st" (capital outward code, lowercase inward letters) is not one."""
    for m in _POSTCODE_RE.finditer(text):
        inward = m[0][-2:]
        if not (inward.islower() and any(c.isupper() for c in m[0])):
            yield m.span()


def phones(text: str) -> Iterator[_Span]:
    """UK landline (01, 02) and mobile (07) numbers, national or +44, in groups."""
    for m in _PHONE_RE.finditer(text):
        body_start, intl = m.start("body"), m["intl"] is not None
        digits, end = "", 0
        for group in DIGITS_RE.finditer(m["body"]):
            digits += group[0]
            if not intl and not digits.startswith("0"):
                break
            number = digits[1:] if digits.startswith("0") else digits
            if len(number) > 10:
                break
            if (number[:1], len(number)) in _UK_PERSONAL_LENGTHS:
                end = body_start + group.end()
        if end:
            start = m.start()
            if text[start] == "(" and ")" not in text[start:end]:
                start += 1
            yield start, end


def _nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number modulus-11 check: weights 10..2, check digit 11 - remainder (11 -> 0)."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def nhs_numbers(text: str) -> Iterator[_Span]:
    """Ten digits (optionally 3-3-4 spaced or hyphenated) with a valid check digit."""
    for m in _NHS_RE.finditer(text):
        if _nhs_check_digit_ok("".join(DIGITS_RE.findall(m[0]))):
            yield m.span()


def ni_numbers(text: str) -> Iterator[_Span]:
    """National Insurance numbers: allocable prefix, six digits, suffix A-D.

    "QQ", the prefix of HMRC's documented example, is flagged too, so demonstrations see the check.
    """
    for m in _NI_RE.finditer(text):
        prefix, suffix = m["prefix"], m["suffix"]
        if not (prefix.isupper() == suffix.isupper() and (prefix.isupper() or prefix.islower())):
            continue
        upper = prefix.upper()
        allocable = (
            upper[0] not in "DFIQUV" and upper[1] not in "DFIOQUV" and upper not in _NI_UNALLOCATED
        )
        if allocable or upper == "QQ":
            yield m.span()


_FLAT_WORDS = ("flat", "apartment", "apt")


def addresses(text: str) -> Iterator[_Span]:
    """A house number, one to three words and a street word ("14 Acacia Avenue", "Flat 3,
    45 Stratford Road"); written in lower case only when every word is ("12 acacia avenue"),
    so "3 key areas way" in running text with capitals around it stays quiet."""
    for m in _ADDRESS_RE.finditer(text):
        words = re.findall(r"(?<!\w)[^\W\d_][\w'’]*", m[0])
        capitalised = all(w[0].isupper() for w in words if w.lower() not in _FLAT_WORDS)
        all_lower = m[0] == m[0].lower() and not any(c.isupper() for c in text)
        if capitalised or all_lower:
            yield m.span()


def emails(text: str) -> Iterator[_Span]:
    """Addresses like ``j.smith@example.org`` whose domain ends in a letters-only TLD."""
    for m in _EMAIL_RE.finditer(text):
        start, end = m.span()
        while start < end and not (text[start].isalnum() or text[start] == "_"):
            start += 1
        while end > start and text[end - 1] == "-":
            end -= 1
        local, _, domain = re.sub(
            r"[ ]?[\[(]at[\])][ ]?", "@", text[start:end], flags=re.I
        ).partition("@")
        tld = domain.rsplit(".", 1)[-1]
        if local and len(tld) >= 2 and tld.isascii() and tld.isalpha():
            yield start, end
