"""Child process for the start-up benchmark; runs in a pseudo-terminal, like a person's shell.

``python _startup_child.py dapreturn TREE.json``: ``dapreturn fill`` exactly as the command line
runs it, with one hook: when the main screen has mounted and the screen has been refreshed
(the first frame a person can type into), it writes its CPU time so far (a line) to the file
descriptor in ``BENCH_SIGNAL_FD``, saves the screen's widget tree (Textual widget types only) to
``TREE.json`` and quits.

``python _startup_child.py bare TREE.json``: a Textual app with no dapreturn code at all that
composes the same tree of Textual widget types (empty), signalling the same way. It is the
floor: what any Textual app of this shape costs to start on this machine. ``bare-deps`` is the
same app after importing the libraries dapreturn cannot start without (pydantic, tomli-w,
platformdirs): the floor of this *stack*.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

_CONTAINERS = "textual.containers"
_SCREEN_OWN = frozenset({"ToastRack", "Tooltip"})
"""Widgets every Textual screen makes for itself (the bare screen makes its own)."""


def _signal() -> None:
    """Tell the parent: first frame now, after this much CPU time (seconds) in this process."""
    os.write(int(os.environ["BENCH_SIGNAL_FD"]), f"{time.process_time():.6f}\n".encode())


def _textual_base(cls: type) -> type:
    """The first Textual class in ``cls``'s ancestry (``ActionList`` -> ``OptionList``)."""
    return next(c for c in cls.__mro__ if c.__module__.startswith("textual."))


def _describe(widget: Any) -> dict[str, Any]:
    """A widget as ``{"type", "module", "children"}``, children only where an app composes them."""
    from textual.widgets import Collapsible

    base = _textual_base(type(widget))
    own_compose = any(
        "compose" in vars(c)
        for c in type(widget).__mro__
        if not c.__module__.startswith("textual.")
    )
    children: list[Any] = []
    if isinstance(widget, Collapsible):
        contents = widget.query_one(Collapsible.Contents)
        children = [_describe(c) for c in contents.children]
    elif own_compose or base.__module__ == _CONTAINERS:
        children = [
            _describe(c)
            for c in widget.children
            if _textual_base(type(c)).__name__ not in _SCREEN_OWN
        ]
    return {"type": base.__name__, "module": base.__module__, "children": children}


def run_dapreturn(tree_path: Path) -> None:
    """``dapreturn fill`` with a hook on the main screen's first frame."""
    from dapreturn.tui.partner.screens.main import MainScreen

    original = MainScreen.on_mount

    def on_mount(self: MainScreen) -> None:
        original(self)

        def first_frame() -> None:
            _signal()
            tree_path.write_text(json.dumps(_describe(self)), encoding="utf-8")
            self.app.exit()

        self.call_after_refresh(first_frame)

    MainScreen.on_mount = on_mount  # type: ignore[method-assign]
    from dapreturn.cli import main

    sys.exit(main(["fill"]))


def _build(node: dict[str, Any]) -> Any:
    """A fresh, empty widget of the same Textual type, with the same composed children."""
    import importlib

    module = node["module"]
    public = "textual.widgets" if module.startswith("textual.widgets") else module
    cls = getattr(importlib.import_module(public), node["type"])
    children = [_build(c) for c in node["children"]]
    if node["type"] == "Select":
        return cls([("Option", "option")])
    if node["type"] == "Collapsible":
        return cls(*children, title="Last period")
    if children or module == _CONTAINERS:
        return cls(*children)
    return cls()


def run_bare_deps(tree_path: Path) -> None:
    """The bare app, after importing the libraries dapreturn needs before its first frame."""
    import platformdirs  # noqa: F401
    import pydantic
    import tomli_w  # noqa: F401

    class Probe(pydantic.BaseModel):  # pydantic's first model builds its core machinery
        name: str = ""

    Probe(name="x")
    run_bare(tree_path)


def run_bare(tree_path: Path) -> None:
    """A bare Textual app composing the recorded tree."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen

    tree = json.loads(tree_path.read_text(encoding="utf-8"))

    class BareScreen(Screen[None]):
        def compose(self) -> ComposeResult:
            for child in tree["children"]:
                yield _build(child)

        def on_mount(self) -> None:
            def first_frame() -> None:
                _signal()
                self.app.exit()

            self.call_after_refresh(first_frame)

    class BareApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(BareScreen())

    BareApp().run()


if __name__ == "__main__":
    modes = {"dapreturn": run_dapreturn, "bare": run_bare, "bare-deps": run_bare_deps}
    modes[sys.argv[1]](Path(sys.argv[2]))
