"""Turn pydantic validation errors into one-line messages that name the place.

A user should read ``daps.toml: actions[3] (ref "3x").leads[0]: "XYZ" is not in the partner
registry`` rather than a pydantic traceback. The same formatter serves plans, returns and drafts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

PARTNER_PATTERN = r"^[A-Z0-9]+(-[A-Z0-9]+)*$"
"""The partner-code pattern; errors against it get a message a person understands."""

_LABEL_KEYS = ("ref", "id", "code")
"""Keys whose value names an item of an array of tables, shown beside its index."""


def _show(text: str) -> str:
    """Text from a file, safe in a one-line message: control and format characters escaped."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _describe(loc: Sequence[int | str], data: Any) -> str:
    """Render a pydantic error location as ``table[index] (ref "x").field``."""
    parts: list[str] = []
    node: Any = data
    for item in loc:
        if isinstance(item, int):
            label = ""
            if isinstance(node, Sequence) and not isinstance(node, str) and 0 <= item < len(node):
                node = node[item]
                if isinstance(node, Mapping):
                    for key in _LABEL_KEYS:
                        value = node.get(key)
                        if isinstance(value, str):
                            label = f' ({key} "{_show(value)}")'
                            break
            else:
                node = None
            parts.append(f"[{item}]{label}")
        else:
            node = node.get(item) if isinstance(node, Mapping) else None
            parts.append(f".{_show(item)}" if parts else _show(item))
    return "".join(parts) or "(top level)"


def _clean(msg: str) -> str:
    """Strip pydantic's ``Value error, `` prefix so the message reads as plain English."""
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    return msg


def validation_lines(exc: ValidationError, data: Any) -> list[str]:
    """Return one ``place: problem`` line per error in ``exc``, located within ``data``."""
    lines = []
    for err in exc.errors(include_url=False):
        place = _describe(err["loc"], data)
        msg = _clean(err["msg"])
        if err["type"] == "extra_forbidden":
            msg = "unknown key (not part of the format)"
        elif err["type"] == "missing":
            msg = "required key is missing"
        ctx = err.get("ctx") or {}
        if err["type"] == "string_pattern_mismatch" and ctx.get("pattern") == PARTNER_PATTERN:
            msg = (
                f"{err['input']!r} is not a partner code "
                "(capital letters, digits and hyphens, e.g. VAWC-SG)"
            )
        msg = _show(msg)
        lines.append(f"{place}: {msg}" if err["loc"] else msg)
    return lines


def first_problem(exc: ValidationError, data: Any, source: str) -> str:
    """One line for the first error, prefixed by ``source``, with a count of any others."""
    lines = validation_lines(exc, data)
    more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
    return f"{source}: {lines[0]}{more}" if lines else f"{source}: invalid"
