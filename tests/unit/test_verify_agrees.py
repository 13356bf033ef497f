"""``dapreturn verify`` and the loader agree: a file verify calls verified is one that counts.

Each broken body below is signed with a trusted key, so its signature is intact; it is still
not a return, and both sides must say so (verify once exited 0 for all of them).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from builders import TEST_PLAN_TOML, TODAY, TRUSTED, CollectionBuilder, partner_key, sample_plan
from dapreturn.cli import main
from dapreturn.core.collection.load import LEDGER_NAME, load_collection
from dapreturn.core.signing.files import sign_body

BODY = """\
schema = "dapreturn/return/v1"
plan = "test-daps"
period = "2018/19 Q3"
partner = "BSWA"
prepared_by = "A. Lead, DA coordinator"
revision = 1
submitted_at = 2019-01-14T10:00:00Z

[[entries]]
ref = "3l"
status = "on_track"
action_taken = "Work on 3l this quarter."

[[kpis]]
id = "K1"
value = 5
"""

BROKEN = {
    "impossible period": ('period = "2018/19 Q3"', 'period = "2018/19 Q5"', "period"),
    "ESC in a narrative": (
        'action_taken = "Work',
        'action_taken = "\\u001b[31mWork',
        "action_taken",
    ),
    "infinite KPI value": ("value = 5", "value = inf", "value"),
    "revision 0": ("revision = 1", "revision = 0", "revision"),
}


def _signed(body: str) -> bytes:
    return sign_body(body.encode(), partner_key("BSWA"), "BSWA")


@pytest.fixture
def folder(tmp_path: Path) -> CollectionBuilder:
    b = CollectionBuilder(tmp_path / "returns")
    b.write_trust(TRUSTED)
    return b


def _counted(b: CollectionBuilder) -> list[str]:
    coll = load_collection(
        b.folder, b.trust(TRUSTED), plans={"test-daps": sample_plan()}, today=TODAY
    )
    return [r.rel for r in coll.files if r.counted]


def test_the_unbroken_body_verifies_and_counts(
    folder: CollectionBuilder, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder.write_bytes("ok.toml", _signed(BODY))
    assert main(["verify", str(path)]) == 0
    assert "verified: BSWA" in capsys.readouterr().out
    assert _counted(folder) == ["ok.toml"]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_signed_body_that_is_not_a_return_fails_verify_and_never_counts(
    folder: CollectionBuilder, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, field = BROKEN[case]
    assert old in BODY
    path = folder.write_bytes("broken.toml", _signed(BODY.replace(old, new)))
    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"{path}: signed, but not a return:"), out
    assert field in out
    assert "\x1b" not in out
    assert _counted(folder) == []
    rec = load_collection(folder.folder, folder.trust(TRUSTED), today=TODAY).files[0]
    assert rec.reason == out.removeprefix(f"{path}: ")


def test_verify_dir_skips_the_ledger_and_plan_files(
    folder: CollectionBuilder, capsys: pytest.CaptureFixture[str]
) -> None:
    folder.write_bytes("ok.toml", _signed(BODY))
    folder.write_bytes("sub/ok2.toml", _signed(BODY.replace("revision = 1", "revision = 2")))
    folder.write_bytes(LEDGER_NAME, b'schema = "dapreturn/ledger/v1"\n')
    folder.write_bytes("plans/test-daps.toml", TEST_PLAN_TOML.encode())
    assert main(["verify", str(folder.folder)]) == 0
    out = capsys.readouterr().out
    assert f"{folder.folder / 'plans/test-daps.toml'}: skipped: a plan file" in out
    assert out.count("verified: BSWA") == 2, "subfolders are walked, as the loader walks them"
    assert LEDGER_NAME not in out
    ledger = folder.folder / LEDGER_NAME
    assert main(["verify", str(ledger), str(folder.folder / "ok.toml")]) == 0, "a shell glob"
    assert f"{ledger}: skipped: the review ledger" in capsys.readouterr().out


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges there")
def test_verify_refuses_a_symbolic_link_as_the_loader_does(
    folder: CollectionBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_bytes(_signed(BODY))
    link = folder.folder / "link.toml"
    os.symlink(outside, link)
    assert main(["verify", str(link)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{link}: not a return / invalid: symbolic link — not followed")
    assert main(["verify", str(folder.folder)]) == 1
    assert "link.toml: not a return / invalid: symbolic link" in capsys.readouterr().out
    (rec,) = load_collection(folder.folder, folder.trust(TRUSTED), today=TODAY).files
    assert not rec.verified and "symbolic link" in rec.reason
