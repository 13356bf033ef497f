"""The officer app's plain-Python parts: rows, words, trusting, decisions, export, charts."""

from __future__ import annotations

from pathlib import Path

import pytest
from officer_helpers import NOW, folder_state

from builders import TODAY, build_scenario, other_plan, partner_key, sample_plan
from dapreturn.core.collection.ledger import load_ledger
from dapreturn.core.errors import DapreturnError, SignatureError, StorageError
from dapreturn.core.periods import Period
from dapreturn.core.review.inbox_rows import (
    SIGNATURE_WORDS,
    detail_lines,
    filter_rows,
    inbox_rows,
    review_words,
    sort_rows,
)
from dapreturn.core.review.snapshot import Choice, Snapshot, load_snapshot, read_trust
from dapreturn.core.review.tasks import ExportRequest, ReviewOutcome, export_report, save_review
from dapreturn.core.review.trusting import signer_line, trust_signer, unknown_signers
from dapreturn.core.signing.files import VerdictState
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.tui.officer.screens.help import key_words
from dapreturn.tui.officer.widgets.charts import Bar, BarGroup, bar_text, colour_style, sparkline


@pytest.fixture
def snap(tmp_path: Path) -> Snapshot:
    """The scenario, loaded as the app loads it."""
    scenario = build_scenario(tmp_path / "returns")
    return load_snapshot(
        scenario.folder,
        scenario.trust_path,
        plans={"test-daps": sample_plan(), "other-plan": other_plan()},
        today=TODAY,
        now=NOW,
    )


def by_rel(snap: Snapshot, rel: str):  # type: ignore[no-untyped-def]
    return next(r for r in snap.collection.files if r.rel == rel)


def test_every_state_has_a_marker_and_words() -> None:
    assert set(SIGNATURE_WORDS) == set(VerdictState)
    for words in SIGNATURE_WORDS.values():
        marker, _, text = words.partition(" ")
        assert marker in "✓✗?" and text


def test_rows_filter_and_sort(snap: Snapshot) -> None:
    rows = inbox_rows(snap)
    assert len(rows) == 13
    assert [r.partner for r in filter_rows(rows, "UNKNOWN key")] == ["DWP"]
    assert len(filter_rows(rows, "2018/19 q2")) == 5
    assert filter_rows(rows, "") == rows
    newest = sort_rows(rows, "submitted", reverse=True)[0]
    assert newest.partner == "VAWC-SG" and newest.submitted == "2019-02-20 09:30"
    by_rev = sort_rows(rows, "revision", reverse=True)
    assert by_rev[0].revision == "r2" and by_rev[-1].revision == "—"


def test_detail_lines_say_what_is_wrong(snap: Snapshot) -> None:
    rows = {r.key: r for r in inbox_rows(snap)}
    dwp = detail_lines(rows["test-daps_2018-19-Q3_DWP_r1.toml"], snap)
    assert any("claims to be DWP" in line for line in dwp)
    assert any("Press t to trust" in line for line in dwp)
    bswa = detail_lines(rows["usb/test-daps_2018-19-Q3_BSWA_r2.toml"], snap)
    assert any(line.startswith("Personal data?") and "Mrs Jane Smith" in line for line in bswa)
    bcc = detail_lines(rows["test-daps_2018-19-Q3_BCC-COMM_r1.toml"], snap)
    assert "Problem: 1a.action_taken: say what was done this period" in bcc


def test_default_choice_is_the_latest_period_with_returns(snap: Snapshot) -> None:
    assert snap.default_choice() == Choice("test-daps", Period(2018, 3))


def test_trust_list_missing_or_broken(tmp_path: Path) -> None:
    trust, info = read_trust(tmp_path / "allowed_signers")
    assert trust is None and not info.exists and info.summary == "? no trust list yet"
    broken = tmp_path / "broken"
    broken.write_text("BSWA ssh-ed25519 not-base64\n", encoding="utf-8")
    trust, info = read_trust(broken)  # a bad line is skipped (as OpenSSH), and named
    assert trust is not None and not trust.entries and info.error is None
    assert len(info.problems) == 1 and "broken:1" in info.problems[0]
    broken.unlink()
    broken.mkdir()
    trust, info = read_trust(broken)
    assert trust is None and info.error and "broken" in info.error


def test_signer_line_is_the_partner_key_line(snap: Snapshot) -> None:
    (signer,) = unknown_signers(snap.collection)
    assert signer.partner == "DWP" and signer.periods == "2018/19 Q3"
    line = signer_line(signer.files[0])
    assert line == allowed_signers_line("DWP", partner_key("DWP").public_key())
    assert 'namespaces="return@dapreturn"' in line


