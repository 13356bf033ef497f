"""A long plan (200 actions) stays responsive: typing re-checks one entry only."""

from __future__ import annotations

from pathlib import Path

import pytest
from partner_helpers import SMALL_PLAN, Env, go_to_field, make_app, type_text

from dapreturn.core.filling import review as session_module
from dapreturn.tui.widgets.action_list import ActionList
from dapreturn.tui.widgets.entry_form import EntryForm


def long_plan(folder: Path, n: int = 200) -> Path:
    """A plan with ``n`` actions, all led by BSWA."""
    head = SMALL_PLAN.read_text(encoding="utf-8")
    head = head.split("[[actions]]")[0].replace('id = "test-plan"', 'id = "long-plan"')
    actions = "".join(
        f'\n[[actions]]\nref = "{i}a"\nsection = "1"\ntitle = "Action number {i}"\n'
        f'text = "Do thing {i} across the city."\nleads = ["BSWA"]\n'
        for i in range(1, n + 1)
    )
    path = folder / "long-plan.toml"
    path.write_text(head + actions, encoding="utf-8")
    return path


async def test_two_hundred_actions(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    from dapreturn.core.config import UserConfig, save_config

    plan = long_plan(env.cwd)
    save_config(UserConfig(plan=str(plan), partner="BSWA", prepared_by="Jo"))
    app = make_app(plan=str(plan))
    whole_checks: list[int] = []
    real = session_module.check_return

    def counting(*args: object, **kwargs: object) -> object:
        whole_checks.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session_module, "check_return", counting)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        actions = app.screen.query_one(ActionList)
        assert len(actions.refs()) == 200
        rebuilds: list[int] = []
        monkeypatch.setattr(actions, "show", lambda *a, **k: rebuilds.append(1))
        await go_to_field(pilot, "action_taken")
        session = app.session
        assert session is not None
        counted: list[int] = []
        real_counts = session.counts

        def counting_counts() -> tuple[int, int]:
            counted.append(1)
            return real_counts()

        monkeypatch.setattr(session, "counts", counting_counts)
        await type_text(pilot, "Typing stays quick")
        # All 200 entries are counted again only when an entry's line changes (the first key
        # turns this one from empty to started), not on every key.
        assert 1 <= len(counted) <= 2, counted
        assert whole_checks == []  # only the current entry was checked
        assert rebuilds == []  # the list is updated line by line, never rebuilt
        # Moving through the list goes action by action, still without rebuilding it.
        for _ in range(20):
            await pilot.press("ctrl+n")
        assert app.screen.query_one(EntryForm).ref == "21a"
        assert rebuilds == []
        # Review checks everything once.
        await pilot.press("f3")
        await pilot.pause()
        assert len(whole_checks) == 1
