"""Fixtures shared by the report tests: the builders' scenario with a review ledger (a query
with an overall comment and a comment on 3h), loaded, and its 2018/19 Q3 report."""

from __future__ import annotations

import hashlib

import pytest

from builders import REPORT_AT, TODAY, Scenario, build_scenario, sample_plan
from dapreturn.core.collection.ledger import load_ledger, save_ledger
from dapreturn.core.collection.load import Collection, load_collection
from dapreturn.core.periods import Period
from dapreturn.core.report import Report, build_report
from dapreturn.core.signing.trust import load_trust


@pytest.fixture(scope="module")
def report_scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The scenario folder, with the officer's query on VAWC-SG's late return."""
    s = build_scenario(tmp_path_factory.mktemp("report"))
    ledger = load_ledger(s.folder)
    late = s.files["vawc_q3_late"]
    sha = hashlib.sha256(late.read_bytes()).hexdigest()
    ledger.decide(
        sha,
        late.name,
        "query_raised",
        officer="Officer",
        comment="Please say why this return was late.",
        now=REPORT_AT,
    )
    ledger.comment(sha, late.name, "Which partners run the hub work?", ref="3h")
    save_ledger(ledger)
    return s


@pytest.fixture(scope="module")
def report_collection(report_scenario: Scenario) -> Collection:
    """The scenario loaded against its trust list and the sample plan."""
    trust = load_trust(report_scenario.trust_path)
    plan = sample_plan()
    return load_collection(report_scenario.folder, trust, plans={plan.id: plan}, today=TODAY)


@pytest.fixture(scope="module")
def report(report_collection: Collection, report_scenario: Scenario) -> Report:
    """The 2018/19 Q3 report of the scenario, with the ledger."""
    ledger = load_ledger(report_scenario.folder)
    return build_report(
        report_collection, sample_plan(), Period(2018, 3), ledger=ledger, generated_at=REPORT_AT
    )
