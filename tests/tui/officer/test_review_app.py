"""The officer app driven by keyboard (Pilot) on the scenario folder of ``tests/builders.py``:
inbox, filter and sort, dashboard, history, KPIs, loading off the UI thread, help, palette."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest
from officer_helpers import Env, folder_state, inbox, loaded, make_app, type_text
from textual.binding import Binding
from textual.widgets import DataTable, Static

from builders import TODAY, other_plan, sample_plan
from dapreturn.core.collection import analysis
from dapreturn.core.collection.load import Collection, ProgressCallback, load_collection
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan
from dapreturn.core.review import snapshot as snapshot_mod
from dapreturn.core.review.snapshot import Choice
from dapreturn.core.signing.trust import TrustList, load_trust
from dapreturn.tui.officer.app import ReviewApp
from dapreturn.tui.officer.screens.dashboard import DashboardView
from dapreturn.tui.officer.screens.help import HelpScreen
from dapreturn.tui.officer.screens.history import HistoryView
from dapreturn.tui.officer.screens.inbox import InboxView
from dapreturn.tui.officer.screens.kpis import KpiView
from dapreturn.tui.officer.screens.main import MainScreen
from dapreturn.tui.officer.screens.trust import TrustView
from dapreturn.tui.officer.widgets.charts import BarChart
from dapreturn.tui.officer.widgets.load_bar import LoadBar

Q3 = Period(2018, 3)


def collection(env: Env) -> Collection:
    """The scenario as core sees it (to compare the screens with)."""
    trust = load_trust(env.trust_file)
    plans = {"test-daps": sample_plan(), "other-plan": other_plan()}
    return load_collection(env.folder, trust, plans=plans, today=TODAY)


def rendered(widget: Static) -> str:
    """The text a Static shows."""
    return str(widget.render())


async def test_inbox_lists_every_file_with_its_states(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        rows = {r.key: r for r in inbox(app).shown}
        assert set(rows) == {r.rel for r in collection(env).files}
        assert len(rows) == 13
        assert app.main.query_one("#inbox-table", DataTable).row_count == 13

        def row(name: str) -> tuple[str, str, str]:
            r = rows[env.scenario.files[name].relative_to(env.folder).as_posix()]
            return r.signature, r.review, r.problems

        assert row("bct_q3_tampered") == ("✗ BAD SIGNATURE", "—", "not counted")
        assert row("dwp_q3_unknown_key") == ("? unknown key", "—", "not counted")
        assert row("bswa_q3_r1") == ("✓ verified", "—", "superseded by r2")
        assert row("bswa_q3_r2") == ("✓ verified", "—", "personal data?")
        assert row("vawc_q3_late") == ("✓ verified", "—", "late")
        assert row("bcc_q3") == ("✓ verified", "—", "1 rule problem")
        assert row("bswa_q1") == ("✓ verified", "—", "—")
        status = rendered(app.main.query_one("#status-line", Static))
        assert "13 files, 11 verified (10 count), 2 not" in status


async def test_detail_panel_explains_the_highlighted_file(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await type_text(pilot, "tampered BCT")
        assert inbox(app).shown == []
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "BAD")
        await pilot.press("enter")
        detail = rendered(app.main.query_one("#inbox-detail", Static))
        assert "usb/test-daps_2018-19-Q3_BCT_r1.toml" in detail
        assert "BAD SIGNATURE — the file was changed after signing" in detail


async def test_filter_matches_partner_period_and_state(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await type_text(pilot, "unknown")
        assert [r.partner for r in inbox(app).shown] == ["DWP"]
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "bswa q3")
        assert len(inbox(app).shown) == 3  # r1 and r2 of test-daps, and the other plan's
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "superseded")
        assert [r.revision for r in inbox(app).shown] == ["r1"]
        # Esc goes back to the list; Esc again clears the filter.
        await pilot.press("escape")
        assert isinstance(app.focused, DataTable)
        await pilot.press("escape")
        assert len(inbox(app).shown) == 13


async def test_sort_by_column_and_reverse(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        partners = [r.partner for r in inbox(app).shown]
        assert partners == sorted(partners, key=str.lower)
        await pilot.press("s")  # period
        periods = [r.period for r in inbox(app).shown]
        assert periods == sorted(periods)
        await pilot.press("r")
        assert [r.period for r in inbox(app).shown] == sorted(periods, reverse=True)
        await pilot.press("s")  # signature
        assert inbox(app).sort_column == "signature"
        assert "Signature ▼" in str(app.main.query_one(DataTable).columns["signature"].label)


async def test_dashboard_figures_match_core_analysis(env: Env) -> None:
    core = collection(env)
    plan = core.plans["test-daps"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("2")
        view = app.main.query_one(DashboardView)
        f = view.figures
        assert f is not None
        assert f.choice == Choice("test-daps", Q3)  # the latest period with returns
        assert [n.partner for n in f.not_returned] == ["WMP", "BCT"]
        assert [n.partner for n in analysis.not_returned(core, plan, Q3)] == ["WMP", "BCT"]
        assert [o.action.ref for o in f.overdue] == ["1b", "3d", "4a"]
        assert [o.action.ref for o in analysis.overdue(core, plan, Q3)] == ["1b", "3d", "4a"]
        expected = {
            k: dict(v) for k, v in analysis.status_counts_by_section(core, plan, Q3).items()
        }
        assert f.counts == expected
        chart = {
            g.title.split()[0]: {b.marker: b.count for b in g.bars}
            for g in view.query_one(BarChart).groups
        }
        assert chart == {"1": {"G": 2}, "3": {"G": 2, "A": 1}, "4": {"–": 3}}
        chart_text = str(view.query_one(BarChart).render())
        assert "G  On track" in chart_text and "█" in chart_text and "No report" in chart_text
        missing = rendered(view.query_one("#dash-missing", Static))
        assert "✗ WMP" in missing and "leads 4a" in missing
        assert "BAD SIGNATURE" in missing  # BCT's file that did not count
        overdue = rendered(view.query_one("#dash-overdue", Static))
        assert "3d" in overdue and "target 30 Nov 2018 passed 31 days" in overdue
        summary = rendered(view.query_one("#dash-summary", Static))
        assert "3 returns counted" in summary and "VAWC-SG" in summary  # late
        # The previous period, by key.
        await pilot.press("left_square_bracket")
        assert view.figures is not None and view.figures.choice.period == Period(2018, 2)
        assert [n.partner for n in view.figures.not_returned] == []


async def test_plan_and_period_picker(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("2", "p")
        await pilot.pause()
        await pilot.press("up", "enter")  # 2018/19 Q2
        await pilot.pause()
        assert app.main.choice == Choice("test-daps", Period(2018, 2))


async def test_action_history_shows_every_entry_and_slips(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "ask me")
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.view == "history"
        view = app.main.query_one(HistoryView)
        assert view.history is not None and view.history.action.ref == "3l"
        assert [(str(i.period), i.partner) for i in view.history.items] == [
            ("2018/19 Q1", "BSWA"),
            ("2018/19 Q2", "BSWA"),
            ("2018/19 Q3", "BSWA"),
        ]
        assert view.history.slip_count == 1
        head = rendered(view.query_one("#hist-head", Static))
        assert "Target date slipped 1 time" in head
        assert "BSWA in 2018/19 Q3: 31 Mar 2019 → 30 Jun 2019" in head
        items = rendered(view.query_one("#hist-items", Static))
        assert "Target 30 Jun 2019 (slipped from 31 Mar 2019)" in items
        assert "Training venue fell through" in items
        await pilot.press("right_square_bracket")
        assert view.history.action.ref == "4a"


async def test_kpis_show_totals_trend_and_direction(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("4")
        view = app.main.query_one(KpiView)
        by_id = {s.kpi.id: s for s in view.series}
        assert [p.total for p in by_id["K1"].points] == [30, 110, 105, None]
        assert by_id["K1"].verdict == "meets"
        assert [p.total for p in by_id["K2"].points] == [None] * 4  # percentages: no total
        text = rendered(view.query_one("#kpi-list", Static))
        assert "Total" in text and "110" in text
        assert "(no total: percent figures are not added up)" in text
        assert "✓ meets the plan's direction" in text
        assert "Trend " in text
        await pilot.press("right_square_bracket")
        assert app.main.choice is not None and app.main.choice.period == Period(2019, 3)
        await pilot.press(
            "left_square_bracket", "left_square_bracket"
        )  # 2017/18 is before the plan
        assert app.main.choice.period == Period(2018, 3)


async def test_loading_never_modifies_the_folder(env: Env) -> None:
    before = folder_state(env.folder)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for key in ("2", "3", "4", "5", "1", "f5"):
            await pilot.press(key)
            await loaded(pilot)
    assert folder_state(env.folder) == before


async def test_loading_runs_off_the_ui_thread_with_progress(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    started = threading.Event()

    def slow_load(
        folder: Path,
        trust: TrustList | None,
        *,
        plans: Mapping[str, Plan] | None = None,
        progress: ProgressCallback | None = None,
        today: date | None = None,
    ) -> Collection:
        def held(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total)
            if done == 1:
                started.set()
                release.wait(10)

        return load_collection(folder, trust, plans=plans, progress=held, today=today)

    monkeypatch.setattr(snapshot_mod, "load_collection", slow_load)
    seen: list[tuple[int, int]] = []

    def hook(message: object) -> None:
        if isinstance(message, ReviewApp.LoadProgress):
            seen.append((message.done, message.total))

    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        assert started.wait(10)
        await pilot.pause()
        assert app.main.query_one(LoadBar).active
        await pilot.press("5")  # the UI answers while the folder is being read
        assert app.main.view == "trust"
        release.set()
        await loaded(pilot)
        assert not app.main.query_one(LoadBar).active
        assert app.main.query_one(TrustView).rows  # the data arrived
    toml_files = len(list(env.folder.rglob("*.toml")))  # 13 returns and one plan file
    assert seen[0] == (1, toml_files) and seen[-1] == (toml_files, toml_files)


async def test_missing_folder_is_reported(env: Env) -> None:
    app = make_app(Path("nowhere"))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert "nowhere: not a folder" in rendered(app.main.query_one("#status-line", Static))


async def test_help_lists_every_key(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = {what for _, rows in app.screen.sections for _, what in rows}
        classes = (ReviewApp, MainScreen, InboxView, DashboardView, HistoryView, KpiView, TrustView)
        for cls in classes:
            for binding in cls.BINDINGS:
                assert isinstance(binding, Binding) and binding.description in shown
        keys = {keys for _, rows in app.screen.sections for keys, _ in rows}
        assert {"F1 or ?", "F5 or Ctrl+R", "/", "[", "]", "1", "q"} <= keys
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_offers_every_view_and_action(env: Env) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        titles = {c.title for c in app.get_system_commands(app.main)}
        assert {"Show Inbox", "Show Dashboard", "Show History", "Show KPIs", "Show Trust"} <= titles
        assert {"Reload the folder", "Export the consolidated report", "Help: every key"} <= titles
