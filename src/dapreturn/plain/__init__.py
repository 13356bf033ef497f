"""The plain mode of the partner app: ``dapreturn fill --plain``.

Plain line-by-line questions for screen readers, basic terminals and scripts: no full-screen
drawing, no colour, no cursor movement. It drives the same fill session, field list and
signing steps as the full-screen app (:mod:`dapreturn.core.filling`), so a draft started in one
mode resumes in the other and the same answers sign the same return.

Modules: :mod:`~dapreturn.plain.prompts` (the input primitives),
:mod:`~dapreturn.plain.session` (the console beside the shared session),
:mod:`~dapreturn.plain.setup`
(plan, partner, period, draft), :mod:`~dapreturn.plain.entries` (the questions per action),
:mod:`~dapreturn.plain.kpis` (KPI figures), :mod:`~dapreturn.plain.sign` (safeguarding, key,
signing) and :mod:`~dapreturn.plain.flow` (the walk, the summary, :func:`run_plain`).
"""

from dapreturn.plain.flow import EXIT_INPUT_ENDED, EXIT_INTERRUPTED, EXIT_OK, run_plain

__all__ = ["EXIT_INPUT_ENDED", "EXIT_INTERRUPTED", "EXIT_OK", "run_plain"]
