"""Render a :class:`~dapreturn.core.report.model.Report` as one self-contained HTML page.

The page works offline and prints well: the CSS is inline, there is no script, no image file
and no reference to anything outside the page (only ``#`` anchors; charts are inline SVG), and a
Content-Security-Policy forbids loading anything even if a browser were asked to. Every value is
escaped with :func:`html.escape`. Statuses show their text marker; colour is only a second signal.
"""

from __future__ import annotations

from html import escape

from dapreturn.core.report import svg
from dapreturn.core.report.table import (
    Cell,
    Column,
    Document,
    Kind,
    Layout,
    Marked,
    Part,
    Table,
    text,
)

_CSS = """
body{font:11pt/1.45 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#111;
  margin:2em auto;max-width:60em;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #444;margin-top:2em}
h3{background:#eee;padding:.2em .4em}h4{margin:.2em 0}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}
th,td{border:1px solid #999;padding:.25em .4em;text-align:left;vertical-align:top}
th{background:#f2f2f2}thead{display:table-header-group}
.meta{color:#333}.action{border-left:4px solid #888;padding:.2em .8em;margin:1em 0}
.update{margin:.6em 0 .6em .5em;padding-top:.3em;border-top:1px dotted #aaa}
.text{white-space:pre-wrap}.label{font-style:italic}
.status{border:1px solid #555;border-radius:3px;padding:0 .3em;font-weight:bold}
.flag{background:#fff3cd;border:1px solid #b58900;padding:.3em .5em;margin:.3em 0}
.none{color:#555;font-style:italic}.late{font-weight:bold}
.c-green{background:#d8f0d8}.c-amber{background:#fde9c4}.c-red{background:#f7d0d0}
.c-blue{background:#d6e4f5}.c-grey{background:#e4e4e4}.c-cyan{background:#d4f0f0}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:0 1em}dt{font-weight:bold}
dd{margin:0}.num{text-align:right}
nav ul{columns:2}
svg.chart{display:block;max-width:100%;height:auto;margin:.3em 0 1em}
svg.chart text{font:11px system-ui,Arial,sans-serif;fill:#111}
@page{size:A4;margin:16mm 14mm 18mm}
@media print{body{margin:0;max-width:none;font-size:9.5pt}nav{display:none}
  h2.newpage{break-before:page;page-break-before:always}
  .action,.update,tr,.flag,dl.facts,svg.chart,.keep{break-inside:avoid;page-break-inside:avoid}
  h1,h2,h3,h4,.lead{break-after:avoid;page-break-after:avoid}
  .c-green,.c-amber,.c-red,.c-blue,.c-grey,.c-cyan{print-color-adjust:exact;
  -webkit-print-color-adjust:exact}}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _cell(value: Cell, column: Column) -> str:
    """A cell as escaped HTML: statuses as a marked badge, narratives keep their lines."""
    if isinstance(value, Marked):
        css = f" c-{_e(value.colour)}" if value.colour != "default" else ""
        return f'<span class="status{css}">{_e(value)}</span>'
    shown = _e(text(value, column.kind))
    return f'<div class="text">{shown}</div>' if column.kind is Kind.LONG and shown else shown


def _td(value: Cell, column: Column) -> str:
    css = ' class="num"' if column.kind is Kind.NUMBER else ""
    return f"<td{css}>{_cell(value, column)}</td>"


def _grid(t: Table) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in t.headings)
    body = "".join(
        "<tr>" + "".join(_td(v, c) for v, c in zip(row, t.columns, strict=True)) + "</tr>"
        for row in t.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"


def _facts(t: Table) -> str:
    items = "".join(
        f"<dt>{_e(row[0])}</dt><dd>{_cell(row[1], t.columns[1])}</dd>" for row in t.rows
    )
    return f'<dl class="facts">{items}</dl>\n'


def _record(t: Table, row: tuple[Cell, ...], span: slice, css: str) -> str:
    """Cells ``span`` of a row: short ones on one line, then each narrative under its heading."""
    pairs = [(c, v) for c, v in zip(t.columns[span], row[span], strict=True) if v not in (None, "")]
    short = " · ".join(
        f'<span class="label">{_e(c.heading)}:</span> {_cell(v, c)}'
        for c, v in pairs
        if c.kind is not Kind.LONG
    )
    longs = "".join(
        f'<p class="label">{_e(c.heading)}:</p>{_cell(v, c)}'
        for c, v in pairs
        if c.kind is Kind.LONG
    )
    return f'<div class="{css}"><p>{short}</p>{longs}</div>\n'


def _grouped(t: Table) -> str:
    out, last = [], None
    for row in t.rows:
        if row[: t.group] != last:
            if last is not None:
                out.append("</section>\n")
            last = row[: t.group]
            title = " — ".join(text(v) for v in last[:2])
            out.append(f'<section class="action"><h4>{_e(title)}</h4>')
            out.append(_record(t, row, slice(2, t.group), "meta"))
        out.append(_record(t, row, slice(t.group, None), "update"))
    return "".join([*out, "</section>\n" if out else ""])


def _table(t: Table, titled: bool) -> str:
    out = f'<h3 id="{_e(t.key)}">{_e(t.title)}</h3>\n' if titled else ""
    if not t.rows:
        return out + f'<p class="none">{_e(t.empty)}</p>\n'
    layout = {Layout.GRID: _grid, Layout.FACTS: _facts, Layout.GROUPED: _grouped}[t.layout]
    pictures = "".join(svg.draw(t, c) for c in t.charts)
    return out + pictures + layout(t) + (f"<p>{_e(t.note)}</p>\n" if t.note else "")


def _part(p: Part) -> str:
    css = ' class="newpage"' if p.new_page else ""
    out = [f'<h2 id="{_e(p.key)}"{css}>{_e(p.title)}</h2>\n']
    out += [f'<p class="flag">{_e(a)}</p>\n' for a in p.alerts]
    out += [_table(t, titled=t.title != p.title) for t in p.tables]
    return "".join(out)


def render_html(doc: Document) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    nav = "".join(f'<li><a href="#{_e(p.key)}">{_e(p.title)}</a></li>' for p in doc.parts)
    body = "".join(_part(p) for p in doc.parts)
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(doc.title)} — {_e(doc.subtitle)}</title><style>{_CSS}</style></head>\n"
        f'<body><h1>{_e(doc.title)}</h1><p class="meta">{_e(doc.subtitle)}</p>'
        f"<nav><ul>{nav}</ul></nav>\n{body}</body></html>\n"
    )
