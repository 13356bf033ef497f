"""The bundled DAPS 2018-2023 plan matches its seed (seeds/action-plan-2018-2023.txt)."""

from __future__ import annotations

from datetime import date

import pytest

from dapreturn.core.plan.model import PARTNER_CODE_RE, Plan, bundled_plan, bundled_plans_dir

PLAN_ID = "daps-2018-2023"

EXPECTED_REFS = [
    *(f"1{c}" for c in "abcdefgh"),
    *(f"2{c}" for c in "abcdefg"),
    *(f"3{c}" for c in "abcdefghijkl"),
    *(f"4{c}" for c in "abcdefghijk"),
]


def _is_cyrillic(text: str) -> bool:
    return any(0x400 <= ord(c) <= 0x4FF for c in text)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return bundled_plan(PLAN_ID)


def test_header(plan: Plan) -> None:
    assert plan.id == PLAN_ID
    assert plan.title == "Birmingham Domestic Abuse Prevention Action Plan 2018-2023"
    assert plan.frequency == "quarterly"
    assert plan.start == date(2018, 4, 1)
    assert plan.end == date(2023, 3, 31)
    assert plan.source
    assert plan.description


def test_exactly_the_38_refs_in_order(plan: Plan) -> None:
    assert len(EXPECTED_REFS) == 38
    assert [a.ref for a in plan.actions] == EXPECTED_REFS
    for a in plan.actions:
        assert a.section == a.ref[0]


def test_ocr_31_is_3l(plan: Plan) -> None:
    assert plan.action("3l") is not None
    assert plan.action("31") is None
    assert plan.action("3l").leads == ["BSWA"]


@pytest.mark.parametrize(
    ("ref", "leads"),
    [
        ("3l", ["BSWA"]),
        ("3d", ["BCC-COMM"]),
        ("3k", ["BCT"]),  # Cyrillic lookalike letters in the seed
        ("3j", ["BCT"]),  # "BCT?" in the seed
        ("2b", []),  # Cyrillic lookalike "TBC" in the seed
        ("1f", ["VAWC-SG"]),  # the seed's lead cell reads "VAWC SG"
        ("3h", ["VAWC-SG"]),  # "VAWC" is the steering group
        ("3a", ["BCSP", "BCC-CR"]),  # "BCP" read as BCSP
        ("1h", ["BASB", "HPB", "BCC-HOS"]),
        ("3f", ["BCT-TF"]),
        ("2c", []),
        ("4k", []),
    ],
)
def test_leads(plan: Plan, ref: str, leads: list[str]) -> None:
    assert plan.action(ref).leads == leads


@pytest.mark.parametrize(
    ("ref", "due"),
    [
        ("3l", date(2023, 3, 31)),
        ("3d", date(2019, 3, 31)),
        ("3b", date(2020, 3, 31)),
        ("1a", date(2021, 3, 31)),
        ("1e", date(2021, 3, 31)),
        ("3a", date(2019, 3, 31)),
        ("4g", date(2021, 3, 31)),
        ("1f", None),
        ("3k", None),
        ("4k", None),
    ],
)
def test_due_dates(plan: Plan, ref: str, due: date | None) -> None:
    assert plan.action(ref).due == due


def test_due_only_where_timescale_gives_one(plan: Plan) -> None:
    for a in plan.actions:
        if a.timescale in {"", "TBC"}:
            assert a.due is None, a.ref
        else:
            assert a.due is not None, a.ref
            assert (a.due.month, a.due.day) == (3, 31), a.ref
            assert plan.start < a.due <= plan.end, a.ref


