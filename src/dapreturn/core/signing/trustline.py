"""One allowed_signers line, read exactly as OpenSSH reads it (sshsig.c, misc.c, authfile.c).

OpenSSH reads the file with ``getline`` (lines end at ``\\n`` only), skips leading `` \\t\\r\\n``,
takes the principals with ``strdelimw`` (ends at `` \\t\\r\\n``; a ``"`` anywhere opens a quoted
part), then tries the rest as a key, else as options (``sshkey_advance_past_options``) followed
by a key; a key word and its base64 end at a space or tab. Patterns are matched byte by byte
(``match.c``), and a sub-pattern of 1,023 bytes or more makes the whole list match nothing.
A line that OpenSSH and other programs would read differently is never trusted
(:func:`line_problem`); :func:`parse_time` reads ``valid-after``/``valid-before`` as
``parse_absolute_time`` does.
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

__all__ = [
    "LineError",
    "RawLine",
    "line_problem",
    "match_pattern_list",
    "parse_options",
    "parse_time",
    "split_line",
]

WHITESPACE = " \t\r\n"
"""OpenSSH's ``WHITESPACE`` (misc.c)."""

MAX_SUBPATTERN = 1023
"""``match_pattern_list`` gives up (no match at all) on a sub-pattern this long or longer."""

_BREAKS = frozenset("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
"""Characters Python's ``str.splitlines`` breaks at that OpenSSH reads as ordinary bytes."""


class LineError(ValueError):
    """Why OpenSSH would not use a line (or would read it differently from everyone else)."""


@dataclass(frozen=True)
class RawLine:
    """A key line taken apart: principals, options and key text, as OpenSSH splits them."""

    principals: str
    """The principals field (quotes removed), a comma-separated pattern list."""
    options: str | None
    """The options word, ``None`` when the key follows the principals directly."""
    key_type: str
    key_base64: str
    comment: str


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "control character")
    return f"U+{ord(ch):04X} {name}"


def line_problem(line: str) -> str | None:
    """Why ``line`` (one line of the file, without its ``\\n``) must not be trusted, if it must not.

    A trailing ``\\r`` (a file saved with CRLF) is fine: OpenSSH reads it as the space after the
    last word. Elsewhere any line-break-like character, a NUL (C stops reading there), another
    control character but tab, or a byte-order mark makes OpenSSH read the line differently
    from other programs, so the line is refused.
    """
    body = line.rstrip("\r")
    for column, ch in enumerate(body, start=1):
        if ch in _BREAKS:
            return (
                f"holds {_describe(ch)} at column {column}: other programs start a new line "
                "there but OpenSSH does not, so the line means different things to each"
            )
        if ch == "\ufeff":
            return (
                f"holds a byte-order mark (U+FEFF) at column {column}, which OpenSSH reads as "
                "part of the text; save the file as UTF-8 without BOM"
            )
        if 0xD800 <= ord(ch) < 0xE000:
            return f"is not UTF-8 text (a stray byte at column {column})"
        if (ord(ch) < 0x20 and ch != "\t") or 0x7F <= ord(ch) < 0xA0:
            return f"holds the control character {_describe(ch)} at column {column}"
    return None


def _strdelimw(text: str) -> tuple[str, str | None]:
    """OpenSSH ``strdelimw``: the first token and the rest (``None``: the line ends there)."""
    match = re.search(r'[ \t\r\n"]', text)
    if match is None:
        return text, None
    at = match.start()
    if text[at] == '"':
        joined = text[:at] + text[at + 1 :]
        close = joined.find('"', at)
        if close < 0:
            raise LineError("invalid line (unterminated quote in principals)")
        return joined[:close], joined[close + 1 :].lstrip(WHITESPACE)
    return text[:at], text[at + 1 :].lstrip(WHITESPACE)


def _read_key(text: str, known: frozenset[str]) -> tuple[str, str, str] | None:
    """``sshkey_read``'s split: (type, base64, comment), or ``None`` if no key starts here."""
    match = re.match(r"([^ \t]*)[ \t]+([^ \t]+)[ \t]*(.*)", text, re.DOTALL)
    if match is None or match.group(1) not in known:
        return None
    return match.group(1), match.group(2), match.group(3)


def _advance_past_options(text: str) -> int:
    """OpenSSH ``sshkey_advance_past_options``: where the options word ends."""
    quoted = False
    i = 0
    while i < len(text) and (quoted or text[i] not in " \t"):
        if text[i] == "\\" and text[i + 1 : i + 2] == '"':
            i += 1
        elif text[i] == '"':
            quoted = not quoted
        i += 1
    if i == len(text) and quoted:
        raise LineError("invalid options (unterminated quote)")
    return i


