"""The consolidated report: the model's figures, and each renderer (md, html, csv, xlsx)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from builders import TODAY, TRUSTED, CollectionBuilder, Scenario, build_scenario, entry, sample_plan
from dapreturn.core.collection import Collection, load_collection
from dapreturn.core.ledger import load_ledger
from dapreturn.core.periods import Period
from dapreturn.core.report import FORMATS, Report, build_report, render
from dapreturn.core.report.csv import COLUMNS, render_csv
from dapreturn.core.report.html import render_html
from dapreturn.core.report.markdown import esc, render_markdown
from dapreturn.core.report.xlsx import render_xlsx
from dapreturn.core.trust import load_trust

PLAN = sample_plan()
Q3 = Period(2018, 3)
AT = datetime(2019, 3, 1, 12, 0, tzinfo=UTC)
HOSTILE = (
    '<script>alert(1)</script> <img src="http://evil.example/x.png"> '
    "[click](https://evil.example) ![i](//evil.example/i.png) &copy; | pipe"
)
EXTERNAL = re.compile(
    r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)""", re.I
)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    s = build_scenario(tmp_path_factory.mktemp("report"))
    ledger = load_ledger(s.folder)
    data = s.files["vawc_q3_late"].read_bytes()
    import hashlib

    ledger.decide(
        hashlib.sha256(data).hexdigest(),
        s.files["vawc_q3_late"].name,
        "query_raised",
        officer="Officer",
        now=AT,
    )
    from dapreturn.core.ledger import save_ledger

    save_ledger(ledger)
    return s


@pytest.fixture(scope="module")
def coll(scenario: Scenario) -> Collection:
    trust = load_trust(scenario.trust_path)
    return load_collection(scenario.folder, trust, plans={PLAN.id: PLAN}, today=TODAY)


@pytest.fixture(scope="module")
def report(coll: Collection, scenario: Scenario) -> Report:
    return build_report(coll, PLAN, Q3, ledger=load_ledger(scenario.folder), generated_at=AT)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Report:
    b = CollectionBuilder(tmp_path_factory.mktemp("hostile"))
    entries = [
        entry(
            "3h",
            action_taken=HOSTILE,
            next_steps='=HYPERLINK("http://x")',
            risks="-2+3",
            responsible=["@admin", "# heading"],
        ),
        entry("3l", action_taken="- bullet\n1. numbered\n> quote\n    code"),
    ]
    b.write(b.make_return("BSWA", "2018/19 Q3", entries, kpis={"K1": 7, "K2": 12.5}))
    coll = load_collection(b.folder, b.trust(TRUSTED), plans={PLAN.id: PLAN}, today=TODAY)
    return build_report(coll, PLAN, Q3, generated_at=AT)


def test_model_figures(report: Report) -> None:
    assert report.title == "Progress updates reported for 2018/19 Q3"
    assert (report.as_of, report.deadline) == (date(2018, 12, 31), date(2019, 1, 30))
    assert [s.id for s in report.sections] == ["1", "3", "4"]
    assert report.sections[1].counts == {"G On track": 2, "A Some delay / at risk": 1}
    assert report.sections[2].counts == {"No report": 3}
    assert report.status_labels[-1] == "No report"
    h3 = report.sections[1].actions[1]
    assert (h3.ref, h3.headline) == ("3h", "A Some delay / at risk")
    assert [(u.partner, u.status) for u in h3.updates] == [
        ("VAWC-SG", "A Some delay / at risk"),
        ("BSWA", "G On track"),
    ], "updates follow the plan's lead order"
    assert h3.leads[0] == "VAWC-SG (Violence Against Women and Children Steering Group)"
    l3 = report.sections[1].actions[2]
    assert l3.updates[0].file == "usb/test-daps_2018-19-Q3_BSWA_r2.toml"
    assert l3.updates[0].flags == [
        'possible personal data — 3l.action_taken: possible name after a title "Mrs Jane Smith"'
    ]
    a1 = report.sections[0].actions[0]
    assert a1.updates[1].flags == ["1a.action_taken: say what was done this period"]
    assert [(r.partner, r.revision, r.late, r.review) for r in report.received] == [
        ("BSWA", 2, False, ""),
        ("BCC-COMM", 1, False, ""),
        ("VAWC-SG", 1, True, "query raised"),
    ]
    assert [(n.partner, n.actions) for n in report.not_returned] == [
        ("WMP", ["4a"]),
        ("BCT", ["4b"]),
    ]
    assert "BAD SIGNATURE" in report.not_returned[1].note
    assert [(o.ref, o.days) for o in report.overdue] == [("1b", 0), ("3d", 31), ("4a", 92)]
    assert report.overdue[2].statuses == "WMP: A Some delay / at risk"
    assert report.kpi_periods == ["2018/19 Q1", "2018/19 Q2", "2018/19 Q3", "2018/19 Q4"]
    k1 = report.kpis[0]
    assert (k1.id, k1.baseline, k1.totals, k1.verdict) == ("K1", 100, [30, 110, 105, None], "meets")
    assert report.kpis[1].totals == [None] * 4 and report.kpis[1].values[2] == {"BSWA": 35}
    assert {(n.file, n.state) for n in report.not_counted} == {
        ("test-daps_2018-19-Q3_BSWA_r1.toml", "superseded"),
        ("test-daps_2018-19-Q3_DWP_r1.toml", "unknown key"),
        ("usb/test-daps_2018-19-Q3_BCT_r1.toml", "bad signature"),
    }
    assert [(f.partner, f.field, f.kind) for f in report.safeguarding] == [
        ("BSWA", "3l.action_taken", "name after a title")
    ]
    assert report.summary() == (
        "test-daps 2018/19 Q3: 3 returns counted, 2 lead partners not returned, "
        "3 actions overdue, 3 files not counted"
    )


