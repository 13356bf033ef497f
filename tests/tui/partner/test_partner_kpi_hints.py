"""The KPI screen shows last period's figure beside each, and says how to write a figure in the
KPI's own unit (a count: a whole number); plain mode says the same."""

from __future__ import annotations

from partner_helpers import Env, make_app, remember, signed_return, text_of, type_text

from dapreturn.core.filling.kpis import parse_number
from dapreturn.core.returns.model import KpiFigure
from dapreturn.tui.partner.screens.kpis import KpiScreen
from dapreturn.tui.widgets.kpi_row import KpiRow


def test_the_not_a_number_message_is_worded_for_the_unit() -> None:
    messages = {}
    for unit in ("count", "percent", "currency", "number"):
        try:
            parse_number("abc", unit)
        except ValueError as exc:
            messages[unit] = str(exc)
    assert messages["count"] == "'abc' is not a number; write a whole number, like 42"
    assert "a percentage, like 42 or 12.5%" in messages["percent"]
    assert "an amount, like £1,500" in messages["currency"]
    assert "12.5" not in messages["count"]


async def test_kpi_screen_shows_last_periods_figures(env: Env) -> None:
    remember()
    signed_return(env.out_dir, [], kpis=[KpiFigure(id="K1", value=40, note="Q2 count")])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, KpiScreen)
        k1, k2 = (app.screen.query_one(f"#kpi-{k}", KpiRow) for k in ("K1", "K2"))
        assert text_of(k1.query_one(".kpi-last")) == "Last period (2018/19 Q2): 40 (Q2 count)"
        assert text_of(k2.query_one(".kpi-last")) == "Last period (2018/19 Q2): not given"
        # a count that is not a number: the hint is for a count
        k1.query_one(".kpi-value").focus()
        await pilot.pause()
        await type_text(pilot, "abc")
        await pilot.press("tab")
        await pilot.pause()
        assert "write a whole number, like 42" in text_of(k1.query_one(".field-error"))


async def test_no_last_period_line_without_a_signed_return(env: Env) -> None:
    remember()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert not app.screen.query(".kpi-last")