def split_line(line: str, known: frozenset[str], key_ok: Callable[[str, str], bool]) -> RawLine:
    """Split a non-blank, non-comment line as OpenSSH does; raise :class:`LineError`.

    ``known`` are the key type words; ``key_ok(type, base64)`` says whether OpenSSH would read
    that key (the first try, without options, only succeeds when it would).
    """
    text = line.lstrip(WHITESPACE)
    principals, rest = _strdelimw(text)
    if rest is None:
        raise LineError("invalid line (no key after the principals)")
    direct = _read_key(rest, known)
    if direct is not None and key_ok(direct[0], direct[1]):
        return RawLine(principals, None, *direct)
    end = _advance_past_options(rest)
    options, after = rest[:end], rest[end + 1 :].lstrip(" \t")
    if end >= len(rest) or not after:
        raise LineError("missing key")
    key = _read_key(after, known)
    if key is None:
        raise LineError("invalid key (unknown key type or no key data)")
    return RawLine(principals, options, *key)


def _dequote(text: str, name: str) -> tuple[str, str]:
    """OpenSSH ``opt_dequote``: the quoted value at the start of ``text`` and what follows."""
    if not text.startswith('"'):
        raise LineError(f'bad options: {name} needs a quoted value: {name}="..."')
    out: list[str] = []
    i = 1
    while i < len(text) and text[i] != '"':
        if text[i] == "\\" and text[i + 1 : i + 2] == '"':
            i += 1
        out.append(text[i])
        i += 1
    if i >= len(text):
        raise LineError(f"bad options: {name}: missing end quote")
    return "".join(out), text[i + 1 :]


def parse_options(text: str) -> dict[str, str | None]:
    """OpenSSH ``sshsigopt_parse``: ``cert-authority`` (value ``None``), namespaces, times."""
    values: dict[str, str | None] = {}
    rest = text
    while rest and rest[0] not in " \t":
        lower = rest.lower()
        if lower.startswith("cert-authority"):
            values["cert-authority"] = None
            rest = rest[len("cert-authority") :]
        else:
            for name in ("namespaces", "valid-after", "valid-before"):
                if lower.startswith(name + "="):
                    if name in values:
                        raise LineError(f'bad options: multiple "{name}" clauses')
                    values[name], rest = _dequote(rest[len(name) + 1 :], name)
                    break
        if not rest or rest[0] in " \t":
            break
        if rest[0] != ",":
            shown = rest.split(",", 1)[0][:40]
            raise LineError(f"bad options: unknown key option {shown!r}")
        rest = rest[1:]
        if not rest:
            raise LineError("bad options: unexpected end-of-options")
    return values


_TIME_RE = re.compile(r"(\d{8})(\d{4}(\d{2})?)?")


def parse_time(value: str, name: str, local_tz: tzinfo | None) -> datetime:
    """OpenSSH ``parse_absolute_time`` as an aware datetime; raise :class:`LineError`.

    ``local_tz`` pins the zone for times without ``Z``/``UTC`` (default: this computer's, read
    as ``mktime`` reads it, standard time).
    """
    utc = False
    digits = value
    if len(value) > 1 and value[-1:].lower() == "z":
        utc, digits = True, value[:-1]
    elif len(value) > 3 and value[-3:].lower() == "utc":
        utc, digits = True, value[:-3]
    if not _TIME_RE.fullmatch(digits):
        raise LineError(
            f'bad options: invalid "{name}" time "{value[:40]}" (YYYYMMDD[HHMM[SS]][Z])'
        )
    try:
        naive = datetime.strptime(digits.ljust(14, "0"), "%Y%m%d%H%M%S")
    except ValueError:
        raise LineError(f'bad options: {name}="{value}" is not a real date and time') from None
    if utc:
        when = naive.replace(tzinfo=UTC)
    elif local_tz is not None:
        zoned = naive.replace(tzinfo=local_tz)
        standard = (zoned.utcoffset() or timedelta(0)) - (zoned.dst() or timedelta(0))
        when = (naive - standard).replace(tzinfo=UTC)
    else:
        try:
            stamp = time.mktime((*naive.timetuple()[:6], 0, 0, 0))
        except (OverflowError, ValueError):
            raise LineError(f'bad options: {name}="{value}" is out of range') from None
        when = datetime.fromtimestamp(stamp, UTC)
    if when.timestamp() == 0:
        raise LineError(f'bad options: invalid "{name}" time (the epoch itself)')
    return when


@functools.lru_cache(maxsize=1024)
def _pattern_regex(body: str) -> re.Pattern[str]:
    """One OpenSSH pattern (``*``, ``?``) as a regular expression over UTF-8 bytes (latin-1)."""
    regex = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in body)
    return re.compile(regex, re.DOTALL)


def _bytes_text(text: str) -> str:
    """``text`` as its UTF-8 bytes, one character per byte, so ``?`` matches one byte."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def match_pattern_list(value: str, patterns: str) -> bool:
    """OpenSSH ``match_pattern_list(value, patterns, 0) == 1`` for a comma-separated list."""
    subject = _bytes_text(value)
    got_positive = False
    for pattern in _bytes_text(patterns).split(","):
        negated = pattern.startswith("!")
        body = pattern[1:] if negated else pattern
        if len(body) >= MAX_SUBPATTERN:
            return False
        if _pattern_regex(body).fullmatch(subject):
            if negated:
                return False
            got_positive = True
    return got_positive
