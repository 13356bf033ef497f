"""An officer's folder of returns: walk, read, verify, resolve, analyse, decisions."""