def test_kpi_quarters_after_the_period_are_blank(coll: Collection) -> None:
    q2 = build_report(coll, PLAN, Period(2018, 2), generated_at=AT)
    assert q2.kpis[0].totals == [30, 110, None, None]
    assert q2.kpis[0].values[2] == {}, "Q3 figures exist but a Q2 report does not show them"


def test_markdown(report: Report, hostile: Report) -> None:
    md = render_markdown(report)
    for text in (
        "# Progress updates reported for 2018/19 Q3",
        "#### 3l — Ask Me scheme",
        "**BSWA** — Birmingham and Solihull Women's Aid (lead)",
        "G On track",
        "| WMP | West Midlands Police | 4a |",
        "| 3d | DA hub |",
        "| 31 |",
        "110 (BCC-COMM 50, BSWA 40, WMP 20)",
        "n/a (BSWA 35)",
        "LATE",
        "query raised",
        "unknown key",
        "BAD SIGNATURE",
        "Mrs Jane Smith",
        "⚠ **Safeguarding:**",
        "*No progress update reported.*",
        "Helpline contract ends in March.",
    ):
        assert text in md, text
    hmd = render_markdown(hostile)
    assert "<script" not in hmd and "<img" not in hmd and "](" not in hmd.replace("\\](", "")
    assert "&lt;script>" in hmd and "\\[click\\]" in hmd and "&amp;copy;" in hmd and "\\|" in hmd
    assert "\\- bullet  \n1\\. numbered  \n\\> quote  \ncode" in hmd
    assert esc("title\x1b[2J \u202ex") == "title\\x1b\\[2J \\u202ex"


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def test_html_is_self_contained_and_escaped(report: Report, hostile: Report) -> None:
    for r in (report, hostile):
        page = render_html(r)
        assert not EXTERNAL.search(page)
        assert "http://" not in page.replace("http://evil.example", "") or r is hostile
        checker = _Checker()
        checker.feed(page)
        assert not {"script", "img", "link", "iframe", "object", "embed", "form"} & set(
            checker.tags
        )
        hrefs = [v for k, v in checker.attrs if k == "href"]
        assert hrefs and all(v and v.startswith("#") for v in hrefs)
        assert not [k for k, _ in checker.attrs if k in ("src", "srcset", "action")]
        assert "@media print" in page and "break-inside:avoid" in page
        assert "Content-Security-Policy" in page and "default-src 'none'" in page
    page = render_html(report)
    for text in (
        "Progress updates reported for 2018/19 Q3",
        "3l — Ask Me scheme",
        "WMP",
        "West Midlands Police",
        "110 (BCC-COMM 50, BSWA 40, WMP 20)",
        "n/a (BSWA 35)",
        "LATE",
        "BAD SIGNATURE",
        "Mrs Jane Smith",
        "Birmingham and Solihull Women&#x27;s Aid",
        '<span class="status s-A">A Some delay / at risk</span>',
    ):
        assert text in page, text
    hp = render_html(hostile)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hp
    assert "&lt;img src=&quot;http://evil.example/x.png&quot;&gt;" in hp


