"""Starting a return: blank, carried forward from last period, revisions, entry states."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core.filling import (
    EntryState,
    blank_return,
    carry_forward,
    default_period,
    entry_state,
    latest_signed,
    next_revision,
)
from dapreturn.core.filling.submit import submit_return
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan, load_plan
from dapreturn.core.returns.model import Entry
from dapreturn.core.returns.rules import Problem
from dapreturn.core.signing.keys import load_private_key, new_key


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(Path(__file__).parent.parent / "data" / "mini-plan.toml")


def test_blank_return_has_a_lead_entry_per_led_action_and_every_kpi(plan: Plan) -> None:
    ret = blank_return(plan, "BSWA", Period(2018, 3), "Jo")
    assert [(e.ref, e.role, e.status) for e in ret.entries] == [
        ("3l", "lead", ""),
        ("3h", "lead", ""),
    ]
    assert [k.id for k in ret.kpis] == ["K1", "K2"]


def test_default_period_is_the_quarter_just_ended_within_the_plan(plan: Plan) -> None:
    assert default_period(plan, today=date(2018, 11, 14)) == Period(2018, 2)
    assert default_period(plan, today=date(2026, 11, 23)) == Period(2019, 4)
    assert default_period(plan, today=date(2010, 1, 1)) == Period(2018, 1)


def test_carry_forward_keeps_status_dates_people_but_not_narrative(
    plan: Plan, tmp_path: Path
) -> None:
    prev = blank_return(plan, "BSWA", Period(2018, 2), "Jo")
    prev.entries[0] = Entry(
        ref="3l",
        status="on_track",
        started=date(2018, 4, 1),
        target=date(2020, 3, 31),
        responsible=["Sam, Lead"],
        action_taken="Old text",
        next_steps="Old next",
        risks="Old risk",
    )
    prev.entries[1] = Entry(ref="3h", status="not_started")
    prev.entries.append(Entry(ref="3d", role="contributor", status="on_track", action_taken="x"))
    other = Ed25519PrivateKey.generate()  # not this computer's key: never a starting point
    submit_return(prev, plan, other, tmp_path, now=datetime(2018, 10, 5, tzinfo=UTC))
    assert latest_signed(tmp_path, "mini", "BSWA", Period(2018, 2)) is None
    info = new_key("BSWA")
    key = load_private_key(info.private_path, None)
    submit_return(prev, plan, key, tmp_path, now=datetime(2018, 10, 6, tzinfo=UTC))
    found = latest_signed(tmp_path, "mini", "BSWA", Period(2018, 2))
    assert found is not None and found.revision == 2
    new = carry_forward(found.ret, plan, Period(2018, 3), "Jo")
    e = new.entry("3l")
    assert e is not None
    assert (e.status, e.started, e.target, e.responsible) == (
        "on_track",
        date(2018, 4, 1),
        date(2020, 3, 31),
        ["Sam, Lead"],
    )
    assert (e.action_taken, e.next_steps, e.risks) == ("", "", "")
    assert new.entry("3d") is not None and new.entry("3d").role == "contributor"  # type: ignore[union-attr]
    assert new.period == "2018/19 Q3"


def test_next_revision_counts_files_and_ignores_other_partners(tmp_path: Path) -> None:
    assert next_revision(tmp_path / "missing", "mini", "BSWA", Period(2018, 3)) == 1
    for name in (
        "mini_2018-19-Q3_BSWA_r1.toml",
        "mini_2018-19-Q3_BSWA_r4.toml",
        "mini_2018-19-Q3_BCC-COMM_r9.toml",
        "notes.toml",
    ):
        (tmp_path / name).write_text("x")
    assert next_revision(tmp_path, "mini", "BSWA", Period(2018, 3)) == 5
    assert latest_signed(tmp_path, "mini", "BSWA", Period(2018, 3)) is None  # unreadable: skipped


def test_entry_states() -> None:
    problem = [Problem("3l", "status", "choose a status")]
    assert entry_state(Entry(ref="3l"), []) is EntryState.EMPTY
    assert entry_state(Entry(ref="3l", action_taken="x"), problem) is EntryState.ERRORS
    assert (
        entry_state(Entry(ref="3l", action_taken="x"), problem, touched=False)
        is EntryState.IN_PROGRESS
    )
    assert (
        entry_state(Entry(ref="3l", status="on_track", action_taken="x"), []) is EntryState.COMPLETE
    )
    assert len({s.marker for s in EntryState}) == 4
