"""Read a return body in the exact layout dapreturn writes, several times faster than tomllib.

Parsing the body is the largest single cost of loading a folder of returns (Python's
``tomllib`` is written in Python). Almost every file an officer loads was written by
:func:`dapreturn.core.tomlio.dump_return`, whose layout is fixed: header ``key = value`` lines,
then each ``[[entries]]`` table, then each ``[[kpis]]`` table, a blank line before each, with
values that are basic strings (one line or ``\"\"\"`` multi-line), whole numbers, booleans,
dates, UTC times and one-string-per-line arrays.

:func:`loads_written` reads exactly that subset and gives **exactly what** ``tomllib.loads``
**gives** (same keys, order, values and types; checked by differential tests over generated
returns and damaged files). For anything else (comments, other spacing, CRLF, floats, other
escapes, a repeated key, a table out of order) it returns ``None`` and the caller uses
``tomllib``, which also gives the precise message for a broken file. So the fast path can only
ever *accept* text that tomllib reads the same way; it never decides what is an error.
:func:`loads` is the one entry point for callers: the fast reader, else ``tomllib``.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime
from typing import Any

_CTRL = r"\x00-\x08\x0a-\x1f\x7f"
"""Control characters a one-line TOML basic string may not hold raw (tab is allowed)."""
_ESCAPE = r'\\(?:["\\bfnrt]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})'
_LINE_STR = rf'"((?:[^"\\{_CTRL}]|{_ESCAPE})*+)"'
_MULTI_STR = rf'"""\n((?:[^"\\\x00-\x08\x0b-\x1f\x7f]|{_ESCAPE})*+)"""'
_ARRAY = rf"\[\n((?:    {_LINE_STR},\n)*+)\]|\[\]"

_KEY_VALUE = re.compile(
    rf"([A-Za-z0-9_-]+) = (?:{_LINE_STR}|{_MULTI_STR}|(-?(?:0|[1-9][0-9]{{0,17}}))|(true|false)"
    rf"|([0-9]{{4}})-([0-9]{{2}})-([0-9]{{2}})(?:T([0-9]{{2}}):([0-9]{{2}}):([0-9]{{2}})Z)?"
    rf"|{_ARRAY})\n"
)
_HEADER = re.compile(r"\n\[\[(entries|kpis)\]\]\n")
_ITEM = re.compile(_LINE_STR)
_ESCAPE_RE = re.compile(_ESCAPE)
_SIMPLE = {'"': '"', "\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class _NotWrittenError(Exception):
    """The text is not in the written layout after all (a value tomllib would refuse)."""


def _unescape_one(match: re.Match[str]) -> str:
    code = match[0][1:]
    if code in _SIMPLE:
        return _SIMPLE[code]
    point = int(code[1:], 16)
    if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF:
        raise _NotWrittenError  # tomllib refuses these: let it say so
    return chr(point)


def _text(raw: str) -> str:
    """A basic string's value from its raw (escaped) text."""
    return _ESCAPE_RE.sub(_unescape_one, raw) if "\\" in raw else raw


def _value(m: re.Match[str]) -> Any:
    """The value of one ``key = value`` match."""
    line, multi, integer, boolean, year = m[2], m[3], m[4], m[5], m[6]
    if line is not None:
        return _text(line)
    if multi is not None:
        return _text(multi)
    if integer is not None:
        return int(integer)
    if boolean is not None:
        return boolean == "true"
    try:
        if year is not None:
            day = (int(year), int(m[7]), int(m[8]))
            if m[9] is None:
                return date(*day)
            return datetime(*day, int(m[9]), int(m[10]), int(m[11]), tzinfo=UTC)
    except ValueError:
        raise _NotWrittenError from None  # 2019-02-30: tomllib refuses it with a message
    items = m[12]
    return [] if items is None else [_text(raw) for raw in _ITEM.findall(items)]


def _table(text: str, pos: int, table: dict[str, Any]) -> int:
    """Read ``key = value`` lines into ``table`` from ``pos``; return where they end."""
    match = _KEY_VALUE.match
    while (m := match(text, pos)) is not None:
        key = m[1]
        if key in table:
            raise _NotWrittenError  # a repeated key: tomllib's error
        table[key] = _value(m)
        pos = m.end()
    return pos


def loads_written(text: str) -> dict[str, Any] | None:
    """``tomllib.loads(text)`` for a body in dapreturn's written layout; ``None`` otherwise."""
    root: dict[str, Any] = {}
    try:
        pos = _table(text, 0, root)
        if "entries" in root or "kpis" in root:
            return None
        seen_kpis = False
        while pos < len(text):
            header = _HEADER.match(text, pos)
            if header is None:
                return None
            name = header[1]
            if name == "entries" and seen_kpis:
                return None  # valid TOML, but not the written order: leave it to tomllib
            seen_kpis = name == "kpis"
            table: dict[str, Any] = {}
            root.setdefault(name, []).append(table)
            pos = _table(text, header.end(), table)
    except _NotWrittenError:
        return None
    return root


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, read fast when ``text`` is in the written layout.

    Raises what ``tomllib.loads`` raises (``TOMLDecodeError``, ``RecursionError``).
    """
    written = loads_written(text)
    return written if written is not None else tomllib.loads(text)
