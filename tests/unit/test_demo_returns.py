"""The demo collection in ``demo/returns/``: it verifies, meets the plan's rules, carries no
personal data, and is exactly what ``scripts/make_demo_returns.py`` makes today.

If the return format changes, these tests fail until the demo is regenerated:
``python scripts/make_demo_returns.py``.
"""

from __future__ import annotations

import importlib.util
import runpy
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from dapreturn.core.periods import Period
from dapreturn.core.plan.model import bundled_plan
from dapreturn.core.returns.model import Return, parse_return_filename
from dapreturn.core.returns.rules import check_return
from dapreturn.core.returns.safeguarding import scan_fields
from dapreturn.core.returns.tomlio import parse_return
from dapreturn.core.schemas import RETURN_FILE_GLOB
from dapreturn.core.signing.files import VerdictState, verify_file
from dapreturn.core.signing.table import split_signed
from dapreturn.core.signing.trust import load_trust

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "demo" / "returns"
SCRIPT = ROOT / "scripts" / "make_demo_returns.py"
PLAN = bundled_plan("daps-2018-2023")
Q2, Q3 = Period.parse("2018/19 Q2"), Period.parse("2018/19 Q3")

RETURN_FILES = sorted(RETURNS.glob(RETURN_FILE_GLOB))  # not the editor's .taplo.toml


@pytest.fixture(scope="module")
def script() -> dict[str, Any]:
    """The script's globals (it is not a package module, so it is run by path)."""
    return runpy.run_path(str(SCRIPT), run_name="make_demo_returns")


def _read(path: Path) -> Return:
    body, _ = split_signed(path.read_bytes())
    return parse_return(body.decode("utf-8"), source=path.name)


def _counted(partner: str, period: Period) -> Return | None:
    """The highest revision in demo/returns/ for a partner and period."""
    found = [_read(p) for p in RETURN_FILES]
    mine = [r for r in found if r.partner == partner and r.period_obj == period]
    return max(mine, key=lambda r: r.revision) if mine else None


def test_demo_collection_exists() -> None:
    assert len(RETURN_FILES) >= 10
    assert (RETURNS / "allowed_signers").is_file()
    assert (RETURNS / "README.md").is_file()
    periods = {_read(p).period_obj for p in RETURN_FILES}
    assert periods == {Q2, Q3}


@pytest.mark.parametrize("path", RETURN_FILES, ids=lambda p: p.name)
def test_every_return_verifies(path: Path) -> None:
    trust = load_trust(RETURNS / "allowed_signers")
    verdict = verify_file(path, trust)
    assert verdict.state is VerdictState.VERIFIED, verdict.message


@pytest.mark.parametrize("path", RETURN_FILES, ids=lambda p: p.name)
def test_every_return_meets_the_plan_rules(path: Path) -> None:
    ret = _read(path)
    assert ret.submitted_at is not None
    previous = _counted(ret.partner, ret.period_obj.previous())
    problems = check_return(ret, PLAN, today=ret.submitted_at.date(), previous=previous)
    assert problems == [], [str(p) for p in problems]
    parts = parse_return_filename(path.name)
    assert parts == (PLAN.id, ret.period_obj.slug, ret.partner, ret.revision)


@pytest.mark.parametrize("path", RETURN_FILES, ids=lambda p: p.name)
def test_no_personal_data(path: Path) -> None:
    ret = _read(path)
    assert scan_fields(ret.narratives()) == []
    assert ret.prepared_by.startswith("Demo preparer, ")
    assert ret.prepared_by.endswith("(illustrative)")


def test_kpi_figures_are_marked_illustrative() -> None:
    for path in RETURN_FILES:
        for fig in _read(path).kpis:
            assert "Illustrative demo figure" in fig.note, path.name


def test_submission_dates_and_features() -> None:
    """Q2 around 10-16 Oct 2018; Q3 around 8-15 Jan 2019, one late; one superseded revision."""
    rets = [_read(p) for p in RETURN_FILES]
    for r in rets:
        assert r.submitted_at is not None
        day = r.submitted_at.date()
        if r.period_obj == Q2:
            assert (day.year, day.month) == (2018, 10) and 10 <= day.day <= 16, r.partner
    q3_days = sorted(r.submitted_at.date() for r in rets if r.period_obj == Q3 and r.submitted_at)
    on_time = [d for d in q3_days if d <= Q3.end + timedelta(days=30)]
    assert all(date(2019, 1, 8) <= d <= date(2019, 1, 15) for d in on_time)
    assert len(q3_days) - len(on_time) == 1  # one late return
    revisions = [r for r in rets if r.revision > 1]
    assert len(revisions) == 1
    again = revisions[0]
    assert _counted(again.partner, again.period_obj) == again


def test_one_return_per_partner_period_revision() -> None:
    keys = [(r.partner, r.period, r.revision) for r in map(_read, RETURN_FILES)]
    assert len(keys) == len(set(keys))


