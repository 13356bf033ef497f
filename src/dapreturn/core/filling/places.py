"""Where something is in a return, as one small typed value: ``3l.action_taken``, ``kpis.K1``.

Rules (:class:`dapreturn.core.returns.rules.Problem`) and the safeguarding scan
(:meth:`dapreturn.core.returns.model.Return.narratives`) name places as text. :class:`Place` reads
that text once, here, so the front ends only ever ask "is it an entry field, a KPI, or the
return itself?" and jump there.
"""

from __future__ import annotations

from dataclasses import dataclass

from dapreturn.core.returns.rules import Problem

KPI_PREFIX = "kpis."
"""How KPI places start (``kpis.K1``, ``kpis.K1.note``)."""


@dataclass(frozen=True)
class Place:
    """One field of a return: of an entry, of a KPI figure, or of the return itself."""

    field: str
    """The entry field (``risks``), ``value``/``note`` for a KPI, or a return field."""
    ref: str | None = None
    """The action's ref, for an entry field."""
    kpi: str | None = None
    """The KPI id, for a KPI figure or note (``""``: the KPI figures as a whole)."""

    @classmethod
    def parse(cls, text: str) -> Place:
        """``3l.risks``, ``kpis.K1``, ``kpis.K1.note``, ``kpis.`` or ``prepared_by``."""
        if text.startswith(KPI_PREFIX):
            kpi, _, rest = text.removeprefix(KPI_PREFIX).partition(".")
            return cls("note" if rest == "note" else "value", kpi=kpi)
        if "." not in text:
            return cls(text)
        ref, _, field = text.rpartition(".")
        return cls(field, ref=ref)

    @classmethod
    def of(cls, problem: Problem) -> Place:
        """Where a rule's problem is."""
        if problem.ref is not None:
            return cls(problem.field, ref=problem.ref)
        return cls.parse(problem.field)

    @classmethod
    def kpi_sheet(cls) -> Place:
        """The KPI figures as a whole (no figure in particular)."""
        return cls("value", kpi="")

    @classmethod
    def entry(cls, ref: str, field: str = "status") -> Place:
        """A field of ``ref``'s entry (its status by default)."""
        return cls(field, ref=ref)

    @property
    def is_kpi(self) -> bool:
        """Whether this is a KPI figure or note."""
        return self.kpi is not None

    def __str__(self) -> str:
        """The text form, as rules and the safeguarding scan write it."""
        if self.kpi is not None:
            return f"{KPI_PREFIX}{self.kpi}" + (".note" if self.field == "note" else "")
        return f"{self.ref}.{self.field}" if self.ref else self.field
