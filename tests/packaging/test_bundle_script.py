"""The offline-bundle build script's own logic, without the network (the slow test builds it)."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """``scripts/build_offline_bundle.py`` imported as a module."""
    path = ROOT / "scripts" / "build_offline_bundle.py"
    spec = importlib.util.spec_from_file_location("build_offline_bundle", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _wheel(folder: Path, name: str, requires: list[str]) -> Path:
    path = folder / f"{name}-1.0-py3-none-any.whl"
    metadata = "Metadata-Version: 2.1\nName: x\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}-1.0.dist-info/METADATA", metadata)
    return path


def test_every_platform_has_tags_for_pip(script: ModuleType) -> None:
    assert set(script.TARGETS) == {"linux", "windows", "macos"}
    tags = [t for targets in script.TARGETS.values() for _, ts in targets for t in ts]
    assert "win_amd64" in tags and "macosx_11_0_arm64" in tags
    assert "manylinux2014_x86_64" in tags and not any("musllinux" in t for t in tags)
    assert script.PYTHONS == ("3.11", "3.12", "3.13")


def test_unknown_platform_or_python_is_refused(
    script: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        script.main(["--platforms", "linux,amiga"])
    assert stop.value.code == 2
    assert "--platforms must be a comma-separated list" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        script.main(["--pythons", "2.7"])


def test_no_index_exits_3_without_building(
    script: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(script, "index_reachable", lambda scratch: False)
    monkeypatch.setattr(script, "build", lambda *a, **k: pytest.fail("must not build"))
    assert script.main(["--out", str(tmp_path)]) == script.EXIT_NO_INDEX
    assert not list(tmp_path.iterdir())


def test_platform_dependent_requirements_are_reported(script: ModuleType, tmp_path: Path) -> None:
    _wheel(tmp_path, "plain", ["rich>=13"])
    _wheel(tmp_path, "extra", ["tzdata; platform_system == 'Windows' and extra == 'tz'"])
    _wheel(tmp_path, "colour", ["colorama; sys_platform == 'win32'"])
    found = script.platform_markers(tmp_path)
    assert found == ["colour-1.0-py3-none-any.whl: colorama; sys_platform == 'win32'"]


def test_zip_has_one_top_folder_and_an_executable_install_sh(
    script: ModuleType, tmp_path: Path
) -> None:
    folder = tmp_path / "dapreturn-offline-9.9"
    (folder / "wheels").mkdir(parents=True)
    (folder / "install.sh").write_text("#!/bin/sh\n")
    (folder / "README.txt").write_text("x")
    target = tmp_path / "dist" / "dapreturn-offline-9.9.zip"
    script._zip(folder, target)
    with zipfile.ZipFile(target) as archive:
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    assert set(modes) == {"dapreturn-offline-9.9/install.sh", "dapreturn-offline-9.9/README.txt"}
    assert modes["dapreturn-offline-9.9/install.sh"] == 0o755
    assert modes["dapreturn-offline-9.9/README.txt"] == 0o644


def test_readme_names_the_pythons_platforms_and_modes(script: ModuleType) -> None:
    text = script._readme("1.2.3", ["windows", "linux"], ["3.12"])
    assert "dapreturn 1.2.3" in text and "Python 3.12" in text
    built = next(line for line in text.split("\r\n") if line.startswith("Built for:"))
    assert built == "Built for: Windows x64, Linux x86_64."
    assert "install.cmd" in text and "--portable" in text and "fill --plain" in text


def test_install_scripts_exist_and_read_the_manifest(tmp_path: Path) -> None:
    sh = (ROOT / "scripts" / "install.sh").read_text()
    ps1 = (ROOT / "scripts" / "install.ps1").read_text()
    for text in (sh, ps1):
        assert "--no-index" in text and "--find-links" in text and "manifest.json" in text
        assert "PIP_NO_INDEX" in text
    assert sh.startswith("#!/bin/sh")
    assert "dapreturn-portable" in sh and "dapreturn-portable" in ps1
    assert "json.load" in sh and "ConvertFrom-Json" in ps1


def test_network_failure_mid_build_is_exit_3(
    script: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def offline(*args: object, **kwargs: object) -> None:
        raise script.NetworkError("downloading wheels failed: Max retries exceeded")

    monkeypatch.setattr(script, "index_reachable", lambda scratch: True)
    monkeypatch.setattr(script, "build", offline)
    assert script.main(["--out", str(tmp_path)]) == script.EXIT_NO_INDEX


def test_glibc_needed_is_the_newest_level_any_linux_wheel_needs(
    script: ModuleType, tmp_path: Path
) -> None:
    assert script.glibc_needed(tmp_path) is None
    (tmp_path / "a-1-cp311-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl").touch()
    (tmp_path / "b-1-py3-none-any.whl").touch()
    assert script.glibc_needed(tmp_path) == "2.17"
    (tmp_path / "c-1-cp311-cp311-manylinux_2_28_x86_64.whl").touch()
    assert script.glibc_needed(tmp_path) == "2.28"
    (tmp_path / "d-1-cp311-cp311-win_amd64.whl").touch()
    assert script.glibc_needed(tmp_path) == "2.28"


LOCK_TEXT = """\
# This file was autogenerated by uv via the following command:
#    python scripts/lock_requirements.py
colorama==0.4.6 ; sys_platform == 'win32' \\
    --hash=sha256:aaaa
    # via textual
