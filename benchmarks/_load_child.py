"""Child process for the load benchmarks: one cold load in a fresh process, printed as JSON.

``python _load_child.py load FOLDER``: read every file's bytes, time ``tomllib.loads`` of them
(the floor: every byte must be parsed once, and that is all it costs merely to *read* a return),
then time ``load_collection`` on the folder (walk, read, verify, parse, validate, resolve), and
print both with this process's peak memory. ``python _load_child.py none FOLDER`` only imports
and reads the trust list (the floor for memory). Whichever dapreturn is first on ``PYTHONPATH``
is measured, so another checkout's ``src`` can be measured beside this one.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tomllib
from pathlib import Path

from dapreturn.core.collection.load import load_collection
from dapreturn.core.signing.trust import load_trust


def main() -> None:
    """Run one mode and print ``{"load": s, "floor": s, "verified": n, "maxrss_mb": mb}``."""
    mode, folder = sys.argv[1], Path(sys.argv[2])
    trust = load_trust(folder / "allowed_signers")
    out: dict[str, float] = {}
    if mode == "load":
        datas = [p.read_bytes() for p in sorted(folder.glob("*.toml"))]
        start = time.perf_counter()
        for data in datas:
            tomllib.loads(data.decode("utf-8"))
        out["floor"] = time.perf_counter() - start
        del datas
        start = time.perf_counter()
        collection = load_collection(folder, trust)
        out["load"] = time.perf_counter() - start
        out["verified"] = sum(r.verified for r in collection.files)
    out["maxrss_mb"] = _peak_bytes() / 1e6
    print(json.dumps(out))


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
