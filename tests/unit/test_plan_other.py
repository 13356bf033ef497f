"""The bundled 2015 scrutiny plan and the initial 2017-2020 action plan, as transcribed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dapreturn.core.plan.model import PARTNER_CODE_RE, Plan, bundled_plan

CYRILLIC = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
"""Cyrillic blocks: OCR lookalike letters must not survive into codes and refs."""

SCRUTINY_REFS = [
    "R01a",
    "R01b",
    "R01c",
    "R02a",
    "R02b",
    "R02c",
    "R02d",
    "R03a",
    "R03b",
    "R03c",
    "R04",
]

INITIAL_REFS = [
    "1.1a",
    "1.1b",
    "1.2a",
    "1.2b",
    "1.2c",
    "1.2d",
    "1.2e",
    "2.1a",
    "2.1b",
    "2.1c",
    "2.1d",
    "2.2a",
    "2.2b",
    "2.2c",
    "2.2d",
    "3.1a",
    "3.1b",
    "3.2a",
    "3.2b",
]


@pytest.fixture
def scrutiny() -> Plan:
    """The 2015 Overview & Scrutiny plan."""
    return bundled_plan("scrutiny-2015")


@pytest.fixture
def initial() -> Plan:
    """The initial 2017-2020 outcomes action plan."""
    return bundled_plan("initial-2017")


def _leads(plan: Plan, ref: str) -> list[str]:
    """The leads of the action ``ref``, failing the test if the plan lacks it."""
    action = plan.action(ref)
    assert action is not None, ref
    return action.leads


def _identifiers(plan: Plan) -> list[str]:
    """Every id, ref and code of a plan: the values that must be plain ASCII."""
    return [
        plan.id,
        *(s.id for s in plan.statuses),
        *(s.marker for s in plan.statuses),
        *(p.code for p in plan.partners),
        *(s.id for s in plan.sections),
        *(a.ref for a in plan.actions),
        *(a.section for a in plan.actions),
        *(code for a in plan.actions for code in (*a.leads, *a.contributors)),
        *(k.id for k in plan.kpis),
        *(k.section for k in plan.kpis),
    ]


# -- scrutiny-2015 ---------------------------------------------------------------------


def test_scrutiny_sections_are_the_four_recommendations(scrutiny: Plan) -> None:
    assert scrutiny.id == "scrutiny-2015"
    assert [s.id for s in scrutiny.sections] == ["R01", "R02", "R03", "R04"]
    assert all(s.aim.startswith("That ") for s in scrutiny.sections)


def test_scrutiny_action_refs(scrutiny: Plan) -> None:
    assert [a.ref for a in scrutiny.actions] == SCRUTINY_REFS
    for action in scrutiny.actions:
        assert action.section == action.ref[:3]


def test_scrutiny_all_due_november_2015(scrutiny: Plan) -> None:
    assert {a.due for a in scrutiny.actions} == {date(2015, 11, 30)}
    assert {a.timescale for a in scrutiny.actions} == {"November 2015"}
    assert scrutiny.start <= date(2015, 11, 30) < scrutiny.end


def test_scrutiny_status_labels_in_order(scrutiny: Plan) -> None:
    assert [s.label for s in scrutiny.statuses] == [
        "Achieved (Fully)",
        "Achieved (Late)",
        "Not Achieved (Obsolete)",
        "Not Achieved (Progress Made)",
        "Not Achieved",
        "In Progress",
    ]
    assert [s.marker for s in scrutiny.statuses] == ["AF", "AL", "NAO", "NAP", "NA", "IP"]


def test_scrutiny_status_rules(scrutiny: Plan) -> None:
    flags = {s.id: (s.done, s.requires_risks, s.requires_action_taken) for s in scrutiny.statuses}
    assert flags == {
        "achieved_fully": (True, False, True),
        "achieved_late": (True, False, True),
        "not_achieved_obsolete": (True, False, True),
        "not_achieved_progress_made": (False, True, True),
        "not_achieved": (False, True, True),
        "in_progress": (False, False, True),
    }
    assert all(s.description for s in scrutiny.statuses)


def test_scrutiny_leads_are_cabinet_member_portfolios(scrutiny: Plan) -> None:
    leads = {code for a in scrutiny.actions for code in a.leads}
    assert leads == {"CM-COHESION", "CM-HEALTH", "CM-CHILDREN"}
    for code in leads:
        partner = scrutiny.partner(code)
        assert partner is not None
        assert partner.kind == "cabinet member portfolio"
        assert partner.name.startswith("Cabinet Member for ")
    assert all(a.leads for a in scrutiny.actions)
    assert _leads(scrutiny, "R01a") == ["CM-COHESION", "CM-HEALTH"]
    assert _leads(scrutiny, "R02c") == ["CM-COHESION", "CM-CHILDREN", "CM-HEALTH"]
    assert _leads(scrutiny, "R03a") == ["CM-COHESION"]
    assert _leads(scrutiny, "R04") == ["CM-COHESION"]


def test_scrutiny_has_no_kpis(scrutiny: Plan) -> None:
    assert scrutiny.kpis == []


# -- initial-2017 ----------------------------------------------------------------------


def test_initial_sections_are_the_three_priorities(initial: Plan) -> None:
    assert initial.id == "initial-2017"
    assert [(s.id, s.title) for s in initial.sections] == [
        ("P1", "Changing Attitudes"),
        ("P2", "Early Identification and Early Help"),
        ("P3", "Safety and Support"),
    ]
    assert (initial.start, initial.end) == (date(2017, 4, 1), date(2020, 3, 31))


def test_initial_action_refs(initial: Plan) -> None:
    assert [a.ref for a in initial.actions] == INITIAL_REFS
    for action in initial.actions:
        assert action.section == f"P{action.ref[0]}"
        assert action.leads
        assert action.success_measure


def test_initial_leads_are_registered_partnerships(initial: Plan) -> None:
    assert {p.code for p in initial.partners} == {"BCSP", "BHWBB", "BEHP"}
    assert _leads(initial, "1.1a") == ["BHWBB", "BEHP"]
    assert _leads(initial, "1.2a") == ["BCSP"]
    assert _leads(initial, "2.2a") == ["BHWBB", "BEHP", "BCSP"]
    assert _leads(initial, "3.2b") == ["BCSP", "BHWBB", "BEHP"]


@pytest.mark.parametrize(
    ("kpi_id", "direction"),
    [
        ("K1", "increase"),  # schools committed to a whole school approach
        ("K3", "increase"),  # police reports of DA, forced marriage and HBV
        ("K5", "reduce"),  # children experiencing DA admitted to care
        ("K6", "reduce"),  # children in need experiencing DA
        ("K10", "reduce"),  # high risk, serial and repeat DA offenders
        ("K13", "reduce"),  # deaths, attempted murders and most serious violence
        ("K16", "increase"),  # moves through DA between social landlords
        ("K17", "increase"),  # multi-agency referral to MARAC
        ("K18", "target"),  # proportion of high risk victims with independent support
    ],
)
def test_initial_kpi_directions(initial: Plan, kpi_id: str, direction: str) -> None:
    kpi = initial.kpi(kpi_id)
    assert kpi is not None
    assert kpi.direction == direction


def test_initial_kpi_sections_and_count(initial: Plan) -> None:
    by_section = [k.section for k in initial.kpis]
    assert by_section.count("P1") == 4
    assert by_section.count("P2") == 5
    assert by_section.count("P3") == 9


def test_initial_100_percent_measure_is_a_target(initial: Plan) -> None:
    kpi = initial.kpi("K18")
    assert kpi is not None
    assert "high risk victims receiving independent support" in kpi.measure
    assert (kpi.direction, kpi.target, kpi.unit) == ("target", 100, "percent")
    targets = [k.id for k in initial.kpis if k.direction == "target"]
    assert targets == ["K18"]


def test_initial_statuses(initial: Plan) -> None:
    daps = bundled_plan("daps-2018-2023")
    assert initial.statuses == daps.statuses  # the same vocabulary as the 2018-2023 plan
    assert [(s.id, s.marker) for s in initial.statuses] == [
        ("not_started", "NS"),
        ("on_track", "G"),
        ("at_risk", "A"),
        ("off_track", "R"),
        ("complete", "C"),
        ("on_hold", "H"),
        ("ongoing", "BAU"),
    ]
    assert [s.id for s in initial.statuses if s.done] == ["complete"]
    assert {s.id for s in initial.statuses if s.requires_risks} == {
        "at_risk",
        "off_track",
        "on_hold",
    }
    assert [s.id for s in initial.statuses if not s.requires_action_taken] == [
        "not_started",
        "on_hold",
    ]


# -- both ------------------------------------------------------------------------------


@pytest.mark.parametrize("plan_id", ["scrutiny-2015", "initial-2017"])
def test_identifiers_are_plain_ascii(plan_id: str) -> None:
    plan = bundled_plan(plan_id)
    for value in _identifiers(plan):
        assert not CYRILLIC.search(value), value
        assert value.isascii(), value
    for partner in plan.partners:
        assert PARTNER_CODE_RE.fullmatch(partner.code)


@pytest.mark.parametrize("plan_id", ["scrutiny-2015", "initial-2017"])
def test_titles_fit_lists(plan_id: str) -> None:
    plan = bundled_plan(plan_id)
    assert all(len(a.title) <= 60 for a in plan.actions)
    assert len({a.title for a in plan.actions}) == len(plan.actions)