pip==26.3 \\
    --hash=sha256:bbbb
rich==15.0.0 \\
    --hash=sha256:cccc \\
    --hash=sha256:dddd
    # via textual
tomli==2.2.1 ; python_full_version < '3.12' \\
    --hash=sha256:eeee
"""


def test_lock_is_read_with_markers_and_hashes(script: ModuleType, tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text(LOCK_TEXT)
    pins = script.read_lock(lock)
    assert [(p.name, p.version, p.marker) for p in pins] == [
        ("colorama", "0.4.6", "sys_platform == 'win32'"),
        ("pip", "26.3", ""),
        ("rich", "15.0.0", ""),
        ("tomli", "2.2.1", "python_full_version < '3.12'"),
    ]
    assert pins[2].hashes == ("sha256:cccc", "sha256:dddd")
    names = {
        (target, python): [p.name for p in script.for_target(pins, target, python)]
        for target in ("Windows x64", "Linux x86_64")
        for python in ("3.11", "3.13")
    }
    # judged for each target, not for the machine building the bundle
    assert names[("Windows x64", "3.11")] == ["colorama", "pip", "rich", "tomli"]
    assert names[("Windows x64", "3.13")] == ["colorama", "pip", "rich"]
    assert names[("Linux x86_64", "3.11")] == ["pip", "rich", "tomli"]


def test_a_lock_line_without_a_pin_or_hash_is_refused(script: ModuleType, tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("rich>=13 \\\n    --hash=sha256:cccc\n")
    with pytest.raises(script.BuildError, match=r"requirements.lock:1: not a pinned requirement"):
        script.read_lock(lock)
    lock.write_text("rich==15.0.0\n")
    with pytest.raises(script.BuildError, match="not a pinned requirement with hashes"):
        script.read_lock(lock)


def test_every_target_has_marker_values(script: ModuleType) -> None:
    names = {name for targets in script.TARGETS.values() for name, _ in targets}
    assert names == set(sys.modules["bundle_lock"].MARKER_ENV)


def test_the_committed_lock_pins_every_dependency_within_pyproject(script: ModuleType) -> None:
    from packaging.requirements import Requirement

    with open(ROOT / "pyproject.toml", "rb") as handle:
        wanted = [Requirement(r) for r in tomllib.load(handle)["project"]["dependencies"]]
    pins: dict[str, list[Any]] = {}
    for pin in script.read_lock(script.LOCK):
        key = script._wheel_name_version(f"{pin.name}-{pin.version}-x")[0]
        pins.setdefault(key, []).append(pin)
    for req in wanted:
        key = script._wheel_name_version(f"{req.name}-0-x")[0]
        assert key in pins, f"{req.name} is not locked: run python scripts/lock_requirements.py"
        for pin in pins[key]:
            assert req.specifier.contains(pin.version), f"{req} but the lock has {pin}"
    assert "pip" in pins and all(p.hashes for ps in pins.values() for p in ps)
    assert all(h.startswith("sha256:") for ps in pins.values() for p in ps for h in p.hashes)
    # one pin per package and target: two versions only under markers that exclude each other
    for target in sys.modules["bundle_lock"].MARKER_ENV:
        for python in script.PYTHONS:
            names = [
                p.name for p in script.for_target(script.read_lock(script.LOCK), target, python)
            ]
            assert len(names) == len(set(names)), (target, python)


def test_bundle_requirements_pin_dapreturn_and_the_wheels_held(
    script: ModuleType, tmp_path: Path
) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text(LOCK_TEXT)
    for name in ("dapreturn-9.9-py3-none-any", "rich-15.0.0-py3-none-any", "pip-26.3-py3-none-any"):
        (tmp_path / f"{name}.whl").write_bytes(name.encode())
    (tmp_path / "rich-14.0.0-py3-none-any.whl").write_bytes(b"an older rich the lock lacks")
    held = script.packages(tmp_path)
    assert sorted(held) == ["dapreturn", "pip", "rich"]
    assert sorted(held["rich"]) == ["14.0.0", "15.0.0"]
    text = script.requirements_text(script.read_lock(lock), held)
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rich = held["rich"]["15.0.0"]["rich-15.0.0-py3-none-any.whl"]
    own = held["dapreturn"]["9.9"]["dapreturn-9.9-py3-none-any.whl"]
    assert lines == [f"dapreturn==9.9 --hash=sha256:{own}", f"rich==15.0.0 --hash=sha256:{rich}"]


def test_a_dependency_missing_from_the_lock_stops_the_build(
    script: ModuleType, tmp_path: Path
) -> None:
    own = tmp_path / "dapreturn-9.9-py3-none-any.whl"
    with zipfile.ZipFile(own, "w") as archive:
        archive.writestr(
            "dapreturn-9.9.dist-info/METADATA",
            "Name: dapreturn\nRequires-Dist: rich>=13\nRequires-Dist: newthing>=1\n"
            "Requires-Dist: pytest; extra == 'test'\n",
        )
    lock = tmp_path / "requirements.lock"
    lock.write_text(LOCK_TEXT)
    with pytest.raises(script.BuildError, match="does not pin newthing: run python scripts/lock"):
        script.check_lock_covers(own, script.read_lock(lock))


def test_installers_install_the_hashed_list_and_keep_the_manifest() -> None:
    from dapreturn.cli.about import BUNDLE_MANIFEST_NAME

    for name in ("install.sh", "install.ps1"):
        text = (ROOT / "scripts" / name).read_text()
        assert "--require-hashes" in text and "requirements.txt" in text, name
        assert BUNDLE_MANIFEST_NAME in text, name


def _lock_script() -> ModuleType:
    path = ROOT / "scripts" / "lock_requirements.py"
    spec = importlib.util.spec_from_file_location("lock_requirements", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_lock_command_is_universal_hashed_and_capped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = _lock_script()
    cmd = lock.compile_command("uv", upgrade=True)
    assert cmd[:3] == ["uv", "pip", "compile"] and "pyproject.toml" in cmd
    for flag in ("--universal", "--generate-hashes", "--upgrade"):
        assert flag in cmd
    assert cmd[cmd.index("--constraint") + 1] == "scripts/lock-constraints.txt"
    assert cmd[cmd.index("--output-file") + 1] == "scripts/requirements.lock"
    assert "--upgrade" not in lock.compile_command("uv", upgrade=False)
    header = (ROOT / "scripts" / "requirements.lock").read_text().splitlines()[1]
    assert header.strip() == "#    python scripts/lock_requirements.py"
    monkeypatch.setattr(lock, "find_uv", lambda: None)
    assert lock.main([]) == 2
    assert "pip install uv" in capsys.readouterr().err


def test_downloads_name_pins_without_markers_and_a_skipped_one_stops_the_build(
    script: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text(LOCK_TEXT)
    pins = script.for_target(script.read_lock(lock), "Windows x64", "3.12")
    asked: list[str] = []

    def fake_pip(args: list[str], *, what: str) -> None:
        asked.extend(Path(args[args.index("-r") + 1]).read_text().splitlines())
        (tmp_path / "rich-15.0.0-py3-none-any.whl").touch()  # pip "skips" colorama and pip

    monkeypatch.setattr(script, "_pip", fake_pip)
    with pytest.raises(script.BuildError, match=r"no wheel for win_amd64, Python 3.12: colorama"):
        script.download_for(pins, tmp_path, ["win_amd64"], "3.12")
    # a marker pip would judge on this (Linux) machine, and skip, is not passed on
    assert asked[0] == "colorama==0.4.6 --hash=sha256:aaaa"
