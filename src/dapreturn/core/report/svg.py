"""Draw a table's :class:`~dapreturn.core.report.table.Chart` as inline SVG for the HTML page.

Plain SVG elements only (no script, no links, no external fonts or images), so the page stays
one self-contained file under its Content-Security-Policy. Every bar segment carries its marker
and count and every line point its value, with each line named at its end: colour is only a
second signal. Every text is escaped.
"""

from __future__ import annotations

from html import escape

from dapreturn.core.collection.analysis import figure_text
from dapreturn.core.report.table import Chart, Table, number

FILLS = {
    "green": "#8fd18f",
    "amber": "#f5c26b",
    "red": "#e88a8a",
    "blue": "#8fb4e3",
    "grey": "#c4c4c4",
    "cyan": "#8fd9d9",
}
_DEFAULT_FILL = "#f4f4f4"
_DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")
"""Line styles, so lines differ by more than colour."""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _text(x: float, y: float, label: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{_e(label)}</text>'


def bars(t: Table, c: Chart) -> str:
    """One stacked horizontal bar per row; each segment says its marker and count."""
    label_w, bar_w, row_h = 270, 400, 26
    at = [t.column(s.name) for s in c.series]
    rows = [t.rows[i] for i in c.rows]
    most = max([sum(number(r[j]) for j in at) for r in rows] + [1])
    keys = [f"{s.marker} = {s.name.removeprefix(s.marker).strip()}" for s in c.series]
    key_lines = [" · ".join(keys[i : i + 4]) for i in range(0, len(keys), 4)]
    height = row_h * len(rows) + 36 + 14 * len(key_lines)
    out = [_text(0, 14, c.title, extra=' font-weight="bold"')]
    for n, row in enumerate(rows):
        y = 26 + n * row_h
        name = str(row[t.column(c.label)])
        out.append(_text(label_w - 6, y + 15, name if len(name) <= 42 else name[:41] + "…", "end"))
        x = float(label_w)
        for s, j in zip(c.series, at, strict=True):
            count = number(row[j])
            if not count:
                continue
            w = bar_w * count / most
            fill = FILLS.get(s.colour, _DEFAULT_FILL)
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{fill}" stroke="#333"><title>{_e(s.name)}: '
                f"{figure_text(count)}</title></rect>"
            )
            out.append(_text(x + w / 2, y + 15, f"{s.marker} {figure_text(count)}", "middle"))
            x += w
    base = 26 + len(rows) * row_h + 12
    out += [_text(0, base + 14 * i, k, extra=' font-size="10"') for i, k in enumerate(key_lines)]
    return _svg(label_w + bar_w + 10, height, c.title, out)


def lines(t: Table, c: Chart) -> str:
    """One line per row across the point columns; every point and reference line labelled."""
    left, width, top, plot_h = 60, 420, 40, 150
    at = [t.column(p) for p in c.points]
    values = [[t.rows[i][j] for j in at] for i in c.rows]
    numbers = [number(v) for row in values for v in row if v is not None]
    numbers += [v for _, v in c.references]
    low, high = min([0.0, *numbers]), max([1.0, *numbers])
    step = width / max(1, len(c.points) - 1)

    def y(v: float) -> float:
        return top + plot_h - (v - low) / (high - low) * plot_h

    out = [_text(0, 14, c.title[:90], extra=' font-weight="bold"')]
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + width}" '
        f'y2="{top + plot_h}" stroke="#333"/>'
    )
    out += [_text(left + i * step, top + plot_h + 16, p, "middle") for i, p in enumerate(c.points)]
    for name, v in c.references:
        out.append(
            f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + width}" y2="{y(v):.1f}" '
            'stroke="#555" stroke-dasharray="3 3"/>'
        )
        out.append(_text(left + width + 4, y(v) + 4, f"{name} {figure_text(v)}"))
    for n, (s, row) in enumerate(zip(c.series, values, strict=True)):
        pts = [
            (left + i * step, y(number(v)), number(v)) for i, v in enumerate(row) if v is not None
        ]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in pts)
        dash = _DASHES[n % len(_DASHES)]
        out.append(
            f'<polyline points="{path}" fill="none" stroke="#222" stroke-width="2" '
            f'stroke-dasharray="{dash}"/>'
        )
        for px, py, figure in pts:
            out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="#222"/>')
            out.append(_text(px, py - 7, figure_text(figure), "middle"))
        if pts:
            out.append(_text(pts[-1][0] + 8, pts[-1][1] + 4, s.marker, extra=' font-weight="bold"'))
    return _svg(left + width + 110, top + plot_h + 30, c.title, out)


def _svg(width: int, height: int, title: str, parts: list[str]) -> str:
    return (
        f'<svg class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{_e(title)}</title>{''.join(parts)}</svg>\n"
    )


def draw(t: Table, c: Chart) -> str:
    """The chart as an ``<svg>`` element."""
    return bars(t, c) if c.kind == "bars" else lines(t, c)
