"""The verification cache: keyed on bytes, trust list and program; never trusted blindly.

Each test loads a realistic folder (``build_scenario``) with a cache in the test's own
``DAPRETURN_HOME`` and compares against a load without the cache, which is the reference.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from builders import (
    TEST_PLAN_TOML,
    TODAY,
    TRUSTED,
    CollectionBuilder,
    build_scenario,
    entry,
    sample_plan,
)
from dapreturn.core import paths
from dapreturn.core.collection import Collection, load_collection
from dapreturn.core.plan import Plan, parse_plan
from dapreturn.core.signing import VerdictState
from dapreturn.core.trust import TrustList
from dapreturn.core.vcache import APPLICATION_ID, CACHE_NAME, VerificationCache
from dapreturn.core.vcache_rows import FORMAT


def _load(
    folder: Path,
    trust: TrustList,
    cache: VerificationCache | None = None,
    plan: Plan | None = None,
) -> Collection:
    plan = plan or sample_plan()
    return load_collection(folder, trust, plans={plan.id: plan}, today=TODAY, cache=cache)


def _same(a: Collection, b: Collection) -> None:
    """Identical records (every field, the parsed return too) and the same plans."""
    assert a.files == b.files
    assert [r.ret for r in a.files] == [r.ret for r in b.files]
    assert [r.problems for r in a.files] == [r.problems for r in b.files]
    assert [r.message for r in a.files] == [r.message for r in b.files]
    assert sorted(a.plans) == sorted(b.plans)


def _cache_path() -> Path:
    return paths.cache_dir() / CACHE_NAME


@pytest.fixture
def scene(tmp_path: Path) -> tuple[Path, TrustList]:
    s = build_scenario(tmp_path / "returns")
    return s.folder, s.builder.trust(TRUSTED)


def test_cache_hit_gives_identical_records_to_a_cold_load(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    reference = _load(folder, trust)
    with VerificationCache() as cache:
        first = _load(folder, trust, cache)
        assert cache.hits == 0 and cache.stored > 0
        stored = cache.stored
    with VerificationCache() as cache:
        second = _load(folder, trust, cache)
        assert cache.hits == stored and cache.stored == 0
    _same(reference, first)
    _same(reference, second)
    assert second.notes == []


def test_changed_bytes_are_verified_again(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    with VerificationCache() as cache:
        _load(folder, trust, cache)
    target = folder / "email" / "test-daps_2018-19-Q2_WMP_r1.toml"
    data = target.read_bytes()
    target.write_bytes(data.replace(b"Funding not yet agreed.", b"Funding agreed."))
    with VerificationCache() as cache:
        after = _load(folder, trust, cache)
        assert cache.stored == 1  # only the changed file was checked (and remembered)
    record = next(r for r in after.files if r.path == target)
    assert record.state is VerdictState.BAD_SIGNATURE
    _same(_load(folder, trust), after)


def test_a_corrupt_cache_file_is_discarded_and_rebuilt(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    path = _cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, it is garbage\x00" * 200)
    with VerificationCache() as cache:
        assert cache.usable and cache.discarded is not None
        loaded = _load(folder, trust, cache)
        assert cache.hits == 0 and cache.stored > 0
    _same(_load(folder, trust), loaded)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.parametrize(
    ("app_id", "version"), [(0x12345678, FORMAT), (APPLICATION_ID, FORMAT + 1), (0, 0)]
)
def test_a_foreign_or_other_version_database_is_discarded(
    scene: tuple[Path, TrustList], app_id: int, version: int
) -> None:
    folder, trust = scene
    path = _cache_path()
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE verdicts (context, digest, state, reason)")
        db.execute(f"PRAGMA application_id = {app_id}")
        db.execute(f"PRAGMA user_version = {version}")
    with VerificationCache() as cache:
        assert cache.usable and cache.discarded
        _same(_load(folder, trust), _load(folder, trust, cache))
    with VerificationCache() as cache:
        assert cache.discarded is None
        _load(folder, trust, cache)
        assert cache.hits > 0


def test_a_trust_list_change_invalidates_cached_verdicts(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    with VerificationCache() as cache:
        _load(folder, trust, cache)
    fewer = CollectionBuilder(folder).trust(tuple(p for p in TRUSTED if p != "BSWA"))
    with VerificationCache() as cache:
        after = _load(folder, fewer, cache)
        assert cache.hits == 0
    bswa = [r for r in after.files if r.partner == "BSWA"]
    assert bswa and all(r.state is VerdictState.UNKNOWN_KEY for r in bswa)
    _same(_load(folder, fewer), after)
    with VerificationCache() as cache:  # the old list's rows were dropped, the new list's kept
        _load(folder, trust, cache)
        assert cache.hits == 0
        _load(folder, trust, cache)
        assert cache.hits > 0


def test_a_plan_change_is_checked_afresh(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    with VerificationCache() as cache:
        before = _load(folder, trust, cache)
    stricter = parse_plan(
        TEST_PLAN_TOML.replace(
            'id = "on_track"\nlabel = "On track"',
            'id = "on_track"\nlabel = "On track"\nrequires_risks = true',
        ),
        source="stricter.toml",
    )
    with VerificationCache() as cache:
        after = _load(folder, trust, cache, plan=stricter)
        assert cache.hits > 0  # verification was reused ...
    _same(_load(folder, trust, plan=stricter), after)  # ... but the rules are the new plan's
    risks = [p for r in after.files for p in r.problems if p.field == "risks"]
    assert len(risks) > len([p for r in before.files for p in r.problems if p.field == "risks"])


def test_a_damaged_row_is_never_trusted(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    with VerificationCache() as cache:
        _load(folder, trust, cache)
    with sqlite3.connect(_cache_path()) as db:
        db.execute("UPDATE verdicts SET ret = '{\"plan\": 42}' WHERE ret IS NOT NULL")
        db.execute("UPDATE verdicts SET state = 'made up' WHERE ret IS NULL")
    with VerificationCache() as cache:
        after = _load(folder, trust, cache)
        assert cache.hits == 0 and cache.stored > 0
    _same(_load(folder, trust), after)


def test_a_stored_return_changed_in_place_is_never_trusted(scene: tuple[Path, TrustList]) -> None:
    # Still valid JSON and a valid return, but not what was stored: its digest does not match,
    # so the file is verified again (and a control character never skips the text checks).
    folder, trust = scene
    with VerificationCache() as cache:
        _load(folder, trust, cache)
    with sqlite3.connect(_cache_path()) as db:
        rows = db.execute("SELECT digest, ret FROM verdicts WHERE ret IS NOT NULL").fetchall()
        assert len(rows) > 1
        for index, (digest, sealed) in enumerate(rows):
            assert '"prepared_by":"' in sealed
            extra = "\\u0001" if index == 0 else "X"  # a control character, or a letter
            changed = sealed.replace('"prepared_by":"', f'"prepared_by":"{extra}', 1)
            db.execute("UPDATE verdicts SET ret = ? WHERE digest = ?", (changed, digest))
    with VerificationCache() as cache:
        after = _load(folder, trust, cache)
        assert cache.stored == len(rows)  # every changed row, and only those, checked again
    _same(_load(folder, trust), after)


def test_a_locked_cache_is_skipped_and_said(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    with VerificationCache():
        pass  # create it
    holder = sqlite3.connect(_cache_path(), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with VerificationCache(timeout=0.05) as cache:
            loaded = _load(folder, trust, cache)
            assert not cache.usable
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert any("verification cache not used" in note for note in loaded.notes)
    _same(_load(folder, trust), loaded)


def test_the_folder_is_never_written(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    before = sorted((p, p.stat().st_mtime_ns) for p in folder.rglob("*"))
    for _ in range(2):
        with VerificationCache() as cache:
            _load(folder, trust, cache)
    assert sorted((p, p.stat().st_mtime_ns) for p in folder.rglob("*")) == before


_CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[3])
    from pathlib import Path
    from builders import TODAY, TRUSTED, CollectionBuilder, sample_plan
    from dapreturn.core.collection import load_collection
    from dapreturn.core.vcache import VerificationCache
    folder = Path(sys.argv[1])
    trust = CollectionBuilder(folder).trust(TRUSTED)
    for _ in range(int(sys.argv[2])):
        with VerificationCache(timeout=30) as cache:
            c = load_collection(folder, trust, plans={"test-daps": sample_plan()}, today=TODAY,
                                cache=cache)
            assert cache.problem is None, cache.problem
    print(sum(r.verified for r in c.files))
    """
)


