"""``dapreturn chase``: who to chase, and .eml files that an e-mail parser reads back right."""

from __future__ import annotations

import argparse
import email
import hashlib
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from builders import REPORT_AT, TEST_PLAN_TOML, Scenario, build_scenario
from dapreturn.cli import chase_cmd
from dapreturn.core.collection.ledger import load_ledger, save_ledger
from dapreturn.core.errors import PlanError
from dapreturn.core.plan.model import parse_plan

WITH_CONTACT = TEST_PLAN_TOML.replace(
    'code = "WMP"\nname = "West Midlands Police"\n',
    'code = "WMP"\nname = "West Midlands Police"\ncontact_name = "Sam Lee"\n'
    'contact_email = "sam.lee@police.example"\n',
)


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dapreturn")
    chase_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["chase", *argv])
    return int(args.handler(args))


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    s = build_scenario(tmp_path / "returns")
    ledger = load_ledger(s.folder)
    late = s.files["vawc_q3_late"]
    sha = hashlib.sha256(late.read_bytes()).hexdigest()
    ledger.decide(
        sha,
        late.name,
        "query_raised",
        officer="Pat Officer",
        comment="Please say why this return was late.",
        now=REPORT_AT,
    )
    ledger.comment(sha, late.name, "Which partners run the hub work?", ref="3h")
    save_ledger(ledger)
    return s


def read(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_plan_partners_may_carry_a_contact() -> None:
    plan = parse_plan(WITH_CONTACT, source="test plan")
    wmp = next(p for p in plan.partners if p.code == "WMP")
    assert (wmp.contact_name, wmp.contact_email) == ("Sam Lee", "sam.lee@police.example")
    assert next(p for p in plan.partners if p.code == "BCT").contact_email == ""


def test_chase_writes_one_email_per_partner(
    scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(WITH_CONTACT, encoding="utf-8")
    out = tmp_path / "out"
    argv = [
        str(scenario.folder),
        "--period",
        "2018/19 Q3",
        "--plan",
        str(plan),
        "--out",
        str(out),
        "--from",
        "Officer <officer@council.example>",
    ]
    assert run(argv) == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listing] == ["WMP", "BCT", "VAWC-SG"]
    assert "to Sam Lee <sam.lee@police.example>" in listing[0]
    assert "no e-mail address in the plan's partner registry" in listing[1]
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "chase-2018-19-Q3-BCT-not-returned.eml",
        "chase-2018-19-Q3-VAWC-SG-open-query.eml",
        "chase-2018-19-Q3-WMP-not-returned.eml",
    ]
    wmp = read(out / "chase-2018-19-Q3-WMP-not-returned.eml")
    assert wmp["To"].addresses[0].addr_spec == "sam.lee@police.example"
    assert wmp["To"].addresses[0].display_name == "Sam Lee"
    assert wmp["From"].addresses[0].addr_spec == "officer@council.example"
    assert wmp["Subject"] == "test-daps 2018/19 Q3: your progress return has not reached us"
    assert wmp["X-Unsent"] == "1", "Outlook opens it as a draft to send"
    assert wmp.get_content_type() == "text/plain"
    text = wmp.get_content()
    assert text.startswith("Dear Sam Lee,")
    assert "West Midlands Police leads these actions: 4a." in text
    assert "Returns were due by 30 Jan 2019." in text
    bct = read(out / "chase-2018-19-Q3-BCT-not-returned.eml")
    assert bct["To"] is None and "BAD SIGNATURE" in bct.get_content()
    query = read(out / "chase-2018-19-Q3-VAWC-SG-open-query.eml")
    assert query["Subject"] == "test-daps 2018/19 Q3: a query on your progress return"
    body = query.get_content()
    assert "Pat Officer has raised a query on it:" in body
    assert "  Please say why this return was late." in body
    assert "  On 3h: Which partners run the hub work?" in body


def test_chase_refuses_to_write_into_the_returns_folder(scenario: Scenario, tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(WITH_CONTACT, encoding="utf-8")
    argv = [
        str(scenario.folder),
        "--period",
        "2018/19 Q3",
        "--plan",
        str(plan),
        "--out",
        str(scenario.folder),
    ]
    with pytest.raises(chase_cmd.ReportError, match="other than the returns folder"):
        run(argv)


def test_a_bad_contact_address_is_refused_with_the_field() -> None:
    bad = WITH_CONTACT.replace("sam.lee@police.example", "Sam <sam@x>, all@x")
    with pytest.raises(PlanError, match="contact_email"):
        parse_plan(bad, source="test plan")


def test_a_contact_name_on_two_lines_is_refused() -> None:
    bad = WITH_CONTACT.replace('contact_name = "Sam Lee"', 'contact_name = "Sam\\nBcc: all@x"')
    with pytest.raises(PlanError, match="contact_name"):
        parse_plan(bad, source="test plan")