def test_allowed_signers_is_marked_demo_only() -> None:
    text = (RETURNS / "allowed_signers").read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert text.startswith("# DEMO keys: anyone can derive them from scripts/make_demo_returns.py")
    assert any("never use this file as a real trust list" in line for line in header)
    signers = {e.principals for e in load_trust(RETURNS / "allowed_signers").entries}
    assert signers == {(r.partner,) for r in map(_read, RETURN_FILES)}


def test_no_private_key_in_returns_folder() -> None:
    for path in RETURNS.iterdir():
        assert b"PRIVATE KEY" not in path.read_bytes(), path.name


def test_demo_keys_are_the_documented_derivation(script: dict[str, Any]) -> None:
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from dapreturn.core.signing.sshsig import public_key_blob

    trust = load_trust(RETURNS / "allowed_signers")
    for entry in trust.entries:
        code = entry.principals[0]
        seed = hashlib.sha256(b"dapreturn DEMO key - not secret - " + code.encode()).digest()
        expected = Ed25519PrivateKey.from_private_bytes(seed).public_key()
        assert entry.key_blob == public_key_blob(expected)
        assert public_key_blob(script["demo_key"](code).public_key()) == entry.key_blob


def test_readme_explains_the_demo() -> None:
    text = (RETURNS / "README.md").read_text(encoding="utf-8")
    assert "dapreturn review demo/returns" in text
    assert 'dapreturn report demo/returns --period "2018/19 Q3"' in text
    assert "illustrative" in text.lower()
    assert "DEMO keys" in text
    for path in RETURN_FILES:
        assert path.name in text


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_regenerating_gives_identical_bytes(script: dict[str, Any], tmp_path: Path) -> None:
    """The committed demo is exactly what the script makes now (rerun it if this fails)."""
    out = tmp_path / "returns"
    main: Callable[[list[str]], int] = script["main"]
    assert main(["--out", str(out)]) == 0
    fresh, committed = _snapshot(out), _snapshot(RETURNS)
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert changed == [], "demo/returns/ is stale: run python scripts/make_demo_returns.py"
    # Running again over its own output is allowed and changes nothing.
    assert main(["--out", str(out)]) == 0
    assert _snapshot(out) == fresh


def _real_return(folder: Path) -> Path:
    """A return signed with a (non-demo) partner key: not the script's to replace."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from dapreturn.core.filling.submit import submit_return

    ret = Return(plan=PLAN.id, period="2018/19 Q3", partner="JCP", prepared_by="Officer, JCP")
    key = Ed25519PrivateKey.generate()
    when = datetime(2019, 1, 10, 12, 0, tzinfo=UTC)
    return submit_return(ret, PLAN, key, folder, now=when).path


def test_refuses_folder_with_foreign_files(script: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "returns"
    main: Callable[[list[str]], int] = script["main"]
    assert main(["--out", str(out)]) == 0
    before = _snapshot(out)
    real = _real_return(out).name
    (out / "review-ledger.toml").write_text("# officer decisions\n", encoding="utf-8")
    with_foreign = _snapshot(out)
    assert main(["--out", str(out)]) == 1
    assert _snapshot(out) == with_foreign  # nothing was touched
    # --force regenerates the demo and keeps the foreign files beside it.
    assert main(["--out", str(out), "--force"]) == 0
    forced = _snapshot(out)
    assert forced.pop("review-ledger.toml") == b"# officer decisions\n"
    assert forced.pop(real) == with_foreign[real]
    assert forced == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folders left


def test_own_files_are_replaced_even_if_damaged(script: dict[str, Any], tmp_path: Path) -> None:
    """A demo file edited by hand (or written by an older format) is still the script's own."""
    out = tmp_path / "returns"
    main: Callable[[list[str]], int] = script["main"]
    assert main(["--out", str(out)]) == 0
    before = _snapshot(out)
    name = next(n for n in before if n.endswith(".toml"))
    (out / name).write_bytes(before[name].replace(b"on_track", b"off_track", 1))
    assert main(["--out", str(out)]) == 0
    assert _snapshot(out) == before


@pytest.mark.skipif(
    importlib.util.find_spec("dapreturn.core.collection.load") is None
    or importlib.util.find_spec("dapreturn.core.collection.analysis") is None,
    reason="officer-side collection loader not available",
)
def test_demo_loads_as_a_collection() -> None:
    from dapreturn.core.collection import analysis
    from dapreturn.core.collection.load import load_collection

    trust = load_trust(RETURNS / "allowed_signers")
    collection = load_collection(RETURNS, trust)
    assert [r.message for r in collection.bad_files] == []
    assert len(collection.superseded) == 1
    counted = [r for r in collection.files if r.counted]
    assert [r.rel for r in counted if r.problems] == []
    assert [r.rel for r in counted if r.findings] == []
    missing = analysis.not_returned(collection, PLAN, Q3)
    assert missing, "the demo should show a lead partner that has not returned for Q3"
    assert "VAWC-SG" in {m.partner for m in missing}
    assert [r.partner for r in counted if analysis.is_late(r)] == ["BCC-HM"]
