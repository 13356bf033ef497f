"""dapreturn: signed quarterly progress returns for a multi-agency action plan.

The package has three layers: :mod:`dapreturn.core` (models, files, signing, analysis; never
imports Textual), :mod:`dapreturn.tui` (the Textual apps) and :mod:`dapreturn.cli` (a thin
command layer that imports the TUI lazily).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__: str = version("dapreturn")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
