"""The fill session both front ends drive (core.filling.session, kpis, review)."""

from __future__ import annotations

from datetime import date

import pytest

from builders import entry, sample_plan
from dapreturn.core.filling.review import all_problems
from dapreturn.core.filling.session import FillSession, SaveTarget
from dapreturn.core.filling.start import blank_return
from dapreturn.core.filling.state import Change, EntryState
from dapreturn.core.periods import Period
from dapreturn.core.returns.model import Return

PLAN = sample_plan()
Q3 = Period(2018, 3)
TODAY = date(2019, 1, 15)


@pytest.fixture
def session(fill_target: SaveTarget) -> FillSession:
    """A blank BSWA return for 2018/19 Q3 (entries 3h and 3l, KPIs K1-K3)."""
    return FillSession(PLAN, blank_return(PLAN, "BSWA", Q3, "Jo"), target=fill_target, today=TODAY)


def test_setting_a_field_says_what_happened(session: FillSession) -> None:
    assert session.set_field("3l", "status", "on_track") is Change.CHANGED
    assert session.set_field("3l", "status", "on_track") is Change.UNCHANGED
    refused = session.set_field("3l", "risks", "pasted \x07 bell")
    assert refused is Change.REFUSED and not refused.changed
    assert session.entry("3l").risks == ""  # the return is as it was
    assert "control" in (session.input_error("3l", "risks") or "")
    assert [p.field for p in session.problems("3l", "risks")] == ["risks"]


def test_unreadable_typed_text_is_a_problem_at_its_field(session: FillSession) -> None:
    # what the form's date box could not read is kept as a problem, not put in the return
    session.set_input_error("3l", "target", "'31/02/2019': February 2019 has 28 days, not 31")
    assert "February 2019 has 28 days" in session.problems("3l", "target")[0].message
    assert session.state("3l") is EntryState.IN_PROGRESS  # not shown as an error until left
    session.touch("3l", "target")
    assert session.state("3l") is EntryState.ERRORS
    session.set_input_error("3l", "target", None)
    assert session.problems("3l", "target") == []


def test_adding_an_action_carries_last_period_and_picks_the_role(
    fill_target: SaveTarget,
) -> None:
    previous = Return(
        plan=PLAN.id,
        period=str(Q3.previous()),
        partner="BSWA",
        entries=[entry("4a", role="contributor", target=date(2019, 6, 30))],
    )
    session = FillSession(
        PLAN,
        blank_return(PLAN, "BSWA", Q3, "Jo"),
        target=fill_target,
        previous=previous,
        today=TODAY,
    )
    added = session.add_action("4a")
    assert (added.role, added.target, added.action_taken) == ("contributor", date(2019, 6, 30), "")
    session.remove_entry("3h")
    assert session.add_action("3h").role == "lead"  # BSWA leads 3h
    assert session.add_action("3h") is session.entry("3h")  # not added twice
    with pytest.raises(KeyError):
        session.add_action("9z")


def test_save_writes_a_draft_only_when_it_changed(session: FillSession) -> None:
    first = session.save()
    assert first is not None
    assert session.save() is None
    session.set_field("3l", "status", "on_track")
    assert session.save() is not None
    assert len(session.target.store.generations(session.key)) == 2


def test_kpi_figures_are_typed_text(session: FillSession) -> None:
    sheet = session.kpis
    assert sheet.set_text("K1", "1,234") is Change.CHANGED
    assert sheet.figure("K1").value == 1234
    assert sheet.set_text("K2", "lots") is Change.REFUSED
    assert sheet.problems("K2")[0].message.startswith("'lots' is not a number")
    assert sheet.set_text("K2", "150%") is Change.CHANGED
    assert sheet.problems("K2")[0].message == "150 is not a percentage (0-100)"
    assert sheet.summary() == "2 of 3 given"


def test_all_problems_in_form_order(session: FillSession) -> None:
    session.set_prepared_by("")
    session.kpis.set_text("K1", "2.5")
    places = [(p.ref, p.field) for p in all_problems(session)]
    assert places[0] == (None, "prepared_by")
    assert places.index(("3h", "status")) < places.index(("3l", "status"))
    assert places[-1] == (None, "kpis.K1")


def test_prepared_by_refuses_two_lines(session: FillSession) -> None:
    assert session.set_prepared_by("Jo\nBloggs") is not None
    assert session.ret.prepared_by == "Jo"
    assert session.set_prepared_by("Amina Khan, Service Manager") is None


def test_an_untouched_action_stays_empty_and_every_cross_has_a_message(
    session: FillSession,
) -> None:
    for field in ("status", "started", "target", "responsible", "action_taken", "risks"):
        session.touch("3l", field)  # tabbing through an untouched action ...
    assert session.state("3l") is EntryState.EMPTY  # ... keeps it ○
    assert session.visible_problems("3l") == []  # and says nothing yet
    session.set_field("3l", "status", "at_risk")
    session.touch("3l", "status")
    # at risk needs Risks, not yet left: no ✗ without a message the lead can see
    assert "risks" in [p.field for p in session.problems("3l")]
    assert session.state("3l") is EntryState.IN_PROGRESS
    session.touch("3l", "risks")  # left empty in an action being filled in: now it shows
    assert "risks" in [p.field for p in session.visible_problems("3l")]
    assert session.state("3l") is EntryState.ERRORS
    session.show_all = True  # review shows every problem
    assert session.visible_problems("3l") == session.problems("3l")
