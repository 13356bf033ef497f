"""Text from files is shown as text, never parsed as Textual markup (issue 13, item 7).

Attack: a plan (or a return, a file name, a review comment) carries Textual content markup.
An unbalanced tag such as ``[/i]`` crashed the officer app's decision dialog, and an
``[@click=app.quit]`` tag became a live action on the screen. Here every plan title, section
title, partner name, KPI measure, narrative, file name and review comment carries :data:`MARK`,
and both apps are driven through every screen: nothing may crash, and the markup must show
literally (it is found in the screen as typed).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS / "tui" / "partner"))

from partner_helpers import SMALL_PLAN  # noqa: E402

from builders import TEST_PLAN_TOML, CollectionBuilder, entry  # noqa: E402
from dapreturn.core.collection.ledger import load_ledger, save_ledger  # noqa: E402
from dapreturn.core.plan.model import parse_plan  # noqa: E402
from dapreturn.core.returns.safeguarding import scan_text  # noqa: E402
from dapreturn.tui.officer.app import ReviewApp  # noqa: E402
from dapreturn.tui.officer.screens.review_dialog import ReviewDialog  # noqa: E402
from dapreturn.tui.partner.app import LaunchOptions, PartnerApp  # noqa: E402
from dapreturn.tui.partner.screens.safeguarding import SafeguardingScreen  # noqa: E402

MARK = "[/i][@click=app.quit]q[/]"
"""Markup that raises when parsed (unbalanced closing tags) and holds a live action."""
SHOWN = "[@click=app.quit]q"
"""A part of :data:`MARK` (and of :data:`FILE_MARK`) that must appear on screen as typed."""
FILE_MARK = "[b]x[@click=app.quit]q"
"""Markup that fits in a file name (no slash)."""


def _hostile(toml: str, titles: list[str]) -> str:
    for title in titles:
        assert title in toml, title
        toml = toml.replace(f'"{title}"', f'"{title} {MARK}"')
    return toml


def _screen_text(app: object) -> str:
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    return str(svg).replace("&#160;", " ").replace("&amp;", "&")


def _seen(app: object) -> bool:
    """Whether the literal markup is on screen (the SVG holds each character as text)."""
    plain = "".join(_screen_text(app).split())
    return "".join(SHOWN.split()).replace("&", "&amp;") in plain or SHOWN in _screen_text(app)


async def _settle(pilot: object, *, workers: bool = True) -> None:
    for _ in range(5):
        await pilot.pause()  # type: ignore[attr-defined]
        if workers:
            await pilot.app.workers.wait_for_complete()  # type: ignore[attr-defined]


@pytest.fixture
def hostile_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    plan_text = _hostile(
        TEST_PLAN_TOML,
        [
            "Workforce programme",
            "DA hub",
            "Whole System Actions",
            "Birmingham City Council Commissioning",
            "Number of referrals for early help",
        ],
    )
    plan = parse_plan(plan_text, source="hostile.toml")
    builder = CollectionBuilder(tmp_path / "returns", plan)
    builder.write_trust(["BCC-COMM"])
    narrative = f"Trained 12 staff. {MARK}"
    assert scan_text(narrative, field="t") == []
    ret = builder.make_return(
        "BCC-COMM",
        "2018/19 Q3",
        [entry("1a", action_taken=narrative, risks=MARK), entry("3d", next_steps=MARK)],
        kpis={"K1": 3},
    )
    builder.write(ret, name=f"odd {FILE_MARK}.toml")
    (tmp_path / "plan.toml").write_text(plan_text, encoding="utf-8")
    return tmp_path


async def test_officer_app_shows_markup_from_files_as_text(hostile_folder: Path) -> None:
    plan = parse_plan((hostile_folder / "plan.toml").read_text(), source="plan.toml")
    folder = hostile_folder / "returns"
    ledger = load_ledger(folder)
    rec_name = next(p.name for p in folder.glob("odd*.toml"))
    import hashlib

    sha = hashlib.sha256((folder / rec_name).read_bytes()).hexdigest()
    when = datetime(2019, 2, 1, tzinfo=UTC)
    ledger.decide(sha, rec_name, "query_raised", officer=f"Sam {MARK}", comment=MARK, now=when)
    ledger.comment(sha, rec_name, MARK, ref="1a")
    save_ledger(ledger)
    app = ReviewApp(folder, plans={"test-daps": plan}, clock=lambda: when)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        assert _seen(app), "file name in the inbox"
        await pilot.press("d")
        await _settle(pilot)
        assert isinstance(app.screen, ReviewDialog)
        assert _seen(app), "plan title and comments in the decision dialog"
        await pilot.press("escape")
        for key in ("2", "3", "4", "5", "1", "f1"):
            await pilot.press(key)
            await _settle(pilot)
            assert app.is_running, key
        await pilot.press("escape", "p")
        await _settle(pilot)
        await pilot.press("escape", "a")
        await _settle(pilot)
        assert app.is_running


async def test_partner_app_shows_markup_from_the_plan_as_text(
    hostile_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dapreturn.core.opener.open_folder", lambda path: False)
    plan_text = _hostile(
        SMALL_PLAN.read_text(encoding="utf-8"),
        [
            "Test Domestic Abuse Prevention Plan",
            "Birmingham and Solihull Women's Aid",
            "Whole systems",
            "Ask Me scheme",
            "Commission a city-wide helpline",
        ],
    )
    path = hostile_folder / "small-hostile.toml"
    path.write_text(plan_text, encoding="utf-8")
    from datetime import date

    app = PartnerApp(LaunchOptions(plan=str(path), today=date(2019, 1, 15), out_dir=None))
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot, workers=False)
        await pilot.press("w", "o", "m", "e", "n")  # setup: find the partner by name
        await _settle(pilot, workers=False)
        assert _seen(app), "partner names and plan title on the setup screen"
        await pilot.press("enter", "tab", "J", "o", "tab", "tab", "tab", "enter")
        await _settle(pilot, workers=False)
        await pilot.press("ctrl+g")
        await _settle(pilot, workers=False)
        for key in ("f2", "escape", "f3", "escape", "f4", "escape", "f1", "escape"):
            await pilot.press(key)
            await _settle(pilot, workers=False)
            assert app.is_running, key
        finding = scan_text(f"Mrs Jones {MARK}", field="3l.action_taken")
        await app.push_screen(SafeguardingScreen(finding, set()))
        await _settle(pilot, workers=False)
        assert app.is_running
