"""Fold text for the safeguarding scan, so pasted or disguised details still match.

Text pasted from Word or e-mail carries no-break, thin and figure spaces, soft hyphens and
zero-width characters; digits come full-width or as other scripts' digits; letters come as
lookalikes from Cyrillic or Greek ("М" for "M"). :func:`fold` turns each character into what a
reader sees: the Unicode compatibility form (NFKC) of that character, spaces of every kind as
a plain space, every dash as ``-``, invisible format characters dropped, and confusable
letters as their Latin twins. It also returns, for every character of the folded text, the
position in the original it came from, so a finding still points at what the person typed.

ASCII text (most narratives) is returned unchanged without a per-character pass.
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
