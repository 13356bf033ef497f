"""The partner app: fill in, autosave and sign a quarterly return, by keyboard, offline."""
