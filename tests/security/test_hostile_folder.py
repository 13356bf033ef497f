"""Hostile files on the officer side: ``load_collection`` on a folder someone else filled.

The folder holds huge files, deeply nested TOML, symbolic links leading out of it, file names
with path tricks and terminal escapes, a FIFO, plan files claiming ids they must not, and a few
genuine returns. Checked:

- nothing crashes and every file gets a record with a one-line reason;
- only the genuine returns count;
- huge files are refused with a message, unread;
- links are never followed, and nothing outside the folder is opened (every ``open``,
  ``os.open`` and ``os.scandir`` is recorded; a sentinel folder outside is never touched);
- nothing inside or outside the folder is written, renamed or deleted (every write-capable call
  is recorded, and both folders are snapshotted before and after).
"""

from __future__ import annotations

import builtins
import io
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from secsupport import (
    BSWA_KEY,
    MINI_PLAN_PATH,
    T0,
    TODAY,
    WMP_KEY,
    mini_plan,
    one_line,
    ready_return,
    trust_list,
)

from dapreturn.core.collection.load import PLAN_FILE_NOTE, Collection, load_collection
from dapreturn.core.plan.model import bundled_plans_dir
from dapreturn.core.returns.tomlio import dump_return
from dapreturn.core.signing.files import sign_body

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks and FIFOs (POSIX)")

TRUST = trust_list(("BSWA", BSWA_KEY), ("WMP", WMP_KEY))
MINI = mini_plan()
MAX = 5 * 1024 * 1024


def _signed(
    revision: int = 1, *, text: str = "Trained 12 ambassadors.", plan: str = "mini"
) -> bytes:
    ret = ready_return(action_taken=text).model_copy(
        update={"revision": revision, "submitted_at": T0, "plan": plan}
    )
    return sign_body(dump_return(ret).encode(), BSWA_KEY, "BSWA")


# --- recording every file access ------------------------------------------------------------


