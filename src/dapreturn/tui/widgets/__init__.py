"""Reusable widgets of the dapreturn apps (no app state: data comes in, messages go out)."""
