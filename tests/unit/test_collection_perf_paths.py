"""The fast paths give the same answers as the plain ones, and never hide an error.

- loading in worker processes gives the same records (and progress) as loading in one;
- an exception while checking a file is raised, even from a worker process;
- workers that cannot start or that die are reported, and the rest is checked in-process;
- a small folder never starts workers;
- the regex control-character check and the cached TOML writer match their slow originals;
- ``Verdict.doc`` is the parsed body, so the body is parsed once.
"""

from __future__ import annotations

import gc
import os
import random
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from builders import TODAY, TRUSTED, build_scenario, sample_plan
from dapreturn.core import pool, returns, tomlio
from dapreturn.core.collection import Collection, load_collection
from dapreturn.core.returns import Entry, KpiFigure, Return
from dapreturn.core.signing import split_signed, verify_bytes
from dapreturn.core.trust import TrustEntry, TrustList
from dapreturn.core.vcache import VerificationCache


def _load(folder: Path, trust: TrustList, **kw: Any) -> Collection:
    return load_collection(folder, trust, plans={"test-daps": sample_plan()}, today=TODAY, **kw)


@pytest.fixture
def scene(tmp_path: Path) -> tuple[Path, TrustList]:
    s = build_scenario(tmp_path / "returns")
    return s.folder, s.builder.trust(TRUSTED)


@pytest.mark.parametrize("chunk", [1, 2, 32])
def test_workers_give_the_same_records_and_progress(
    scene: tuple[Path, TrustList], chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "CHUNK", chunk)  # small chunks: this process does some too
    folder, trust = scene
    serial_calls: list[tuple[int, int]] = []
    parallel_calls: list[tuple[int, int]] = []
    serial = _load(folder, trust, workers=1, progress=lambda *a: serial_calls.append(a))
    parallel = _load(folder, trust, workers=2, progress=lambda *a: parallel_calls.append(a))
    assert parallel.files == serial.files
    assert [r.ret for r in parallel.files] == [r.ret for r in serial.files]
    assert parallel_calls == serial_calls
    assert parallel.notes == []