@dataclass
class Access:
    opened: list[tuple[str, str]] = field(default_factory=list)
    """(absolute path, how) for every open/os.open/scandir/listdir."""
    writes: list[tuple[str, str]] = field(default_factory=list)
    """(call, path) for every call that could change the disk."""
    followed_links: list[str] = field(default_factory=list)
    """os.open of a symlink without O_NOFOLLOW."""


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@contextmanager
def recording() -> Iterator[Access]:
    access = Access()
    real_open, real_os_open = builtins.open, os.open
    real_scandir, real_listdir = os.scandir, os.listdir

    def _abs(path: Any) -> str:
        return (
            os.path.abspath(os.fsdecode(path))
            if isinstance(path, (str, bytes, os.PathLike))
            else str(path)
        )

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if not isinstance(file, int):
            access.opened.append((_abs(file), f"open:{mode}"))
            if any(c in mode for c in "wax+"):
                access.writes.append(("open", _abs(file)))
        return real_open(file, mode, *args, **kwargs)

    def _fd_path(fd: int) -> str:
        """Where an open folder descriptor is (the loader opens relative to them)."""
        return os.readlink(f"/proc/self/fd/{fd}")

    def fake_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        dir_fd = kwargs.get("dir_fd")
        where = _abs(path) if dir_fd is None else os.path.join(_fd_path(dir_fd), path)
        access.opened.append((where, "os.open"))
        if flags & _WRITE_FLAGS:
            access.writes.append(("os.open", where))
        if os.path.islink(where) and not flags & getattr(os, "O_NOFOLLOW", 0):
            access.followed_links.append(where)
        return real_os_open(path, flags, *args, **kwargs)

    def fake_scandir(path: Any = ".") -> Any:
        where = _fd_path(path) if isinstance(path, int) else _abs(path)
        access.opened.append((where, "scandir"))
        return real_scandir(path)

    def fake_listdir(path: Any = ".") -> Any:
        if not isinstance(path, int):
            access.opened.append((_abs(path), "listdir"))
        return real_listdir(path)

    def forbid(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            access.writes.append((name, _abs(args[0]) if args else "?"))
            return real(*args, **kwargs)

        return wrapper

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(io, "open", fake_open)
        monkeypatch.setattr(os, "open", fake_os_open)
        monkeypatch.setattr(os, "scandir", fake_scandir)
        monkeypatch.setattr(os, "listdir", fake_listdir)
        for name in (
            "replace",
            "rename",
            "unlink",
            "remove",
            "rmdir",
            "mkdir",
            "makedirs",
            "link",
            "symlink",
            "chmod",
            "utime",
            "truncate",
        ):
            monkeypatch.setattr(os, name, forbid(f"os.{name}", getattr(os, name)))
        yield access


def _snapshot(root: Path) -> dict[str, tuple[int, int, int, bytes | None]]:
    """(mode, size, mtime_ns, first bytes) of everything under ``root``, links not followed."""
    shot: dict[str, tuple[int, int, int, bytes | None]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*dirnames, *filenames]:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            head = None
            if os.path.isfile(path) and not os.path.islink(path) and st.st_size < 1_000_000:
                with open(path, "rb") as handle:
                    head = handle.read()
            shot[os.path.relpath(path, root)] = (st.st_mode, st.st_size, st.st_mtime_ns, head)
    return shot


# --- the hostile folder -------------------------------------------------------------------------


@pytest.fixture
def scene(tmp_path: Path) -> tuple[Path, Path]:
    """(collection folder, sentinel folder outside it)."""
    folder, outside = tmp_path / "collected", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    # genuine returns: one at the top, one (a later revision) in a subfolder
    (folder / "mini_2018-19-Q3_BSWA_r1.toml").write_bytes(_signed(1))
    (folder / "email-2019-01").mkdir()
    (folder / "email-2019-01" / "mini_2018-19-Q3_BSWA_r2.toml").write_bytes(
        _signed(2, text="Rev 2.")
    )
    # outside: a genuine, *higher* revision and a plan the links point at
    (outside / "mini_2018-19-Q3_BSWA_r9.toml").write_bytes(_signed(9, text="OUTSIDE"))
    (outside / "secret-plan.toml").write_text(
        MINI_PLAN_PATH.read_text().replace('"mini"', '"secret"')
    )
    (outside / "sub").mkdir()
    (outside / "sub" / "mini_2018-19-Q3_BSWA_r8.toml").write_bytes(_signed(8, text="OUTSIDE"))

    # huge files, refused unread
    with open(folder / "huge-sparse.toml", "wb") as handle:
        handle.truncate(64 * MAX)
    (folder / "just-over.toml").write_bytes(_signed(3) + b"#" * (MAX + 1 - len(_signed(3))))
    (folder / "huge-plan.toml").write_bytes(b'schema = "dapreturn/plan/v1"\n' + b"#" * MAX)

    # deeply nested TOML: as a return, inside a signature table, as a plan
    (folder / "deep.toml").write_bytes(b'schema = "dapreturn/return/v1"\na = ' + b"[" * 50_000)
    (folder / "deep-table.toml").write_bytes(
        _signed(4).split(b"[signature]")[0] + b"[signature]\na = " + b"{a=" * 20_000
    )
    (folder / "deep-plan.toml").write_bytes(b'schema = "dapreturn/plan/v1"\nid = ' + b"[" * 50_000)

    # symbolic links leading out, dangling, looping
    (folder / "link-to-outside-return.toml").symlink_to(outside / "mini_2018-19-Q3_BSWA_r9.toml")
    (folder / "link-to-outside-plan.toml").symlink_to(outside / "secret-plan.toml")
    (folder / "linked-folder").symlink_to(outside / "sub", target_is_directory=True)
    (folder / "parent-link").symlink_to(folder.parent, target_is_directory=True)
    (folder / "dangling.toml").symlink_to(outside / "nothing-here.toml")
    (folder / "etc-passwd.toml").symlink_to("/etc/passwd")

    # names with path tricks (the content is junk or a genuine return under a lying name)
    tricks = [
        "..toml",
        "-rf.toml",
        "a\nb.toml",
        "\x1b[2J\x1b[31mverified.toml",
        "evil\u202elmot.toml",
        "x" * 250 + ".toml",
        ".hidden.toml",
        "UPPER.TOML",
        "a\\..\\b.toml",
        "con.toml",
        " leading-space.toml",
        "ünïcödé-名前.toml",
    ]
    for name in tricks:
        (folder / name).write_bytes(b'schema = "dapreturn/return/v1"\npartner = "BSWA"\n')
    (folder / "mini_2018-19-Q3_WMP_r7.toml").write_bytes(_signed(2, text="Rev 2."))  # lying name
    (folder / "review-ledger.toml").write_bytes(b"not read as a return\n")
    (folder / "dir.toml").mkdir()
    (folder / "dir.toml" / "inner.toml").write_bytes(b"junk")
    os.mkfifo(folder / "pipe.toml")

    # plan files that claim ids they must not (and one that is fine)
    (folder / "fake-daps.toml").write_text(
        MINI_PLAN_PATH.read_text().replace('id = "mini"', 'id = "daps-2018-2023"')
    )
    (folder / "fake-mini.toml").write_text(MINI_PLAN_PATH.read_text())
    other = MINI_PLAN_PATH.read_text().replace('id = "mini"', 'id = "other"')
    (folder / "other-1.toml").write_text(other)
    (folder / "other-2.toml").write_text(other.replace("Mini plan", "Impostor plan"))
    (folder / "forever.toml").write_text(
        other.replace('id = "other"', 'id = "forever"').replace(
            "end = 2020-03-31", "end = 9999-12-31"
        )
    )
    (folder / "forever_2018-19-Q3_BSWA_r1.toml").write_bytes(_signed(1, plan="forever"))
    # genuinely signed, but with values at the edge of what the code can handle
    body = _signed(5).split(b"[signature]")[0]
    for name, old, new in [
        ("edge-period.toml", b'period = "2018/19 Q3"', b'period = "1900/01 Q1"'),
        ("edge-time.toml", b"2019-01-10T09:30:00Z", b"9999-12-31T23:59:59-01:00"),
    ]:
        (folder / name).write_bytes(sign_body(body.replace(old, new), BSWA_KEY, "BSWA"))
    return folder, outside


def _load(folder: Path) -> Collection:
    """load_collection in a thread with a deadline (a FIFO must not hang it)."""
    result: list[Collection] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(load_collection(folder, TRUST, plans={"mini": MINI}, today=TODAY))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "load_collection hung (a FIFO or a link loop?)"
    if errors:
        raise errors[0]
    return result[0]


def test_nothing_crashes_and_only_genuine_returns_count(scene: tuple[Path, Path]) -> None:
    folder, outside = scene
    before_in, before_out = _snapshot(folder), _snapshot(outside)
    with recording() as access:
        collection = _load(folder)
    records = {r.rel: r for r in collection.files}

    # only the genuine returns (and the lying name, which is the same genuine r2) are verified
    verified = sorted(r.rel for r in collection.files if r.verified)
    assert verified == [
        "email-2019-01/mini_2018-19-Q3_BSWA_r2.toml",
        "forever_2018-19-Q3_BSWA_r1.toml",  # genuine, but its plan is not known here:
        "mini_2018-19-Q3_BSWA_r1.toml",
        "mini_2018-19-Q3_WMP_r7.toml",
    ]
    forever = records["forever_2018-19-Q3_BSWA_r1.toml"]
    assert [p.field for p in forever.problems][:1] == ["plan"]  # ... so it is flagged
    current = collection.current("mini", "2018/19 Q3")
    assert set(current) == {"BSWA"}
    assert current["BSWA"].revision == 2
    entry = current["BSWA"].entry("3l")
    assert entry is not None and "OUTSIDE" not in entry.action_taken
    lying = records["mini_2018-19-Q3_WMP_r7.toml"]
    assert lying.partner == "BSWA"  # the signed content counts, never the file name
    assert any(p.field == "file name" for p in lying.problems)

    # every record's reason is one line; refused files say why
    for record in collection.files:
        assert one_line(record.reason), (record.rel, record.reason)
    for name in ("huge-sparse.toml", "just-over.toml", "huge-plan.toml"):
        assert records[name].state.name == "INVALID" and "too large" in records[name].reason
    for name in (
        "link-to-outside-return.toml",
        "link-to-outside-plan.toml",
        "dangling.toml",
        "linked-folder",
        "parent-link",
        "etc-passwd.toml",
    ):
        assert "symbolic link" in records[name].reason, (name, records[name].reason)
    assert not any(rel.startswith(("linked-folder/", "parent-link/")) for rel in records)
    assert "not a regular file" in records["pipe.toml"].reason
    assert "dir.toml/inner.toml" in records
    assert "review-ledger.toml" not in records
    for name in ("edge-period.toml", "edge-time.toml"):
        assert records[name].state.name == "INVALID", records[name]
    for name in ("deep.toml", "deep-table.toml"):
        assert records[name].state.name == "INVALID" and "deep" in records[name].reason

    # plan files in the folder are listed and never used, whatever id they claim
    assert collection.plans == {"mini": MINI}
    plan_files = {r.rel for r in collection.files if r.reason == PLAN_FILE_NOTE}
    assert plan_files >= {
        "fake-daps.toml",
        "fake-mini.toml",
        "other-1.toml",
        "other-2.toml",
        "forever.toml",
        "deep-plan.toml",
    }

    # nothing outside the folder was opened, listed or followed; nothing anywhere was written
    opened_names = {os.path.basename(path) for path, how in access.opened if how == "os.open"}
    assert "mini_2018-19-Q3_BSWA_r1.toml" in opened_names  # the recorder saw the reads
    bundled = os.path.abspath(bundled_plans_dir())
    inside = os.path.abspath(folder)
    for path, how in access.opened:
        real = os.path.realpath(path)
        assert not real.startswith(os.path.abspath(outside)), (path, how)
        assert path.startswith(inside + os.sep) or path == inside or path.startswith(bundled), (
            path,
            how,
        )
    assert access.followed_links == []
    assert access.writes == []
    assert _snapshot(folder) == before_in
    assert _snapshot(outside) == before_out


def test_a_symlink_loop_does_not_crash_the_loader(tmp_path: Path) -> None:
    """A link to itself (archives and sync tools can leave one) is refused, not fatal."""
    folder = tmp_path / "collected"
    folder.mkdir()
    (folder / "mini_2018-19-Q3_BSWA_r1.toml").write_bytes(_signed(1))
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "loop.toml").symlink_to(folder / "loop.toml")
    collection = _load(folder)  # (once crashed: DirEntry.is_dir() raised ELOOP)
    records = {r.rel: r for r in collection.files}
    assert records["mini_2018-19-Q3_BSWA_r1.toml"].verified
    assert "symbolic link" in records["loop.toml"].reason


def test_messages_stay_one_line_for_hostile_names(scene: tuple[Path, Path]) -> None:
    """A file name with a line break or a terminal escape must not break the officer's screen."""
    folder, _ = scene
    collection = _load(folder)
    assert len(collection.files) > 20
    for record in collection.files:
        for text in (record.message, record.rel, record.reason):
            assert one_line(text) and "\x1b" not in text and "\u202e" not in text, text
    rels = {r.rel for r in collection.files}
    assert {"a\\x0ab.toml", "\\x1b[2J\\x1b[31mverified.toml", "evil\\u202elmot.toml"} <= rels
