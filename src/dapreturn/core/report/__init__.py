"""The consolidated progress report: one model (:mod:`.model`), one set of tables
(:mod:`.parts`, drawn from :mod:`.table`'s types), and a renderer per format.

``build_report(collection, plan, period)`` makes a :class:`Report`; :func:`render` turns it into
Markdown, HTML (one offline page), CSV, an Excel workbook or a Word document (openpyxl and
python-docx are imported only for those).
"""

from __future__ import annotations

from typing import Literal, get_args

from dapreturn.core.report.build import build_report
from dapreturn.core.report.csv import render_csv
from dapreturn.core.report.html import render_html
from dapreturn.core.report.markdown import render_markdown
from dapreturn.core.report.model import Report
from dapreturn.core.report.parts import document

__all__ = ["FORMATS", "Format", "Report", "build_report", "document", "render"]

Format = Literal["md", "html", "csv", "xlsx", "docx"]
FORMATS: tuple[Format, ...] = get_args(Format)
"""The output formats, as ``--format`` spells them."""


def render(report: Report, fmt: Format, *, only_updated: bool | None = None) -> bytes:
    """The report in ``fmt`` as the bytes of a file (text formats are UTF-8).

    ``only_updated`` leaves out actions with no update this period; by default it is on for the
    board pack (md, html, xlsx, docx) and off for CSV, the full record for filtering.
    """
    if only_updated is None:
        only_updated = fmt != "csv"
    doc = document(report, only_updated=only_updated)
    if fmt == "xlsx":
        from dapreturn.core.report.xlsx import render_xlsx  # openpyxl loads only when needed

        return render_xlsx(doc)
    if fmt == "docx":
        from dapreturn.core.report.docx import render_docx  # python-docx loads only when needed

        return render_docx(doc)
    text = {"md": render_markdown, "html": render_html, "csv": render_csv}[fmt](doc)
    return text.encode("utf-8")
