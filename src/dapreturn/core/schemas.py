"""JSON Schemas for plan and return files, generated from the pydantic models.

The generated files live in ``schema/`` of the repository so that other tools can validate
files without Python; a test fails when they drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path

from dapreturn.core.plan import Plan
from dapreturn.core.returns import Return
from dapreturn.core.storage import atomic_write_text

SCHEMA_FILES: dict[str, type[Plan] | type[Return]] = {
    "plan.schema.json": Plan,
    "return.schema.json": Return,
}
"""File name -> model for every generated schema."""


def schema_text(model: type[Plan] | type[Return]) -> str:
    """The model's JSON Schema as stable, pretty-printed text ending with a newline."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write every schema into ``out`` (created if needed); return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMA_FILES.items():
        path = out / name
        atomic_write_text(path, schema_text(model))
        written.append(path)
    return written
