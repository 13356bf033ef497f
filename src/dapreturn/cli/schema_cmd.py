"""``dapreturn schema [--out DIR]``: write JSON Schemas generated from the models."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from dapreturn.core.schemas import write_schemas


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
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the schemas and say where."""
    for path in write_schemas(args.out):
        print(f"wrote {path}")
    return 0
