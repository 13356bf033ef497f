"""Screens of the partner app; each receives the data it shows and returns a result."""
