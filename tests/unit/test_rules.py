"""Every cross-field rule of a return against its plan, each with its plain-English message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dapreturn.core.plan.model import Plan, load_plan
from dapreturn.core.returns.model import Entry, KpiFigure, Return
from dapreturn.core.returns.rules import Problem, check_return

TODAY = date(2018, 11, 14)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(Path(__file__).parent.parent / "data" / "mini-plan.toml")


def good(**entry: object) -> Return:
    fields: dict[str, object] = {
        "ref": "3l",
        "status": "on_track",
        "action_taken": "Trained 12 staff.",
    }
    fields.update(entry)
    return Return(
        plan="mini",
        period="2018/19 Q2",
        partner="BSWA",
        prepared_by="Jo, Manager",
        entries=[Entry.model_validate(fields), Entry(ref="3h", status="not_started")],
    )


def problems(plan: Plan, ret: Return, **kw: object) -> list[str]:
    return [str(p) for p in check_return(ret, plan, today=TODAY, **kw)]  # type: ignore[arg-type]


def test_a_good_return_has_no_problems(plan: Plan) -> None:
    assert problems(plan, good()) == []


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"status": ""}, "3l.status: choose a status"),
        ({"status": "amazing"}, "3l.status: 'amazing' is not a status of this plan"),
        (
            {"status": "complete"},
            "3l.completed: give the date it was completed (status is Complete)",
        ),
        (
            {"status": "complete", "completed": date(2018, 12, 1)},
            "3l.completed: Sat 1 Dec 2018 is in the future",
        ),
        (
            {"completed": date(2018, 9, 1)},
            "3l.completed: only give a completion date when the status is done",
        ),
        (
            {"started": date(2019, 1, 1), "target": date(2018, 6, 1)},
            "3l.target: target Fri 1 Jun 2018 is before the start date",
        ),
        (
            {"status": "complete", "started": date(2018, 9, 1), "completed": date(2018, 8, 1)},
            "3l.completed: completion date is before the start date",
        ),
        ({"action_taken": "  "}, "3l.action_taken: say what was done this period"),
        (
            {"status": "at_risk"},
            "3l.risks: describe the risks or issues (status is Some delay / at risk)",
        ),
    ],
)
def test_each_entry_rule(plan: Plan, entry: dict[str, object], expected: str) -> None:
    found = problems(plan, good(**entry))
    assert any(p.startswith(expected) for p in found), found


def test_not_started_needs_no_action_taken(plan: Plan) -> None:
    assert problems(plan, good(status="not_started", action_taken="")) == []


def test_return_level_rules(plan: Plan) -> None:
    ret = good().model_copy(update={"prepared_by": "", "plan": "other", "period": "2030/31 Q1"})
    found = problems(plan, ret)
    assert "prepared_by: say who prepared the return (name, role)" in found
    assert "plan: return is for plan 'other', not 'mini'" in found
    assert any(
        p.startswith("period: 2030/31 Q1 is outside the plan (2018/19 Q1 - 2019/20 Q4)")
        for p in found
    )
    assert "period: 2030/31 Q1 has not started yet" in found


def test_unknown_ref_duplicate_missing_lead_and_wrong_role(plan: Plan) -> None:
    ret = Return(
        plan="mini",
        period="2018/19 Q2",
        partner="BSWA",
        prepared_by="Jo",
        entries=[
            Entry(ref="9z", status="on_track", action_taken="x"),
            Entry(ref="3d", role="lead", status="on_track", action_taken="x"),
            Entry(ref="3l", status="on_track", action_taken="x"),
            Entry(ref="3L", status="on_track", action_taken="x"),
        ],
    )
    found = problems(plan, ret)
    assert "9z.ref: '9z' is not an action of this plan" in found
    assert "3d.role: BSWA is not a lead of 3d; report it as a contributor" in found
    assert "3L.ref: this action has two entries" in found
    assert "3h.ref: no entry for 3h, which you lead" in found


def test_contributor_entries_are_allowed_for_any_action(plan: Plan) -> None:
    ret = good()
    ret.entries.append(Entry(ref="3d", role="contributor", status="on_track", action_taken="x"))
    assert problems(plan, ret) == []


@pytest.mark.parametrize(
    ("kpi", "expected"),
    [
        (KpiFigure(id="K2", value=120), "kpis.K2: 120 is not a percentage (0-100)"),
        (KpiFigure(id="K1", value=2.5), "kpis.K1: 2.5 is not a count (a whole number, 0 or more)"),
        (KpiFigure(id="K1", value=-1), "kpis.K1: -1 is not a count (a whole number, 0 or more)"),
        (KpiFigure(id="K9", value=1), "kpis.K9: 'K9' is not a KPI of this plan"),
    ],
)
def test_kpi_values_fit_their_unit(plan: Plan, kpi: KpiFigure, expected: str) -> None:
    ret = good()
    ret.kpis.append(kpi)
    assert expected in problems(plan, ret)


def test_target_moved_later_asks_for_a_reason(plan: Plan) -> None:
    before = good(target=date(2019, 3, 31))
    after = good(target=date(2019, 9, 30))
    found = problems(plan, after, previous=before)
    assert (
        "3l.risks: target moved from Sun 31 Mar 2019 to Mon 30 Sep 2019: say why in risks/issues"
        in found
    )
    assert (
        problems(plan, good(target=date(2019, 9, 30), risks="Funding delayed."), previous=before)
        == []
    )


def test_problem_str_places() -> None:
    assert str(Problem("3l", "risks", "x")) == "3l.risks: x"
    assert str(Problem(None, "prepared_by", "y")) == "prepared_by: y"
