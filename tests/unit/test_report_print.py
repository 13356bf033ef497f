"""The HTML report printed to PDF by headless Chromium: A4, the summary on page one, and no
page ending in (or holding only) a heading. Skipped where Chromium or pdftotext is absent."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from dapreturn.core.report import Report, render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("chrome")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="needs headless Chromium and poppler's pdftotext/pdfinfo",
)


def squash(text: str) -> str:
    return " ".join(text.split())


def printed(report: Report, tmp_path: Path) -> tuple[str, list[str], list[str]]:
    """(pdfinfo output, each page's text, every heading of the page)."""
    page = tmp_path / "report.html"
    page.write_bytes(render(report, "html"))
    pdf = tmp_path / "report.pdf"
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])  # type: ignore[index]
    pages = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]
    html = page.read_text(encoding="utf-8")
    headings = [
        squash(unescape(re.sub(r"<[^>]+>", "", h)))
        for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html)
    ]
    return info.stdout, pages, headings


def test_prints_on_a4_with_no_stranded_heading(report: Report, tmp_path: Path) -> None:
    info, pages, headings = printed(report, tmp_path)
    assert "(A4)" in info
    assert "Summary" in pages[0] and "Not returned" in pages[0], "the summary is on page one"
    for number, text in enumerate(pages, start=1):
        flat = squash(text)
        assert flat, f"page {number} is blank"
        stranded = [h for h in headings if h and flat.endswith(h)]
        assert not stranded, f"page {number} ends with the heading {stranded}"