def test_workers_fill_the_cache_the_same_way(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    with VerificationCache() as cache:
        cold = _load(folder, trust, workers=2, cache=cache)
    with VerificationCache() as cache:
        warm = _load(folder, trust, workers=2, cache=cache)
        assert cache.hits > 0 and cache.stored == 0
    assert warm.files == cold.files == _load(folder, trust, workers=1).files


@dataclass(frozen=True)
class ExplodingTrust(TrustList):
    """A trust list whose lookup fails (a bug while checking a file) in ``where`` processes."""

    parent: int = 0
    where: str = "everywhere"

    def entries_for_key(self, public_key: Ed25519PublicKey) -> list[TrustEntry]:
        """Raise, as a bug would (only in worker processes when ``where`` says so)."""
        if self.where == "everywhere" or os.getpid() != self.parent:
            raise RuntimeError("boom while checking")
        return super().entries_for_key(public_key)


@dataclass(frozen=True)
class DyingTrust(TrustList):
    """A trust list that kills any process but the one that made it (a worker dying)."""

    parent: int = 0

    def entries_for_key(self, public_key: Ed25519PublicKey) -> list[TrustEntry]:
        """Die in a worker; behave normally in the parent."""
        if os.getpid() != self.parent:
            os._exit(3)
        return super().entries_for_key(public_key)


@pytest.mark.parametrize(("workers", "where"), [(1, "everywhere"), (2, "workers only")])
def test_an_error_while_checking_is_raised_not_swallowed(
    scene: tuple[Path, TrustList], workers: int, where: str
) -> None:
    folder, trust = scene
    exploding = ExplodingTrust(trust.source, trust.entries, os.getpid(), where)
    with pytest.raises(RuntimeError, match="boom while checking"):
        _load(folder, exploding, workers=workers)


@pytest.mark.parametrize("chunk", [2, 32])
def test_dead_workers_are_reported_and_the_rest_checked_here(
    scene: tuple[Path, TrustList], chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "CHUNK", chunk)
    folder, trust = scene
    dying = DyingTrust(trust.source, trust.entries, os.getpid())
    loaded = _load(folder, dying, workers=2)
    assert loaded.files == _load(folder, trust, workers=1).files
    assert any("worker process stopped" in note for note in loaded.notes)


def test_workers_that_cannot_start_are_reported(
    scene: tuple[Path, TrustList], monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoProcesses:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def submit(self, *args: object) -> None:
            raise OSError("no processes here")

        def shutdown(self, **kwargs: object) -> None:
            pass

    folder, trust = scene
    monkeypatch.setattr(pool, "ProcessPoolExecutor", NoProcesses)
    loaded = _load(folder, trust, workers=2)
    assert loaded.files == _load(folder, trust, workers=1).files
    assert any("could not be started" in note for note in loaded.notes)


def test_a_small_folder_never_starts_workers(
    scene: tuple[Path, TrustList], monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was started for a small folder")

    folder, trust = scene
    monkeypatch.setattr(pool, "ProcessPoolExecutor", forbidden)
    monkeypatch.setattr(pool, "default_workers", lambda: 8)
    assert _load(folder, trust).notes == []


def _control_char_reference(text: str, allowed: str) -> str | None:
    """The check character by character (controls, separators, bidi embeddings/overrides)."""
    for i, ch in enumerate(text):
        refused = (
            unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
        )
        if ch not in allowed and refused:
            name = returns._CONTROL_NAMES.get(ch, "control character")
            return f"contains a {name} (U+{ord(ch):04X}) at character {i + 1}; remove it"
    return None


def test_control_character_regex_matches_the_original() -> None:
    rng = random.Random(7)
    pool_chars = [chr(c) for c in range(0x00, 0x100)] + list("\u2028\u2029\u200b\u202e\ufeffé")
    pool_chars += list("plain text \n\t") * 20
    for _ in range(20_000):
        text = "".join(rng.choice(pool_chars) for _ in range(rng.randint(0, 12)))
        for allowed in ("", "\n\t"):
            assert returns._control_char(text, allowed) == _control_char_reference(text, allowed)


@pytest.mark.parametrize(
    "tables",
    [
        [{"a": 1}, {"a": True}, {"a": 1}],
        [{"v": 0.0}, {"v": -0.0}],
        [{"d": date(2019, 1, 1)}, {"d": "2019-01-01"}],
        [{"r": ["x", "y"]}, {"r": ["x\ny"]}, {"r": ["x", "y"]}],
        [{"t": "a\n[signature]\nb"}, {"t": "a\nb"}],
    ],
)
def test_cached_table_writer_matches_tomli_w(tables: list[dict[str, Any]]) -> None:
    for table in tables:
        assert tomlio._dumps(table) == tomlio._dumps_uncached(table)


def test_verdict_carries_the_parsed_body(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    data = next(folder.glob("test-daps_2018-19-Q3_VAWC-SG_r1.toml")).read_bytes()
    verdict = verify_bytes(data, trust, source="f")
    assert verdict.ok
    assert verdict.doc == tomllib.loads(split_signed(data)[0].decode())
    assert verdict == verify_bytes(data, trust, source="f")


def _dump_reference(ret: Return) -> str:
    """The return body as ``dump_return`` wrote it before its tables were remembered."""
    data = tomlio.return_to_dict(ret)
    entries, kpis = data.pop("entries"), data.pop("kpis")
    submitted = data.pop("submitted_at", None)
    parts = [tomlio._dumps_uncached(data)]
    if isinstance(submitted, datetime):
        parts.append(f"submitted_at = {tomlio._utc_text(submitted)}\n")
    for name, tables in (("entries", entries), ("kpis", kpis)):
        assert isinstance(tables, list)
        for table in tables:
            parts.append(f"\n[[{name}]]\n")
            parts.append(tomlio._dumps_uncached(table))
    return "".join(parts)


def test_remembered_return_writer_matches_the_original() -> None:
    rng = random.Random(11)
    texts = [
        "",
        "plain",
        'say "hi"',
        "two\nlines",
        "a\n[signature]\nb",
        "é 😀 עברית",
        "back\\slash",
    ]
    days = [None, date(2018, 4, 1), date(2020, 3, 31)]
    for _ in range(400):
        entries = [
            Entry(
                ref=f"{i}a",
                role=rng.choice(["lead", "contributor"]),
                status=rng.choice(["", "on_track", "complete"]),
                started=rng.choice(days),
                target=rng.choice(days),
                completed=rng.choice(days),
                responsible=rng.sample(["Jo", "Sam, lead", 'A "B"'], rng.randint(0, 3)),
                action_taken=rng.choice(texts),
                next_steps=rng.choice(texts),
                risks=rng.choice(texts),
            )
            for i in range(rng.randint(0, 5))
        ]
        kpis = [KpiFigure(id="K1", value=rng.choice([None, 0, 1, 1.0, -0.0, 2.5]), note="n")]
        ret = Return(
            plan="p",
            period="2018/19 Q3",
            partner="BSWA",
            prepared_by=rng.choice(["", "Jo"]),
            submitted_at=rng.choice([None, datetime(2019, 1, 2, 3, 4, 5, tzinfo=UTC)]),
            entries=entries,
            kpis=kpis,
        )
        assert tomlio.dump_return(ret) == _dump_reference(ret)
        if entries:  # a change made in place is written (nothing stale is remembered)
            entries[0].action_taken = "changed just now"
            assert tomlio.dump_return(ret) == _dump_reference(ret)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(
    scene: tuple[Path, TrustList], enabled: bool
) -> None:
    folder, trust = scene
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        _load(folder, trust)
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError):
            _load(folder, ExplodingTrust(trust.source, trust.entries), workers=1)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
