"""The offline bundle: build the Linux part for this Python, install it with no index, use it.

Building needs a package index for ``pip download``; when none can be reached the build script
exits 3 and these tests are skipped (never failed for lack of network). Installing runs with
pip's configuration switched off, ``PIP_NO_INDEX=1``, no find-links but the bundle's wheels, and
a dead proxy, so any attempt to reach the network would fail the install.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from dapreturn.core.signing.files import VerdictState, verify_bytes
from dapreturn.core.signing.keys import allowed_signers_line, find_key
from dapreturn.core.signing.trust import parse_trust

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"),
        reason="the test builds and installs the Linux x86_64 part of the bundle",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"
DEAD_PROXY = "http://127.0.0.1:9"
ANSWERS = [
    "Jo Bloggs, Service Manager",
    *["g", "01/04/2018", "31/03/2023", "Ann Other", ".", "Trained 12 ambassadors.", "."],
    *["Train 10 more.", ".", ""],
    "",
    "n",
    "y",
    "n",
]
"""Plain-mode answers: a complete BSWA 2018/19 Q3 return, signed with a new key."""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the bundle once for this module (Linux, this Python version only)."""
    out = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, str(ROOT / "scripts" / "build_offline_bundle.py")]
    cmd += ["--platforms", "linux", "--pythons", PYTHON, "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode == 3:
        pytest.skip(f"no package index reachable to build the bundle: {done.stderr.strip()}")
    assert done.returncode == 0, done.stdout + done.stderr
    (zip_path,) = out.glob("dapreturn-offline-*.zip")
    return zip_path


def _locked(lock: Path) -> dict[str, dict[str, set[str]]]:
    """Normalised name -> version -> hashes, for every pin in the lock file."""
    found: dict[str, dict[str, set[str]]] = {}
    hashes: set[str] = set()
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.strip().removesuffix("\\").strip()
        if "==" in line and not line.startswith(("#", "--")):
            name, version = line.split(";")[0].strip().split("==")
            hashes = found.setdefault(re.sub(r"[-_.]+", "-", name).lower(), {}).setdefault(
                version, set()
            )
        elif line.startswith("--hash="):
            hashes.add(line.removeprefix("--hash="))
    return found


def offline_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment with no pip configuration, no index, no find-links and no network."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "DAPRETURN_"))}
    env.update(
        HOME=str(home),
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_INDEX_URL=f"{DEAD_PROXY}/simple",
        http_proxy=DEAD_PROXY,
        https_proxy=DEAD_PROXY,
        HTTP_PROXY=DEAD_PROXY,
        HTTPS_PROXY=DEAD_PROXY,
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("XDG_DATA_HOME", None)
    env.pop("VIRTUAL_ENV", None)
    env.update(extra)
    return env


def unpack(zip_path: Path, where: Path) -> Path:
    """Extract the bundle (keeping install.sh executable); return its top folder."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(where)
        for info in archive.infolist():
            mode = info.external_attr >> 16
            if mode:
                os.chmod(where / info.filename, mode)
    (top,) = where.iterdir()
    return top


def run(
    cmd: list[str], env: dict[str, str], *, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command, failing the test with its output when it fails."""
    done = subprocess.run(
        cmd, input=stdin, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done


def plain_wired(dapreturn: list[str], env: dict[str, str]) -> bool:
    """Whether ``dapreturn fill --plain`` exists in this build (the CLI wiring)."""
    cmd = [*dapreturn, "fill", "--help"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    return done.returncode == 0 and "--plain" in done.stdout


def fill_and_sign(
    python: Path, dapreturn: list[str], env: dict[str, str], cwd: Path, out: Path | None
) -> str:
    """Fill in and sign BSWA's 2018/19 Q3 return in plain mode; return what it printed."""
    stdin = "".join(f"{a}\n" for a in ANSWERS)
    options = ["--plan", "daps-2018-2023", "--partner", "BSWA", "--period", "2018/19 Q3"]
    if out is not None:
        options += ["--out", str(out)]
    if plain_wired(dapreturn, env):
        cmd = [*dapreturn, "fill", "--plain", *options]
    else:  # the CLI is not wired yet: drive the installed plain mode directly
        code = (
            "import argparse, sys\n"
            "from dapreturn.plain import run_plain\n"
            "p = argparse.ArgumentParser()\n"
            "for o in ('--plan', '--partner', '--period', '--out'): p.add_argument(o)\n"
            "sys.exit(run_plain(p.parse_args(sys.argv[1:])))\n"
        )
        cmd = [str(python), "-c", code, *options]
    return run(cmd, env, stdin=stdin, cwd=cwd).stdout


def check_signed(path: Path, keys_dir: Path) -> None:
    """The return verifies against the key the installed program made."""
    info = find_key("BSWA", keys_dir=keys_dir)
    assert info is not None
    trust = parse_trust(allowed_signers_line("BSWA", info.public_key), "(test)")
    verdict = verify_bytes(path.read_bytes(), trust, source=str(path))
    assert verdict.state is VerdictState.VERIFIED, verdict.message


def assert_verbose_version_matches(
    manifest: dict[str, Any], dapreturn: list[str], env: dict[str, str]
) -> None:
    """``dapreturn --version --verbose`` names every package the bundle installs, at the
    manifest's version, with the manifest's SHA-256 of the very wheel installed."""
    out = run([*dapreturn, "--version", "--verbose"], env).stdout
    assert "Installed from the offline bundle" in out and "NOT FROM THE BUNDLE" not in out
    assert f"lock sha256:{manifest['lock']['sha256']}" in out
    listed = {}
    for line in out.splitlines():
        if line.startswith("  ") and "==" in line:
            pin, digest, wheel = line.split()
            name, version = pin.split("==")
            listed[name] = (version, digest.removeprefix("sha256:"), wheel)
    installable = {n for n in manifest["packages"] if n != "pip"}  # pip only bootstraps a venv
    assert set(listed) == installable
    for name, (version, digest, wheel) in listed.items():
        assert manifest["packages"][name][version][wheel] == digest == manifest["wheels"][wheel]
    assert "match their package's RECORD" in out


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder to run in (never the project checkout)."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def test_bundle_holds_wheels_scripts_manifest_and_readme(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        top = names[0].split("/")[0]
        manifest = json.loads(archive.read(f"{top}/manifest.json"))
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
        for wheel, digest in manifest["wheels"].items():
            assert hashlib.sha256(archive.read(f"{top}/wheels/{wheel}")).hexdigest() == digest
    version = manifest["version"]
    assert top == f"dapreturn-offline-{version}" and bundle.name == f"{top}.zip"
    names_needed = ("install.sh", "install.ps1", "install.cmd", "manifest.json", "requirements.txt")
    for name in ("README.txt", *names_needed):
        assert f"{top}/{name}" in names
    assert modes[f"{top}/install.sh"] & 0o111
    wheels = [n.rsplit("/", 1)[1] for n in names if n.endswith(".whl")]
    assert not [n for n in names if n.endswith((".tar.gz", ".zip"))]  # binary wheels only
    assert f"dapreturn-{version}-py3-none-any.whl" in wheels
    abi = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    assert any(w.startswith("pydantic_core-") and abi in w and "manylinux" in w for w in wheels)
    assert any(w.startswith("cryptography-") for w in wheels)
    assert any(w.startswith("pip-") for w in wheels)
    assert manifest["pythons"] == [PYTHON] and list(manifest["platforms"]) == ["linux"]
    # built from the lock: every dependency wheel is the locked version, with a locked hash
    lock = ROOT / "scripts" / "requirements.lock"
    assert manifest["lock"]["sha256"] == hashlib.sha256(lock.read_bytes()).hexdigest()
    locked = _locked(lock)
    for name, versions in manifest["packages"].items():
        if name == "dapreturn":
            continue
        for version, wheels in versions.items():
            assert version in locked[name], name
            assert {f"sha256:{h}" for h in wheels.values()} <= locked[name][version], name
    assert set(manifest["packages"]) == {*locked, "dapreturn"}


def test_user_install_offline_then_fill_and_sign(bundle: Path, tmp_path: Path, work: Path) -> None:
    top = unpack(bundle, tmp_path / "unzipped")
    home, data = tmp_path / "home", tmp_path / "data"
    env = offline_env(home, DAPRETURN_HOME=str(data))
    done = run(["sh", str(top / "install.sh"), "--python", sys.executable], env)
    assert "Installed dapreturn" in done.stdout
    venv = home / ".local" / "share" / "dapreturn-venv"
    link = home / ".local" / "bin" / "dapreturn"
    assert link.resolve() == (venv / "bin" / "dapreturn").resolve()
    manifest = json.loads((top / "manifest.json").read_text())
    version = manifest["version"]
    assert run([str(link), "--version"], env).stdout.strip() == f"dapreturn {version}"
    assert_verbose_version_matches(manifest, [str(link)], env)
    # a headless fill-and-sign with the installed program, state in DAPRETURN_HOME
    out = fill_and_sign(venv / "bin" / "python", [str(link)], env, work, work / "returns")
    assert "Signed and checked" in out
    check_signed(work / "returns" / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml", data / "keys")
    # the installed copy puts the editor association beside the return: the shipped schema
    with zipfile.ZipFile(next((top / "wheels").glob("dapreturn-*.whl"))) as wheel:
        shipped = wheel.read("dapreturn/schemas/return.schema.json")
    assert (work / "returns" / "return.schema.json").read_bytes() == shipped
    assert (work / "returns" / ".taplo.toml").is_file()
    # running the installer again upgrades in place
    again = run(["sh", str(top / "install.sh"), "--python", sys.executable], env)
    assert "Upgrading the existing environment" in again.stdout


def test_portable_install_keeps_everything_in_the_folder(
    bundle: Path, tmp_path: Path, work: Path
) -> None:
    top = unpack(bundle, tmp_path / "stick")
    env = offline_env(tmp_path / "home")
    cmd = [
        "sh",
        str(top / "install.sh"),
        "--portable",
        "--no-ensurepip",
        "--python",
        sys.executable,
    ]
    run(cmd, env)
    assert (top / "dapreturn-portable").is_file()
    launcher = top / "dapreturn"
    assert run([str(launcher), "--version"], env).stdout.startswith("dapreturn ")
    manifest = json.loads((top / "manifest.json").read_text())
    assert_verbose_version_matches(manifest, [str(launcher)], env)
    out = fill_and_sign(top / "venv" / "bin" / "python", [str(launcher)], env, work, None)
    assert "Signed and checked" in out
    # keys, drafts, settings in <stick>/dapreturn-data; the return in <stick>/returns
    data = top / "dapreturn-data"
    assert (data / "keys" / "BSWA_ed25519").is_file() and (data / "config.toml").is_file()
    check_signed(top / "returns" / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml", data / "keys")
    assert not (tmp_path / "home" / ".local").exists()
    assert not (work / "returns").exists()


def test_installer_refuses_a_folder_that_is_not_a_venv(bundle: Path, tmp_path: Path) -> None:
    top = unpack(bundle, tmp_path / "unzipped")
    precious = tmp_path / "Documents"
    precious.mkdir()
    (precious / "letter.txt").write_text("keep me")
    env = offline_env(tmp_path / "home")
    cmd = ["sh", str(top / "install.sh"), "--venv", str(precious), "--python", sys.executable]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 1
    assert "not a virtual environment; not touching it" in done.stderr
    assert (precious / "letter.txt").read_text() == "keep me"


def test_readme_is_plain_text_for_notepad(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith("/README.txt")]
        raw = archive.read(name)
    text = raw.decode("ascii")  # plain ASCII
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert "--portable" in text and "fill --plain" in text and "install.cmd" in text
