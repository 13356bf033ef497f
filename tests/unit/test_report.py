"""The consolidated report: the model's figures, and each renderer (md, html, csv, xlsx)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest

from builders import REPORT_AT, TODAY, TRUSTED, CollectionBuilder, entry, sample_plan
from dapreturn.core.collection.load import Collection, load_collection
from dapreturn.core.periods import Period
from dapreturn.core.report import FORMATS, Format, Report, build_report, render
from dapreturn.core.report.markdown import esc

PLAN = sample_plan()
Q3 = Period(2018, 3)
AT = REPORT_AT
HOSTILE = (
    '<script>alert(1)</script> <img src="http://evil.example/x.png"> '
    "[click](https://evil.example) ![i](//evil.example/i.png) &copy; | pipe"
)
EXTERNAL = re.compile(
    r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)""", re.I
)


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
    assert {str(m): n for m, n in report.sections[1].counts.items()} == {
        "G On track": 2,
        "A Some delay / at risk": 1,
    }
    assert {str(m): n for m, n in report.sections[2].counts.items()} == {"No report": 3}
    assert str(report.status_labels[-1]) == "No report"
    h3 = report.sections[1].actions[1]
    assert (h3.ref, str(h3.headline)) == ("3h", "A Some delay / at risk")
    assert [(u.partner, str(u.status)) for u in h3.updates] == [
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
    assert [(p, str(m)) for p, m in report.overdue[2].statuses] == [
        ("WMP", "A Some delay / at risk")
    ]
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


def test_kpi_quarters_after_the_period_are_blank(report_collection: Collection) -> None:
    q2 = build_report(report_collection, PLAN, Period(2018, 2), generated_at=AT)
    assert q2.kpis[0].totals == [30, 110, None, None]
    assert q2.kpis[0].values[2] == {}, "Q3 figures exist but a Q2 report does not show them"
    assert q2.not_counted == [], "the Q3 files that do not count are not Q2's business"
    assert q2.summary() == (
        "test-daps 2018/19 Q2: 5 returns counted, 0 lead partners not returned, "
        "1 action overdue, 0 files not counted"
    ), "one action, not '1 actions'"


def test_officer_comments_in_every_format(report: Report) -> None:
    md = render(report, "md").decode("utf-8")
    h3 = md[md.index("#### 3h") : md.index("#### 3l")]
    assert "*Officer comment:*  \nWhich partners run the hub work?" in h3
    assert (
        "| VAWC-SG | whole return | Please say why this return was late. | query raised | Officer |"
        in md
    )
    assert "| VAWC-SG | 3h | Which partners run the hub work? | query raised | Officer |" in md
    rows = [r for r in csv_rows(report) if r["part"] == "comments"]
    assert [(r["On"], r["By"], r["When"]) for r in rows] == [
        ("whole return", "Officer", "2019-03-01T12:00:00Z"),
        ("3h", "Officer", "2019-03-01T12:00:00Z"),
    ]


def as_text(data: bytes, fmt: str) -> str:
    """Every word a reader of the ``fmt`` file sees, as one text (markup, cells, sheets)."""
    if fmt == "md":
        return data.decode("utf-8").replace("\\", "")
    if fmt == "html":
        parser = _Checker()
        parser.feed(data.decode("utf-8"))
        return " ".join(parser.text)
    if fmt == "docx":
        word = docx.Document(io.BytesIO(data))
        cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        return "\n".join(" | ".join(row) for row in csv.reader(io.StringIO(text, newline="")))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        " | ".join(str(v) for v in row if v is not None)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
    )


