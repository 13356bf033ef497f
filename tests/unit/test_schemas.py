"""The JSON Schemas in schema/: generated from the models, described, and true of real files.

Every bundled plan, every demo return (signed) and a draft validate with ``jsonschema``; the
editor association (``.taplo.toml``) is checked with the ``taplo`` program where it is
installed (the ``taplo`` wheel in the test extras ships it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.cli import main
from dapreturn.core.collection.scan import Folder
from dapreturn.core.filling.submit import submit_return
from dapreturn.core.plan.model import bundled_plan
from dapreturn.core.returns.model import Entry, KpiFigure, Return
from dapreturn.core.returns.tomlio import dump_return
from dapreturn.core.schemas import (
    RETURN_FILE_GLOB,
    RETURN_SCHEMA_NAME,
    SCHEMA_FILES,
    SCHEMA_IDS,
    TAPLO_CONFIG_NAME,
    SignatureTable,
    attribute_docs,
    schema_file_text,
    taplo_config,
    write_editor_association,
)
from dapreturn.core.signing import files as signing

ROOT = Path(__file__).resolve().parents[2]
REPO_SCHEMA = ROOT / "schema"
PLANS = sorted((REPO_SCHEMA / "plans").glob("*.toml"))
DEMO_RETURNS = sorted((ROOT / "demo" / "returns").glob(RETURN_FILE_GLOB))
NOW = datetime(2019, 1, 10, 12, 0, tzinfo=UTC)


def jsonable(value: Any) -> Any:
    """TOML data as JSON sees it: dates and times become RFC 3339 text (as taplo reads them)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return value


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO_SCHEMA / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def problems(name: str, data: bytes) -> list[str]:
    """What ``jsonschema`` says is wrong with a TOML file's bytes (empty when it validates)."""
    doc = jsonable(tomllib.loads(data.decode("utf-8")))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(doc)]


def draft() -> Return:
    """A return half filled in, as the app autosaves it: no status, no dates, not signed."""
    return Return(
        plan="daps-2018-2023",
        period="2018/19 Q3",
        partner="BSWA",
        prepared_by="Jo Bloggs, Service Manager",
        entries=[Entry(ref="3l", action_taken="Trained 12 ambassadors."), Entry(ref="3d")],
        kpis=[KpiFigure(id="K1")],
    )


def signed_now() -> bytes:
    """A return signed just now by the real signing code."""
    ret = draft().model_copy(update={"submitted_at": NOW})
    body = dump_return(ret).encode("utf-8")
    return signing.sign_body(body, Ed25519PrivateKey.generate(), "BSWA")


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_committed_schema_matches_the_model(name: str) -> None:
    committed = (REPO_SCHEMA / name).read_text(encoding="utf-8")
    assert committed == schema_file_text(name), (
        f"schema/{name} is stale: run `dapreturn schema` and commit the result"
    )


def test_schema_command_writes_valid_json(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "return.schema.json").read_text(encoding="utf-8"))
    assert "entries" in data["properties"] and data["additionalProperties"] is False
    assert data["$id"] == "urn:dapreturn:schema:return:v1"


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [("(root)", k, v) for k, v in schema["properties"].items()]
    for table, sub in schema.get("$defs", {}).items():
        found += [(table, k, v) for k, v in sub.get("properties", {}).items()]
    return found


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_every_property_is_described_and_the_schema_has_a_stable_id(name: str) -> None:
    schema = json.loads(schema_file_text(name))
    assert schema["$id"] == SCHEMA_IDS[name]
    assert schema["$id"].startswith("urn:dapreturn:schema:") and schema["$id"].endswith(":v1")
    undescribed = [f"{t}.{k}" for t, k, v in _properties(schema) if not v.get("description")]
    assert undescribed == [], f"give these fields a docstring: {undescribed}"
    assert len(_properties(schema)) >= 20
    assert "null" not in json.dumps(schema)  # TOML has no null: an optional key is left out


def test_descriptions_are_the_field_docstrings() -> None:
    schema = json.loads(schema_file_text(RETURN_SCHEMA_NAME))
    entry = schema["$defs"]["Entry"]["properties"]
    assert entry["status"]["description"] == attribute_docs(Entry)["status"]
    assert entry["status"]["description"].startswith("A status id from the plan's vocabulary")
    # the alias is what files say: ``schema``, described from the ``schema_`` field
    assert schema["properties"]["schema"]["description"].startswith("Always ``dapreturn/return")
    plan = json.loads(schema_file_text("plan.schema.json"))
    assert "never overdue" in plan["$defs"]["Status"]["properties"]["done"]["description"]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_every_bundled_plan_validates(path: Path) -> None:
    assert problems("plan.schema.json", path.read_bytes()) == []


@pytest.mark.parametrize("path", DEMO_RETURNS, ids=lambda p: p.name)
def test_every_demo_return_validates_signed(path: Path) -> None:
    data = path.read_bytes()
    assert b"\n[signature]\n" in data
    assert problems(RETURN_SCHEMA_NAME, data) == []


