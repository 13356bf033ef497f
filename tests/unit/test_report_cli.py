"""``dapreturn report``: trust-list and plan resolution, formats, output, summary line."""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

from builders import TEST_PLAN_TOML, TRUSTED, CollectionBuilder, Scenario, build_scenario
from dapreturn.cli import report_cmd
from dapreturn.core.config import UserConfig, save_config
from dapreturn.core.errors import DapreturnError


def run(argv: list[str]) -> int:
    """Parse ``report ...`` with the command's own parser and run it (as cli.main does)."""
    parser = argparse.ArgumentParser(prog="dapreturn")
    sub = parser.add_subparsers(dest="command")
    report_cmd.register(sub)
    args = parser.parse_args(["report", *argv])
    try:
        return int(args.handler(args))
    except DapreturnError as exc:
        print(f"dapreturn: {exc}", file=sys.stderr)
        return 2


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    return build_scenario(tmp_path / "returns")


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "test-daps.toml"
    path.write_text(TEST_PLAN_TOML, encoding="utf-8")
    return path


def base(s: Scenario, plan_file: Path) -> list[str]:
    return [str(s.folder), "--period", "2018/19 Q3", "--plan", str(plan_file)]


def test_markdown_to_stdout(
    scenario: Scenario, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(base(scenario, plan_file)) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Progress updates reported for 2018/19 Q3")
    assert "| WMP | West Midlands Police | 4a |" in out
    note, line = err.splitlines()
    assert note.startswith("note: using the trust list inside the returns folder")
    assert line.startswith(
        "dapreturn report: test-daps 2018/19 Q3: 3 returns counted, 2 lead "
        "partners not returned, 3 actions overdue, 3 files not counted;"
    )
    assert line.endswith("wrote standard output")
    assert str(scenario.trust_path) in line, "DIR/allowed_signers is the fallback trust list"


def test_csv_to_stdout(
    scenario: Scenario, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*base(scenario, plan_file), "--format", "csv"]) == 0
    text = capsys.readouterr().out.removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["Partner"] for r in rows if r["part"] == "not-returned"] == ["WMP", "BCT"]


