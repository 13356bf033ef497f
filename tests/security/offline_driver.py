"""Run every dapreturn flow in one process with the network blocked; print a JSON verdict.

Used by ``test_offline.py`` as ``python offline_driver.py WORKDIR``. Before dapreturn is
imported, the network is cut two ways:

- ``socket.socket`` refuses to be created for anything but local (AF_UNIX) sockets, and
  ``create_connection`` / ``getaddrinfo`` / ``gethostbyname`` raise;
- an audit hook (PEP 578) refuses the ``socket.__new__`` (non-AF_UNIX), ``socket.connect``,
  ``socket.getaddrinfo``, ``socket.gethostbyname`` and ``socket.sendto`` events, so even code
  holding its own reference to the socket module is stopped, and every attempt is counted.

Then it checks that the guard bites (``urllib`` cannot fetch a page) and runs: fill (core),
``dapreturn keys new``, ``dapreturn sign``, ``dapreturn verify``, review (core
``load_collection``), ``dapreturn report`` (when the command exists), and Pilot runs of the
partner and officer apps (when they exist). The last stdout line is the JSON result.
"""

from __future__ import annotations

import socket
import sys

ATTEMPTS: list[str] = []
_LOCAL = {getattr(socket, "AF_UNIX", -1)}


class NetworkBlockedError(OSError):
    """Raised for any attempt to reach the network."""


def _refuse(what: str) -> NetworkBlockedError:
    ATTEMPTS.append(what)
    return NetworkBlockedError(f"network blocked by the offline test: {what}")


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.__new__":
        family = args[1] if len(args) > 1 else None
        if family not in _LOCAL and family != -1:
            raise _refuse(f"{event} family={family}")
    elif event in (
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "socket.sendmsg",
    ):
        target = args[1] if len(args) > 1 else args
        if event == "socket.connect" and isinstance(target, (str, bytes)):
            return  # a path: an AF_UNIX socket (asyncio's self-pipe), not the network
        raise _refuse(f"{event} {target!r}")


_real_init = socket.socket.__init__


def _guarded_init(self: socket.socket, family: int = -1, *args: object, **kwargs: object) -> None:
    if family not in _LOCAL and family != -1:
        raise _refuse(f"socket({family})")
    _real_init(self, family, *args, **kwargs)  # type: ignore[arg-type]


def _blocked(name: str):  # type: ignore[no-untyped-def]
    def raiser(*args: object, **kwargs: object) -> object:
        raise _refuse(f"{name}{args[:1]!r}")

    return raiser


sys.addaudithook(_audit)
socket.socket.__init__ = _guarded_init  # type: ignore[method-assign]
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    setattr(socket, _name, _blocked(_name))

# ---- from here on, the network is gone -------------------------------------------------------

import asyncio  # noqa: E402
import contextlib  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

WORK = Path(sys.argv[1])
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
RESULTS: dict[str, str] = {}
TODAY = date(2019, 6, 1)


def flow(
    name: str, present: Callable[[], bool] | None = None
) -> Callable[[Callable[[], None]], None]:
    """Run the decorated function now (if ``present()``); record ok / failed / absent."""

    def run(fn: Callable[[], None]) -> None:
        if present is not None and not present():
            RESULTS[name] = "absent"
            return
        before = len(ATTEMPTS)
        try:
            fn()
        except Exception:  # noqa: BLE001 - recorded for the test to show
            RESULTS[name] = "failed: " + traceback.format_exc()[-1500:]
            return
        tried = ATTEMPTS[before:]
        RESULTS[name] = f"failed: tried the network {tried}" if tried else "ok"

    return run


def cli(*argv: str) -> tuple[int, str]:
    from dapreturn.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue()


@flow("guard bites")
def _guard() -> None:
    import urllib.request

    try:
        urllib.request.urlopen("http://example.com/", timeout=2)
    except OSError as exc:
        if "network blocked" not in str(exc) and "network blocked" not in repr(exc.__context__):
            raise AssertionError(f"blocked for another reason: {exc!r}") from exc
        del ATTEMPTS[:]  # the deliberate attempt does not count against the flows
        return
    raise AssertionError("the network guard did not stop urllib")


os.chdir(WORK)
os.environ["DAPRETURN_HOME"] = str(WORK / "home")
os.environ.pop("DAPRETURN_PASSPHRASE", None)


@flow("fill (core: blank_return, DraftStore, submit_return)")
def _fill() -> None:
    from secsupport import BSWA_KEY, DRAFT_KEY, mini_plan

    from dapreturn.core.filling import blank_return
    from dapreturn.core.filling.drafts import DraftStore
    from dapreturn.core.filling.submit import submit_return
    from dapreturn.core.periods import Period
    from dapreturn.core.returns.tomlio import dump_return, parse_return

    plan = mini_plan()
    ret = blank_return(plan, "BSWA", Period.parse("2018/19 Q3"), "Jo Bloggs, Service Manager")
    entries = [
        e.model_copy(update={"status": "on_track", "action_taken": "Done offline."})
        for e in ret.entries
    ]
    ret = ret.model_copy(update={"entries": entries})
    store = DraftStore()
    store.save(DRAFT_KEY, dump_return(ret))
    latest = store.latest(DRAFT_KEY)
    assert latest is not None
    again = parse_return(latest.text, source="draft")
    result = submit_return(
        again, plan, BSWA_KEY, WORK / "core-out", now=datetime(2019, 1, 10, 9, 30), today=TODAY
    )
    assert result.path.is_file()


