"""Tests for dapreturn.core.filling.drafts: autosaved draft generations per plan/partner/period."""

from __future__ import annotations

import errno
import os
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from dapreturn.core.errors import DapreturnError, StorageError
from dapreturn.core.filling.drafts import DraftInfo, DraftKey, DraftKeyError, DraftStore

KEY = DraftKey(plan="daps-2018-2023", partner="BSWA", period_slug="2018-19-Q3")
T0 = datetime(2019, 1, 15, 10, 30, 0, 123456, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


def test_layout_and_file_name(store: DraftStore, tmp_path: Path) -> None:
    info = store.save(KEY, 'title = "x"\n', now=T0)
    assert store.folder(KEY) == tmp_path / "drafts" / "daps-2018-2023" / "2018-19-Q3" / "BSWA"
    assert info.path == store.folder(KEY) / "draft-20190115T103000.123456Z.toml"
    assert info.path.read_bytes() == b'title = "x"\n'
    assert info.saved_at == T0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_draft_files_are_owner_only(store: DraftStore) -> None:
    info = store.save(KEY, "x", now=T0)
    assert info.path.stat().st_mode & 0o077 == 0


def test_default_root_follows_dapreturn_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAPRETURN_HOME", str(tmp_path / "home"))
    assert DraftStore().root == tmp_path / "home" / "drafts"


def test_save_latest_generations_order(store: DraftStore) -> None:
    assert store.latest(KEY) is None
    assert store.generations(KEY) == []
    store.save(KEY, "a", now=at(0))
    store.save(KEY, "b", now=at(1))
    store.save(KEY, "c", now=at(2))
    gens = store.generations(KEY)
    assert [g.text for g in gens] == ["c", "b", "a"]
    assert [g.saved_at for g in gens] == [at(2), at(1), at(0)]
    latest = store.latest(KEY)
    assert latest is not None
    assert (latest.text, latest.saved_at, latest.skipped) == ("c", at(2), ())


def test_now_in_other_timezone_is_stored_as_utc(store: DraftStore) -> None:
    local = T0.astimezone(timezone(timedelta(hours=5)))
    assert store.save(KEY, "x", now=local).saved_at == T0
    assert store.generations(KEY)[0].saved_at.utcoffset() == timedelta(0)


def test_prunes_to_keep(tmp_path: Path) -> None:
    store = DraftStore(tmp_path, keep=3)
    for i in range(6):
        store.save(KEY, f"v{i}", now=at(i))
    assert [g.text for g in store.generations(KEY)] == ["v5", "v4", "v3"]
    assert len(os.listdir(store.folder(KEY))) == 3


def test_keep_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="keep"):
        DraftStore(tmp_path, keep=0)


def test_same_instant_never_overwrites(store: DraftStore) -> None:
    store.save(KEY, "first", now=T0)
    second = store.save(KEY, "second", now=T0)
    assert second.saved_at > T0
    assert [g.text for g in store.generations(KEY)] == ["second", "first"]


def test_clock_stepping_back_does_not_hide_new_work(store: DraftStore) -> None:
    store.save(KEY, "before", now=at(3600))
    store.save(KEY, "after clock change", now=at(0))
    latest = store.latest(KEY)
    assert latest is not None
    assert latest.text == "after clock change"
    assert latest.saved_at > at(3600)


def test_set_aside_keeps_files_and_clears_latest(store: DraftStore) -> None:
    first = store.save(KEY, "a", now=at(0))
    second = store.save(KEY, "b", now=at(1))
    kept = store.set_aside(KEY, now=at(2))
    assert kept == store.folder(KEY) / "kept-20190115T103002.123456Z"
    assert sorted(p.name for p in kept.iterdir()) == [first.path.name, second.path.name]
    assert (kept / second.path.name).read_text() == "b"
    assert store.latest(KEY) is None
    assert store.generations(KEY) == []
    assert store.set_aside(KEY) is None
    store.save(KEY, "fresh", now=at(3))
    latest = store.latest(KEY)
    assert latest is not None
    assert latest.text == "fresh"
    assert (kept / first.path.name).read_text() == "a"
    kept2 = store.set_aside(KEY, now=at(2))  # same instant as the first set-aside
    assert kept2 is not None
    assert kept2 != kept
    assert len(list(kept.iterdir())) == 2


def test_damaged_generations_are_skipped_and_reported(store: DraftStore) -> None:
    good = store.save(KEY, "good ✓", now=at(0))
    folder = store.folder(KEY)
    (folder / "draft-20190115T103001.123456Z.toml").write_bytes(b"\xff\xfe not utf-8")
    (folder / "draft-20190115T103002.123456Z.toml").write_bytes(b"")
    (folder / "draft-20190115T103003.123456Z.toml").write_bytes(b"abc\x00\x00\x00")
    (folder / "draft-20191315T103003.123456Z.toml").write_bytes(b"month 13: not ours")
    (folder / "notes.txt").write_text("not a draft")
    latest = store.latest(KEY)
    assert latest is not None
    assert latest.path == good.path
    assert latest.text == "good ✓"
    reasons = [p.reason for p in latest.skipped]
    assert len(reasons) == 3
    assert "NUL" in reasons[0]
    assert "empty" in reasons[1]
    assert "not UTF-8" in reasons[2]
    assert all(str(folder) in r for r in reasons)
    assert [g.text for g in store.generations(KEY)] == ["good ✓"]
    assert len(store.problems(KEY)) == 3