def test_ocr_split_of_1a_and_1b_is_reassembled(plan: Plan) -> None:
    a1, b1 = plan.action("1a"), plan.action("1b")
    bullets = [line for line in a1.text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 5
    assert bullets[0].startswith("- Undertakes a domestic abuse training needs analysis")
    assert bullets[-1].endswith("women and children according to their function.")
    assert b1.text.startswith("Ensure the quality of domestic abuse service provision")
    assert "women and children according to their function" not in b1.text
    assert len([ln for ln in b1.text.splitlines() if ln.startswith("- ")]) == 4


def test_titles_are_short_and_texts_full(plan: Plan) -> None:
    for a in plan.actions:
        assert 0 < len(a.title) <= 60, a.ref
        assert len(a.text) > len(a.title), a.ref


def test_no_cyrillic_anywhere() -> None:
    raw = (bundled_plans_dir() / f"{PLAN_ID}.toml").read_bytes()
    text = raw.decode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert not _is_cyrillic(text)


def test_codes_refs_and_timescales_are_ascii(plan: Plan) -> None:
    for p in plan.partners:
        assert p.code.isascii() and PARTNER_CODE_RE.fullmatch(p.code), p.code
    for a in plan.actions:
        assert a.ref.isascii(), a.ref
        assert a.timescale.isascii(), a.ref
        for code in (*a.leads, *a.contributors):
            assert code.isascii(), (a.ref, code)
        assert not _is_cyrillic(a.text + a.success_measure + a.title), a.ref


def test_every_lead_is_registered(plan: Plan) -> None:
    codes = {p.code for p in plan.partners}
    for a in plan.actions:
        for code in (*a.leads, *a.contributors):
            assert code in codes, (a.ref, code)


def test_registry_holds_the_reporting_organisations(plan: Plan) -> None:
    codes = {p.code for p in plan.partners}
    for code in ("WMP", "DWP", "BWCHFT", "CGL", "BCT", "BSWA", "VAWC-SG", "BCC", "WMPCC"):
        assert code in codes, code
    for code in ("BCSP", "BCSPCB", "BASB", "JCP", "HPB"):  # the seed's abbreviations
        assert code in codes, code
    assert any(c.startswith("LCSP-") for c in codes)
    assert "MARAC" not in codes  # a meeting, not an organisation


def test_aliases_resolve_seed_spellings(plan: Plan) -> None:
    alias_to_code = {alias: p.code for p in plan.partners for alias in p.aliases}
    assert alias_to_code["VAWC SG"] == "VAWC-SG"
    assert alias_to_code["VAWC"] == "VAWC-SG"
    assert alias_to_code["VAWCG"] == "VAWC-SG"
    assert alias_to_code["BSWAID"] == "BSWA"
    assert alias_to_code["BWC NHS FT"] == "BWCHFT"
    assert alias_to_code["BCC Housing Options"] == "BCC-HOS"


def test_sections(plan: Plan) -> None:
    assert [(s.id, s.title) for s in plan.sections] == [
        ("1", "Whole Systems Actions"),
        ("2", "Changing Attitudes and Behaviours"),
        ("3", "Early Identification & Early Help"),
        ("4", "Safety and Support"),
    ]
    for sid in ("2", "3", "4"):
        assert plan.section(sid).aim, sid
    assert plan.section("3").aim.startswith("Intervene early to prevent harm")
    assert plan.section("4").aim.endswith("preventing abusers from harming others.")


def test_kpis(plan: Plan) -> None:
    assert [k.id for k in plan.kpis] == [f"K{i}" for i in range(1, 9)]
    assert [k.section for k in plan.kpis] == ["2", "2", "3", "3", "3", "4", "4", "4"]
    assert all(k.baseline is None for k in plan.kpis)
    units = {k.id: k.unit for k in plan.kpis}
    assert units["K3"] == units["K7"] == "percent"
    directions = {k.id: k.direction for k in plan.kpis}
    assert directions["K6"] == directions["K7"] == "reduce"
    assert directions["K3"] == "increase"
    assert plan.kpi("K4").measure == "Number of referrals from non-police sources for early help"


def test_section_measures_match_kpis(plan: Plan) -> None:
    for section in plan.sections:
        assert section.measures == [k.measure for k in plan.kpis if k.section == section.id]


def test_statuses(plan: Plan) -> None:
    ids = [s.id for s in plan.statuses]
    assert ids == [
        "not_started",
        "on_track",
        "at_risk",
        "off_track",
        "complete",
        "on_hold",
        "ongoing",
    ]
    markers = [s.marker for s in plan.statuses]
    assert all(m.strip() for m in markers)
    assert len(set(markers)) == len(markers)
    for s in plan.statuses:
        assert s.description, s.id
    assert [s.id for s in plan.statuses if s.done] == ["complete"]
    assert {s.id for s in plan.statuses if s.requires_risks} == {"at_risk", "off_track", "on_hold"}
    assert not plan.status("not_started").requires_action_taken
    assert plan.status("at_risk").label == "Some delay / at risk"
    assert plan.status("ongoing").marker == "BAU"