def test_a_draft_and_a_freshly_signed_return_validate() -> None:
    assert problems(RETURN_SCHEMA_NAME, dump_return(draft()).encode("utf-8")) == []
    assert problems(RETURN_SCHEMA_NAME, signed_now()) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ((b'signer = "BSWA"', b'signer = "BSWA"\nextra = "rides along"'), "extra"),
        ((b'format = "sshsig"', b'format = "gpg"'), "'sshsig' was expected"),
        ((b'role = "lead"', b'role = "leader"'), "'leader' is not one of"),
        ((b'key = "SHA256:', b'key = "MD5:'), "does not match"),
    ],
)
def test_the_schema_refuses_what_dapreturn_refuses(
    change: tuple[bytes, bytes], expected: str
) -> None:
    data = signed_now().replace(*change, 1)
    assert data != signed_now()
    assert any(expected in p for p in problems(RETURN_SCHEMA_NAME, data))


def test_signature_table_is_what_signing_writes() -> None:
    table = tomllib.loads(signed_now().decode("utf-8"))["signature"]
    assert set(table) == set(SignatureTable.model_fields)
    assert table["namespace"] == signing.NAMESPACE
    SignatureTable.model_validate(table)


def test_editor_association_is_written_and_a_users_own_is_kept(tmp_path: Path) -> None:
    written = write_editor_association(tmp_path)
    assert {p.name for p in written} == {TAPLO_CONFIG_NAME, RETURN_SCHEMA_NAME}
    assert (tmp_path / RETURN_SCHEMA_NAME).read_text() == schema_file_text(RETURN_SCHEMA_NAME)
    assert write_editor_association(tmp_path) == []  # nothing to do the second time
    (tmp_path / TAPLO_CONFIG_NAME).write_text("# mine\n")
    (tmp_path / RETURN_SCHEMA_NAME).write_text("{}")  # an older version's schema
    assert write_editor_association(tmp_path) == [tmp_path / RETURN_SCHEMA_NAME]
    assert (tmp_path / TAPLO_CONFIG_NAME).read_text() == "# mine\n"


def test_signing_writes_the_association_beside_the_return(tmp_path: Path) -> None:
    plan = bundled_plan("daps-2018-2023")
    ret = Return(plan=plan.id, period="2018/19 Q3", partner="JCP", prepared_by="Officer, JCP")
    out = tmp_path / "returns"
    result = submit_return(ret, plan, Ed25519PrivateKey.generate(), out, now=NOW)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([TAPLO_CONFIG_NAME, RETURN_SCHEMA_NAME, result.path.name])
    assert (out / TAPLO_CONFIG_NAME).read_text() == taplo_config()
    # and a folder holding them loads as before: the association is not a return
    with Folder(out) as folder:
        assert [job.rel for job in folder.walk()] == [result.path.name]


def _taplo() -> str | None:
    beside = Path(sys.executable).with_name("taplo")
    return str(beside) if beside.is_file() else shutil.which("taplo")


needs_taplo = pytest.mark.skipif(
    _taplo() is None, reason="taplo is not installed (pip install taplo, in the test extras)"
)


def _taplo_check(cwd: Path, *files: str) -> subprocess.CompletedProcess[str]:
    taplo = _taplo()
    assert taplo is not None
    return subprocess.run(
        [taplo, "check", "--colors", "never", *files],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_taplo
def test_taplo_checks_a_returns_folder_with_the_association(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    write_editor_association(folder)
    for path in DEMO_RETURNS:
        shutil.copy(path, folder / path.name)
    good = _taplo_check(folder)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "found configuration file" in good.stderr
    broken = DEMO_RETURNS[0].read_bytes().replace(b'role = "lead"', b'role = "leader"', 1)
    (folder / DEMO_RETURNS[0].name).write_bytes(broken)
    bad = _taplo_check(folder)
    assert bad.returncode != 0
    assert '"leader" is not one of' in bad.stderr and DEMO_RETURNS[0].name in bad.stderr


@needs_taplo
def test_taplo_checks_the_repository_plans_and_demo_returns() -> None:
    files = [str(p.relative_to(ROOT)) for p in (*PLANS, *DEMO_RETURNS)]
    done = _taplo_check(ROOT, *files)
    assert done.returncode == 0, done.stdout + done.stderr
    config = tomllib.loads((ROOT / TAPLO_CONFIG_NAME).read_text(encoding="utf-8"))
    assert {r["schema"]["path"] for r in config["rule"]} == {
        "schema/plan.schema.json",
        "schema/return.schema.json",
    }


def test_verifying_a_returns_folder_passes_over_the_association(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = ROOT / "demo" / "returns"
    assert (folder / TAPLO_CONFIG_NAME).is_file()
    trust = str(folder / "allowed_signers")
    assert main(["verify", str(folder), "--trust", trust]) == 0
    out = capsys.readouterr().out
    assert out.count(": verified: ") == len(DEMO_RETURNS) and TAPLO_CONFIG_NAME not in out


def test_schema_command_puts_the_association_into_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--editor", str(tmp_path)]) == 0
    assert (tmp_path / TAPLO_CONFIG_NAME).read_text() == taplo_config()
    assert main(["schema", "--editor", str(tmp_path)]) == 0
    assert "already has this version's schema" in capsys.readouterr().out
    assert main(["schema", "--editor", str(tmp_path / "missing")]) == 2
