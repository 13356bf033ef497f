"""The Textual apps: the partner app (``partner/``) and the officer app (``officer/``).

Nothing in :mod:`dapreturn.core` imports this package; the command line imports it lazily.
"""
