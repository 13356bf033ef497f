"""The report as tables: what every renderer draws, so no renderer restates a heading or a rule.

A :class:`Document` holds :class:`Part` s of :class:`Table` s; each :class:`Column` has a
:class:`Kind` of cell, and renderers only decide how a kind looks. A table's ``layout`` says how
narrative formats may show it (``GRID``, ``FACTS`` or ``GROUPED``); flat formats draw a grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Literal

from dapreturn.core.collection.analysis import figure_text


class Kind(Enum):
    """What a column holds, so each format can show it its own way."""

    TEXT = "text"
    LONG = "long"
    REF = "ref"
    STATUS = "status"
    NUMBER = "number"
    DATE = "date"
    TIME = "time"


class Layout(Enum):
    """How a narrative format (Markdown, HTML, Word) may lay a table out."""

    GRID = "grid"
    FACTS = "facts"
    GROUPED = "grouped"


@dataclass(frozen=True)
class Marked:
    """A status as the plan defines it: marker and label always together."""

    marker: str
    label: str
    colour: str = "default"
    """The plan's colour name (``green``, ``amber``...), a second signal only."""

    def __str__(self) -> str:
        return f"{self.marker} {self.label}".strip()


Cell = str | int | float | date | datetime | Marked | None
"""One cell's value; its column's :class:`Kind` says what it is."""


@dataclass(frozen=True)
class Column:
    """A column: its heading (said once, here) and the kind of its cells."""

    heading: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Merge:
    """A column of a narrow page layout that shows several of the table's columns in one cell
    (the seed's Word layout: Action Plan Ref | Stakeholder | Progress update)."""

    heading: str
    sources: tuple[str, ...]
    """Headings of the table's columns shown in this cell, in order."""


@dataclass(frozen=True)
class Series:
    """One set of a chart's values: a number column (bars) or a row (lines), with its marker."""

    name: str
    """Bars: the heading of a number column; lines: the text in the row's label column."""
    marker: str
    """Drawn on every bar segment or beside every line (never colour alone)."""
    colour: str = "default"


@dataclass(frozen=True)
class Chart:
    """A picture of some of a table's rows.

    ``bars``: one stacked bar per row (named by the ``label`` column), a segment per series
    (number columns). ``lines``: one line per row in ``rows`` across the ``points`` columns,
    with labelled horizontal ``references`` (a target, a baseline)."""

    kind: Literal["bars", "lines"]
    title: str
    label: str
    """Heading of the column that names each bar or line."""
    rows: tuple[int, ...]
    series: tuple[Series, ...] = ()
    points: tuple[str, ...] = ()
    references: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Table:
    """A titled table; ``key`` is stable (CSV ``part``, HTML anchor, sheet)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]]
    empty: str = "None."
    """What to say when there are no rows."""
    note: str = ""
    """A line to print under the table (how to read it)."""
    layout: Layout = Layout.GRID
    group: int = 0
    """For ``GROUPED``: how many leading columns identify a group."""
    narrow: tuple[Merge, ...] = ()
    """A narrow layout for pages (Word), combining columns; empty: draw every column."""
    charts: tuple[Chart, ...] = ()
    """Pictures of the table (HTML draws SVG, xlsx native charts)."""

    def column(self, heading: str) -> int:
        """The index of the column with ``heading``."""
        return self.headings.index(heading)

    @property
    def headings(self) -> list[str]:
        """The column headings in order."""
        return [c.heading for c in self.columns]


@dataclass(frozen=True)
class Part:
    """A chapter of the report: a heading and its tables."""

    key: str
    title: str
    tables: list[Table]
    by: str = ""
    """When set, the tables share their columns: flat formats stack them into one grid with a
    first column of this heading holding each table's title (e.g. ``Section``)."""
    alerts: list[str] = field(default_factory=list)
    """Warnings to show before the tables (never only in colour)."""
    new_page: bool = False
    """Paged formats (print, Word) start this part on a new page (the detail after the
    summary)."""


@dataclass(frozen=True)
class Document:
    """The whole report as a renderer sees it."""

    title: str
    subtitle: str
    """Plan and period, for a page header."""
    parts: list[Part]


def text(value: Cell, kind: Kind = Kind.TEXT) -> str:
    """A cell as people read it (``2019-01-05 10:00``, ``1,234``, ``G On track``)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int | float) and kind is Kind.NUMBER:
        return figure_text(value)
    return str(value)


def number(value: Cell) -> float:
    """A number cell's value (anything else counts as 0)."""
    return float(value) if isinstance(value, int | float) else 0.0


def row_text(table: Table, row: tuple[Cell, ...]) -> list[str]:
    """Every cell of ``row`` as text."""
    return [text(v, c.kind) for v, c in zip(row, table.columns, strict=True)]


def flat(part: Part) -> list[Table]:
    """The part's tables as flat formats draw them: stacked into one when ``part.by`` is set."""
    if not part.by or not part.tables:
        return part.tables
    first = part.tables[0]
    rows = [(t.title, *row) for t in part.tables for row in t.rows]
    columns = (Column(part.by), *first.columns)
    return [Table(part.key, part.title, columns, rows, first.empty, first.note)]
