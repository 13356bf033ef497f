"""The Word board pack: read back with python-docx, and converted to PDF by LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import docx.table
import docx.text.paragraph
import pytest

from dapreturn.core.collection.analysis import figure_text
from dapreturn.core.report import Report, render
from dapreturn.core.report.docx import against, trend


@pytest.fixture(scope="module")
def word(report: Report) -> docx.document.Document:
    return docx.Document(io.BytesIO(render(report, "docx")))


def test_layout_headings_and_page(word: docx.document.Document) -> None:
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297), "A4"
    assert "test-daps" in section.header.paragraphs[0].text
    assert "2018/19 Q3" in section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer, "page numbers as Word fields"
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Head")]
    assert ("Heading 1", "Summary") in headings and ("Heading 1", "Progress updates") in headings
    assert ("Heading 2", "3. Early Identification & Early Help") in headings
    assert headings.index(("Heading 1", "Summary")) < headings.index(
        ("Heading 1", "Progress updates")
    ), "the summary comes first"


def test_seed_layout_per_section(word: docx.document.Document) -> None:
    seed = [
        t
        for t in word.tables
        if [c.text for c in t.rows[0].cells]
        == ["Action Plan Ref", "Stakeholder", "Progress update"]
    ]
    assert len(seed) == 2, "one seed-layout table per section with updates (4 has none)"
    assert "No updates this period." in [p.text for p in word.paragraphs]
    rows = [[c.text for c in r.cells] for t in seed for r in t.rows[1:]]
    h3 = [r for r in rows if r[1].startswith("VAWC-SG")]
    assert any("A Some delay / at risk" in r[2] for r in h3)
    assert any("Officer comment: Which partners run the hub work?" in r[2] for r in h3)
    assert rows[0][0].startswith("1a"), rows[0]
    assert any(r[0] == "" for r in rows), "an action is named once, not on every partner's row"
    header = seed[0].rows[0]._tr.xml
    assert "w:tblHeader" in header, "the heading row repeats on each page"


def test_status_shading_beside_marker(word: docx.document.Document) -> None:
    xml = word.element.xml
    assert 'w:fill="FDE9C4"' in xml, "amber shading"
    texts = {c.text for t in word.tables for r in t.rows for c in r.cells}
    assert any(t.startswith("A Some delay / at risk") for t in texts), "marker and label kept"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_it(report: Report, tmp_path: Path) -> None:
    src = tmp_path / "pack.docx"
    src.write_bytes(render(report, "docx"))
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "pack.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        assert "(A4)" in info.stdout


def test_status_bars_as_shaded_cells(word: docx.document.Document) -> None:
    paragraphs = [p.text for p in word.paragraphs]
    assert "Actions by headline status" in paragraphs
    bars = [t for t in word.tables if len(t.rows) == 1]
    cells = [c.text for t in bars for c in t.rows[0].cells]
    assert "G 2" in cells and "A 1" in cells, "each segment says its marker and count"


def _blocks(word: docx.document.Document) -> list[str | list[list[str]]]:
    """The body in order: a paragraph's text, or a table's rows of cell texts."""
    out: list[str | list[list[str]]] = []
    for child in word.element.body.iterchildren():
        if child.tag.endswith("}p"):
            out.append(docx.text.paragraph.Paragraph(child, word).text)
        elif child.tag.endswith("}tbl"):
            table = docx.table.Table(child, word)
            out.append([[c.text for c in r.cells] for r in table.rows])
    return out


def test_kpi_lines_as_tables_of_labelled_points(
    word: docx.document.Document, report: Report
) -> None:
    blocks = _blocks(word)
    summed = [k for k in report.kpis if k.summable and any(v is not None for v in k.totals)]
    assert summed, "the scenario has a KPI whose figures add up"
    for k in summed:
        title = f"{k.id} {k.measure} — quarter by quarter"
        assert title in blocks, title
        rows = blocks[blocks.index(title) + 1]
        assert isinstance(rows, list)
        assert rows[0] == ["Line", *report.kpi_periods]
        by_name = {r[0]: r[1:] for r in rows[1:]}
        totals = by_name["TOTAL"]
        for i, value in enumerate(k.totals):
            if value is None:
                assert totals[i] == "—"
            else:
                assert totals[i].split(" ")[0] == figure_text(value), "every point labelled"
                if i and k.totals[i - 1] is not None:
                    assert totals[i].endswith(("↑", "↓", "→")), "the arrow, not a colour"
        if k.target is not None:
            assert by_name["target"] == [figure_text(k.target)] * len(report.kpi_periods)
            vs = by_name["TOTAL against target"]
            assert all(v == "—" or v[0] in "▲▼=" for v in vs)
        assert blocks[blocks.index(title) + 2].startswith("↑ up on the quarter before")


def test_trend_and_against_target_words() -> None:
    assert trend(12, 10) == "12 ↑" and trend(8, 10) == "8 ↓" and trend(10, 10) == "10 →"
    assert trend(None, 10) == "—" and trend(5, None) == "5"
    assert against(13, 10) == "▲ 3 above" and against(7.5, 10) == "▼ 2.5 below"
    assert against(10, 10) == "= on target" and against(None, 10) == "—"
