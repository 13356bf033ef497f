"""Plan files: the plan model and how bundled plans and plan files are read."""
