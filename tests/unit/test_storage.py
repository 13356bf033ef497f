"""Tests for dapreturn.core.storage: atomic, crash-safe writes and their error messages."""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dapreturn.core import storage
from dapreturn.core.errors import DapreturnError, StorageError

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_writes_content_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "ret.toml"
    storage.atomic_write_bytes(target, b"one\n")
    assert target.read_bytes() == b"one\n"
    storage.atomic_write_bytes(target, b"two\n" * 1000)
    assert target.read_bytes() == b"two\n" * 1000
    assert listing(tmp_path) == ["ret.toml"]


def test_text_is_utf8_without_newline_translation(tmp_path: Path) -> None:
    target = tmp_path / "t.toml"
    storage.atomic_write_text(target, "a\r\nb\n£ — é\n")
    assert target.read_bytes() == "a\r\nb\n£ — é\n".encode()


def test_partial_os_writes_still_write_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    target = tmp_path / "t.bin"
    payload = bytes(range(256)) * 10
    storage.atomic_write_bytes(target, payload)
    monkeypatch.undo()
    assert target.read_bytes() == payload


@posix_only
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644])
def test_mode_honoured(tmp_path: Path, mode: int) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "k"
        storage.atomic_write_bytes(target, b"x", mode=mode)
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == mode


def test_temp_file_is_ours_in_same_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Path] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        seen.append(Path(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    storage.atomic_write_bytes(tmp_path / "a.toml", b"x")
    assert len(seen) == 1
    assert seen[0].parent == tmp_path
    assert seen[0].name.startswith(".a.toml.")
    assert storage.is_temp_name(seen[0].name)


def _failing(code: int) -> Callable[..., Any]:
    def fail(*_args: Any) -> Any:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("func", ["write", "fsync"])
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "disk full while saving {path} — nothing already saved was changed"),
        (errno.EROFS, "cannot write to {folder}: read-only or no permission"),
    ],
)
def test_failure_leaves_target_untouched_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, func: str, code: int, expected: str
) -> None:
    target = tmp_path / "ret.toml"
    target.write_bytes(b"precious")
    monkeypatch.setattr(os, func, _failing(code))
    with pytest.raises(StorageError) as info:
        storage.atomic_write_bytes(target, b"new content" * 1000)
    monkeypatch.undo()
    message = str(info.value)
    assert message.startswith(expected.format(path=target, folder=tmp_path))
    assert "\n" not in message
    assert isinstance(info.value.__cause__, OSError)
    assert target.read_bytes() == b"precious"
    assert listing(tmp_path) == ["ret.toml"]


def test_failure_at_replace_removes_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ret.toml"
    target.write_bytes(b"precious")
    monkeypatch.setattr(storage, "_IS_WINDOWS", False)
    monkeypatch.setattr(os, "replace", _failing(errno.EACCES))
    with pytest.raises(StorageError, match="read-only or no permission"):
        storage.atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"precious"
    assert listing(tmp_path) == ["ret.toml"]


