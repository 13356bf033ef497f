"""Filling in a partner's return, for every front end: start it, edit it, sign it.

The Textual partner app and the plain mode both drive these pieces and only draw or ask:

- :mod:`~dapreturn.core.filling.start`: where a return starts (draft, this period's signed
  return as revision n+1, last period's carried forward, blank);
- :mod:`~dapreturn.core.filling.session`: :class:`FillSession`, the return being edited and its
  problems; :mod:`~dapreturn.core.filling.review`: the whole return checked in form order;
- :mod:`~dapreturn.core.filling.fields`: the entry fields, defined once;
  :mod:`~dapreturn.core.filling.choices`: a status picked by its first letter;
- :mod:`~dapreturn.core.filling.places`: :class:`Place`, where something is in a return;
- :mod:`~dapreturn.core.filling.kpis`: the KPI figures and the one number reader;
- :mod:`~dapreturn.core.filling.signing`: signing as typed steps;
- :mod:`~dapreturn.core.filling.signed`: signed returns already in the output folder;
- :mod:`~dapreturn.core.filling.state`: how far an entry is filled in.

Nothing here imports Textual.
"""

from dapreturn.core.filling.session import draft_key
from dapreturn.core.filling.signed import latest_signed, next_revision
from dapreturn.core.filling.start import blank_return, carry_forward, default_period
from dapreturn.core.filling.state import EntryState, entry_state

__all__ = [  # what callers outside the package used before it was a package
    "EntryState",
    "blank_return",
    "carry_forward",
    "default_period",
    "draft_key",
    "entry_state",
    "latest_signed",
    "next_revision",
]
