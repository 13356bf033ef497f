"""Render a :class:`~dapreturn.core.report.model.Report` as Markdown.

Every value from a return or a plan is escaped: Markdown punctuation is backslash-escaped and ``<``,
``>`` and ``&`` become entities, so a narrative can never inject links, images or HTML into a
rendered page. Narrative line breaks are kept as hard breaks.
"""

from __future__ import annotations

import re

from dapreturn.core.collection.load import printable
from dapreturn.core.report.table import Document, Kind, Layout, Part, Table, row_text

_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BLOCK_START = re.compile(r"^(\s*)(?:([#+=>-])|(\d+)(?=[.)]))")


def esc(text: str) -> str:
    """Escape ``text`` for Markdown inline use: no markup, links, HTML or entities survive.

    Control and bidi characters are shown as ``\\x1b``-style escapes (the Markdown may be printed
    straight to a terminal, and plan files from a folder are not trusted).
    """
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
    return _CONTROL.sub(lambda m: printable(m[0]), _SPECIAL.sub(r"\\\1", text))


def cell(text: str) -> str:
    """Escape ``text`` for a table cell (one line)."""
    return esc(" ".join(text.split()))


def line(text: str) -> str:
    """Escape one line that starts a block: list, heading and quote markers are neutralised."""
    text = esc(text)
    m = _BLOCK_START.match(text)
    if m is None:
        return text
    marker = f"\\{m[2]}" if m[2] else f"{m[3]}\\"
    return m[1] + marker + text[m.end() :]


def block(text: str) -> str:
    """Escape multi-line narrative, lines joined by hard breaks."""
    return "  \n".join(line(x.strip()) for x in text.strip().splitlines())


def _grid(t: Table) -> list[str]:
    out = ["| " + " | ".join(cell(h) for h in t.headings) + " |", "|" + "---|" * len(t.columns)]
    out += ["| " + " | ".join(cell(c) for c in row_text(t, row)) + " |" for row in t.rows]
    return [*out, ""]


def _facts(t: Table) -> list[str]:
    lines = [f"**{esc(k)}:** {esc(v)}" for k, v in (row_text(t, row) for row in t.rows)]
    return ["  \n".join(lines), ""]


def _record(t: Table, cells: list[str], start: int, end: int) -> list[str]:
    """Cells ``start:end`` of a grouped table's row: short ones on one line, then narratives."""
    pairs = list(zip(t.columns[start:end], cells[start:end], strict=True))
    short = [f"*{esc(c.heading)}:* {esc(v)}" for c, v in pairs if v and c.kind is not Kind.LONG]
    out = [" · ".join(short), ""] if short else []
    for c, v in pairs:
        if v and c.kind is Kind.LONG:
            out += [f"*{esc(c.heading)}:*  ", block(v), ""]
    return out


def _grouped(t: Table) -> list[str]:
    out: list[str] = []
    last: list[str] | None = None
    for row in t.rows:
        cells = row_text(t, row)
        if cells[: t.group] != last:
            last = cells[: t.group]
            out += [f"#### {esc(' — '.join(last[:2]))}", ""]
            out += _record(t, cells, 2, t.group)
        out += _record(t, cells, t.group, len(cells))
    return out


def _table(t: Table, titled: bool) -> list[str]:
    out = [f"### {esc(t.title)}", ""] if titled else []
    if not t.rows:
        return [*out, f"*{esc(t.empty)}*", ""]
    body = {Layout.GRID: _grid, Layout.FACTS: _facts, Layout.GROUPED: _grouped}[t.layout](t)
    return [*out, *body, *([esc(t.note), ""] if t.note else [])]


def _part(p: Part) -> list[str]:
    out = [f"## {esc(p.title)}", ""] + [f"> {esc(a)}\n" for a in p.alerts]
    for t in p.tables:
        out += _table(t, titled=t.title != p.title)
    return out


def render_markdown(doc: Document) -> str:
    """The whole report as Markdown text."""
    out = [f"# {esc(doc.title)}", "", f"*{esc(doc.subtitle)}*", ""]
    for p in doc.parts:
        out += _part(p)
    return "\n".join(out).rstrip("\n") + "\n"
