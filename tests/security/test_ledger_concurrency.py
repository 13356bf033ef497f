"""Two officers saving review decisions at the same moment lose nothing (issue 13, item 4).

Attack (or plain bad luck): two officers work on the same shared returns folder. Each process
loads the decisions, decides on one return and saves, 150 times, both starting together. With
the single shared ``review-ledger.toml`` (read, change, rewrite) 130-140 of the 300 decisions
were lost while every save reported success. With one exclusively created file per decision,
every saved decision must be there afterwards, and every save must succeed.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dapreturn.core.collection.ledger import load_ledger, save_ledger

PER_OFFICER = 150
T0 = datetime(2019, 2, 1, 9, 30, tzinfo=UTC)


def _officer(folder: str, who: str, start: object, results: object) -> None:
    """Load, decide on one return, save, ``PER_OFFICER`` times; report how many saves succeeded."""
    start.wait()  # type: ignore[attr-defined]
    saved = 0
    failed: list[str] = []
    for i in range(PER_OFFICER):
        sha = hashlib.sha256(f"{who}-{i}".encode()).hexdigest()
        ledger = load_ledger(Path(folder))
        ledger.decide(
            sha, f"return-{who}-{i}.toml", "accepted", officer=who, now=T0 + timedelta(seconds=i)
        )
        try:
            save_ledger(ledger)
        except Exception as exc:  # noqa: BLE001 - counted and reported, the test then fails
            failed.append(str(exc))
        else:
            saved += 1
    results.put((who, saved, failed[:3]))  # type: ignore[attr-defined]


def test_two_processes_saving_300_decisions_lose_none(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    results = ctx.Queue()
    workers = [
        ctx.Process(target=_officer, args=(str(tmp_path), who, start, results))
        for who in ("Officer One", "Officer Two")
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    saved = sum(n for _, n, _ in outcomes)
    present = len(load_ledger(tmp_path).reviews)
    lost = saved - present
    print(f"ledger concurrency: {saved} saves acknowledged, {present} present, {lost} lost")
    assert [f for _, _, f in outcomes] == [[], []], "a save was refused"
    assert saved == 2 * PER_OFFICER
    assert present == 2 * PER_OFFICER
