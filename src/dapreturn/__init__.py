"""dapreturn: signed quarterly progress returns for a multi-agency action plan.

The package has three layers: :mod:`dapreturn.core` (models, files, signing, analysis; never
imports Textual), :mod:`dapreturn.tui` (the Textual apps) and :mod:`dapreturn.cli` (a thin
command layer that imports the TUI lazily).
"""

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata only when asked (it costs ~20-50 ms)."""
    if name != "__version__":
        raise AttributeError(f"module 'dapreturn' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("dapreturn")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found
