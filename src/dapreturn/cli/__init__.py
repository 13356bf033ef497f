"""The ``dapreturn`` command line: a thin layer over :mod:`dapreturn.core`.

Each command group lives in its own module exposing ``register(subparsers)``. The Textual apps
are imported lazily, only by the commands that start them, so ``dapreturn verify`` and friends
start fast and work where no terminal UI is possible.
"""

from dapreturn.cli.main import main

__all__ = ["main"]
