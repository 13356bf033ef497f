"""``dapreturn schema [--out DIR] [--editor FOLDER]``: JSON Schemas generated from the models."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from dapreturn.core.errors import StorageError
from dapreturn.core.schemas import TAPLO_CONFIG_NAME, write_editor_association, write_schemas


def register(sub: Any) -> None:
    """Add the ``schema`` command."""
    p = sub.add_parser("schema", help="write JSON Schemas for plan and return files")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("schema"),
        metavar="DIR",
        help="folder to write into (default: ./schema)",
    )
    p.add_argument(
        "--editor",
        type=Path,
        metavar="FOLDER",
        help=f"instead, put the return schema and a {TAPLO_CONFIG_NAME} into a folder of "
        "returns, for checking them in an editor that uses taplo (VS Code: Even Better TOML)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the schemas (or the editor association) and say where."""
    if args.editor is not None:
        if not args.editor.is_dir():
            raise StorageError(f"{args.editor}: not a folder")
        written = write_editor_association(args.editor)
        for path in written:
            print(f"wrote {path}")
        if not written:
            print(f"{args.editor} already has this version's schema and a {TAPLO_CONFIG_NAME}")
        return 0
    for path in write_schemas(args.out):
        print(f"wrote {path}")
    return 0
