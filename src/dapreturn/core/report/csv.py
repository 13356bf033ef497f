"""Render the report's tables as one CSV sheet, for filtering in a spreadsheet.

Two columns say which table a row is from (``part`` key and ``table`` title), then every table's
headings in order of first use. Dates are ISO; text a spreadsheet would run as a formula is
prefixed with ``'``. A UTF-8 byte-order mark comes first, so Excel reads ``£`` correctly.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

from dapreturn.core.report.table import Cell, Document, Table, flat

BOM = "\ufeff"
"""Excel reads a CSV as UTF-8 only when it starts with this."""

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def safe(value: Cell) -> str:
    """Text for a cell: ISO dates, whole numbers without ``.0``, formula-like text defused."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(text):
        return "'" + text
    return text


def tables(doc: Document) -> list[Table]:
    """Every table (a part with ``by`` set is one stacked table)."""
    return [t for p in doc.parts for t in flat(p)]


def header(doc: Document) -> list[str]:
    """``part``, ``table``, then every heading once, in order of first use."""
    seen: dict[str, None] = {}
    for t in tables(doc):
        seen.update(dict.fromkeys(t.headings))
    return ["part", "table", *seen]


def render_csv(doc: Document) -> str:
    """The report as CSV text (BOM first, ``\\r\\n`` line ends as RFC 4180 expects)."""
    buffer = io.StringIO(newline="")
    columns = header(doc)
    writer = csv.DictWriter(buffer, columns, restval="")
    buffer.write(BOM)
    writer.writeheader()
    for t in tables(doc):
        for row in t.rows:
            cells = {h: safe(v) for h, v in zip(t.headings, row, strict=True)}
            writer.writerow({"part": t.key, "table": t.title, **cells})
    return buffer.getvalue()