def test_two_processes_share_the_cache_safely(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    tests = str(Path(__file__).resolve().parent.parent)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(folder), "4", tests],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    expected = sum(r.verified for r in _load(folder, trust).files)
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert int(out) == expected
    with sqlite3.connect(_cache_path()) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_plan_rules_are_checked_again_on_another_day(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    plan = sample_plan()
    early = date(2018, 9, 1)  # 2018/19 Q3 has not started yet then
    with VerificationCache() as cache:
        _load(folder, trust, cache)
    with VerificationCache() as cache:
        got = load_collection(folder, trust, plans={plan.id: plan}, today=early, cache=cache)
    cold = load_collection(folder, trust, plans={plan.id: plan}, today=early)
    _same(cold, got)
    assert any("has not started yet" in p.message for r in got.files for p in r.problems)


def test_plan_rules_follow_the_previous_periods_return(tmp_path: Path) -> None:
    b = CollectionBuilder(tmp_path / "returns")
    trust = b.trust(TRUSTED)
    june, march = date(2019, 6, 30), date(2019, 3, 31)
    b.write(b.make_return("BSWA", "2018/19 Q2", [entry("3h"), entry("3l", target=march)]))
    b.write(b.make_return("BSWA", "2018/19 Q3", [entry("3h"), entry("3l", target=june)]))
    with VerificationCache() as cache:
        before = _load(b.folder, trust, cache)
    assert any("target moved" in p.message for r in before.files for p in r.problems)
    # the previous period's return is replaced by one with the same target: nothing moved
    b.write(b.make_return("BSWA", "2018/19 Q2", [entry("3h"), entry("3l", target=june)]))
    with VerificationCache() as cache:
        after = _load(b.folder, trust, cache)
        assert cache.hits == 1  # Q3 itself was not verified again; its rules were checked again
    _same(_load(b.folder, trust), after)
    assert not any("target moved" in p.message for r in after.files for p in r.problems)


def test_a_damaged_rules_row_is_checked_again(scene: tuple[Path, TrustList]) -> None:
    folder, trust = scene
    with VerificationCache() as cache:
        _load(folder, trust, cache)
    with sqlite3.connect(_cache_path()) as db:
        assert db.execute("SELECT count(*) FROM rules").fetchone()[0] > 0
        db.execute("UPDATE rules SET problems = '[[1, 2]]'")
    with VerificationCache() as cache:
        _same(_load(folder, trust), _load(folder, trust, cache))
