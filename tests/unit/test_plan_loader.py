"""Plan files: loading, lookups, and a one-line reason naming the place for every wrong plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from dapreturn.core.errors import PlanError
from dapreturn.core.plan.model import bundled_plan, bundled_plan_ids, load_plan, parse_plan

MINI = Path(__file__).parent.parent / "data" / "mini-plan.toml"


def test_mini_plan_loads_and_lookups_work() -> None:
    plan = load_plan(MINI)
    assert plan.id == "mini"
    assert plan.action("3L") is not None and plan.action("3L").ref == "3l"  # type: ignore[union-attr]
    assert [a.ref for a in plan.actions_led_by("BSWA")] == ["3l", "3h"]
    assert plan.partner_name("BSWA").startswith("Birmingham and Solihull")
    assert plan.partner_name("NOPE") == "NOPE"
    assert plan.status("complete").done  # type: ignore[union-attr]


def test_every_bundled_plan_loads() -> None:
    ids = bundled_plan_ids()
    assert {"daps-2018-2023", "scrutiny-2015", "initial-2017"} <= set(ids)
    for plan_id in ids:
        assert bundled_plan(plan_id).id == plan_id


BROKEN = [
    ("bad TOML", lambda t: t + "\n[[actions]\n", "not valid TOML"),
    (
        "unknown key",
        lambda t: t.replace('title = "DA hub"', 'title = "DA hub"\ncolour = "x"'),
        'actions[0] (ref "3d").colour: unknown key',
    ),
    ("duplicate ref", lambda t: t.replace('ref = "3h"', 'ref = "3D"'), "duplicate '3d'"),
    (
        "lead not registered",
        lambda t: t.replace('leads = ["BCC-COMM"]', 'leads = ["XYZ"]'),
        "partner 'XYZ' is not in the partner registry",
    ),
    (
        "KPI in unknown section",
        lambda t: t.replace('id = "K2"\nsection = "3"', 'id = "K2"\nsection = "9"'),
        "kpis[1] (id \"K2\"): section '9' is not one of the plan's sections",
    ),
    (
        "bad partner code",
        lambda t: t.replace('code = "BSWA"', 'code = "bswa aid"'),
        "'bswa aid' is not a partner code",
    ),
    (
        "action in unknown section",
        lambda t: t.replace('title = "Helpline"', 'title = "Helpline"').replace(
            'ref = "3h"\nsection = "3"', 'ref = "3h"\nsection = "7"'
        ),
        "section '7' is not one of",
    ),
    (
        "end before start",
        lambda t: t.replace("end = 2020-03-31", "end = 2017-03-31"),
        "is not after start",
    ),
    (
        "no done status",
        lambda t: t.replace("done = true", "done = false"),
        "no status has done = true",
    ),
    (
        "missing title",
        lambda t: t.replace('title = "Mini plan for tests"\n', ""),
        "title: required key is missing",
    ),
    ("wrong schema", lambda t: t.replace('"dapreturn/plan/v1"', '"other/v9"'), "schema:"),
]


@pytest.mark.parametrize(("name", "mutate", "fragment"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_plans_are_rejected_with_the_place(name: str, mutate, fragment: str) -> None:  # type: ignore[no-untyped-def]
    text = mutate(MINI.read_text(encoding="utf-8"))
    with pytest.raises(PlanError) as info:
        parse_plan(text, source="broken.toml")
    message = str(info.value)
    assert message.startswith("broken.toml: ")
    assert fragment in message
    assert "\n" not in message


def test_missing_file_and_unknown_bundled_id(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="cannot read"):
        load_plan(tmp_path / "nope.toml")
    with pytest.raises(PlanError, match="no bundled plan 'nope'"):
        bundled_plan("nope")


def test_non_utf8_plan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINI.read_bytes().replace(b"Women's", b"Wom\xe9n's"))
    with pytest.raises(PlanError, match="not UTF-8"):
        load_plan(path)
