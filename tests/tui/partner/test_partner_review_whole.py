"""Review & sign shows the whole return as the officer reads it: every field of every action
and the KPI figures, not only each action's status."""

from __future__ import annotations

from partner_helpers import Env, complete_return, make_app, remember, text_of, wait_for

from dapreturn.tui.officer.return_text import return_body
from dapreturn.tui.partner.screens.review import ReviewScreen


async def test_review_shows_every_field_and_kpi_figure(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        complete_return(app)
        session = app.session
        assert session is not None
        session.set_field("2a", "next_steps", "A phrase that belongs in Risks.")
        session.kpis.set_text("K1", "42")
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        shown = text_of(app.screen.query_one("#whole-return"))
        assert "Next steps: A phrase that belongs in Risks." in shown
        assert "Value: 42" in shown
        for entry in session.entries():
            assert entry.ref in shown
        # exactly what the officer's whole-return view shows for these actions and figures
        assert shown == return_body(session.ret, session.plan).plain
