"""Child process for the memory benchmark: load a folder, print peak resident memory as JSON.

``python _memory_child.py none|cold|cold-fill|cache FOLDER [CACHE]``: ``none`` imports and reads
the trust list only (the floor); ``cold`` loads without a cache; ``cold-fill`` loads and fills
the cache at ``CACHE``; ``cache`` loads from it.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from dapreturn.core.collection import load_collection
from dapreturn.core.trust import load_trust
from dapreturn.core.vcache import VerificationCache


def main() -> None:
    """Run one mode and print ``{"maxrss_mb": ..., "verified": ...}``."""
    mode, folder = sys.argv[1], Path(sys.argv[2])
    trust = load_trust(folder / "allowed_signers")
    verified = 0
    if mode == "cold":
        verified = sum(r.verified for r in load_collection(folder, trust).files)
    elif mode in ("cold-fill", "cache"):
        with VerificationCache(Path(sys.argv[3])) as cache:
            verified = sum(r.verified for r in load_collection(folder, trust, cache=cache).files)
    print(json.dumps({"maxrss_mb": _peak_bytes() / 1e6, "verified": verified}))


def _peak_bytes() -> int:
    """This process's peak resident memory.

    On Linux ``VmHWM`` (``/proc/self/status``) is read: ``ru_maxrss`` also counts the parent's
    memory at fork time (it survives ``exec``), which would blur a child of a large parent.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak if sys.platform == "darwin" else peak * 1024


if __name__ == "__main__":
    main()
