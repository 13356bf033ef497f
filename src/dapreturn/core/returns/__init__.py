"""Return files: the model, the plan's rules, the TOML layout and the personal-data check."""
