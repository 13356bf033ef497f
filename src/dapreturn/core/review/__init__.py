"""The officer's open session (a loaded folder, inbox rows, trusting a key, tasks), Textual-free."""