DRAFT = """\
plan = "daps-2018-2023"
period = "2018/19 Q3"
partner = "BSWA"
prepared_by = "Jo Bloggs, Service Manager"

[[entries]]
ref = "3l"
status = "on_track"
action_taken = "Trained 12 Ask Me ambassadors."
"""


@flow("keys new, sign, verify (cli)")
def _sign_verify() -> None:
    from dapreturn.core.schemas import RETURN_FILE_GLOB

    code, text = cli("keys", "new", "--partner", "BSWA")
    assert code == 0, text
    (WORK / "allowed_signers").write_text(text.strip().splitlines()[-1] + "\n")
    (WORK / "draft.toml").write_text(DRAFT)
    code, text = cli("sign", "draft.toml", "--out", "returns")
    assert code == 0, text
    signed = sorted((WORK / "returns").glob(RETURN_FILE_GLOB))
    assert len(signed) == 1, signed
    code, text = cli("verify", str(signed[0]), "--trust", "allowed_signers")
    assert code == 0 and "verified: BSWA" in text, text
    (WORK / "returns" / "allowed_signers").write_text((WORK / "allowed_signers").read_text())


@flow("review (core: load_collection)")
def _review() -> None:
    from dapreturn.core.collection.load import load_collection
    from dapreturn.core.signing.trust import load_trust

    collection = load_collection(WORK / "returns", load_trust(WORK / "allowed_signers"))
    assert [r.rel for r in collection.files if r.counted] == [
        "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
    ], collection.files


def _has_command(name: str) -> bool:
    import argparse

    from dapreturn.cli.main import build_parser

    return any(
        name in action.choices
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )


def _module(name: str) -> Callable[[], bool]:
    def present() -> bool:
        try:
            return importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            return False

    return present


@flow("report (cli)", lambda: _has_command("report"))
def _report() -> None:
    for fmt in ("md", "html", "csv", "xlsx"):
        out = WORK / f"report.{fmt}"
        code, text = cli(
            "report",
            "returns",
            "--period",
            "2018/19 Q3",
            "--trust",
            "allowed_signers",
            "--format",
            fmt,
            "-o",
            str(out),
        )
        assert code == 0, (fmt, text)
        assert out.is_file() and out.stat().st_size > 0, fmt


@flow("call, decide, feedback, show (cli)", lambda: _has_command("call"))
def _cycle() -> None:
    code, text = cli("keys", "new", "--officer", "jo.bloggs")
    assert code == 0, text
    group = WORK / "group_signers"
    group.write_text((WORK / "allowed_signers").read_text() + text.strip().splitlines()[-1] + "\n")
    period = ("--period", "2018/19 Q3")
    code, text = cli(
        "call",
        *period,
        "--deadline",
        "2019-01-15",
        "--partners",
        "BSWA",
        "--trust",
        str(group),
        "-o",
        "calls",
    )
    assert code == 0, text
    (pack,) = (WORK / "calls").iterdir()
    code, text = cli("show", str(pack), "--trust", str(group), "--partner", "BSWA")
    assert code == 0 and "verified: call for returns" in text, text
    from dapreturn.core.schemas import RETURN_FILE_GLOB  # not the folder's .taplo.toml

    (signed,) = sorted((WORK / "returns").glob(RETURN_FILE_GLOB))
    code, text = cli(
        "decide", str(signed), "--query", "--comment", "Venues?", "--trust", str(group)
    )
    assert code == 0, text
    code, text = cli("feedback", "returns", *period, "--trust", str(group), "-o", "feedback")
    assert code == 0, text
    (fb,) = (WORK / "feedback").iterdir()
    code, text = cli("show", str(fb), "--trust", str(group), "--partner", "BSWA")
    assert code == 0 and "Venues?" in text, text


@flow("partner app (Pilot)", _module("dapreturn.tui.partner.app"))
def _partner_pilot() -> None:
    from secsupport import MINI_PLAN_PATH

    from dapreturn.core.config import UserConfig, save_config
    from dapreturn.tui.partner.app import LaunchOptions, PartnerApp

    save_config(UserConfig(plan=str(MINI_PLAN_PATH), partner="BSWA", prepared_by="Jo, Manager"))
    app = PartnerApp(LaunchOptions(plan=str(MINI_PLAN_PATH), today=TODAY, out_dir=WORK / "tui-out"))

    async def drive() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(5):
                await pilot.pause()
            await pilot.press("down", "down", "tab", "f3")
            for _ in range(5):
                await pilot.pause()

    asyncio.run(drive())


@flow("officer app (Pilot)", _module("dapreturn.tui.officer.app"))
def _officer_pilot() -> None:
    from dapreturn.tui.officer.app import ReviewApp

    app = ReviewApp(WORK / "returns", trust_file=WORK / "allowed_signers", today=TODAY)

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(20):
                await pilot.pause(0.05)
            await pilot.press("down", "tab", "down")
            for _ in range(5):
                await pilot.pause()

    asyncio.run(drive())


print(json.dumps({"results": RESULTS, "attempts": ATTEMPTS}))
