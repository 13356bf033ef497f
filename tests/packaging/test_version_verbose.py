"""``dapreturn --version --verbose``: the installed packages, matched against a bundle manifest.

The slow bundle test checks a real offline install; these check the matching itself on this
test environment, with a manifest made to describe it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from dapreturn.cli import main
from dapreturn.cli.about import (
    BUNDLE_MANIFEST_NAME,
    check_record,
    normalise,
    report,
    requirements_closure,
    wheel_tags,
)


def _wheel_for(dist: metadata.Distribution) -> str:
    """A wheel file name carrying exactly the tags the installed dist-info records."""
    text = dist.read_text("WHEEL") or ""
    tags = sorted(line.split(":", 1)[1].strip() for line in text.splitlines() if "Tag:" in line)
    pythons, abis, platforms = (sorted({t.split("-")[i] for t in tags}) for i in range(3))
    name = dist.metadata["Name"].replace("-", "_")
    return f"{name}-{dist.version}-{'.'.join(pythons)}-{'.'.join(abis)}-{'.'.join(platforms)}.whl"


def _manifest() -> dict[str, Any]:
    packages = {}
    for dist in requirements_closure():
        wheel = _wheel_for(dist)
        digest = hashlib.sha256(wheel.encode()).hexdigest()
        packages[normalise(dist.metadata["Name"])] = {
            "0.0.0": {"other-0.0.0-cp39-cp39-win32.whl": "1" * 64},
            dist.version: {"other-1-cp39-cp39-win32.whl": "0" * 64, wheel: digest},
        }
    return {"version": "9.9", "lock": {"sha256": "ab" * 32}, "packages": packages}


def test_wheel_file_names_expand_to_their_tags() -> None:
    assert wheel_tags("six-1.16.0-py2.py3-none-any.whl") == {"py2-none-any", "py3-none-any"}
    name = "pydantic_core-2.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    assert wheel_tags(name) == {
        "cp311-cp311-manylinux_2_17_x86_64",
        "cp311-cp311-manylinux2014_x86_64",
    }


def test_the_closure_follows_extras_and_holds_the_runtime_dependencies() -> None:
    names = {normalise(d.metadata["Name"]) for d in requirements_closure()}
    assert {"dapreturn", "textual", "pydantic", "pydantic-core", "cryptography"} <= names
    assert "bcrypt" in names  # only through cryptography[ssh]
    assert not names & {"pytest", "mypy", "ruff", "jsonschema"}  # test extras are not asked for


def test_every_package_is_matched_to_its_bundle_wheel(tmp_path: Path) -> None:
    manifest = _manifest()
    (tmp_path / BUNDLE_MANIFEST_NAME).write_text(json.dumps(manifest))
    text, status = report(tmp_path)
    assert "Installed from the offline bundle dapreturn-offline-9.9" in text
    assert "NOT FROM THE BUNDLE" not in text
    for name, versions in manifest["packages"].items():
        version = list(versions)[1]
        wheel, digest = list(versions[version].items())[1]
        assert f"  {name}=={version}  sha256:{digest}  {wheel}" in text.splitlines()
    assert status == 0


def test_a_version_the_bundle_does_not_hold_is_reported(tmp_path: Path) -> None:
    manifest = _manifest()
    manifest["packages"]["rich"] = {"0.0.1": {"rich-0.0.1-py3-none-any.whl": "2" * 64}}
    (tmp_path / BUNDLE_MANIFEST_NAME).write_text(json.dumps(manifest))
    text, status = report(tmp_path)
    (line,) = [line for line in text.splitlines() if line.startswith("  rich==")]
    assert line.endswith("NOT FROM THE BUNDLE: the bundle has version 0.0.1") and status == 1


def test_without_a_manifest_hashes_are_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.prefix", str(tmp_path))
    assert main(["--version", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("dapreturn ") and "Not installed from an offline bundle" in out
    assert "  textual==" in out and "sha256:unknown" in out
    with pytest.raises(SystemExit):  # plain --version is unchanged: one line, then exit
        main(["--version"])
    assert capsys.readouterr().out.strip() == out.splitlines()[0]


def test_a_changed_installed_file_is_found(tmp_path: Path) -> None:
    info = tmp_path / "demo_pkg-1.0.dist-info"
    info.mkdir()
    (tmp_path / "demo_pkg.py").write_text("X = 1\n")
    digest = hashlib.sha256(b"X = 1\n").digest()
    good = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0\n")
    (info / "RECORD").write_text(f"demo_pkg.py,sha256={good},6\ndemo_pkg-1.0.dist-info/RECORD,,\n")
    dist = metadata.PathDistribution(info)
    assert check_record(dist) == (1, ())
    (tmp_path / "demo_pkg.py").write_text("X = 2\n")
    assert check_record(dist) == (1, ("demo_pkg.py",))


def test_verbose_alone_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--verbose", "verify", "x.toml"])
    assert stop.value.code == 2
    assert "--verbose goes with --version" in capsys.readouterr().err


def test_an_unreadable_manifest_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / BUNDLE_MANIFEST_NAME).write_text("{not json")
    monkeypatch.setattr("sys.prefix", str(tmp_path))
    assert main(["--version", "--verbose"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dapreturn: ") and "cannot read the bundle manifest" in err
    assert len(err.strip().splitlines()) == 1
