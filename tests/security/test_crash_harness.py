"""Crash harness: SIGKILL a process that autosaves drafts and signs returns, hundreds of times.

``crash_child.py`` forks workers that loop over :meth:`DraftStore.save` (generations alternate
between 18,000 and 300 characters of narrative) and :func:`submit_return` (revisions alternate
between 12,000 and 200 characters). The test kills each worker with SIGKILL after a random delay
(0 to 80 ms, several distributions) and then, before the next worker starts, checks:

- every draft generation on disk parses (``tomlio.parse_return``) and is *exactly* one of the
  texts the worker wrote — a complete version, never a torn one;
- every signed return on disk is byte-for-byte the file that revision must be (signing is
  deterministic) and ``verify_bytes`` says VERIFIED against a trust list of the worker's key;
  revision numbers have no gaps;
- nothing acknowledged is lost: the newest draft and the highest revision the worker reported
  as saved are on disk, and ``DraftStore.latest`` (what the partner app offers after a crash)
  returns the last reported generation or the one that was in flight;
- after the next start no temporary file remains. The store itself only clears temps older than
  60 s (a temp that young may belong to a writer that is still running), so the harness, which
  knows the writer is dead, simulates the next start with ``clean_stale_temps(older_than=0)``
  and checks that everything it removes is one of our temp names and that only temps were left.

The counts are printed (``-s``) and written to ``crash-harness-figures.json`` in the test's tmp
folder. The loop is bounded by count (``TARGET_KILLS``) with a generous time cap; on a starved
machine that hits the cap first the count assertion is skipped with a warning (every safety
check above still ran after each kill that did happen).
"""

from __future__ import annotations

import functools
import json
import os
import random
import re
import selectors
import signal
import subprocess
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from secsupport import (
    BSWA_KEY,
    DRAFT_KEY,
    HERE,
    MINI_PLAN_PATH,
    TODAY,
    draft_index,
    draft_text,
    expected_signed,
    mini_plan,
    ready_return,
    submitted_at,
    trust_list,
)

from dapreturn.core import storage
from dapreturn.core.filling.drafts import DraftStore
from dapreturn.core.filling.submit import submit_return
from dapreturn.core.returns.model import Return, parse_return_filename
from dapreturn.core.returns.tomlio import parse_return
from dapreturn.core.schemas import EDITOR_FILES
from dapreturn.core.signing.files import VerdictState, verify_bytes

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)"),
    pytest.mark.slow,
]

TARGET_KILLS = 240
MIN_KILLS = 200
TIME_CAP = 50.0
"""Seconds; reached only on a badly starved machine (a normal run takes well under 20 s)."""
READ_TIMEOUT = 30.0
TRUST = trust_list(("BSWA", BSWA_KEY))


@dataclass
class Figures:
    """What the harness did and saw; written to JSON and printed."""

    kills: int = 0
    drafts_reported_saved: int = 0
    returns_reported_signed: int = 0
    draft_files_checked: int = 0
    signed_files_checked: int = 0
    kills_leaving_draft_temp: int = 0
    kills_leaving_return_temp: int = 0
    temps_removed_at_next_start: int = 0
    kills_with_unreported_draft: int = 0
    kills_with_unreported_return: int = 0
    kills_before_first_report: int = 0
    latest_offered_ok: int = 0
    torn_or_unparseable_files: int = 0
    lost_acknowledged_saves: int = 0
    falsely_verified_or_not_verified: int = 0
    batches: int = 0
    elapsed_s: float = 0.0
    starved: bool = False
    seed: int = 0
    delays_ms: dict[str, float] = field(default_factory=dict)