def test_only_damaged_generations_means_no_draft(store: DraftStore) -> None:
    folder = store.folder(KEY)
    folder.mkdir(parents=True)
    (folder / "draft-20190115T103001.123456Z.toml").write_bytes(b"\xff")
    assert store.latest(KEY) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("partner", "../BSWA"),
        ("partner", "a/b"),
        ("partner", "a\\b"),
        ("plan", ".."),
        ("plan", "x..y"),
        ("plan", ""),
        ("period_slug", ".hidden"),
        ("period_slug", "2018-19-Q3."),
        ("partner", "A B"),
        ("partner", "C:"),
        ("plan", "a" * 101),
    ],
)
def test_key_validation(field: str, value: str) -> None:
    parts = {"plan": "daps", "partner": "BSWA", "period_slug": "2018-19-Q3"}
    parts[field] = value
    with pytest.raises(DraftKeyError) as info:
        DraftKey(**parts)
    assert isinstance(info.value, DapreturnError)
    assert repr(value) in str(info.value)


def test_windows_device_names_get_safe_folders(store: DraftStore) -> None:
    key = DraftKey(plan="daps", partner="CON", period_slug="2018-19-Q3")
    store.save(key, "x", now=T0)
    assert store.folder(key).name == "CON_"
    assert [k for k, _ in store.all_drafts()] == [key]


def test_all_drafts_lists_latest_per_key_newest_first(store: DraftStore) -> None:
    other = DraftKey(plan="daps-2018-2023", partner="WMP", period_slug="2018-19-Q4")
    store.save(KEY, "k1", now=at(0))
    store.save(KEY, "k2", now=at(5))
    store.save(other, "o1", now=at(1))
    empty = DraftKey(plan="daps-2018-2023", partner="BCC", period_slug="2018-19-Q4")
    store.save(empty, "e", now=at(2))
    store.set_aside(empty, now=at(3))
    (store.root / "daps-2018-2023" / "junk file").write_text("x")
    (store.root / "bad..name" / "p" / "q").mkdir(parents=True)
    listed = store.all_drafts()
    assert [(k, i.text) for k, i in listed] == [(KEY, "k2"), (other, "o1")]
    assert all(isinstance(i, DraftInfo) for _, i in listed)
    assert DraftStore(store.root / "missing").all_drafts() == []


def test_stale_temps_cleaned_on_open(store: DraftStore) -> None:
    folder = store.folder(KEY)
    folder.mkdir(parents=True)
    old = folder / ".draft-x.toml.0123456789abcdef.tmp"
    fresh = folder / ".draft-y.toml.0123456789abcdef.tmp"
    old.write_text("half")
    fresh.write_text("being written by another process")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    assert store.latest(KEY) is None
    assert not old.exists()
    assert fresh.exists()


def test_failed_save_keeps_previous_generation(
    store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(KEY, "typed work", now=at(0))

    def disk_full(*_args: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(StorageError, match="disk full"):
        store.save(KEY, "more work", now=at(1))
    monkeypatch.undo()
    assert [g.text for g in store.generations(KEY)] == ["typed work"]
    assert len(os.listdir(store.folder(KEY))) == 1


def test_concurrent_saves_never_corrupt(tmp_path: Path) -> None:
    """4 writer threads x 25 saves (plus a reader) on one key and two store objects."""
    stores = [DraftStore(tmp_path), DraftStore(tmp_path)]
    texts: set[str] = set()
    errors: list[Exception] = []
    bad_reads: list[str] = []
    done = threading.Event()

    def writer(n: int) -> None:
        try:
            for i in range(25):
                text = f"# writer {n} save {i}\n" + f"narrative = '{n}-{i}'\n" * (50 + i)
                texts.add(text)
                stores[n % 2].save(KEY, text)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    def reader() -> None:
        seen_one = False
        while not done.is_set():
            info = stores[0].latest(KEY)
            if info is None:
                if seen_one:
                    bad_reads.append("draft vanished")
                continue
            seen_one = True
            if info.skipped or not info.text.startswith("# writer "):
                bad_reads.append(info.text[:40])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    watcher.join()

    assert errors == []
    assert bad_reads == []
    gens = stores[1].generations(KEY)
    assert len(gens) == 5
    assert all(g.text in texts for g in gens)
    assert len({g.saved_at for g in gens}) == 5
    assert sorted(os.listdir(stores[0].folder(KEY))) == sorted(g.path.name for g in gens)
    assert len(texts) == 100
