"""Reading and writing returns as TOML.

:func:`dump_return` writes the unsigned body of a return file in a fixed, readable order (the
order of ``DESIGN.md``), always with LF line endings; :func:`parse_return` reads one back. The
round trip gives an equal model for every field, including multi-line text, quotes, emoji and
right-to-left text.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from typing import Any

import tomli_w
from pydantic import ValidationError

from dapreturn.core.errors import ReturnFormatError
from dapreturn.core.messages import first_problem
from dapreturn.core.returns.model import Entry, KpiFigure, Return

MAX_RETURN_BYTES = 5 * 1024 * 1024
"""Return files larger than this are refused before parsing."""

TomlValue = str | int | float | bool | date | datetime | list[Any] | dict[str, Any]


def _entry_table(e: Entry) -> dict[str, TomlValue]:
    """One ``[[entries]]`` table: dates only when set, text always (drafts show empty fields)."""
    table: dict[str, TomlValue] = {"ref": e.ref, "role": e.role, "status": e.status}
    for key in ("started", "target", "completed"):
        value = getattr(e, key)
        if value is not None:
            table[key] = value
    table["responsible"] = list(e.responsible)
    table["action_taken"] = e.action_taken
    table["next_steps"] = e.next_steps
    table["risks"] = e.risks
    return table


def _kpi_table(k: KpiFigure) -> dict[str, TomlValue]:
    """One ``[[kpis]]`` table."""
    table: dict[str, TomlValue] = {"id": k.id}
    if k.value is not None:
        table["value"] = k.value
    table["note"] = k.note
    return table


def _answers_table(ret: Return) -> dict[str, TomlValue]:
    """The ``[answers]`` table: only the digests that are set."""
    assert ret.answers is not None
    return {k: v for k, v in ret.answers.model_dump().items() if v}


SIGNATURE_LINE = "[signature]"
"""A line with this text begins the signature table; narratives must never produce one."""


def _dumps(table: dict[str, TomlValue]) -> str:
    """One table's ``key = value`` lines (one-line strings if a line is exactly ``[signature]``)."""
    risky = any(isinstance(v, str) and SIGNATURE_LINE in v.split("\n") for v in table.values())
    return tomli_w.dumps(table, multiline_strings=not risky)


def utc_text(value: datetime) -> str:
    """The instant in UTC as TOML's ``2018-11-14T10:02:11Z`` (a naive time is taken as UTC)."""
    if value.utcoffset() is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def dump_return(ret: Return) -> str:
    """The return's TOML body (no signature) in its fixed layout, LF line endings, final newline."""
    data: dict[str, TomlValue] = {
        "schema": ret.schema_,
        "plan": ret.plan,
        "period": ret.period,
        "partner": ret.partner,
        "prepared_by": ret.prepared_by,
        "revision": ret.revision,
    }
    parts = [_dumps(data)]
    if ret.submitted_at is not None:
        parts.append(f"submitted_at = {utc_text(ret.submitted_at)}\n")
    if ret.answers is not None:
        parts.append("\n[answers]\n")
        parts.append(_dumps(_answers_table(ret)))
    for e in ret.entries:
        parts.append("\n[[entries]]\n")
        parts.append(_dumps(_entry_table(e)))
    for k in ret.kpis:
        parts.append("\n[[kpis]]\n")
        parts.append(_dumps(_kpi_table(k)))
    return "".join(parts)


def load_toml(text: str, *, source: str) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into a one-line message with its line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ReturnFormatError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ReturnFormatError(f"{source}: nested too deeply to be a return") from None


def return_from_dict(data: dict[str, Any], *, source: str) -> Return:
    """Validate parsed TOML data as a return; one-line error naming the place."""
    if data.get("schema") not in (None, "dapreturn/return/v1") and "schema" in data:
        raise ReturnFormatError(f"{source}: schema {data['schema']!r} is not a dapreturn return")
    try:
        return Return.model_validate(data)
    except ValidationError as exc:
        raise ReturnFormatError(first_problem(exc, data, source)) from None


def parse_return(text: str, *, source: str) -> Return:
    """Parse an unsigned return body (or a draft) from TOML text."""
    return return_from_dict(load_toml(text, source=source), source=source)


def decode_utf8(raw: bytes, *, source: str) -> str:
    """Decode file bytes as UTF-8 (a BOM is refused: it changes the signed bytes)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ReturnFormatError(f"{source}: starts with a byte-order mark; save as plain UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReturnFormatError(f"{source}: not UTF-8 text (byte {exc.start})") from None
