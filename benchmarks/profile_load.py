"""Where a cold load's time goes, step by step, for one core (the table in docs/performance.md).

``python benchmarks/profile_load.py [N]`` (default 1,000 returns): each step of checking one
file is run on its own over every file of the synthetic collection and timed in process time
(best of 3), then the whole ``load_collection`` on one core for comparison. The steps are the
ones :func:`dapreturn.core.examine.examine` and :mod:`dapreturn.core.collection` take, in order.
"""

from __future__ import annotations

import hashlib
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset

from dapreturn.core import signing, sshsig, tomlfast
from dapreturn.core.collection import load_collection
from dapreturn.core.safeguarding import scan_fields
from dapreturn.core.tomlio import return_from_dict
from dapreturn.core.trust import load_trust


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best process time of ``fn()`` in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    """Time each step over the whole collection; print a Markdown table in µs per file."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    folder = dataset.collection(n)
    trust = load_trust(dataset.trust_file(folder))
    paths = sorted(folder.glob("*.toml"))
    datas = [p.read_bytes() for p in paths]
    splits = [signing.split_signed(d) for d in datas]
    signed = [(b, t) for b, t in splits if t is not None]
    tables = [signing._parse_table(t, 0) for _, t in signed]
    sigs = [sshsig.parse_armored(v["armored"]) for v in tables]
    texts = [b.decode("utf-8") for b, _ in signed]
    docs = [tomlfast.loads(t) for t in texts]
    verdicts = [signing.verify_bytes(d, trust, source="f") for d in datas]
    good = [v.doc for v in verdicts if v.ok and v.doc is not None]
    rets = [return_from_dict(doc, source="f") for doc in good]

    def verify_all() -> None:
        for (body, _), sig in zip(signed, sigs, strict=True):
            signing._crypto_failure(body, sig)

    steps: list[tuple[str, Callable[[], object]]] = [
        ("Read the file and hash it (SHA-256)",
         lambda: [hashlib.sha256(p.read_bytes()).digest() for p in paths]),
        ("Find the `[signature]` line (`split_signed`)",
         lambda: [signing.split_signed(d) for d in datas]),
        ("Read the signature table, armor and key; rebuild the table to compare",
         lambda: [signing._read_signature(b, t) for b, t in signed]),
        ("Ed25519 verification (SSHSIG, SHA-512 of the body)", verify_all),
        ("Read the body (`tomlfast`, `tomllib` for anything else)",
         lambda: [tomlfast.loads(t) for t in texts]),
        ("Validate the return (pydantic)",
         lambda: [return_from_dict(doc, source="f") for doc in good]),
        ("Safeguarding scan of the narratives",
         lambda: [scan_fields(r.narratives()) for r in rets]),
    ]  # fmt: skip
    whole = _best(lambda: load_collection(folder, trust, workers=1))
    floor = _best(lambda: [tomllib.loads(d.decode("utf-8")) for d in datas])
    print("| Step | µs per file | Share |\n|---|---|---|")
    total = 0.0
    for name, fn in steps:
        seconds = _best(fn)
        total += seconds
        print(f"| {name} | {seconds / n * 1e6:,.0f} | {seconds / whole:.0%} |")
    rest = whole - total
    print(f"| Everything else: plan rules, superseded revisions, records | "
          f"{rest / n * 1e6:,.0f} | {rest / whole:.0%} |")  # fmt: skip
    print(f"| **Total** (`load_collection`, one core) | **{whole / n * 1e6:,.0f}** | |")
    print(f"| Floor: `tomllib.loads` of the whole file | {floor / n * 1e6:,.0f} | |")
    print(f"\n{n:,} returns; {len(docs)} signed, {len(rets)} verified.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
