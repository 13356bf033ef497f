"""The officer's figures: not returned, overdue, status counts, matrix, history, KPIs, late."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from builders import TODAY, TRUSTED, CollectionBuilder, Scenario, build_scenario, entry, sample_plan
from dapreturn.core.collection import analysis
from dapreturn.core.collection.load import Collection, load_collection
from dapreturn.core.errors import DapreturnError
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan
from dapreturn.core.signing.trust import load_trust

Q1, Q2, Q3, Q4 = (Period(2018, q) for q in range(1, 5))
PLAN = sample_plan()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return build_scenario(tmp_path_factory.mktemp("analysis"))


@pytest.fixture(scope="module")
def coll(scenario: Scenario) -> Collection:
    trust = load_trust(scenario.trust_path)
    return load_collection(scenario.folder, trust, plans={PLAN.id: PLAN}, today=TODAY)


def small(
    tmp_path: Path, returns: list[tuple[str, str, list[object]]], plan: Plan = PLAN
) -> Collection:
    """A collection from (partner, period, entries) triples, all signed and trusted."""
    b = CollectionBuilder(tmp_path, plan)
    for partner, period, entries in returns:
        b.write(b.make_return(partner, period, entries))  # type: ignore[arg-type]
    return load_collection(tmp_path, b.trust(TRUSTED), plans={plan.id: plan}, today=TODAY)


def test_not_returned(coll: Collection, scenario: Scenario) -> None:
    rows = analysis.not_returned(coll, PLAN, Q3)
    assert [(n.partner, [a.ref for a in n.actions]) for n in rows] == [
        ("WMP", ["4a"]),
        ("BCT", ["4b"]),
    ]
    assert rows[0].name == "West Midlands Police" and rows[0].unverified == []
    assert [r.path for r in rows[1].unverified] == [scenario.files["bct_q3_tampered"]]
    assert analysis.not_returned(coll, PLAN, Q2) == []
    assert [n.partner for n in analysis.not_returned(coll, PLAN, Q1)] == [
        "BCC-COMM",
        "VAWC-SG",
        "WMP",
        "BCT",
    ]


def test_overdue_at_period_end(coll: Collection) -> None:
    rows = analysis.overdue(coll, PLAN, Q3)
    got = [(o.action.ref, o.basis, o.days, o.target, o.due, o.statuses) for o in rows]
    assert got == [
        (
            "1b",
            "target and due",
            0,
            date(2018, 12, 31),
            date(2018, 12, 31),
            {"VAWC-SG": "on_track"},
        ),
        ("3d", "target", 31, date(2018, 11, 30), date(2019, 3, 31), {"BCC-COMM": "on_track"}),
        ("4a", "target and due", 92, date(2018, 9, 30), date(2018, 9, 30), {"WMP": "at_risk"}),
    ]
    # 4a: WMP did not return in Q3, so its Q2 entry is the latest reported.
    assert rows[2].reported_in == Q2 and rows[0].reported_in == Q3
    assert [o.action.ref for o in analysis.overdue(coll, PLAN, Q2)] == ["4a"]


def test_overdue_as_of_and_done(coll: Collection, tmp_path: Path) -> None:
    later = analysis.overdue(coll, PLAN, Q3, as_of=date(2019, 4, 1))
    # By then 3d's due date and 3h's targets (31 Mar 2019) have passed too; 4b is complete.
    assert [(o.action.ref, o.basis) for o in later] == [
        ("1b", "target and due"),
        ("3d", "target and due"),
        ("3h", "target"),
        ("4a", "target and due"),
    ]
    assert later[1].days == 122
    mixed = small(
        tmp_path,
        [
            (
                "VAWC-SG",
                "2018/19 Q3",
                [
                    entry("1a"),
                    entry("1b", "complete", completed=date(2018, 12, 1)),
                    entry("3h", target=date(2019, 3, 31)),
                ],
            ),
            (
                "BSWA",
                "2018/19 Q3",
                [entry("3h", "complete", completed=date(2018, 12, 1)), entry("3l")],
            ),
        ],
    )
    # 1b is done; 3h is done only by one of its two partners, so it is not done.
    refs = [o.action.ref for o in analysis.overdue(mixed, PLAN, Q3, as_of=date(2019, 4, 1))]
    assert "1b" not in refs and "3h" in refs


def test_status_matrix_and_headline(coll: Collection) -> None:
    matrix = {
        a.ref: {p: e.status for p, e in entries.items()}
        for a, entries in analysis.status_matrix(coll, PLAN, Q3)
    }
    assert matrix == {
        "1a": {"BCC-COMM": "on_track", "VAWC-SG": "on_track"},
        "1b": {"VAWC-SG": "on_track"},
        "3d": {"BCC-COMM": "on_track"},
        "3h": {"BSWA": "on_track", "VAWC-SG": "at_risk"},
        "3l": {"BSWA": "on_track"},
        "4a": {},
        "4b": {},
        "4c": {},
    }
    # 3h: VAWC-SG is listed first among the plan's leads, so its status is the headline.
    action, entries = next(r for r in analysis.status_matrix(coll, PLAN, Q3) if r[0].ref == "3h")
    assert analysis.headline_status(PLAN, action, entries) == "at_risk"
    only_bswa = {"BSWA": entries["BSWA"]}
    assert analysis.headline_status(PLAN, action, only_bswa) == "on_track"
    assert analysis.headline_status(PLAN, action, {}) == analysis.NO_REPORT


def test_status_counts_by_section(coll: Collection) -> None:
    counts = analysis.status_counts_by_section(coll, PLAN, Q3)
    assert {k: dict(v) for k, v in counts.items()} == {
        "1": {"on_track": 2},
        "3": {"on_track": 2, "at_risk": 1},
        "4": {analysis.NO_REPORT: 3},
    }
    q2 = analysis.status_counts_by_section(coll, PLAN, Q2)
    assert {k: dict(v) for k, v in q2.items()} == {
        "1": {"on_track": 2},
        "3": {"on_track": 3},
        "4": {"at_risk": 1, "complete": 1, analysis.NO_REPORT: 1},
    }
    assert sum(sum(c.values()) for c in counts.values()) == len(PLAN.actions)


def test_action_history_and_slips(coll: Collection) -> None:
    h = analysis.action_history(coll, PLAN, "3l")
    assert [(str(i.period), i.partner, i.entry.target) for i in h.items] == [
        ("2018/19 Q1", "BSWA", date(2019, 3, 31)),
        ("2018/19 Q2", "BSWA", date(2019, 3, 31)),
        ("2018/19 Q3", "BSWA", date(2019, 6, 30)),
    ]
    assert h.slip_count == 1
    (slip,) = h.slips
    assert (slip.partner, slip.period, slip.before, slip.after) == (
        "BSWA",
        Q3,
        date(2019, 3, 31),
        date(2019, 6, 30),
    )
    assert h.items[-1].entry.risks.startswith("Training venue")
    h3 = analysis.action_history(coll, PLAN, "3h")
    assert [(str(i.period), i.partner) for i in h3.items] == [
        ("2018/19 Q1", "BSWA"),
        ("2018/19 Q2", "BSWA"),
        ("2018/19 Q2", "VAWC-SG"),
        ("2018/19 Q3", "BSWA"),
        ("2018/19 Q3", "VAWC-SG"),
    ]
    assert h3.slip_count == 0
    with pytest.raises(DapreturnError, match="not an action"):
        analysis.action_history(coll, PLAN, "9z")


def test_slips_count_each_move_later_not_earlier(tmp_path: Path) -> None:
    targets = [date(2019, 3, 31), date(2019, 6, 30), date(2019, 5, 31), date(2019, 9, 30)]
    returns = [
        ("BSWA", str(Period(2018, q)), [entry("3h"), entry("3l", target=t, risks="moved")])
        for q, t in zip((1, 2, 3, 4), targets, strict=True)
    ]
    h = analysis.action_history(small(tmp_path, returns), PLAN, "3l")  # type: ignore[arg-type]
    assert [(s.before, s.after) for s in h.slips] == [
        (date(2019, 3, 31), date(2019, 6, 30)),
        (date(2019, 5, 31), date(2019, 9, 30)),
    ]


def test_kpi_series(coll: Collection) -> None:
    series = {s.kpi.id: s for s in analysis.kpi_series(coll, PLAN, financial_year=2018)}
    k1, k2, k3 = series["K1"], series["K2"], series["K3"]
    assert [p.period for p in k1.points] == [Q1, Q2, Q3, Q4]
    assert [p.total for p in k1.points] == [30, 110, 105, None]
    assert k1.points[1].values == {"BCC-COMM": 50, "BSWA": 40, "WMP": 20}
    assert k1.verdict == "meets" and "baseline 100" in k1.explanation and k1.summable
    assert [p.total for p in k2.points] == [None] * 4, "percentages are never added up"
    assert [p.values for p in k2.points[:3]] == [
        {"BSWA": 40},
        {"BSWA": 38, "WMP": 30},
        {"BSWA": 35},
    ]
    assert k2.verdict == "meets" and not k2.summable
    assert "mean of partners' figures 35 against 2018/19 Q1 40" in k2.explanation
    assert [p.total for p in k3.points] == [None, 20000, 30000, None]
    assert k3.verdict == "does not meet" and "target 50,000" in k3.explanation
    by_periods = analysis.kpi_series(coll, PLAN, periods=[Q2, Q3])
    assert [p.total for p in by_periods[0].points] == [110, 105]
    with pytest.raises(ValueError, match="financial_year or periods"):
        analysis.kpi_series(coll, PLAN)


def test_kpi_direction_edge_cases(coll: Collection) -> None:
    one = {s.kpi.id: s for s in analysis.kpi_series(coll, PLAN, periods=[Q3])}
    assert one["K1"].verdict == "meets", "a baseline is enough to judge one quarter"
    assert one["K2"].verdict == "not enough data"
    none = analysis.kpi_series(coll, PLAN, periods=[Q4])
    assert {s.verdict for s in none} == {"not enough data"}
    assert none[0].explanation == "no figures reported"


def test_late_returns(coll: Collection, scenario: Scenario) -> None:
    assert analysis.deadline(Q3) == date(2019, 1, 30)
    assert analysis.deadline(Q3, 10) == date(2019, 1, 10)
    late = {r.partner: analysis.is_late(r) for r in analysis.received(coll, PLAN, Q3)}
    assert late == {"BSWA": False, "BCC-COMM": False, "VAWC-SG": True}
    assert list(late) == ["BSWA", "BCC-COMM", "VAWC-SG"], "plan registry order"
    strict = {r.partner: analysis.is_late(r, 5) for r in analysis.received(coll, PLAN, Q3)}
    assert strict == {"BSWA": True, "BCC-COMM": True, "VAWC-SG": True}


def test_figure_text() -> None:
    assert analysis.figure_text(1234567) == "1,234,567"
    assert analysis.figure_text(12.5) == "12.5"
    assert analysis.figure_text(1 / 3) == "0.33"
    assert analysis.figure_text(2.0) == "2"
