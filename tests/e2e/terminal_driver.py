"""A real terminal for the end-to-end tests: the real program in tmux, keys in, screen out.

Each :class:`Terminal` runs on a private tmux server, so tests never touch a person's own
tmux sessions.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

WIDTH, HEIGHT = 100, 30
"""The default terminal size."""


def dapreturn_base() -> list[str]:
    """The installed ``dapreturn`` console script (``python -m dapreturn`` if there is none)."""
    exe = shutil.which("dapreturn") or str(Path(sys.executable).with_name("dapreturn"))
    return [exe] if Path(exe).exists() else [sys.executable, "-m", "dapreturn"]


def dapreturn_command() -> list[str]:
    """How to start the partner app: ``dapreturn fill``, as a user would type it.

    Falls back to running the same ``fill`` command module directly if this checkout's command
    line does not list ``fill`` yet (it is being wired into ``cli/main.py``).
    """
    base = dapreturn_base()
    listed = subprocess.run([*base, "--help"], capture_output=True, text=True, check=False)
    if " fill " in listed.stdout:
        return [*base, "fill"]
    launcher = (
        "import argparse, sys; from dapreturn.cli import fill_cmd; "
        "p = argparse.ArgumentParser(); fill_cmd.add_arguments(p); "
        "sys.exit(fill_cmd.run(p.parse_args()))"
    )
    return [sys.executable, "-c", launcher]


class Terminal:
    """A tmux session on a private server, driven like a person at the keyboard."""

    def __init__(
        self,
        socket: Path,
        cwd: Path,
        env: dict[str, str],
        command: list[str],
        size: tuple[int, int] = (WIDTH, HEIGHT),
    ) -> None:
        """Start ``command`` in a new terminal of ``size`` on a private server."""
        self.socket = str(socket)
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
        line = f"cd {_quote(str(cwd))} && exec env {exports} " + " ".join(map(_quote, command))
        self._tmux(
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            "sh",
            "-c",
            line,
        )
        self._tmux("set-option", "-t", "e2e", "escape-time", "0")

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def screen(self) -> str:
        """What the terminal shows now."""
        return self._tmux("capture-pane", "-p", "-t", "e2e")

    def running(self) -> bool:
        """Whether the program is still running."""
        return (
            subprocess.run(
                ["tmux", "-S", self.socket, "has-session", "-t", "e2e"],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )

    def keys(self, *names: str, pause: float = 0.15) -> None:
        """Press keys (tmux names: Enter, Tab, Down, Escape, C-g, F3...), ``pause`` apart."""
        for name in names:
            self._tmux("send-keys", "-t", "e2e", name)
            if pause:
                time.sleep(pause)

    def type(self, text: str) -> None:
        """Type text literally."""
        self._tmux("send-keys", "-t", "e2e", "-l", text)

    def wait_for(self, words: str, timeout: float = 20.0) -> str:
        """Poll the screen until ``words`` appear; fail with the screen if they do not."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if words in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{words!r} did not appear; the screen shows:\n{shown}")
            time.sleep(0.1)

    def wait_without(self, words: str, timeout: float = 20.0) -> str:
        """Poll the screen until ``words`` have gone (a list closed)."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if words not in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{words!r} is still shown:\n{shown}")
            time.sleep(0.1)

    def wait_until_gone(self, timeout: float = 20.0) -> None:
        """Wait for the program to end."""
        deadline = time.monotonic() + timeout
        while self.running():
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not quit; the screen shows:\n{self.screen()}")
            time.sleep(0.1)

    def close(self) -> None:
        """Stop this test's tmux server (and only it)."""
        self._tmux("kill-server")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"
