"""A subfolder swapped for a link between listing and reading cannot make the loader read outside.

The folder is listed first and read afterwards. Here a subfolder holding junk is swapped, after
it was listed, for a link to a folder outside holding a genuine signed return of the same name:
were the file opened by its path, that outside return would be read and counted. It is swapped
from the progress callback (deterministic: after the first file is read) and from a second
process (a race, many times over), through directory descriptors and through the after-open
check alone (what Windows gets).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import TODAY, TRUSTED, CollectionBuilder, sample_plan
from dapreturn.core.collection import scan
from dapreturn.core.collection.load import Collection, load_collection

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs symbolic links")

NAME = "test-daps_2018-19-Q3_BSWA_r1.toml"


def _setup(tmp_path: Path, depth: int = 1) -> tuple[Path, Path, Path]:
    """(root, the subfolder to swap, the outside folder): junk inside, a real return outside."""
    root = tmp_path / "returns"
    inner = root.joinpath(*(["sub"] * depth))
    inner.mkdir(parents=True)
    (root / "0-first.toml").write_bytes(b"junk read first\n")
    (inner / NAME).write_bytes(b"junk inside the folder\n")
    outside = tmp_path / "outside"
    b = CollectionBuilder(outside)
    b.write(b.make_return("BSWA", "2018/19 Q3"))
    return root, inner, outside


def _swap(folder: Path, target: Path) -> None:
    folder.rename(folder.with_name(folder.name + "-real"))
    os.symlink(target, folder)


def _load(root: Path, **kw: object) -> Collection:
    trust = CollectionBuilder(root).trust(TRUSTED)
    return load_collection(root, trust, plans={"test-daps": sample_plan()}, today=TODAY, **kw)  # type: ignore[arg-type]


@pytest.fixture(params=["dir_fd", "after-open check"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "dir_fd" and getattr(scan, "DIR_FD", True) is False:
        pytest.skip("this system cannot open relative to a directory")
    if request.param != "dir_fd":
        monkeypatch.setattr(scan, "DIR_FD", False, raising=False)
    return str(request.param)


@pytest.mark.parametrize("depth", [1, 2])
def test_swap_from_the_progress_callback_never_reads_outside(
    tmp_path: Path, mode: str, depth: int
) -> None:
    root, inner, outside = _setup(tmp_path, depth)
    swapped = []

    def progress(done: int, total: int) -> None:
        if done == 1 and not swapped:
            _swap(inner, outside)
            swapped.append(True)

    coll = _load(root, progress=progress)
    assert swapped
    assert [r.rel for r in coll.files if r.verified] == []
    rec = next(r for r in coll.files if r.rel.endswith(NAME))
    assert "not followed" in rec.reason or "changed between listing and reading" in rec.reason
    assert rec.sha256 is None, "nothing was read"


SWAPPER = """
import os, sys, time
folder, target, stop = sys.argv[1:4]
real, link = folder + "-real", folder + "-link"
os.symlink(target, link)
while not os.path.exists(stop):
    os.rename(folder, real); os.rename(link, folder)
    time.sleep(0.0005)
    os.rename(folder, link); os.rename(real, folder)
    time.sleep(0.0005)
"""


def test_swap_from_a_second_process_never_reads_outside(tmp_path: Path, mode: str) -> None:
    root, inner, outside = _setup(tmp_path)
    for i in range(40):  # more files: more time between listing and reading
        (inner / f"pad-{i:02}.toml").write_bytes(b"junk\n")
        (outside / f"pad-{i:02}.toml").write_bytes(b"junk\n")
    stop = tmp_path / "stop"
    proc = subprocess.Popen([sys.executable, "-c", SWAPPER, str(inner), str(outside), str(stop)])
    loads = 0
    try:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            coll = _load(root)
            loads += 1
            assert [r.rel for r in coll.files if r.verified] == [], f"load {loads}"
    finally:
        stop.touch()
        proc.wait(10)
    assert proc.returncode == 0
    assert loads >= 5
