"""Shared set-up for the partner-app tests: a small stable plan, pinned dates, signed returns.

Every test gets its own ``DAPRETURN_HOME`` (keys, drafts, config) and works in its own current
folder; the default output folder is ``returns/`` inside that DAPRETURN_HOME.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from textual.pilot import Pilot
from textual.widget import Widget

from builders import own_key
from dapreturn.core.config import UserConfig, save_config
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan, load_plan
from dapreturn.core.returns.model import Entry, KpiFigure, Return, return_filename
from dapreturn.core.returns.tomlio import dump_return
from dapreturn.core.signing.files import sign_body
from dapreturn.tui.partner.app import LaunchOptions, PartnerApp

DATA = Path(__file__).resolve().parents[2] / "data"
SMALL_PLAN = DATA / "small-plan.toml"
"""4 actions: BSWA leads 2a, 3l; BCC-COMM leads 1a, 3d; BCT leads none; KPIs K1, K2 (%)."""
TODAY = date(2019, 1, 15)
"""Pinned "today": the quarter just ended is 2018/19 Q3."""
Q3 = Period(2018, 3)
Q2 = Period(2018, 2)
PREPARER = "Jo Bloggs, Service Manager"


@dataclass
class Env:
    """Where a test's state lives."""

    home: Path
    cwd: Path
    opened: list[Path] = field(default_factory=list)
    """Folders the app asked the system to open (none is really opened)."""

    @property
    def out_dir(self) -> Path:
        """The default output folder (``returns/`` in the private DAPRETURN_HOME)."""
        return self.home / "returns"


def small_plan() -> Plan:
    """The small test plan."""
    return load_plan(SMALL_PLAN)


def remember(partner: str = "BSWA", prepared_by: str = PREPARER, plan: Path = SMALL_PLAN) -> None:
    """Save a config as a first run would have (so the app goes straight to the return)."""
    save_config(UserConfig(plan=str(plan), partner=partner, prepared_by=prepared_by))


def make_app(**changes: object) -> PartnerApp:
    """The app on the small plan with "today" pinned; ``changes`` override launch options."""
    options: dict[str, object] = {"plan": str(SMALL_PLAN), "today": TODAY, "out_dir": None}
    options.update(changes)
    return PartnerApp(LaunchOptions(**options))  # type: ignore[arg-type]


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` key by key, as a person would."""
    keys = ["space" if c == " " else "enter" if c == "\n" else c for c in text]
    await pilot.press(*keys)


async def wait_for(pilot: Pilot[None], condition: object, timeout: float = 5.0) -> None:
    """Pause until ``condition()`` is true (fails the test after ``timeout`` seconds)."""
    import time

    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.05)


def text_of(widget: Widget) -> str:
    """The plain text a widget shows."""
    rendered = widget.render()
    return str(getattr(rendered, "plain", rendered))


def signed_return(
    out_dir: Path,
    entries: Iterable[Entry],
    *,
    period: Period = Q2,
    partner: str = "BSWA",
    revision: int = 1,
    key: Ed25519PrivateKey | None = None,
    kpis: Iterable[KpiFigure] = (),
) -> Path:
    """Write a signed return built with core functions (as the app would have signed it).

    Signed with this computer's key for ``partner`` (made if there is none) unless ``key`` is
    given: only those are the lead's own returns, to carry forward from.
    """
    from datetime import UTC, datetime

    ret = Return(
        plan="test-plan",
        period=str(period),
        partner=partner,
        prepared_by=PREPARER,
        revision=revision,
        submitted_at=datetime(2018, 10, 14, 10, 0, tzinfo=UTC),
        entries=list(entries),
        kpis=list(kpis),
    )
    body = dump_return(ret).encode("utf-8")
    data = sign_body(body, key or own_key(partner), partner)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / return_filename("test-plan", period, partner, revision)
    path.write_bytes(data)
    return path


async def choose_status(pilot: Pilot[None], status_id: str) -> None:
    """With the status box focused: open it, arrow down to ``status_id``, press Enter."""
    from textual.widgets import Select

    select = pilot.app.focused
    assert isinstance(select, Select), f"status box not focused: {select}"
    plan_ids = [s.id for s in small_plan().statuses]
    current = plan_ids.index(select.value) + 1 if select.value in plan_ids else 0
    target = plan_ids.index(status_id) + 1
    await pilot.press("enter")
    await pilot.pause()
    step = "down" if target >= current else "up"
    await pilot.press(*[step] * abs(target - current), "enter")
    await pilot.pause()


async def go_to_field(pilot: Pilot[None], field: str) -> None:
    """Put the cursor in a form field of the main screen (as a click or Tab would)."""
    from dapreturn.tui.widgets.entry_form import EntryForm

    form = pilot.app.screen.query_one(EntryForm)
    form.focus_field(field)
    await pilot.pause()


async def fill_field(pilot: Pilot[None], field: str, text: str, *, leave: bool = True) -> None:
    """Type ``text`` into an empty field, then Tab out of it."""
    await go_to_field(pilot, field)
    await type_text(pilot, text)
    if leave:
        await pilot.press("tab")
    await pilot.pause()


def field_error(pilot: Pilot[None], field: str) -> str:
    """The problem text shown under a field ('' if none is shown)."""
    widget = pilot.app.screen.query_one(f"#error-{field}")
    return text_of(widget) if widget.display else ""


def list_line(pilot: Pilot[None], ref: str) -> str:
    """The action list's line for ``ref``."""
    from dapreturn.tui.widgets.action_list import ActionList

    option = pilot.app.screen.query_one(ActionList).get_option(f"ref:{ref}")
    return str(getattr(option.prompt, "plain", option.prompt))


def complete_return(app: PartnerApp, *, risks: str = "") -> None:
    """Fill every entry and KPI of the open return so that it can be signed."""
    session = app.session
    assert session is not None
    for e in session.ret.entries:
        session.set_field(e.ref, "status", "on_track")
        session.set_field(e.ref, "started", date(2018, 4, 1))
        session.set_field(e.ref, "target", date(2020, 3, 31))
        session.set_field(e.ref, "responsible", ["Jo Bloggs, trainer"])
        session.set_field(e.ref, "action_taken", f"Work on {e.ref} went to plan.")
        session.set_field(e.ref, "risks", risks)
    session.kpis.set_value("K1", 12)
    session.kpis.set_value("K2", 50)
    screen = app.screen
    from dapreturn.tui.partner.screens.main import MainScreen

    assert isinstance(screen, MainScreen)
    screen.refresh_list()
    screen.show(session.ret.entries[0].ref)
