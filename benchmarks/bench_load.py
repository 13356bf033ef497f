"""Loading a collection: cold (every core, one core), from the cache, growth, peak memory.

The floor for loading is ``tomllib.loads`` of the same bytes (already in memory): every byte of
a return has to be parsed once, and that is all it costs to merely *read* one. Loading also
verifies the Ed25519 signature, validates the return, scans its narratives for personal data and
checks it against its plan, so the ratio says what all of that adds on top of parsing.
"""

from __future__ import annotations

import tempfile
import tomllib
from functools import partial
from pathlib import Path

import dataset
from common import BENCH, Result, best_of, paired, run_child

from dapreturn.core.collection import load_collection
from dapreturn.core.trust import TrustList, load_trust
from dapreturn.core.vcache import CACHE_NAME, VerificationCache


def _bare(folder: Path) -> float:
    """Best-of-one time to ``tomllib.loads`` every return's bytes (read beforehand)."""
    datas = [p.read_bytes() for p in sorted(folder.glob("*.toml"))]
    return best_of(lambda: [tomllib.loads(d.decode("utf-8")) for d in datas], 1)


def loading(sizes: tuple[int, ...], repeat: int) -> tuple[list[Result], dict[int, float]]:
    """Cold loads against bare parsing; returns the results and the cold (auto) time per size."""
    results: list[Result] = []
    cold: dict[int, float] = {}
    for n in sizes:
        folder = dataset.collection(n)
        trust = load_trust(dataset.trust_file(folder))
        datas = [p.read_bytes() for p in sorted(folder.glob("*.toml"))]

        def bare(datas: list[bytes] = datas) -> None:
            for d in datas:
                tomllib.loads(d.decode("utf-8"))

        for workers, label in ((None, "all cores"), (1, "one core")):
            load = partial(load_collection, folder, trust, workers=workers)
            seconds, floor = paired(load, bare, repeat)
            if workers is None:
                cold[n] = seconds
            results.append(
                Result(
                    f"Load + verify + validate {n:,} returns, cold, {label}",
                    seconds,
                    "s",
                    floor,
                    "tomllib.loads of the same bytes",
                    "<= 1.2x",
                    seconds <= 1.2 * floor,
                    f"{n / seconds:,.0f} files/s",
                )
            )
    return results, cold


def cached(n: int, cold_seconds: float, repeat: int) -> list[Result]:
    """Re-opening an unchanged folder with the verification cache, against the cold load."""
    folder = dataset.collection(n)
    trust = load_trust(dataset.trust_file(folder))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / CACHE_NAME

        def load() -> None:
            with VerificationCache(path) as cache:
                load_collection(folder, trust, cache=cache)
                assert cache.problem is None, cache.problem

        first = best_of(load, 1)  # cold, and the cache filled
        warm = best_of(load, repeat)
        size_mb = path.stat().st_size / 1e6
    return [
        Result(
            f"Cold load of {n:,} returns that also fills the cache",
            first,
            "s",
            cold_seconds,
            "cold load without cache",
            "",
            None,
            f"cache file {size_mb:.0f} MB",
        ),
        Result(
            f"Re-open unchanged {n:,} returns (verification cache)",
            warm,
            "s",
            cold_seconds,
            "cold load, all cores",
            "<= 0.2x",
            warm <= 0.2 * cold_seconds,
            f"{n / warm:,.0f} files/s",
        ),
    ]


def scaling(sizes: tuple[int, ...], repeat: int) -> list[Result]:
    """Cost per file at each size: cold on one core, cold on all cores, from the cache."""
    results = []
    for n in sizes:
        folder = dataset.collection(n)
        trust = load_trust(dataset.trust_file(folder))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / CACHE_NAME

            def warm(folder: Path = folder, trust: TrustList = trust, path: Path = path) -> None:
                with VerificationCache(path) as cache:
                    load_collection(folder, trust, cache=cache)

            warm()
            times = {
                "one core": best_of(partial(load_collection, folder, trust, workers=1), repeat),
                "all cores": best_of(partial(load_collection, folder, trust), repeat),
                "cache": best_of(warm, repeat),
            }
        floor = _bare(folder)
        for label, seconds in times.items():
            results.append(
                Result(
                    f"Per file, {n:,} returns, {label}",
                    seconds / n * 1e6,
                    "µs",
                    floor / n * 1e6,
                    "tomllib per file",
                    "",
                    None,
                    "",
                )
            )
    return results


def memory(n: int) -> list[Result]:
    """Peak RSS of a process holding ``n`` loaded returns (cold, then from the cache)."""
    folder = dataset.collection(n)
    child = str(BENCH / "_memory_child.py")
    floor = float(run_child([child, "none", str(folder)])["maxrss_mb"])
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(Path(tmp) / CACHE_NAME)
        for mode, label in (("cold", "cold, all cores"), ("cache", "from the cache")):
            if mode == "cache":
                run_child([child, "cold-fill", str(folder), cache])
            got = run_child([child, mode, str(folder), cache])
            mb = float(got["maxrss_mb"])
            out.append(
                Result(
                    f"Peak RSS with {n:,} returns loaded ({label})",
                    mb,
                    "MB",
                    floor,
                    "same process, nothing loaded",
                    "<= 250 MB",
                    mb <= 250,
                    f"{got['verified']} verified",
                )
            )
    return out
