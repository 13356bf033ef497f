"""The same answers, given to the partner app and to the plain mode, sign the same bytes.

Both front ends walk the one field catalogue (``core.filling.fields.ENTRY_FIELDS``) and drive
the one fill session and signing flow, so the signed bodies differ only in the signing time.
The answers are written once below and turned into key presses for the app and into answer
lines for the plain mode, field by field in catalogue order.
"""

from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

from partner_helpers import (
    SMALL_PLAN,
    TODAY,
    Env,
    choose_status,
    fill_field,
    go_to_field,
    make_app,
    remember,
    type_text,
    wait_for,
)
from textual.pilot import Pilot

from dapreturn.core.filling.fields import ENTRY_FIELDS, Kind
from dapreturn.core.plan.model import load_plan
from dapreturn.core.signing.table import split_signed
from dapreturn.plain import EXIT_OK, run_plain
from dapreturn.tui.partner.app import PartnerApp
from dapreturn.tui.partner.screens.done import DoneScreen
from dapreturn.tui.partner.screens.kpis import KpiScreen
from dapreturn.tui.partner.screens.main import MainScreen
from dapreturn.tui.partner.screens.pickers import MessageScreen
from dapreturn.tui.partner.screens.review import ReviewScreen

NAME = "test-plan_2018-19-Q3_BSWA_r1.toml"
ANSWERS: dict[str, dict[str, str]] = {
    "2a": {
        "status": "complete",
        "started": "01/04/2018",
        "target": "31/03/2019",
        "completed": "20/12/2018",
        "responsible": "Amina Khan, Service Manager\nJo Bloggs",
        "action_taken": "Trained 40 frontline staff.\nTwo more sessions booked.",
        "next_steps": "Evaluate the sessions.",
        "risks": "",
    },
    "3l": {
        "status": "on_track",
        "started": "01/07/2018",
        "target": "31/03/2020",
        "completed": "",
        "responsible": "Ask Me coordinator",
        "action_taken": "Recruited 12 ambassadors.",
        "next_steps": "",
        "risks": "",
    },
}
"""What the lead types for each action, by field (empty: left blank)."""
KPIS = {"K1": "1,234", "K2": "42%"}
"""The KPI figures as typed (read by the one number reader in both)."""


def _plain_answers() -> list[str]:
    """The answer lines for the plain mode, question by question."""
    plan = load_plan(SMALL_PLAN)
    lines = [""]  # who is preparing: the remembered preparer
    for ref in ("2a", "3l"):
        answers = ANSWERS[ref]
        status = plan.status(answers["status"])
        for field in ENTRY_FIELDS:
            text = answers[field.name]
            if not field.applies(status):
                continue
            if field.kind in (Kind.LINES, Kind.TEXT):
                lines += [*text.splitlines(), "."] if text else [""]
            else:
                lines.append(text)
    lines.append("")  # no actions contributed to
    lines.append("y")  # give KPI figures now
    for figure in KPIS.values():
        lines += [figure, ""]  # the figure, no note
    lines.append("y")  # sign now
    return lines


async def _type_entry(pilot: Pilot[None], ref: str) -> None:
    """Fill one entry of the form, field by field."""
    for field in ENTRY_FIELDS:
        text = ANSWERS[ref][field.name]
        if field.kind is Kind.CHOICE:
            await go_to_field(pilot, "status")
            await choose_status(pilot, text)
        elif text:
            await fill_field(pilot, field.name, text)


async def _sign_in_app(app: PartnerApp, pilot: Pilot[None]) -> None:
    """Type every answer into the app, then review and sign (making a key, no passphrase)."""
    await pilot.pause()
    assert isinstance(app.screen, MainScreen)
    await _type_entry(pilot, "2a")
    await pilot.press("ctrl+n")
    await pilot.pause()
    await _type_entry(pilot, "3l")
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, KpiScreen))
    for figure in KPIS.values():
        await type_text(pilot, figure)
        await pilot.press("tab", "tab")  # past the note to the next figure
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
    await pilot.press("f3")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    await pilot.press("ctrl+g")
    await wait_for(pilot, lambda: app.screen.query("#pass1").first(None) is not None)
    await pilot.press("enter", "enter")  # no passphrase
    await wait_for(pilot, lambda: isinstance(app.screen, MessageScreen), timeout=15)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, DoneScreen), timeout=15)


def _body(path: Path) -> bytes:
    """The signed body with its signing time blanked."""
    body, _signature = split_signed(path.read_bytes())
    return re.sub(rb"^submitted_at = .*$", b"submitted_at = (time)", body, flags=re.MULTILINE)


async def test_same_answers_sign_the_same_body_in_both_front_ends(env: Env) -> None:
    remember()
    app_out, plain_out = env.cwd / "from-app", env.cwd / "from-plain"
    app = make_app(out_dir=app_out)
    async with app.run_test(size=(80, 24)) as pilot:
        await _sign_in_app(app, pilot)
    assert (app_out / NAME).is_file()
    # The plain mode, with the key the app made (no passphrase) and its own output folder.
    args = argparse.Namespace(plan=str(SMALL_PLAN), partner="BSWA", period="2018/19 Q3")
    args.out = plain_out
    stdin = io.StringIO("".join(f"{line}\n" for line in _plain_answers()))
    stdout = io.StringIO()
    code = run_plain(args, stdin=stdin, stdout=stdout, today=TODAY)
    assert code == EXIT_OK, stdout.getvalue()
    from_app, from_plain = _body(app_out / NAME), _body(plain_out / NAME)
    assert b"Amina Khan, Service Manager" in from_app
    assert b"1234" in from_app and b"completed = 2018-12-20" in from_app
    assert from_app == from_plain