def test_missing_folder_is_named(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "ret.toml"
    with pytest.raises(StorageError, match="does not exist") as info:
        storage.atomic_write_bytes(target, b"x")
    assert str(target) in str(info.value)
    assert isinstance(info.value, DapreturnError)


def test_exclusive_creates_then_refuses(tmp_path: Path) -> None:
    target = tmp_path / "signed.toml"
    storage.atomic_write_bytes(target, b"first", exclusive=True)
    assert target.read_bytes() == b"first"
    with pytest.raises(storage.TargetExistsError) as info:
        storage.atomic_write_bytes(target, b"second", exclusive=True)
    assert isinstance(info.value, FileExistsError)
    assert isinstance(info.value, StorageError)
    assert str(target) in str(info.value)
    assert target.read_bytes() == b"first"
    assert listing(tmp_path) == ["signed.toml"]


def test_exclusive_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FAT-formatted USB sticks have no hard links: fall back, still never clobbering."""
    monkeypatch.setattr(os, "link", _failing(errno.EPERM))
    target = tmp_path / "signed.toml"
    storage.atomic_write_bytes(target, b"first", exclusive=True)
    assert target.read_bytes() == b"first"
    with pytest.raises(storage.TargetExistsError):
        storage.atomic_write_bytes(target, b"second", exclusive=True)
    assert target.read_bytes() == b"first"
    assert listing(tmp_path) == ["signed.toml"]


class FlakyReplace:
    """Stands in for os.replace: raise PermissionError ``failures`` times, then really replace."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0
        self.real = os.replace

    def __call__(self, src: Any, dst: Any) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise PermissionError(13, "The process cannot access the file", str(dst))
        self.real(src, dst)


def test_windows_sharing_violation_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    flaky = FlakyReplace(failures=2)
    monkeypatch.setattr(storage, "_IS_WINDOWS", True)
    monkeypatch.setattr(time, "sleep", sleeps.append)
    monkeypatch.setattr(os, "replace", flaky)
    target = tmp_path / "ret.toml"
    target.write_bytes(b"old")
    storage.atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    assert flaky.calls == 3
    assert len(sleeps) == 2
    assert target.read_bytes() == b"new"
    assert listing(tmp_path) == ["ret.toml"]


def test_windows_file_in_use_gives_up_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    flaky = FlakyReplace(failures=10**6)
    monkeypatch.setattr(storage, "_IS_WINDOWS", True)
    monkeypatch.setattr(time, "sleep", sleeps.append)
    monkeypatch.setattr(os, "replace", flaky)
    target = tmp_path / "ret.toml"
    target.write_bytes(b"old")
    with pytest.raises(StorageError, match="open in another program") as info:
        storage.atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    assert str(target) in str(info.value)
    assert flaky.calls == 10
    assert 0.5 <= sum(sleeps) <= 1.5
    assert target.read_bytes() == b"old"
    assert listing(tmp_path) == ["ret.toml"]


def test_posix_permission_error_is_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flaky = FlakyReplace(failures=1)
    monkeypatch.setattr(storage, "_IS_WINDOWS", False)
    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(StorageError, match="read-only or no permission"):
        storage.atomic_write_bytes(tmp_path / "x", b"new")
    assert flaky.calls == 1


def test_move_file(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"A")
    (tmp_path / "sub").mkdir()
    storage.move_file(tmp_path / "a", tmp_path / "sub" / "b")
    assert (tmp_path / "sub" / "b").read_bytes() == b"A"
    assert not (tmp_path / "a").exists()
    with pytest.raises(StorageError):
        storage.move_file(tmp_path / "a", tmp_path / "sub" / "c")


def test_clean_stale_temps_removes_only_ours(tmp_path: Path) -> None:
    ours = [
        ".ret.toml.0123456789abcdef.tmp",
        ".x.fedcba9876543210.tmp",
        "..dots..a1b2c3d4e5f60718.tmp",
    ]
    others = [
        "ret.toml",
        ".ret.toml.tmp",
        "ret.0123456789abcdef.tmp",
        ".ret.toml.0123456789ABCDEF.tmp",
        ".ret.toml.0123456789abcde.tmp",
        ".ret.toml.0123456789abcdef0.tmp",
        ".ret.toml.0123456789abcdef.tmp.bak",
        ".ret.toml.0123456789abcdeg.tmp",
        ".0123456789abcdef.tmp",
        "notes.txt",
    ]
    for name in ours + others:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / ".dir.0123456789abcdef.tmp").mkdir()
    removed = storage.clean_stale_temps(tmp_path)
    assert sorted(p.name for p in removed) == sorted(ours)
    assert listing(tmp_path) == sorted([*others, ".dir.0123456789abcdef.tmp"])


def test_clean_stale_temps_respects_age(tmp_path: Path) -> None:
    old = tmp_path / ".a.0123456789abcdef.tmp"
    new = tmp_path / ".b.0123456789abcdef.tmp"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    assert storage.clean_stale_temps(tmp_path, older_than=60) == [old]
    assert new.exists()
    assert storage.clean_stale_temps(tmp_path / "missing") == []


def test_leftover_from_failed_write_is_recognised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A temp left by a crash (simulated: the cleanup unlink also fails) is cleaned later."""
    real_unlink = os.unlink
    monkeypatch.setattr(os, "fsync", _failing(errno.EIO))
    monkeypatch.setattr(os, "unlink", _failing(errno.EIO))
    with pytest.raises(StorageError, match="disk reported an error"):
        storage.atomic_write_bytes(tmp_path / "r.toml", b"x")
    monkeypatch.undo()
    assert real_unlink is os.unlink
    leftovers = listing(tmp_path)
    assert len(leftovers) == 1
    assert storage.is_temp_name(leftovers[0])
    assert [p.name for p in storage.clean_stale_temps(tmp_path)] == leftovers
    assert listing(tmp_path) == []
