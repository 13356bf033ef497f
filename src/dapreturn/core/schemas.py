"""JSON Schemas for plan and return files, generated from the pydantic models.

The generated files live in ``schema/`` of the repository so that other tools (an editor with
taplo / Even Better TOML, ``jsonschema``) can check files without Python; a test fails when
they drift from the models. Every property's description is the model field's own docstring,
read here when a schema is made (pydantic's ``use_attribute_docstrings`` would read the source
of every model at each start-up of the app instead, about 30 ms), so the text cannot drift.

The return schema describes a whole return *file*: the body a draft holds, and the
``[signature]`` table a signed file ends with. :func:`write_editor_association` puts the
schema and a ``.taplo.toml`` naming it into a returns folder, so that opening that folder in
an editor that uses taplo gives completion, descriptions and checking.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import json
import textwrap
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dapreturn.core.messages import PARTNER_PATTERN
from dapreturn.core.plan.model import Plan
from dapreturn.core.returns.model import Return
from dapreturn.core.storage import atomic_write_bytes, atomic_write_text

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema version every generated schema declares (``$schema``)."""

TAPLO_CONFIG_NAME = ".taplo.toml"
"""The editor association file taplo and Even Better TOML look for (never read as a return)."""

RETURN_SCHEMA_NAME = "return.schema.json"
"""File name of the return schema, in ``schema/`` and beside the returns it describes."""

EDITOR_FILES = frozenset({TAPLO_CONFIG_NAME, RETURN_SCHEMA_NAME})
"""What :func:`write_editor_association` puts beside the returns in a returns folder."""

RETURN_FILE_GLOB = "*_r[0-9]*.toml"
"""Glob matching return file names (``<plan>_<period>_<partner>_r<revision>.toml``) only, so
the review ledger and the association file itself are never checked as returns."""


class SignatureTable(BaseModel):
    """The ``[signature]`` table, always the last table of a signed return.

    It is not itself signed: the signature covers every byte of the file before the line
    ``[signature]``. Check it with ``dapreturn verify`` or stock ``ssh-keygen -Y verify``.
    """

    model_config = ConfigDict(extra="forbid")

    format: Literal["sshsig"]
    """Always ``sshsig``: OpenSSH's signature format (PROTOCOL.sshsig), Ed25519 keys."""
    namespace: Literal["return@dapreturn"]
    """Always ``return@dapreturn``: the namespace the signature was made in, and the one the
    steering group's ``allowed_signers`` lines name."""
    signer: Annotated[str, Field(pattern=PARTNER_PATTERN, max_length=32)]
    """The signing partner's code; the same as the body's ``partner``."""
    key: Annotated[str, Field(pattern=r"^SHA256:[A-Za-z0-9+/]{43}$")]
    """Fingerprint of the signing key, as ``ssh-keygen -l`` and ``dapreturn keys show``
    print it (``SHA256:...``)."""
    armored: Annotated[
        str,
        Field(
            pattern=r"^-----BEGIN SSH SIGNATURE-----\n[A-Za-z0-9+/=\n]+"
            r"-----END SSH SIGNATURE-----\n$"
        ),
    ]
    """The signature, armored exactly as ``ssh-keygen -Y sign`` writes it."""


class ReturnFile(Return):
    """A dapreturn return file: a draft, or a signed return when it ends with ``[signature]``.

    One partner's progress report on one plan for one period. Drafts may be incomplete: the
    plan's rules (statuses, required fields) are checked by ``dapreturn`` before signing.
    """

    model_config = ConfigDict(title="dapreturn return file")

    signature: SignatureTable | None = None
    """Present in signed files only, and always last: who signed, with which key, and the
    signature over the exact bytes before it. Never edit a signed file: any change, even a
    space, makes the signature fail."""


SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "plan.schema.json": Plan,
    RETURN_SCHEMA_NAME: ReturnFile,
}
"""File name -> model for every generated schema."""

SCHEMA_IDS: dict[str, str] = {
    "plan.schema.json": "urn:dapreturn:schema:plan:v1",
    RETURN_SCHEMA_NAME: "urn:dapreturn:schema:return:v1",
}
"""A stable ``$id`` per schema, following the ``schema = "dapreturn/<kind>/v1"`` the files
carry; it changes only with that version."""