class Zygote:
    """The ``crash_child.py`` process, spoken to line by line with timeouts."""

    def __init__(self, tmp: Path, drafts: Path, out: Path, key_file: Path) -> None:
        self.stderr_path = tmp / "crash-child.stderr"
        self._stderr = open(self.stderr_path, "wb")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(HERE / "crash_child.py"),
                str(drafts),
                str(out),
                str(key_file),
                str(MINI_PLAN_PATH),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        assert self.proc.stdout is not None
        self._fd = self.proc.stdout.fileno()
        os.set_blocking(self._fd, False)
        self._sel = selectors.DefaultSelector()
        self._sel.register(self._fd, selectors.EVENT_READ)
        self._buf = b""

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def readline(self) -> str:
        deadline = time.monotonic() + READ_TIMEOUT
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not self._sel.select(left):
                pytest.fail(f"crash child silent for {READ_TIMEOUT}s; stderr: {self.errors()}")
            chunk = os.read(self._fd, 65536)
            if not chunk:
                pytest.fail(f"crash child exited; stderr: {self.errors()}")
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return line.decode()

    def errors(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")[-3000:]

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._sel.close()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()


def _write_key(folder: Path) -> Path:
    folder.mkdir(mode=0o700)
    path = folder / "BSWA_ed25519"
    pem = BSWA_KEY.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    storage.atomic_write_bytes(path, pem, mode=0o600)
    return path


def _delay(rng: random.Random) -> float:
    """Kill moments from 'at once' to 150 ms (several loop iterations), so kills land in every
    phase: building the text, writing the temp file, fsync, rename, pruning, signing, the
    exclusive link, the read-back check."""
    shape = rng.random()
    if shape < 0.10:
        return 0.0
    if shape < 0.35:
        return rng.uniform(0, 0.010)
    if shape < 0.75:
        return rng.uniform(0.010, 0.060)
    return rng.uniform(0.060, 0.150)


@functools.lru_cache(maxsize=4096)
def _draft_text(index: int) -> str:
    return draft_text(index)


@functools.lru_cache(maxsize=4096)
def _expected_signed(revision: int) -> tuple[Return, bytes]:
    return expected_signed(revision)


_INDEX_RE = re.compile(r'^prepared_by = "Harness draft (\d+)"$', re.MULTILINE)


class Checker:
    """The invariants, checked after every kill."""

    def __init__(self, drafts_root: Path, out_root: Path, figures: Figures) -> None:
        self.store_folder = DraftStore(drafts_root).folder(DRAFT_KEY)
        self.drafts_root = drafts_root
        self.out_root = out_root
        self.figures = figures
        self.seen_signed: set[tuple[int, int]] = set()
        self.parsed: set[str] = set()

    def drafts(self, kill: int) -> set[int]:
        """Every generation is a complete text the worker wrote; return their indices."""
        indices: set[int] = set()
        for path in sorted(self.store_folder.iterdir()):
            if storage.is_temp_name(path.name):
                continue
            assert path.name.startswith("draft-") and path.suffix == ".toml", (kill, path)
            text = path.read_bytes().decode("utf-8")
            match = _INDEX_RE.search(text)
            if match is None or text != _draft_text(int(match[1])):
                self.figures.torn_or_unparseable_files += 1
                pytest.fail(f"kill {kill}: {path.name} is not a complete version")
            index = int(match[1])
            if path.name not in self.parsed:  # generations are never rewritten: parse once
                assert draft_index(parse_return(text, source=path.name)) == index
                self.parsed.add(path.name)
            indices.add(index)
            self.figures.draft_files_checked += 1
        return indices

    def signed(self, kill: int) -> dict[int, int]:
        """Every new signed file is exactly its revision's bytes and VERIFIED; return highest
        revision per batch."""
        highest: dict[int, int] = {}
        for folder in sorted(self.out_root.glob("batch-*")):
            batch = int(folder.name.removeprefix("batch-"))
            revisions = []
            for path in folder.iterdir():
                if storage.is_temp_name(path.name) or path.name in EDITOR_FILES:
                    continue
                parts = parse_return_filename(path.name)
                assert parts is not None, (kill, path)
                revision = parts[3]
                revisions.append(revision)
                if (batch, revision) in self.seen_signed:
                    continue  # checked when it appeared; files are never rewritten
                data = path.read_bytes()
                final, expected = _expected_signed(revision)
                verdict = verify_bytes(data, TRUST, source=path.name)
                if verdict.state is not VerdictState.VERIFIED or verdict.body is None:
                    self.figures.falsely_verified_or_not_verified += 1
                    pytest.fail(f"kill {kill}: {verdict.message}")
                if data != expected:
                    self.figures.torn_or_unparseable_files += 1
                    pytest.fail(f"kill {kill}: {path} is not exactly revision {revision}")
                assert parse_return(verdict.body.decode(), source=path.name) == final
                self.seen_signed.add((batch, revision))
                self.figures.signed_files_checked += 1
            if revisions:
                assert sorted(revisions) == list(range(1, max(revisions) + 1)), (kill, batch)
                highest[batch] = max(revisions)
        self.figures.batches = len(highest)
        return highest

    def next_start(self, kill: int) -> tuple[int, int]:
        """Simulate the next start: clear temps (writer known dead), then check none remain.

        Returns (temps found in the drafts folder, temps found in output folders).
        """
        folders = [self.store_folder, *sorted(self.out_root.glob("batch-*"))]
        found = [0, 0]
        for n, folder in enumerate(folders):
            before = {p.name for p in folder.iterdir()}
            temps = {name for name in before if storage.is_temp_name(name)}
            removed = {p.name for p in storage.clean_stale_temps(folder, older_than=0)}
            assert removed == temps, (kill, folder, removed, temps)
            after = {p.name for p in folder.iterdir()}
            assert after == before - temps, (kill, folder)
            assert not any(storage.is_temp_name(name) for name in after), (kill, folder)
            found[min(n, 1)] += len(temps)
        self.figures.temps_removed_at_next_start += sum(found)
        return found[0], found[1]


def _run(tmp_path: Path) -> Figures:
    drafts_root, out_root = tmp_path / "drafts", tmp_path / "returns-out"
    key_file = _write_key(tmp_path / "keys")
    seed = int(os.environ.get("DAPRETURN_CRASH_SEED", "20190115"))
    rng = random.Random(seed)
    figures = Figures(seed=seed)
    checker = Checker(drafts_root, out_root, figures)
    # The "previous version" that exists before the first crash.
    DraftStore(drafts_root).save(DRAFT_KEY, draft_text(0))
    last_draft, last_signed = 0, {}
    delays: list[float] = []
    zygote = Zygote(tmp_path, drafts_root, out_root, key_file)
    start = time.monotonic()
    try:
        while figures.kills < TARGET_KILLS:
            if time.monotonic() - start > TIME_CAP:
                figures.starved = True
                break
            zygote.send(f"run {last_draft + 1}")
            pid_line = zygote.readline()
            assert pid_line.startswith("pid "), pid_line
            delay = _delay(rng)
            delays.append(delay)
            time.sleep(delay)
            os.kill(int(pid_line.split()[1]), signal.SIGKILL)
            dead = zygote.readline().split()
            assert dead[0] == "dead", dead
            status, reports = int(dead[1]), dead[2:]
            if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
                pytest.fail(f"worker did not die by SIGKILL ({status}): {zygote.errors()}")
            figures.kills += 1
            kill = figures.kills
            drafts_done = [int(r[1:]) for r in reports if r.startswith("D")]
            signed_done = [tuple(map(int, r[1:].split(":"))) for r in reports if r[0] == "S"]
            figures.drafts_reported_saved += len(drafts_done)
            figures.returns_reported_signed += len(signed_done)
            if not reports:
                figures.kills_before_first_report += 1

            on_disk = checker.drafts(kill)
            highest_signed = checker.signed(kill)
            if drafts_done:
                last_draft = drafts_done[-1]
            # nothing acknowledged is lost
            if last_draft not in on_disk and max(on_disk, default=-1) < last_draft:
                figures.lost_acknowledged_saves += 1
                pytest.fail(f"kill {kill}: reported draft {last_draft} is gone ({on_disk})")
            for batch, revision in signed_done:
                last_signed[batch] = max(last_signed.get(batch, 0), revision)
            for batch, revision in last_signed.items():
                if highest_signed.get(batch, 0) < revision:
                    figures.lost_acknowledged_saves += 1
                    pytest.fail(f"kill {kill}: reported revision {batch}:{revision} is gone")
                if highest_signed[batch] > revision:
                    figures.kills_with_unreported_return += 1
            last_signed = dict(highest_signed)
            if max(on_disk) > last_draft:
                figures.kills_with_unreported_draft += 1
            assert max(on_disk) <= last_draft + 1, (kill, on_disk, last_draft)

            draft_temps, return_temps = checker.next_start(kill)
            figures.kills_leaving_draft_temp += bool(draft_temps)
            figures.kills_leaving_return_temp += bool(return_temps)

            # what the partner app offers after the crash
            latest = DraftStore(drafts_root).latest(DRAFT_KEY)
            assert latest is not None, kill
            assert latest.skipped == (), (kill, latest.skipped)
            offered = draft_index(parse_return(latest.text, source="latest"))
            assert latest.text == _draft_text(offered)
            assert offered in (last_draft, last_draft + 1), (kill, offered, last_draft)
            figures.latest_offered_ok += 1
            last_draft = max(last_draft, offered)
    finally:
        zygote.close()
    figures.elapsed_s = round(time.monotonic() - start, 2)
    if delays:
        ordered = sorted(delays)
        figures.delays_ms = {
            "min": round(ordered[0] * 1000, 2),
            "median": round(ordered[len(ordered) // 2] * 1000, 2),
            "max": round(ordered[-1] * 1000, 2),
        }
    return figures


def test_sigkill_during_autosave_and_signing_loses_nothing(tmp_path: Path) -> None:
    figures = _run(tmp_path)
    report = tmp_path / "crash-harness-figures.json"
    report.write_text(json.dumps(asdict(figures), indent=2) + "\n")
    print(f"\ncrash harness: {json.dumps(asdict(figures))}")
    print(f"crash harness figures written to {report}")
    assert figures.torn_or_unparseable_files == 0
    assert figures.lost_acknowledged_saves == 0
    assert figures.falsely_verified_or_not_verified == 0
    assert figures.latest_offered_ok == figures.kills
    assert figures.kills >= 20, "the harness barely ran"
    assert figures.drafts_reported_saved > 0 and figures.returns_reported_signed > 0
    if figures.starved:
        warnings.warn(
            f"crash harness starved: {figures.kills} kills in {figures.elapsed_s}s "
            f"(target {TARGET_KILLS}); every check passed for the kills that happened",
            stacklevel=1,
        )
    else:
        assert figures.kills >= MIN_KILLS


def test_the_next_signing_clears_old_temps_from_the_output_folder(tmp_path: Path) -> None:
    """In real use nobody runs ``clean_stale_temps(older_than=0)``: the next signing removes
    temps a crash left in the output folder once they are a minute old, and never younger ones
    (they may belong to another process writing right now)."""
    out = tmp_path / "returns"
    out.mkdir()
    old = out / ".mini_2018-19-Q3_BSWA_r1.toml.0123456789abcdef.tmp"
    young = out / ".mini_2018-19-Q3_BSWA_r1.toml.fedcba9876543210.tmp"
    other = out / "notes.tmp"
    for path in (old, young, other):
        path.write_bytes(b"partial")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(other, (an_hour_ago, an_hour_ago))
    submit_return(ready_return(), mini_plan(), BSWA_KEY, out, now=submitted_at(1), today=TODAY)
    assert not old.exists()
    assert young.exists() and other.exists()
