"""The officer app (``dapreturn review``): inbox, dashboard, history, KPIs, trust and decisions.

Layout of the package:

- :mod:`.snapshot`, :mod:`.inbox_rows`, :mod:`.trusting`, :mod:`.tasks` — plain Python (no
  Textual): what a loaded folder looks like, the inbox rows, trusting a key, saving a decision
  and exporting the report. They are what the screens show and call.
- :mod:`.app` — :class:`~dapreturn.tui.officer.app.ReviewApp`: loads the folder off the UI
  thread and hands each new :class:`~dapreturn.core.review.snapshot.Snapshot` down.
- ``screens/`` — the main screen with its five views, and the dialogs.
- ``widgets/`` — small widgets (navigation bar, load progress, text charts).
"""
