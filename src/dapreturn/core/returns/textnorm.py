"""Fold text for the safeguarding scan, so pasted or disguised details still match.

:func:`fold` turns each character into what a reader sees (NFKC; every kind of space as a space,
every dash as ``-``, invisible characters dropped, Cyrillic and Greek lookalikes as Latin) and
maps each folded character back to its position in the original. ASCII text is returned as is.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]

_CONFUSABLE = str.maketrans(
    # Cyrillic, then Greek, capital and small letters that look like Latin ones
    "АВЕКМНОРСТХЅІЈаеорсухѕіјԁһӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιν",
    "ABEKMHOPCTXSIJaeopcyxsijdhlABEZHIKMNOPTYXoiv",
)

_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


def _fold_char(ch: str) -> str:
    """What one non-ASCII character reads as (possibly several characters, or none)."""
    category = unicodedata.category(ch)
    if category == "Cf":  # soft hyphen, zero-width space/joiners, word joiner, BOM, bidi marks
        return ""
    if category == "Zs" or ch in "\u2028\u2029":
        return " "
    if ch in _DASHES:
        return "-"
    if category == "Nd":
        return str(unicodedata.digit(ch))
    folded = unicodedata.normalize("NFKC", ch).translate(_CONFUSABLE)
    return "" if all(unicodedata.category(c) == "Mn" for c in folded) and folded else folded


def fold(text: str) -> tuple[str, list[int] | None]:
    """``(folded text, origin)``: ``origin[i]`` is where folded character ``i`` came from.

    ``origin`` is ``None`` when nothing changed (the text was ASCII): positions are the same.
    """
    if text.isascii():
        return text, None
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch)
            origin.append(i)
            continue
        for piece in _fold_char(ch):
            out.append(piece)
            origin.append(i)
    return "".join(out), origin
