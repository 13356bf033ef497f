"""``dapreturn call``: one signed pack per partner, verifiable against the group's trust list."""

from __future__ import annotations

from pathlib import Path

import pytest

from dapreturn.cli.main import main
from dapreturn.core.cycle.packs import check_pack_file
from dapreturn.core.signing.groupsig import CALL, verify_group_file
from dapreturn.core.signing.officers import find_officer_key, officer_signers_line
from dapreturn.core.signing.trust import parse_trust

PLAN = Path(__file__).resolve().parent.parent / "data" / "mini-plan.toml"


def test_call_writes_one_pack_per_partner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keys", "new", "--officer", "jo.bloggs"]) == 0
    assert main(["keys", "new", "--officer", "sam.lee"]) == 0
    jo, sam = find_officer_key("jo.bloggs"), find_officer_key("sam.lee")
    assert jo is not None and sam is not None
    trust_file = tmp_path / "allowed_signers"
    lines = [officer_signers_line(o.name, o.public_key) for o in (jo, sam)]
    trust_file.write_text("\n".join(lines) + "\n")
    out = tmp_path / "calls"
    args = ["call", "--period", "2018/19 Q3", "--deadline", "15/01/2019", "--plan", str(PLAN)]
    args += ["--officer", "jo.bloggs", "--trust", str(trust_file), "-o", str(out)]
    assert main([*args, "--contact", "Jo Bloggs, 0121 000 0000"]) == 0
    packs = sorted(out.iterdir())
    assert [p.name.split("_")[3] for p in packs] == ["BCC-COMM", "BSWA", "VAWC-SG"]
    trust = parse_trust(trust_file.read_text(), "t")
    for path in packs:
        checked = check_pack_file(path, trust)
        assert checked.pack.contact == "Jo Bloggs, 0121 000 0000"
        assert [k.principal for k in checked.pack.group_keys] == [
            "officer:jo.bloggs",
            "officer:sam.lee",
        ]
        assert checked.pack.expected
    assert "3 pack(s) for 2018/19 Q3, deadline Tue 15 Jan 2019" in capsys.readouterr().out


def test_call_only_named_partners_and_no_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["call", "--period", "2018/19 Q3", "--deadline", "2019-01-15", "--plan", str(PLAN)]
    assert main([*args, "-o", str(tmp_path)]) == 2
    assert "keys new --officer" in capsys.readouterr().err
    assert main(["keys", "new", "--officer", "jo.bloggs"]) == 0
    assert main([*args, "--partners", "BSWA", "-o", str(tmp_path)]) == 0
    (pack,) = tmp_path.iterdir()
    assert verify_group_file(pack, CALL, None).signer == "officer:jo.bloggs"
    assert main([*args, "--partners", "NOPE", "-o", str(tmp_path)]) == 2
    assert "NOPE is not a partner of plan mini" in capsys.readouterr().err