def attribute_docs(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> the docstring written under the field, for ``model`` and its bases."""
    docs: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or cls is BaseModel:
            continue
        if not cls.__module__.startswith("dapreturn."):
            continue
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
        body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
        for stmt, after in itertools.pairwise(body):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[stmt.target.id] = _reflow(after.value.value)
    return docs


def _reflow(docstring: str) -> str:
    """A docstring as editors show a description: paragraphs kept, lines of each joined."""
    paragraphs = inspect.cleandoc(docstring).split("\n\n")
    return "\n\n".join(" ".join(p.split("\n")) for p in paragraphs)


def _models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model reachable from ``root``'s fields, by class name (the schema's ``$defs``)."""
    found: dict[str, type[BaseModel]] = {}

    def visit(tp: Any) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp.__name__ in found:
                return
            found[tp.__name__] = tp
            for info in tp.model_fields.values():
                visit(info.annotation)
        for arg in typing.get_args(tp):
            visit(arg)

    visit(root)
    return found


def _describe(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Give every property of ``schema`` (for ``model``) its field's docstring."""
    docs = attribute_docs(model)
    properties = schema.get("properties", {})
    for name, info in model.model_fields.items():
        text = docs.get(name)
        key = info.alias or name
        if text and key in properties:
            properties[key]["description"] = text


def _without_null(node: Any) -> None:
    """Drop ``null`` from every ``anyOf`` (TOML has no null: an optional key is left out).

    An ``anyOf`` left with one choice is inlined, so that editors name the real problem
    (``"leader" is not one of ...``) rather than "not valid under any of the schemas".
    """
    if isinstance(node, list):
        for item in node:
            _without_null(item)
        return
    if not isinstance(node, dict):
        return
    choices = node.get("anyOf")
    if isinstance(choices, list) and {"type": "null"} in choices:
        rest = [c for c in choices if c != {"type": "null"}]
        del node["anyOf"]
        if node.get("default", ...) is None:
            del node["default"]
        if len(rest) == 1:
            node.update(rest[0])
        else:
            node["anyOf"] = rest
    for value in node.values():
        _without_null(value)


def schema_dict(model: type[BaseModel], schema_id: str | None = None) -> dict[str, Any]:
    """The model's JSON Schema, every property described from the model's own docstrings."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    defs = schema.get("$defs", {})
    for name, cls in _models(model).items():
        _describe(schema if cls is model else defs.get(name, {}), cls)
    _without_null(schema)
    schema["$schema"] = JSON_SCHEMA_DIALECT
    if schema_id is not None:
        schema["$id"] = schema_id
    return schema


def schema_text(model: type[BaseModel], schema_id: str | None = None) -> str:
    """The model's JSON Schema as stable, pretty-printed text ending with a newline."""
    schema = schema_dict(model, schema_id)
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_file_text(name: str) -> str:
    """The text of the schema file called ``name`` (a key of :data:`SCHEMA_FILES`)."""
    return schema_text(SCHEMA_FILES[name], SCHEMA_IDS[name])


def write_schemas(out: Path) -> list[Path]:
    """Write every schema into ``out`` (created if needed); return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMA_FILES:
        path = out / name
        atomic_write_text(path, schema_file_text(name))
        written.append(path)
    return written


def shipped_schema(name: str) -> bytes:
    """The bytes of a generated schema file as shipped: in the wheel (``dapreturn/schemas``),
    or ``schema/`` of a source checkout (a test keeps those equal to :func:`schema_file_text`).

    Read, not generated, so that signing does not depend on reading the models' source.
    """
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "schemas", package.parent.parent / "schema"):
        path = folder / name
        if path.is_file():
            return path.read_bytes()
    return schema_file_text(name).encode("utf-8")  # neither: made from the models here


def taplo_config() -> str:
    """The ``.taplo.toml`` for a returns folder: its return files use the schema beside them.

    taplo resolves these paths against the folder it starts in (the folder opened in the
    editor, or the working folder of ``taplo check``), so the returns folder is the one to open.
    """
    return (
        "# Completion and checking of dapreturn return files in editors that use taplo\n"
        '# (VS Code: the "Even Better TOML" extension). Open this folder in the editor.\n'
        "# Written by dapreturn, with return.schema.json beside it; safe to delete.\n"
        "\n"
        "[[rule]]\n"
        f'include = ["{RETURN_FILE_GLOB}"]\n'
        "\n"
        "[rule.schema]\n"
        f'path = "{RETURN_SCHEMA_NAME}"\n'
    )


def write_editor_association(folder: Path) -> list[Path]:
    """Put the return schema and a ``.taplo.toml`` into the returns ``folder``.

    The schema is (re)written when it differs from this version's; a ``.taplo.toml`` already
    there is left alone (it may be the user's own). Returns the paths written.
    """
    written = []
    schema = folder / RETURN_SCHEMA_NAME
    data = shipped_schema(RETURN_SCHEMA_NAME)
    try:
        current: bytes | None = schema.read_bytes()
    except OSError:  # missing or unreadable: written afresh below
        current = None
    if current != data:
        atomic_write_bytes(schema, data)
        written.append(schema)
    config = folder / TAPLO_CONFIG_NAME
    if not config.exists():
        atomic_write_bytes(config, taplo_config().encode("utf-8"))
        written.append(config)
    return written
