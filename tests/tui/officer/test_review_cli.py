"""``dapreturn review [DIR] [--trust FILE]``: arguments, defaults, and starting the app."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from builders import TEST_PLAN_TOML
from dapreturn.cli import review_cmd
from dapreturn.core import paths
from dapreturn.core.config import UserConfig, save_config
from dapreturn.core.errors import DapreturnError
from dapreturn.tui.officer.app import ReviewApp


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dapreturn")
    review_cmd.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["review", *argv])


def test_arguments() -> None:
    args = parse()
    assert args.folder is None and args.trust is None and args.handler is review_cmd.run
    args = parse("collected", "--trust", "list")
    assert args.folder == Path("collected") and args.trust == Path("list")


def test_defaults_to_returns_and_its_trust_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = paths.default_returns_dir()
    with pytest.raises(DapreturnError, match="returns: no such folder"):
        review_cmd.resolve(parse())
    folder.mkdir(parents=True)
    assert review_cmd.resolve(parse()) == (folder, folder / "allowed_signers")
    assert review_cmd.resolve(parse("--trust", "t")) == (folder, Path("t"))


def test_remembered_folder_and_trust_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shared").mkdir()
    save_config(UserConfig(out_dir="shared", trust_file="steering/allowed_signers"))
    folder, trust = review_cmd.resolve(parse())
    assert folder == Path("shared") and trust == Path("steering/allowed_signers")


def test_run_starts_the_app_on_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[ReviewApp] = []
    monkeypatch.setattr(ReviewApp, "run", lambda self, **kw: started.append(self))
    assert review_cmd.run(parse(str(tmp_path))) == 0
    (app,) = started
    assert app.folder == tmp_path and app.trust_file == tmp_path / "allowed_signers"


def test_plans_come_from_plan_options_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan_file = tmp_path / "test-daps.toml"
    plan_file.write_text(TEST_PLAN_TOML, encoding="utf-8")
    started: list[ReviewApp] = []
    monkeypatch.setattr(ReviewApp, "run", lambda self, **kw: started.append(self))
    assert review_cmd.run(parse(str(tmp_path), "--plan", str(plan_file))) == 0
    assert list(started[0]._plans) == ["test-daps"]
