"""Text charts readable without colour: labelled bars with counts, and ``▁▂▃`` sparklines.

Colour only repeats what the marker and the label already say (``NO_COLOR`` loses nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.color import Color, ColorParseError
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

SPARKS = "▁▂▃▄▅▆▇█"
"""Sparkline steps, lowest to highest."""
GAP = "·"
"""A sparkline point with no data."""
_NAMED = {"amber": "dark_orange", "grey": "grey50", "gray": "grey50"}


def colour_style(name: str) -> str:
    """A Rich style for a plan's status colour (``""`` for ``default`` or an unknown name)."""
    name = _NAMED.get(name.lower(), name.lower())
    if name in ("", "default"):
        return ""
    try:
        Color.parse(name)
    except ColorParseError:
        return ""
    return name


def sparkline(values: Sequence[float | None]) -> str:
    """One character per value, scaled between the lowest and highest; ``·`` for no data."""
    known = [v for v in values if v is not None]
    if not known:
        return GAP * len(values)
    low, high = min(known), max(known)
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append(GAP)
        elif span == 0:
            out.append(SPARKS[len(SPARKS) // 2])
        else:
            out.append(SPARKS[round((v - low) / span * (len(SPARKS) - 1))])
    return "".join(out)


@dataclass(frozen=True)
class Bar:
    """One bar: a status marker and label, how many, and an optional colour."""

    marker: str
    label: str
    count: int
    colour: str = ""


@dataclass(frozen=True)
class BarGroup:
    """A titled set of bars (one section of the plan)."""

    title: str
    bars: tuple[Bar, ...]


def bar_text(groups: Sequence[BarGroup], *, width: int = 24, label_width: int = 22) -> Text:
    """``  G  On track            ████████ 8`` lines under each group's title."""
    top = max((b.count for g in groups for b in g.bars), default=0)
    out = Text()
    for i, group in enumerate(groups):
        if i:
            out.append("\n")
        out.append(group.title, style="bold")
        if not group.bars:
            out.append("\n  (no actions)")
        for bar in group.bars:
            length = round(bar.count / top * width) if top else 0
            if bar.count and not length:
                length = 1
            label = (
                bar.label if len(bar.label) <= label_width else bar.label[: label_width - 1] + "…"
            )
            out.append(f"\n  {bar.marker:<3}{label:<{label_width}} ")
            out.append("█" * length, style=colour_style(bar.colour))
            out.append(f" {bar.count}")
        out.append("\n")
    return out


class BarChart(Widget):
    """Bar groups as text; give it :class:`BarGroup` objects through :attr:`groups`."""

    DEFAULT_CSS = """
    BarChart { height: auto; }
    """

    groups: reactive[tuple[BarGroup, ...]] = reactive((), layout=True)
    """The groups to draw, in order."""

    def render(self) -> Text:
        """The chart, or a note when there is nothing to count."""
        if not self.groups:
            return Text("Nothing to count.")
        return bar_text(self.groups)