def test_signer_line_refuses_a_file_changed_since_loading(snap: Snapshot) -> None:
    (signer,) = unknown_signers(snap.collection)
    record = signer.files[0]
    record.path.write_bytes(record.path.read_bytes() + b"\n")
    with pytest.raises(SignatureError, match="changed since it was loaded"):
        signer_line(record)


def test_signer_line_refuses_verified_and_bad_files(snap: Snapshot) -> None:
    for rel in ("email/test-daps_2018-19-Q1_BSWA_r1.toml", "usb/test-daps_2018-19-Q3_BCT_r1.toml"):
        with pytest.raises(SignatureError, match="nothing to trust"):
            signer_line(by_rel(snap, rel))


def test_trust_signer_appends_or_creates(tmp_path: Path) -> None:
    line = allowed_signers_line("DWP", partner_key("DWP").public_key())
    path = tmp_path / "allowed_signers"
    assert trust_signer(path, line) is True
    assert trust_signer(path, line) is False  # already there: not added twice
    assert path.read_text(encoding="utf-8") == line + "\n"


def test_save_review_writes_a_copy_and_leaves_returns_alone(snap: Snapshot) -> None:
    before = folder_state(snap.folder)
    record = by_rel(snap, "test-daps_2018-19-Q3_BCC-COMM_r1.toml")
    outcome = ReviewOutcome("accepted", "Sam", "ok", {"1a": "add detail", "3d": ""})
    saved = save_review(snap.ledger, record, outcome, now=NOW)
    assert snap.ledger.reviews == {}  # the loaded ledger is untouched
    review = saved.review(record.sha256 or "", record.path.name)
    assert review is not None and review.comments == {"1a": "add detail"}
    assert review_words(review) == "✓ accepted"
    after = folder_state(snap.folder)
    (added,) = set(after) - set(before)
    assert added.startswith("review/") and added.endswith(".decision")
    assert {k: v for k, v in after.items() if k != added} == before
    reread = load_ledger(snap.folder).review(record.sha256 or "", record.path.name)
    assert reread == review


def test_save_review_keeps_what_someone_else_saved(snap: Snapshot) -> None:
    record = by_rel(snap, "test-daps_2018-19-Q3_BCC-COMM_r1.toml")
    other = by_rel(snap, "usb/test-daps_2018-19-Q3_BCT_r1.toml")
    save_review(snap.ledger, other, ReviewOutcome("query_raised", "Alex"), now=NOW)
    save_review(snap.ledger, record, ReviewOutcome(None, "Sam"), now=NOW)  # stale copy: fine
    reread = load_ledger(snap.folder)
    assert reread.review(other.sha256 or "", other.path.name) is not None
    assert reread.review(record.sha256 or "", record.path.name) is not None


def test_export_every_format_and_never_over_a_file(snap: Snapshot, tmp_path: Path) -> None:
    choice = Choice("test-daps", Period(2018, 3))
    for fmt in ("md", "html", "csv", "xlsx"):
        path = export_report(snap, choice, ExportRequest(fmt, tmp_path / f"r.{fmt}"), now=NOW)
        assert path.stat().st_size > 0
    with pytest.raises(StorageError):
        export_report(snap, choice, ExportRequest("md", tmp_path / "r.md"), now=NOW)
    export_report(snap, choice, ExportRequest("md", tmp_path / "r.md", replace=True), now=NOW)
    with pytest.raises(DapreturnError, match="does not exist"):
        export_report(snap, choice, ExportRequest("md", tmp_path / "no" / "r.md"), now=NOW)


def test_sparkline_and_bars_read_without_colour() -> None:
    assert sparkline([1, 2, 3, None]) == "▁▅█·"
    assert sparkline([5, 5]) == "▅▅"
    assert sparkline([None, None]) == "··"
    text = bar_text([BarGroup("3 Early help", (Bar("G", "On track", 8), Bar("A", "At risk", 1)))])
    lines = text.plain.splitlines()
    assert lines[0] == "3 Early help"
    assert lines[1].startswith("  G  On track") and lines[1].endswith("█" * 24 + " 8")
    assert lines[2].endswith(" ███ 1")  # scaled: 1 of 8 is 3 of 24
    tiny = bar_text([BarGroup("x", (Bar("G", "On track", 100), Bar("A", "At risk", 1)))])
    assert tiny.plain.splitlines()[2].endswith("  █ 1")  # a count of one still gets a bar
    assert colour_style("amber") == "dark_orange" and colour_style("no-such-colour") == ""


def test_key_words() -> None:
    assert key_words("f5,ctrl+r") == "F5 or Ctrl+R"
    assert key_words("question_mark") == "?"
    assert key_words("q") == "q"
    assert key_words("left_square_bracket") == "["