def test_html_and_xlsx_default_names(
    scenario: Scenario,
    plan_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    monkeypatch.chdir(out_dir)
    assert run([*base(scenario, plan_file), "--format", "html"]) == 0
    page = (out_dir / "report-test-daps-2018-19-Q3.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert run([*base(scenario, plan_file), "--format", "xlsx"]) == 0
    wb = openpyxl.load_workbook(out_dir / "report-test-daps-2018-19-Q3.xlsx")
    assert "Not counted" in wb.sheetnames
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("name", "magic"),
    [
        ("r.html", b"<!DOCTYPE"),
        ("r.xlsx", b"PK"),
        ("r.csv", "\ufeffpart,".encode()),
        ("r.md", b"# "),
        ("r.txt", b"# "),
        ("r.docx", b"PK"),
    ],
)
def test_format_from_output_suffix(
    scenario: Scenario, plan_file: Path, tmp_path: Path, name: str, magic: bytes
) -> None:
    out = tmp_path / name
    assert run([*base(scenario, plan_file), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(magic)


def test_loading_and_reporting_leave_the_folder_alone(
    scenario: Scenario, plan_file: Path, tmp_path: Path
) -> None:
    before = {p: p.read_bytes() for p in scenario.folder.rglob("*") if p.is_file()}
    assert run([*base(scenario, plan_file), "-o", str(tmp_path / "r.md")]) == 0
    after = {p: p.read_bytes() for p in scenario.folder.rglob("*") if p.is_file()}
    assert after == before


def test_no_trust_list_refused(
    scenario: Scenario, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario.trust_path.unlink()
    assert run(base(scenario, plan_file)) == 2
    err = capsys.readouterr().err
    assert "no trust list: give --trust FILE" in err and "allowed_signers" in err


def test_trust_from_option_and_config(
    scenario: Scenario, plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "trust" / "allowed_signers"
    elsewhere.parent.mkdir()
    shutil.move(scenario.trust_path, elsewhere)
    save_config(UserConfig(trust_file=str(elsewhere)))
    assert run(base(scenario, plan_file)) == 0
    assert str(elsewhere) in capsys.readouterr().err
    only_bswa = tmp_path / "bswa_signers"
    only_bswa.write_text(scenario.builder.trust_text(["BSWA"]), encoding="utf-8")
    assert run([*base(scenario, plan_file), "--trust", str(only_bswa)]) == 0
    assert "1 return counted" in (err := capsys.readouterr().err) and str(only_bswa) in err
    assert run([*base(scenario, plan_file), "--trust", str(tmp_path / "missing")]) == 2
    assert "no trust list here" in capsys.readouterr().err


def test_plan_choice(tmp_path: Path, plan_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = build_scenario(tmp_path / "mixed")
    assert run([str(s.folder), "--period", "2018/19 Q3"]) == 2
    assert (
        "several plans (other-plan, test-daps): choose one with --plan" in capsys.readouterr().err
    )
    b = CollectionBuilder(tmp_path / "single")
    b.write_trust(TRUSTED)
    b.write_bytes("plan/test-daps.toml", TEST_PLAN_TOML.encode())
    b.write(b.make_return("BSWA", "2018/19 Q3"))
    assert run([str(b.folder), "--period", "2018/19 Q3"]) == 2, "a plan in the folder is not used"
    assert "plan 'test-daps', which is not known: use --plan FILE" in capsys.readouterr().err
    assert run([str(b.folder), "--period", "2018/19 Q3", "--plan", str(plan_file)]) == 0
    out, err = capsys.readouterr()
    assert "Test domestic abuse prevention plan" in out and "1 return counted" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "allowed_signers").write_text(b.trust_text(TRUSTED), encoding="utf-8")
    assert run([str(empty), "--period", "2018/19 Q3"]) == 0, "no returns: the bundled default"
    assert "daps-2018-2023 2018/19 Q3: 0 returns counted" in capsys.readouterr().err


def test_user_errors(
    scenario: Scenario, plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run([*base(scenario, plan_file)[:-4], "--period", "2030/31 Q1", "--plan", str(plan_file)])
        == 2
    )
    assert "outside plan test-daps" in capsys.readouterr().err
    assert run([*base(scenario, plan_file), "-o", str(tmp_path / "r.toml")]) == 2
    assert "must not be a .toml file" in capsys.readouterr().err
    assert run([str(tmp_path / "nope"), "--period", "2018/19 Q3"]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert run([str(scenario.folder), "--period", "Q5", "--plan", str(plan_file)]) == 2
    assert "not a reporting period" in capsys.readouterr().err


def test_broken_ledger_warns(
    scenario: Scenario, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (scenario.folder / "review-ledger.toml").write_text("not = [toml", encoding="utf-8")
    assert run(base(scenario, plan_file)) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "review-ledger.toml" in err


def test_main_wiring() -> None:
    cli_main = importlib.import_module("dapreturn.cli.main")
    assert cli_main._GROUPS["report"] == "report_cmd"
    parser = cli_main.build_parser("report")
    args = parser.parse_args(["report", "DIR", "--period", "2018/19 Q3"])
    assert args.handler is report_cmd.run


def test_output_name_and_format_must_agree(
    scenario: Scenario, plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.docx"
    assert run([*base(scenario, plan_file), "-o", str(out), "--format", "md"]) == 2
    err = capsys.readouterr().err
    assert "the name says docx but --format says md" in err and not out.exists()
    assert run([*base(scenario, plan_file), "-o", str(tmp_path / "r.txt")]) == 0
    assert "r.txt: .txt names no report format; writing md" in capsys.readouterr().err
    assert run([*base(scenario, plan_file), "-o", str(tmp_path / "r.txt"), "--format", "csv"]) == 0
    assert (tmp_path / "r.txt").read_bytes().startswith("\ufeffpart,".encode())


def test_only_updated_flag(
    scenario: Scenario, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(base(scenario, plan_file)) == 0
    board = capsys.readouterr().out
    assert "No progress update reported." not in board and "#### 4a" not in board
    assert run([*base(scenario, plan_file), "--no-only-updated"]) == 0
    full = capsys.readouterr().out
    assert "No progress update reported." in full and "#### 4a" in full
    assert run([*base(scenario, plan_file), "--format", "csv", "--only-updated"]) == 0
    assert "No progress update reported." not in capsys.readouterr().out
