"""The crash harness's victim: autosaves drafts and signs returns until it is SIGKILLed.

Run as ``python crash_child.py DRAFTS_ROOT OUT_ROOT KEY_FILE PLAN_FILE``. It imports dapreturn
once and then serves requests from the test on stdin, one per line:

``run START``  fork a worker that loops forever: save draft generation ``START``, ``START+1``...
               through :meth:`DraftStore.save` and, every second generation, sign the next
               revision with :func:`submit_return` into ``OUT_ROOT/batch-N``. After each
               completed step the worker reports ``D<index>`` or ``S<batch>:<revision>`` on a
               private pipe. The test SIGKILLs the worker (its pid is printed as ``pid N``);
               this process then reaps it and prints ``dead <wait status> <reports...>``.

Forking from a process that has already imported everything makes each kill cheap (no Python
start-up per kill), so hundreds of kills fit in a few seconds; each worker is still a real,
separate process killed with a real SIGKILL at an arbitrary instruction.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

sys.path.insert(0, str(Path(__file__).resolve().parent))

from secsupport import (
    DRAFT_KEY,
    TODAY,
    draft_text,
    return_for_revision,
    submitted_at,
)

from dapreturn.core.filling import next_revision
from dapreturn.core.filling.drafts import DraftStore
from dapreturn.core.filling.submit import submit_return
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan, load_plan
from dapreturn.core.signing.keys import load_private_key

REVISIONS_PER_BATCH = 150
"""A new output folder is started before revision numbers get near the model's limit (999)."""


def _out_dir(out_root: Path) -> tuple[int, Path]:
    """The batch folder to sign into next (the newest one with room left)."""
    batches = sorted(
        int(p.name.removeprefix("batch-")) for p in out_root.glob("batch-*") if p.is_dir()
    )
    batch = batches[-1] if batches else 0
    folder = out_root / f"batch-{batch}"
    if next_revision(folder, "mini", "BSWA", Period.parse("2018/19 Q3")) > REVISIONS_PER_BATCH:
        batch += 1
        folder = out_root / f"batch-{batch}"
    return batch, folder


def work(start: int, report: int, plan: Plan, key: Ed25519PrivateKey) -> None:
    """Save and sign forever, reporting each completed step on the ``report`` pipe."""
    drafts_root, out_root = Path(sys.argv[1]), Path(sys.argv[2])
    store = DraftStore(drafts_root)  # a fresh store, as a restarted app would open
    index = start
    while True:
        store.save(DRAFT_KEY, draft_text(index))
        os.write(report, f"D{index}\n".encode())
        if index % 2 == 0:
            batch, folder = _out_dir(out_root)
            revision = next_revision(folder, "mini", "BSWA", Period.parse("2018/19 Q3"))
            submit_return(
                return_for_revision(revision),
                plan,
                key,
                folder,
                revision=revision,
                now=submitted_at(revision),
                today=TODAY,
            )
            os.write(report, f"S{batch}:{revision}\n".encode())
        index += 1


def main() -> None:
    """Serve ``run START`` requests until stdin closes."""
    out_root, key_file, plan_file = (Path(a) for a in sys.argv[2:5])
    out_root.mkdir(parents=True, exist_ok=True)
    plan = load_plan(plan_file)
    key = load_private_key(key_file, None)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command != "run":
            continue
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(read_end)
            try:
                work(int(arg), write_end, plan, key)
            except BaseException:  # noqa: BLE001 - printed for the test, then exit 70
                traceback.print_exc()
            os._exit(70)  # only reached if the worker failed: the test shows its stderr
        os.close(write_end)
        sys.stdout.write(f"pid {pid}\n")
        sys.stdout.flush()
        chunks = []
        while chunk := os.read(read_end, 65536):  # EOF once the worker is dead
            chunks.append(chunk)
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
        reports = b"".join(chunks).decode().split()
        sys.stdout.write(f"dead {status} {' '.join(reports)}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
