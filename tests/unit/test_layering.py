"""The core never imports Textual: it must stay usable from the CLI, plain mode and tests."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import dapreturn.core


def test_importing_every_core_module_does_not_load_textual() -> None:
    modules = [m.name for m in pkgutil.walk_packages(dapreturn.core.__path__, "dapreturn.core.")]
    assert "dapreturn.core.plan.model" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported: {out.stdout}"


def test_cli_verification_commands_do_not_load_textual() -> None:
    code = (
        "import sys\nfrom dapreturn.cli.main import build_parser\nbuild_parser()\n"
        "print(any(m.startswith('textual') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_partner_app_start_up_imports_only_what_filling_in_needs() -> None:
    # Signing, review, export and the officer side load when first used, not at start-up.
    code = (
        "import sys\nimport dapreturn.cli.main, dapreturn.tui.partner.app\n"
        "heavy = ('cryptography', 'sqlite3', 'openpyxl', 'dapreturn.core.signing.files',\n"
        "         'dapreturn.core.returns.safeguarding', 'dapreturn.core.collection.load',\n"
        "         'dapreturn.core.report', 'dapreturn.tui.officer',\n"
        "         'dapreturn.tui.partner.screens.review', 'dapreturn.tui.partner.signflow')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(heavy))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