def test_csv(report: Report, hostile: Report) -> None:
    text = render_csv(report)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == COLUMNS
    progress = [r for r in rows if r["part"] == "progress"]
    assert len(progress) == 7 + 3, "seven updates, three actions with no report"
    h3 = [(r["partner"], r["status"]) for r in progress if r["ref"] == "3h"]
    assert h3 == [("VAWC-SG", "A Some delay / at risk"), ("BSWA", "G On track")]
    assert {r["ref"] for r in progress if r["status"] == "No report"} == {"4a", "4b", "4c"}
    l3 = next(r for r in progress if r["ref"] == "3l")
    assert (l3["target"], l3["due"], l3["file"]) == (
        "2019-06-30",
        "2021-03-31",
        "usb/test-daps_2018-19-Q3_BSWA_r2.toml",
    )
    parts = {r["part"] for r in rows}
    assert parts == {
        "progress",
        "received",
        "not_returned",
        "overdue",
        "kpi",
        "safeguarding",
        "not_counted",
    }
    assert [r["partner"] for r in rows if r["part"] == "not_returned"] == ["WMP", "BCT"]
    assert [r["ref"] for r in rows if r["part"] == "overdue"] == ["1b", "3d", "4a"]
    totals = {
        (r["ref"], r["period"]): r["value"]
        for r in rows
        if r["part"] == "kpi" and r["partner"] == "TOTAL"
    }
    assert totals == {
        ("K1", "2018/19 Q1"): "30",
        ("K1", "2018/19 Q2"): "110",
        ("K1", "2018/19 Q3"): "105",
        ("K3", "2018/19 Q2"): "20000",
        ("K3", "2018/19 Q3"): "30000",
    }
    assert any(r["partner"] == "BASELINE" and r["value"] == "100" for r in rows)
    assert len([r for r in rows if r["part"] == "not_counted"]) == 3
    late = next(r for r in rows if r["part"] == "received" and r["partner"] == "VAWC-SG")
    assert "LATE" in late["detail"] and late["status"] == "query raised"
    hrows = list(csv.DictReader(io.StringIO(render_csv(hostile), newline="")))
    h = next(r for r in hrows if r["ref"] == "3h")
    assert h["next_steps"] == '\'=HYPERLINK("http://x")' and h["risks"] == "'-2+3"
    assert h["responsible"] == "'@admin; # heading" and h["action_taken"] == HOSTILE
    assert {r["value"] for r in hrows if r["part"] == "kpi" and r["partner"] == "BSWA"} == {
        "7",
        "12.5",
    }


def test_xlsx(report: Report, hostile: Report, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(render_xlsx(report))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Summary",
        "Progress",
        "Received",
        "Not returned",
        "Overdue",
        "KPIs",
        "Safeguarding",
        "Not counted",
    ]
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "A2" and ws["A1"].font.b, name
        assert ws.column_dimensions["A"].width >= 8
    progress = wb["Progress"]
    head = [c.value for c in progress[1]]
    assert head[:4] == ["Section", "Ref", "Action", "Partner"]
    assert progress.max_row == 1 + 10
    row = next(r for r in progress.iter_rows(min_row=2, values_only=True) if r[1] == "3l")
    assert row[3] == "BSWA" and row[8] == datetime(2019, 6, 30)
    nr = [r[0] for r in wb["Not returned"].iter_rows(min_row=2, values_only=True)]
    assert nr == ["WMP", "BCT"]
    od = list(wb["Overdue"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[7]) for r in od] == [("1b", 0), ("3d", 31), ("4a", 92)]
    kpis = list(wb["KPIs"].iter_rows(min_row=2, values_only=True))
    assert kpis[0][:10] == (
        "K1",
        "Number of referrals for early help",
        "count",
        "increase",
        "TOTAL",
        100,
        30,
        110,
        105,
        None,
    )
    assert (kpis[4][0], kpis[4][4]) == ("K2", "n/a")
    nc = {r[0]: r[1] for r in wb["Not counted"].iter_rows(min_row=2, values_only=True)}
    assert nc["usb/test-daps_2018-19-Q3_BCT_r1.toml"] == "bad signature"
    received = list(wb["Received"].iter_rows(min_row=2, values_only=True))
    assert received[2][5] == "LATE" and received[2][6] == "query raised"
    hpath = tmp_path / "h.xlsx"
    hpath.write_bytes(render_xlsx(hostile))
    hws = openpyxl.load_workbook(hpath)["Progress"]
    cell = next(r for r in hws.iter_rows(min_row=2) if r[1].value == "3h")[13]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_render_dispatch(report: Report) -> None:
    assert FORMATS == ("md", "html", "csv", "xlsx")
    assert render(report, "md").decode("utf-8") == render_markdown(report)
    assert render(report, "html").startswith(b"<!DOCTYPE html>")
    assert render(report, "csv").startswith(b"part,section,ref")
    assert render(report, "xlsx")[:2] == b"PK"


def test_empty_collection_report(tmp_path: Path) -> None:
    coll = load_collection(tmp_path, None, plans={PLAN.id: PLAN}, today=TODAY)
    r = build_report(coll, PLAN, Q3, generated_at=AT)
    assert r.received == [] and len(r.not_returned) == 5 and r.not_counted == []
    for fmt in FORMATS:
        assert render(r, fmt)
    assert "Every file counted." in render_markdown(r)
    assert r.trust_source == "(none)"
