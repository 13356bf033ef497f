"""The exceptions dapreturn raises for anything a user or a file can get wrong.

Every message is one line that names the place (file, table, field, line) and the problem, so
the command line can print it as-is and the TUI can show it beside the field.
"""

from __future__ import annotations


class DapreturnError(Exception):
    """Base class: a problem the user can understand and act on."""


class PlanError(DapreturnError):
    """A plan file is missing, not TOML, or breaks a rule of the plan format."""


class ReturnFormatError(DapreturnError):
    """A return file (or draft) is not TOML or does not have the shape of a return."""


class PeriodError(DapreturnError, ValueError):
    """Text that does not name a reporting period."""


class DateInputError(DapreturnError, ValueError):
    """Typed text that is not a date we can understand."""


class SignatureError(DapreturnError):
    """A signature block or armored signature that cannot be parsed or does not verify."""


class KeyFileError(DapreturnError):
    """A signing key is missing, unreadable, unprotected or of the wrong kind."""


class TrustListError(DapreturnError):
    """An allowed_signers trust list has a line that cannot be parsed."""


class StorageError(DapreturnError):
    """A file could not be written safely (disk full, read-only folder, file in use)."""
