"""The safeguarding check before signing, as a partner meets it at ``dapreturn sign``.

A return that carries likely personal data is refused (exit 3) with *every* finding printed,
each naming its field, and nothing is written; ``--confirm-personal-data`` signs it anyway.
Ordinary action-plan language — organisation names, periods, plan references, money, service
phone numbers, reporting dates — never raises a false alarm. (The scanner itself is tested in
``tests/unit/test_safeguarding.py``; the officer side's flag is checked when present.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from secsupport import TODAY

from dapreturn.cli import main
from dapreturn.core.collection.load import load_collection
from dapreturn.core.schemas import RETURN_FILE_GLOB
from dapreturn.core.signing import keys
from dapreturn.core.signing.keys import allowed_signers_line
from dapreturn.core.signing.trust import parse_trust

BASE = {
    "plan": "daps-2018-2023",
    "period": "2018/19 Q3",
    "partner": "BSWA",
    "prepared_by": "Jo Bloggs, Service Manager",
}

NEGATIVES = [
    "Birmingham Children's Trust and West Midlands Police attended the Q3 2018/19 board.",
    "Progress reported for 2018/19 Q3 against actions 3l, 3d and R02b (see Appendix 1).",
    "£250,000 secured from the Home Office; 28-34 weeks waiting list reduced to 12 weeks.",
    "National Domestic Abuse Helpline 0808 2000 247 and the non-emergency line 101 were "
    "publicised; Birmingham City Council (BCC) Commissioning led; call 0300 123 4567.",
    "Training delivered on 31 January 2019 and 14/02/2019; next board 2019-04-01.",
    "Ask Me ambassadors trained in Sparkbrook, Hodge Hill and Erdington (B-postcode areas).",
    "Meeting held at the Council House, Victoria Square; Hagley Dr Birmingham office closed.",
    "MASH referrals up 12%; IDVA caseload 85 (target 80); 1,234 calls; 07:30 start.",
    "Ref: DAPS-2018-2023 K1 value 42; percent of plans with DA as a factor: 33%.",
    "Women's Aid, BSWA, Freedom Project, Sikh Women's Aid, Respect, Shelter and CGL partners.",
    "Aged 16-24 cohort work with schools; children and young people aged 11 to 18.",
]

POSITIVES = {
    "3l.action_taken": (
        "Mrs Jane Khan (DOB 12/03/1985) was supported after the incident.",
        ["name after a title", "date of birth"],
    ),
    "3l.next_steps": (
        "Call her on 07700 900123 or e-mail j.khan@example.org to arrange a visit.",
        ["UK phone number", "e-mail address"],
    ),
    "3l.risks": (
        "Perpetrator still lives at B12 9QD; NHS number 943 476 5919 on file.",
        ["UK postcode", "NHS number"],
    ),
    "kpis.K1.note": ("NI number QQ 12 34 56 C recorded.", ["National Insurance number"]),
}


def _draft(action_taken: str, *, next_steps: str = "", risks: str = "", note: str = "") -> str:
    doc = {
        **BASE,
        "entries": [
            {
                "ref": "3l",
                "status": "on_track",
                "action_taken": action_taken,
                "next_steps": next_steps,
                "risks": risks,
            }
        ],
        "kpis": [{"id": "K1", "note": note}] if note else [],
    }
    return tomli_w.dumps(doc)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DAPRETURN_HOME", str(tmp_path / "home"))
    keys.new_key("BSWA")
    return tmp_path


def _signed_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(RETURN_FILE_GLOB)) if folder.is_dir() else []


def test_every_finding_is_printed_and_signing_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = _draft(
        POSITIVES["3l.action_taken"][0],
        next_steps=POSITIVES["3l.next_steps"][0],
        risks=POSITIVES["3l.risks"][0],
        note=POSITIVES["kpis.K1.note"][0],
    )
    (workdir / "draft.toml").write_text(draft)
    assert main(["sign", "draft.toml", "--out", "out"]) == 3
    err = capsys.readouterr().err
    assert "A return must never identify a victim" in err
    expected = [(field, kind) for field, (_, kinds) in POSITIVES.items() for kind in kinds]
    finding_lines = [line for line in err.splitlines() if ": possible " in line]
    assert len(finding_lines) == len(expected), err
    for (field, kind), line in zip(expected, finding_lines, strict=True):
        assert line.strip().startswith(f"{field}: possible {kind} "), (field, kind, line)
    assert "--confirm-personal-data" in err
    assert _signed_files(workdir / "out") == []  # nothing written

    assert main(["sign", "draft.toml", "--out", "out", "--confirm-personal-data"]) == 0
    assert len(_signed_files(workdir / "out")) == 1


KNOWN_FALSE_ALARMS = [
    pytest.param(
        "The council switchboard 0121 303 1111 took the calls.",
        marks=pytest.mark.xfail(
            reason="01/02 landlines are flagged: a service number looks "
            "like a home number (by design; the partner confirms)",
            strict=True,
        ),
        id="service-landline",
    ),
    pytest.param(
        "Dr Foster Intelligence benchmarking data was used.",
        marks=pytest.mark.xfail(
            reason="an organisation named like a person after a title", strict=True
        ),
        id="titled-organisation",
    ),
]


@pytest.mark.parametrize("text", [*NEGATIVES, *KNOWN_FALSE_ALARMS])
def test_no_false_alarm_on_ordinary_plan_language(
    workdir: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "draft.toml").write_text(_draft(text, next_steps=text, risks=text, note=text))
    assert main(["sign", "draft.toml", "--out", "out"]) == 0, capsys.readouterr().err
    assert "possible" not in capsys.readouterr().err
    assert len(_signed_files(workdir / "out")) == 1


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Supported Miss A. Begum through the IDVA service.", "name after a title"),
        ("Client born 3rd March 1990 was rehoused.", "date of birth"),
        ("She (aged 33, 01/02/1986) moved to a refuge.", "date of birth"),
        ("Refuge place found near B5 7RN for the family.", "UK postcode"),
        ("Her mobile +44 7700 900 123 is now blocked.", "UK phone number"),
        ("Her landline 0121 496 0000 was given to the police.", "UK phone number"),
    ],
)
def test_a_single_realistic_detail_is_enough_to_stop_signing(
    workdir: Path, text: str, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "draft.toml").write_text(_draft(text))
    assert main(["sign", "draft.toml", "--out", "out"]) == 3
    assert f"3l.action_taken: possible {kind}" in capsys.readouterr().err
    assert _signed_files(workdir / "out") == []


def test_the_officer_side_flags_a_confirmed_return(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A return signed with --confirm-personal-data still carries its findings to the officer."""
    (workdir / "draft.toml").write_text(_draft(POSITIVES["3l.next_steps"][0]))
    assert main(["sign", "draft.toml", "--out", "out", "--confirm-personal-data"]) == 0
    info = keys.find_key("BSWA")
    assert info is not None
    trust = parse_trust(allowed_signers_line("BSWA", info.public_key), "allowed_signers")
    collection = load_collection(workdir / "out", trust, today=TODAY)
    (record,) = [r for r in collection.files if r.verified]
    kinds = [f.kind.label for f in record.findings]
    assert kinds == ["UK phone number", "e-mail address"]
