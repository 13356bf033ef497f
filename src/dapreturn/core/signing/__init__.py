"""Signatures and trust: SSHSIG, partner keys, the allowed_signers trust list, signed files."""
