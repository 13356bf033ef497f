"""The consolidated progress report: one model (:mod:`.model`), four renderers.

``build_report(collection, plan, period)`` makes a :class:`Report`; :func:`render` turns it into
Markdown, HTML (one offline page), CSV or an Excel workbook (openpyxl is imported only then).
"""

from __future__ import annotations

from typing import Literal, get_args

from dapreturn.core.report.build import build_report
from dapreturn.core.report.csv import render_csv
from dapreturn.core.report.html import render_html
from dapreturn.core.report.markdown import render_markdown
from dapreturn.core.report.model import Report

__all__ = ["FORMATS", "Format", "Report", "build_report", "render"]

Format = Literal["md", "html", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = get_args(Format)
"""The output formats, as ``--format`` spells them."""


def render(report: Report, fmt: Format) -> bytes:
    """The report in ``fmt`` as the bytes of a file (text formats are UTF-8)."""
    if fmt == "xlsx":
        from dapreturn.core.report.xlsx import render_xlsx  # openpyxl loads only when needed

        return render_xlsx(report)
    text = {"md": render_markdown, "html": render_html, "csv": render_csv}[fmt](report)
    return text.encode("utf-8")