FACTS = (
    "Progress updates reported for 2018/19 Q3",
    "3l",
    "Ask Me scheme",
    "Birmingham and Solihull Women's Aid",
    "A Some delay / at risk",
    "G On track",
    "No report",
    "West Midlands Police",
    "DA hub",
    "LATE",
    "query raised",
    "unknown key",
    "BAD SIGNATURE",
    "Mrs Jane Smith",
    "Safeguarding",
    "Helpline contract ends in March.",
    "not added up",
    "usb/test-daps_2018-19-Q3_BSWA_r2.toml",
    "Please say why this return was late.",
    "Which partners run the hub work?",
    "Officer",
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_the_facts(report: Report, fmt: Format) -> None:
    board = as_text(render(report, fmt, only_updated=True), fmt)
    missing = [f for f in FACTS if f not in board]
    assert not missing, f"{fmt} lacks {missing}"
    assert "3 actions with no update this period" in board
    assert "No progress update reported." not in board, "the board pack leaves them out"
    full = as_text(render(report, fmt, only_updated=False), fmt)
    assert "No progress update reported." in full and "nothing: every action is listed" in full


def test_exceptions_come_first(report: Report) -> None:
    md = render(report, "md").decode("utf-8")
    order = [
        "\n## Summary\n",
        "**Returns received:** 3 of 5 expected",
        "**Open queries:** 1",
        "### Not returned",
        "### Overdue actions",
        "### At risk or off track",
        "### Open queries",
        "### KPIs moving the wrong way",
        "### Status by section",
        "\n## Progress updates\n",
        "\n## KPIs\n",
        "\n## Returns received\n",
        "\n## Officer comments and decisions\n",
        "\n## Not counted\n",
    ]
    where = [md.index(text) for text in order]
    assert where == sorted(where), "summary of exceptions first, then the detail"
    attention = md[md.index("### At risk or off track") : md.index("### Open queries")]
    assert "| 3h | " in attention and "| VAWC-SG | A Some delay / at risk |" in attention
    assert "| BSWA | G On track |" not in attention
    assert "The plan's statuses that need attention: A Some delay / at risk." in attention


def test_headline_rule_is_stated_and_others_shown(report: Report) -> None:
    md = render(report, "md").decode("utf-8")
    assert "**Headline status:** An action counts under its lead partner's status" in md
    h3 = md[md.index("#### 3h") :]
    shown = "*Counts as:* A Some delay / at risk · *Other partners' statuses:* BSWA: G On track"
    assert shown in h3, "a partner who disagrees with the headline is not hidden"


def test_markdown(report: Report, hostile: Report) -> None:
    md = render(report, "md").decode("utf-8")
    for text in (
        "# Progress updates reported for 2018/19 Q3",
        "#### 3l — Ask Me scheme",
        "*Partner:* BSWA · *Partner name:* Birmingham and Solihull Women's Aid · *Role:* lead",
        "| WMP | West Midlands Police | 4a |",
        "| 3d | DA hub |",
        "| 31 |",
        "| Number of referrals for early help | count, increase | BCC-COMM |  |  |  | 50 | 60 |",
        "n/a (not added up)",
        "> ⚠ Safeguarding: 1 possible personal-data finding(s)",
    ):
        assert text in md, text
    hmd = render(hostile, "md").decode("utf-8")
    assert "<script" not in hmd and "<img" not in hmd and "](" not in hmd.replace("\\](", "")
    assert "&lt;script>" in hmd and "\\[click\\]" in hmd and "&amp;copy;" in hmd
    assert "\\|" in hmd
    assert "\\- bullet  \n1\\. numbered  \n\\> quote  \ncode" in hmd
    assert esc("title\x1b[2J \u202ex") == "title\\x1b\\[2J \\u202ex"


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_escaped(report: Report, hostile: Report) -> None:
    for r in (report, hostile):
        page = render(r, "html").decode("utf-8")
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
    page = render(report, "html").decode("utf-8")
    for text in (
        "<h4>3l — Ask Me scheme</h4>",
        "Birmingham and Solihull Women&#x27;s Aid",
        '<span class="status c-amber">A Some delay / at risk</span>',
        '<td class="num">110</td>',
    ):
        assert text in page, text
    hp = render(hostile, "html").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hp
    assert "&lt;img src=&quot;http://evil.example/x.png&quot;&gt;" in hp


def csv_rows(r: Report) -> list[dict[str, str]]:
    data = render(r, "csv")
    assert data.startswith("\ufeff".encode()), "a BOM, so Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv(report: Report, hostile: Report) -> None:
    rows = csv_rows(report)
    assert list(rows[0])[:4] == ["part", "table", "Fact", "Value"]
    progress = [r for r in rows if r["part"] == "progress"]
    assert len(progress) == 7 + 3, "seven updates, three actions with no report"
    h3 = [(r["Partner"], r["Status"]) for r in progress if r["Ref"] == "3h"]
    assert h3 == [("VAWC-SG", "A Some delay / at risk"), ("BSWA", "G On track")]
    assert {r["Ref"] for r in progress if r["Counts as"] == "No report"} == {"4a", "4b", "4c"}
    l3 = next(r for r in progress if r["Ref"] == "3l")
    assert (l3["Section"], l3["Target"], l3["Due"], l3["File"]) == (
        "3. Early Identification & Early Help",
        "2019-06-30",
        "2021-03-31",
        "usb/test-daps_2018-19-Q3_BSWA_r2.toml",
    )
    parts = {r["part"] for r in rows}
    assert parts == {
        "facts",
        "not-returned",
        "overdue",
        "attention",
        "queries",
        "kpis-wrong-way",
        "status",
        "progress",
        "kpis",
        "received",
        "comments",
        "safeguarding",
        "not-counted",
    }
    assert [r["Partner"] for r in rows if r["part"] == "not-returned"] == ["WMP", "BCT"]
    assert [r["Ref"] for r in rows if r["part"] == "overdue"] == ["1b", "3d", "4a"]
    totals = {
        r["KPI"]: [r[f"2018/19 Q{q}"] for q in range(1, 5)]
        for r in rows
        if r["part"] == "kpis" and r["Partner"] == "TOTAL"
    }
    assert totals["K1"] == ["30", "110", "105", ""] and totals["K3"] == ["", "20000", "30000", ""]
    assert "K2" not in totals, "percentages are not added up"
    k1 = next(r for r in rows if r["part"] == "kpis" and r["KPI"] == "K1")
    assert k1["Baseline"] == "100"
    assert len([r for r in rows if r["part"] == "not-counted"]) == 3
    late = next(r for r in rows if r["part"] == "received" and r["Partner"] == "VAWC-SG")
    assert late["Late"] == "LATE" and late["Review"] == "query raised"
    hrows = csv_rows(hostile)
    h = next(r for r in hrows if r["Ref"] == "3h")
    assert h["Next steps"] == '\'=HYPERLINK("http://x")' and h["Risks / issues"] == "'-2+3"
    assert h["Responsible"] == "'@admin; # heading" and h["Progress update"] == HOSTILE
    bswa = [r for r in hrows if r["part"] == "kpis" and r["Partner"] == "BSWA"]
    assert {r["2018/19 Q3"] for r in bswa} == {"7", "12.5"}


def test_xlsx(report: Report, hostile: Report, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(render(report, "xlsx"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Summary",
        "Progress updates",
        "KPIs",
        "Returns received",
        "Officer comments and decisions",
        "Safeguarding check",
        "Not counted",
    ]
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "A2" and ws["A1"].font.b, name
        assert ws.column_dimensions["A"].width >= 8
        assert ws.print_title_rows == "$1:$1", f"{name}: header repeated on printed pages"
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (int(setup.paperSize), setup.orientation) == (9, "landscape"), ws.title  # 9: A4
        assert setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    progress = wb["Progress updates"]
    head = [c.value for c in progress[1]]
    assert head[:3] == ["Section", "Ref", "Action"] and "Partner" in head
    assert progress.max_row == 1 + 7, "the board pack lists only actions with updates"
    row = next(r for r in progress.iter_rows(min_row=2) if r[1].value == "3h")
    status = row[head.index("Status")]
    assert status.value == "A Some delay / at risk" and status.fill.fgColor.rgb == "00FDE9C4"
    l3 = next(r for r in progress.iter_rows(min_row=2, values_only=True) if r[1] == "3l")
    assert l3[head.index("Partner")] == "BSWA" and l3[head.index("Target")] == datetime(2019, 6, 30)
    summary = list(wb["Summary"].iter_rows(values_only=True))
    titles = [i for i, r in enumerate(summary) if r[0] and r[1] is None]
    assert [summary[i][0] for i in titles][:3] == [
        "⚠ Safeguarding: 1 possible personal-data finding(s) — check them (see Safeguarding "
        "check) before circulating this report.",
        "About this report",
        "Not returned",
    ]
    start = summary.index(("Not returned", *[None] * (len(summary[0]) - 1)))
    assert [r[0] for r in summary[start + 2 : start + 4]] == ["WMP", "BCT"]
    start = next(i for i, r in enumerate(summary) if r[0] == "Overdue actions")
    od = summary[start + 2 : start + 5]
    assert [(r[0], r[7]) for r in od] == [("1b", 0), ("3d", 31), ("4a", 92)]
    kpis = list(wb["KPIs"].iter_rows(min_row=2, values_only=True))
    assert kpis[0][:11] == (
        None,
        "K1",
        "Number of referrals for early help",
        "count, increase",
        "TOTAL",
        100,
        None,
        30,
        110,
        105,
        None,
    )
    assert next(k for k in kpis if k[1] == "K2")[4] == "n/a (not added up)"
    nc = {r[0]: r[1] for r in wb["Not counted"].iter_rows(min_row=2, values_only=True)}
    assert nc["usb/test-daps_2018-19-Q3_BCT_r1.toml"] == "bad signature"
    received = list(wb["Returns received"].iter_rows(min_row=2, values_only=True))
    assert received[2][5] == "LATE" and received[2][6] == "query raised"
    hws = openpyxl.load_workbook(io.BytesIO(render(hostile, "xlsx")))["Progress updates"]
    hhead = [c.value for c in hws[1]]
    cell = next(r for r in hws.iter_rows(min_row=2) if r[1].value == "3h")
    ns = cell[hhead.index("Next steps")]
    assert ns.value == '=HYPERLINK("http://x")' and ns.data_type == "s"


def test_render_dispatch(report: Report) -> None:
    assert FORMATS == ("md", "html", "csv", "xlsx", "docx")
    assert render(report, "md").startswith(b"# Progress updates reported")
    assert render(report, "html").startswith(b"<!DOCTYPE html>")
    assert render(report, "csv").startswith("\ufeffpart,table,".encode())
    assert render(report, "xlsx")[:2] == b"PK"
    assert render(report, "docx")[:2] == b"PK"


def test_empty_collection_report(tmp_path: Path) -> None:
    coll = load_collection(tmp_path, None, plans={PLAN.id: PLAN}, today=TODAY)
    r = build_report(coll, PLAN, Q3, generated_at=AT)
    assert r.received == [] and len(r.not_returned) == 5 and r.not_counted == []
    for fmt in FORMATS:
        assert render(r, fmt)
    assert "Every file counted." in render(r, "md").decode("utf-8")
    assert r.trust_source == "(none)"


def test_charts_are_labelled_not_colour_alone(report: Report) -> None:
    page = render(report, "html").decode("utf-8")
    bars = page[page.index('<svg class="chart"') :].split("</svg>")[0]
    assert "Actions by headline status" in bars
    assert ">G 2</text>" in bars and ">A 1</text>" in bars, "each segment says marker and count"
    assert "A = Some delay / at risk" in bars, "the key spells out each marker"
    kpi = page[page.index("<title>K1 ") :].split("</svg>")[0]
    assert ">105</text>" in kpi and ">TOTAL</text>" in kpi, "points and the line are labelled"
    assert ">baseline 100</text>" in kpi
    assert "<script" not in page and "xmlns" not in page


def test_xlsx_has_native_charts(report: Report) -> None:
    import zipfile

    book = zipfile.ZipFile(io.BytesIO(render(report, "xlsx")))
    charts = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/charts/chart")]
    bar = next(c for c in charts if "<barChart>" in c)
    assert '<grouping val="stacked"/>' in bar and '<showVal val="1"/>' in bar
    lines = [c for c in charts if "<lineChart>" in c]
    assert len(lines) == 3, "K1, K2 and K3 have figures"
    assert all('<showVal val="1"/>' in c for c in lines)
