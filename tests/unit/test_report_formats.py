"""The demo collection's 2018/19 Q3 board pack says the same thing in md, html, csv, xlsx and
docx: the same counts, the same actions with the same partners and statuses, the same comments.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from collections import defaultdict
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import docx
import openpyxl
import pytest

from dapreturn.core.collection.ledger import load_ledger, save_ledger
from dapreturn.core.collection.load import load_collection
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import bundled_plan
from dapreturn.core.report import FORMATS, Format, Report, build_report, render
from dapreturn.core.signing.trust import load_trust

DEMO = Path(__file__).resolve().parents[2] / "demo" / "returns"
QUERIED = "daps-2018-2023_2018-19-Q3_BCC-HM_r1.toml"
COMMENTS = ("Why was this return late?", "Which areas have sent the Health Check form?")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Report:
    folder = tmp_path_factory.mktemp("demo") / "returns"
    shutil.copytree(DEMO, folder)
    ledger = load_ledger(folder)
    sha = hashlib.sha256((folder / QUERIED).read_bytes()).hexdigest()
    at = datetime(2019, 2, 21, 9, 0, tzinfo=UTC)
    ledger.decide(sha, QUERIED, "query_raised", officer="A Officer", comment=COMMENTS[0], now=at)
    ledger.comment(sha, QUERIED, COMMENTS[1], ref="1a")
    save_ledger(ledger)
    plan = bundled_plan("daps-2018-2023")
    coll = load_collection(folder, load_trust(folder / "allowed_signers"), plans={plan.id: plan})
    return build_report(coll, plan, Period(2018, 3), ledger=load_ledger(folder), generated_at=at)


def chunks(data: bytes, fmt: str) -> dict[str, str]:
    """Action ref -> everything the format says about that action in its progress detail."""
    out: dict[str, str] = defaultdict(str)
    if fmt in ("md", "html"):
        text = data.decode("utf-8")
        if fmt == "html":
            pieces = text.split('<section class="action"><h4>')[1:]
            pieces = [unescape(re.sub(r"<[^>]+>", " ", p.split("</section>")[0])) for p in pieces]
        else:
            pieces = text.split("\n#### ")[1:]
            pieces = [p.split("\n## ")[0].split("\n### ")[0].replace("\\", "") for p in pieces]
        for p in pieces:
            out[p.split(" — ")[0].strip()] += p
    elif fmt == "csv":
        rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        for r in rows:
            if r["part"] == "progress":
                out[r["Ref"]] += " | ".join(r.values())
    elif fmt == "xlsx":
        ws = openpyxl.load_workbook(io.BytesIO(data))["Progress updates"]
        for row in ws.iter_rows(min_row=2, values_only=True):
            out[str(row[1])] += " | ".join(str(v) for v in row if v is not None)
    else:
        word = docx.Document(io.BytesIO(data))
        for t in word.tables:
            if t.rows[0].cells[0].text != "Action Plan Ref":
                continue
            ref = ""
            for r in t.rows[1:]:
                cells = [c.text for c in r.cells]
                ref = cells[0].split("\n")[0] or ref
                out[ref] += " | ".join(cells)
    return dict(out)


def whole_text(data: bytes, fmt: str) -> str:
    if fmt == "docx":
        word = docx.Document(io.BytesIO(data))
        cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(
            " | ".join(str(v) for v in r if v is not None)
            for ws in wb.worksheets
            for r in ws.iter_rows(values_only=True)
        )
    text = data.decode("utf-8-sig")
    return unescape(re.sub(r"<[^>]+>", " ", text)) if fmt == "html" else text.replace("\\", "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_formats_say_the_same_thing(demo: Report, fmt: Format) -> None:
    data = render(demo, fmt, only_updated=True)
    text = whole_text(data, fmt)
    assert "11 of 20 expected" in text and "24 actions with no update this period" in text
    assert all(n.partner in text for n in demo.not_returned)
    assert all(c in text for c in COMMENTS) and "A Officer" in text
    assert "query raised" in text
    updated = {a.ref: a for s in demo.sections for a in s.actions if a.updates}
    got = chunks(data, fmt)
    assert set(got) == set(updated), f"{fmt}: the same actions, no more, no fewer"
    for ref, action in updated.items():
        assert str(action.headline) in got[ref], (fmt, ref)
        for u in action.updates:
            assert u.partner in got[ref] and str(u.status) in got[ref], (fmt, ref, u.partner)
    assert COMMENTS[1] in got["1a"], f"{fmt}: the comment on 1a sits with 1a"
    assert "G On track" in got["3g"] and "NS Not started" in got["3g"], "3g shows both"
