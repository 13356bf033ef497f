"""End to end: a person fills in and signs BSWA's 2018/19 Q3 return in a real terminal.

The real ``dapreturn`` program runs in tmux (100x30) with its own DAPRETURN_HOME and current
folder. Keys go in with ``send-keys``; the screen is read with ``capture-pane`` until the
expected words appear (no fixed long sleeps). The signed file is then checked twice,
independently: by ``dapreturn verify`` and by OpenSSH's ``ssh-keygen -Y verify``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal_driver import Terminal, dapreturn_base, dapreturn_command

from dapreturn.core.signing import keys
from dapreturn.core.signing.files import NAMESPACE
from dapreturn.core.signing.table import split_signed

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path, Path]]:
    home = tmp_path / "home"
    cwd = tmp_path / "work"
    cwd.mkdir()
    env = {
        "DAPRETURN_HOME": str(home),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
    }
    command = [*dapreturn_command(), "--period", "2018/19 Q3"]
    term = Terminal(tmp_path / "tmux.sock", cwd, env, command)
    try:
        yield term, home, cwd
    finally:
        term.close()


def test_fill_and_sign_bswa_q3(
    terminal: tuple[Terminal, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    term, home, cwd = terminal
    # First run: organisation, name and role (the plan and period are already right).
    term.wait_for("Welcome to dapreturn")
    term.type("bswa")
    term.wait_for("Chosen: BSWA")
    term.keys("Enter")
    time.sleep(0.2)  # a person's pause between questions
    term.type("Jo Bloggs")
    term.keys("Tab")
    term.type("Services Manager")
    term.keys("C-g")
    # Main screen: BSWA leads 3l.
    term.wait_for("0 of 1 actions complete")
    term.wait_for("Ask Me")
    term.keys("Enter")  # edit 3l: the cursor goes to Status
    term.wait_for("▶ Status")
    term.keys("Enter")
    term.wait_for("NS  Not started")
    term.keys("Down", "Down", "Enter")  # (blank) -> Not started -> On track
    term.wait_without("NS  Not started")  # the list has closed
    term.wait_for("G   On track")
    time.sleep(0.2)
    term.keys("Tab")
    term.wait_for("▶ Started")
    term.type("01/04/2018")
    term.wait_for("Sun 1 Apr 2018")
    term.keys("Tab")
    term.wait_for("▶ Target date")
    term.type("31 Mar 2023")
    term.wait_for("Fri 31 Mar 2023")
    term.keys("Tab", "Tab")  # Completed stays empty
    term.wait_for("▶ Individuals responsible")
    term.type("Jo Bloggs, Services Manager")
    term.keys("Tab")
    term.wait_for("▶ Action taken this period")
    term.type("Recruited 12 Ask Me ambassadors in three community venues.")
    term.keys("Tab")
    term.wait_for("▶ Next steps")
    term.type("Train the next cohort in January.")
    term.keys("Tab")
    term.wait_for("▶ Risks / issues")
    term.type("None this quarter.")
    term.keys("Tab")
    term.wait_for("1 of 1 actions complete")
    term.wait_for("Draft saved")
    # BSWA also contributes to 3d (the DA hub pilot): add it from the list.
    term.keys("F4")
    term.wait_for("Add an action you contribute to")
    term.type("hub")
    term.wait_for("3d    Domestic abuse hub")
    term.keys("Down")
    time.sleep(0.2)
    term.keys("Enter")
    term.wait_for("3d  Domestic abuse hub for victims")
    term.wait_for("▶ Status")
    term.keys("Enter")
    term.wait_for("NS  Not started")
    term.keys("Down", "Down", "Enter")
    term.wait_without("NS  Not started")
    time.sleep(0.2)
    term.keys("Tab")
    term.wait_for("▶ Started")
    term.type("1 Oct 2018")
    term.wait_for("Mon 1 Oct 2018")
    term.keys("Tab")
    term.type("31/03/2019")
    term.wait_for("Sun 31 Mar 2019")
    term.keys("Tab", "Tab")
    term.wait_for("▶ Individuals responsible")
    term.keys("Tab")
    term.wait_for("▶ Action taken this period")
    term.type("Agreed the pilot DA services hub with the HPB; it opens in February 2019.")
    term.keys("Tab")
    term.wait_for("▶ Next steps")
    term.keys("Tab")
    term.wait_for("▶ Risks / issues")
    term.keys("Tab")
    term.wait_for("2 of 2 actions complete")
    term.wait_for("Draft saved")
    # KPIs: give the first figure.
    term.keys("F2")
    term.wait_for("KPI figures for 2018/19 Q3")
    term.type("42")
    term.keys("Tab")
    term.wait_for("Draft saved")
    term.keys("Escape")
    term.wait_for("1 of 8 given")
    # Review and sign; first signing makes the key (no passphrase).
    term.keys("F3")
    term.wait_for("No problems found")
    term.keys("C-g")
    term.wait_for("make your signing key")
    term.keys("Enter")  # no passphrase: Enter in the first box...
    time.sleep(0.3)
    term.keys("Enter")  # ...and in the second
    term.wait_for("Your signing key is ready")
    term.keys("Enter")
    shown = term.wait_for("Return signed and saved")
    signed = home / "returns" / "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
    assert "daps-2018-2023_2018-19-Q3_BSWA_r1.toml" in shown.replace("\n", "")
    term.keys("Enter")
    term.wait_for("2 of 2 actions complete")
    term.keys("C-q")
    term.wait_until_gone()
    assert signed.is_file()

    # The steering group's trust list, built from the partner's public key.
    monkeypatch.setenv("DAPRETURN_HOME", str(home))
    info = keys.find_key("BSWA")
    assert info is not None
    trust = cwd / "allowed_signers"
    trust.write_text(keys.allowed_signers_line("BSWA", info.public_key) + "\n", encoding="utf-8")
    verify_cmd = [*dapreturn_base(), "verify", str(signed), "--trust", str(trust)]
    verified = subprocess.run(verify_cmd, capture_output=True, text=True, check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # Independently, with stock OpenSSH.
    ssh_keygen = shutil.which("ssh-keygen")
    if ssh_keygen is None:
        pytest.skip("ssh-keygen is not installed")
    body, table = split_signed(signed.read_bytes())
    assert table is not None
    armored = tomllib.loads(table.decode("ascii"))["signature"]["armored"]
    sig = cwd / "return.sig"
    sig.write_text(armored, encoding="ascii")
    checked = subprocess.run(
        [
            ssh_keygen,
            "-Y",
            "verify",
            "-f",
            str(trust),
            "-I",
            "BSWA",
            "-n",
            NAMESPACE,
            "-s",
            str(sig),
        ],
        input=body,
        capture_output=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert b"Good" in checked.stdout + checked.stderr
    text = tomllib.loads(body.decode("utf-8"))
    assert text["entries"][0]["action_taken"] == (
        "Recruited 12 Ask Me ambassadors in three community venues."
    )
    assert text["prepared_by"] == "Jo Bloggs, Services Manager"
