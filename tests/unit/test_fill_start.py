"""Where a return starts (core.filling.start): one behaviour for the partner app and plain mode.

Each test here is a place where the two front ends used to disagree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from builders import entry, own_key, sample_plan
from dapreturn.core.filling.launch import find_partners, plan_to_remember
from dapreturn.core.filling.session import SaveTarget, draft_key
from dapreturn.core.filling.start import Origin, StartPoint, begin, find_start
from dapreturn.core.filling.submit import submit_return
from dapreturn.core.periods import Period
from dapreturn.core.returns.model import Return
from dapreturn.core.returns.tomlio import dump_return

PLAN = sample_plan()
Q3 = Period(2018, 3)
TODAY = date(2019, 1, 15)


def _signed(target: SaveTarget, *, revisions: int = 1, prepared_by: str = "Sam, Lead") -> None:
    """Sign ``revisions`` complete returns for BSWA 2018/19 Q3 into the output folder."""
    ret = Return(
        plan=PLAN.id,
        period=str(Q3),
        partner="BSWA",
        prepared_by=prepared_by,
        entries=[entry("3h"), entry("3l")],
    )
    for _ in range(revisions):
        submit_return(ret, PLAN, own_key("BSWA"), target.out_dir, today=TODAY)


def _start(target: SaveTarget) -> StartPoint:
    return find_start(PLAN, "BSWA", Q3, target)


def _draft(target: SaveTarget, ret: Return) -> None:
    target.store.save(draft_key(PLAN, "BSWA", Q3), dump_return(ret))


def test_restarting_a_signed_return_makes_the_next_revision(fill_target: SaveTarget) -> None:
    # The partner app used to restart a signed r2 as revision 1; plain said r3. It is r3.
    _signed(fill_target, revisions=2)
    start = _start(fill_target)
    assert start.origins() == [Origin.SIGNED, Origin.BLANK]
    begun = begin(start, Origin.SIGNED, prepared_by="Jo, Manager", target=fill_target)
    assert begun.session.ret.revision == 3
    assert begun.session.ret.submitted_at is None
    assert "signing again makes r3" in begun.session.origin


def test_a_new_revision_is_prepared_by_whoever_prepares_it_now(fill_target: SaveTarget) -> None:
    _signed(fill_target)
    begun = begin(_start(fill_target), Origin.SIGNED, prepared_by="Jo", target=fill_target)
    assert begun.session.ret.prepared_by == "Jo"
    kept = begin(_start(fill_target), Origin.SIGNED, prepared_by="", target=fill_target)
    assert kept.session.ret.prepared_by == "Sam, Lead"


def test_a_resumed_draft_keeps_the_preparer_typed_into_it(fill_target: SaveTarget) -> None:
    # Plain mode used to overwrite it with the remembered preparer: typed work was lost.
    draft = Return(plan=PLAN.id, period=str(Q3), partner="BSWA", prepared_by="Ann, Deputy")
    _draft(fill_target, draft)
    begun = begin(_start(fill_target), Origin.DRAFT, prepared_by="Jo", target=fill_target)
    assert begun.session.ret.prepared_by == "Ann, Deputy"
    assert begun.set_aside is None  # resumed: nothing set aside


def test_a_resumed_draft_without_a_preparer_gets_the_current_one(
    fill_target: SaveTarget,
) -> None:
    _draft(fill_target, Return(plan=PLAN.id, period=str(Q3), partner="BSWA"))
    begun = begin(_start(fill_target), Origin.DRAFT, prepared_by="Jo", target=fill_target)
    assert begun.session.ret.prepared_by == "Jo"


def test_a_resumed_draft_gets_every_led_action_and_kpi(fill_target: SaveTarget) -> None:
    # Only plain mode filled in what a part-saved draft lacked; the partner app showed the gap.
    draft = Return(plan=PLAN.id, period=str(Q3), partner="BSWA", entries=[entry("3l")])
    _draft(fill_target, draft)
    begun = begin(_start(fill_target), Origin.DRAFT, prepared_by="Jo", target=fill_target)
    ret = begun.session.ret
    assert [e.ref for e in ret.entries] == ["3l", "3h"]
    assert ret.entry("3l") == entry("3l")  # what was there is unchanged
    assert [k.id for k in ret.kpis] == ["K1", "K2", "K3"]


def test_a_restarted_signed_return_is_normalised_too(fill_target: SaveTarget) -> None:
    _signed(fill_target)  # signed without KPI figures
    begun = begin(_start(fill_target), Origin.SIGNED, prepared_by="Jo", target=fill_target)
    assert [k.id for k in begun.session.ret.kpis] == ["K1", "K2", "K3"]


def test_starting_fresh_sets_the_draft_aside(fill_target: SaveTarget) -> None:
    _draft(fill_target, Return(plan=PLAN.id, period=str(Q3), partner="BSWA"))
    start = _start(fill_target)
    assert start.origins() == [Origin.DRAFT, Origin.BLANK]
    assert start.fresh() is Origin.BLANK
    begun = begin(start, start.fresh(), prepared_by="Jo", target=fill_target)
    assert begun.set_aside is not None and begun.set_aside.is_dir()
    assert fill_target.store.latest(draft_key(PLAN, "BSWA", Q3)) is None


def test_carried_forward_from_last_period(fill_target: SaveTarget) -> None:
    last = Return(
        plan=PLAN.id,
        period=str(Q3.previous()),
        partner="BSWA",
        prepared_by="Sam",
        entries=[entry("3h", target=date(2019, 3, 31)), entry("3l")],
    )
    now = datetime(2018, 10, 10, tzinfo=UTC)
    submit_return(last, PLAN, own_key("BSWA"), fill_target.out_dir, now=now)
    start = _start(fill_target)
    assert start.origins() == [Origin.CARRIED, Origin.BLANK]
    session = begin(start, Origin.CARRIED, prepared_by="Jo", target=fill_target).session
    assert session.entry("3h").target == date(2019, 3, 31)
    assert session.entry("3h").action_taken == ""
    assert session.previous is not None and session.previous.period == str(Q3.previous())


def test_a_plan_file_is_remembered_by_full_path_in_both_front_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The partner app used to remember a relative plan path, lost from any other folder.
    monkeypatch.chdir(tmp_path)
    assert plan_to_remember("daps-2018-2023") == "daps-2018-2023"
    assert plan_to_remember("plans/ours.toml") == str(tmp_path / "plans" / "ours.toml")


def test_partners_are_found_the_same_way_in_both_front_ends() -> None:
    assert [p.code for p in find_partners(PLAN, "bswa")] == ["BSWA"]
    assert [p.code for p in find_partners(PLAN, "women's aid")] == ["BSWA"]
    assert len(find_partners(PLAN, "")) == len(PLAN.partners)
    assert find_partners(PLAN, "zzzz") == []
