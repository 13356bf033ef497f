"""The JSON Schemas in schema/ are generated from the models and must not drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dapreturn.cli import main
from dapreturn.core.schemas import SCHEMA_FILES, schema_text

REPO_SCHEMA = Path(__file__).resolve().parents[2] / "schema"


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_committed_schema_matches_the_model(name: str) -> None:
    committed = (REPO_SCHEMA / name).read_text(encoding="utf-8")
    assert committed == schema_text(SCHEMA_FILES[name]), (
        f"schema/{name} is stale: run `dapreturn schema` and commit the result"
    )


def test_schema_command_writes_valid_json(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "return.schema.json").read_text(encoding="utf-8"))
    assert "entries" in data["properties"] and data["additionalProperties"] is False
