"""Recall and false alarms of the personal-data check on a corpus of realistic phrases.

Attack (usually an accident): details pasted from Word or e-mail with no-break, thin and
zero-width spaces, soft hyphens, full-width digits, capitals and lookalike letters, and numbers
written with dots, slip past a check that only knows the tidy forms. The corpus
(``corpus/safeguarding/``) holds positives (each must raise a finding of its kind) and
negatives (ordinary plan language, none may raise one). The seed's real progress updates must
raise nothing. The figures are printed for docs/security.md.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError
from secsupport import CORPUS, ready_return

from dapreturn.core.filling.submit import personal_data
from dapreturn.core.returns.safeguarding import scan_text

HERE = CORPUS / "safeguarding"
SEED = next(
    (
        up / "shared" / "seeds" / "action-plan-2018-2023.txt"
        for up in Path(__file__).resolve().parents
        if (up / "shared" / "seeds" / "action-plan-2018-2023.txt").exists()
    ),
    None,
)


KNOWN_FALSE_ALARMS = ["Dr Foster Intelligence data was not used for this KPI."]
"""An organisation named like a person after a title: flagged, by design (the lead confirms)."""


def _phrases(name: str) -> list[dict[str, str]]:
    data = tomllib.loads((HERE / name).read_text(encoding="utf-8"))
    return list(data["phrase"])


def test_corpus_recall_and_false_alarms() -> None:
    positives, negatives = _phrases("positives.toml"), _phrases("negatives.toml")
    missed = [
        p["text"]
        for p in positives
        if not any(f.kind.name == p["kind"] for f in scan_text(p["text"], field="t"))
    ]
    alarms = [n["text"] for n in negatives if scan_text(n["text"], field="t")]
    caught = len(positives) - len(missed)
    print(
        f"safeguarding corpus: {caught}/{len(positives)} caught "
        f"({100 * caught / len(positives):.0f}% recall), "
        f"{len(alarms)}/{len(negatives)} false alarms"
    )
    assert len(positives) >= 60 and len(negatives) >= 40
    assert missed == []
    assert alarms == KNOWN_FALSE_ALARMS


def test_findings_point_at_the_text_as_typed() -> None:
    text = "Call 0\uff17700\u00a0900\u200b123 now"
    (finding,) = scan_text(text, field="t")
    assert finding.text == text[finding.start : finding.end] == "0\uff17700\u00a0900\u200b123"


def test_seed_real_progress_updates_raise_nothing() -> None:
    assert SEED is not None, "the seed action plan is needed for this check"
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    paragraphs = [line for line in lines if line]
    findings = [f for i, p in enumerate(paragraphs) for f in scan_text(p, field=f"p{i}")]
    print(f"safeguarding seed: {len(paragraphs)} paragraphs, {len(findings)} false alarms")
    assert findings == []


def test_preparer_and_responsible_are_scanned_for_identifiers_not_titles() -> None:
    """Issue 13 item 5: these fields name staff (a title and name is fine) but never carry
    a postcode, phone, NHS or NI number or a date of birth."""
    fine = ready_return(prepared_by="Mrs A. Lead, Service Manager")
    assert personal_data(fine) == []
    ret = ready_return(prepared_by="Mrs A. Lead, 07700 900123")
    ret.entries[0].responsible = ["Ms J. Khan (IDVA)", "client at B15 2TT", "NHS 943 476 5919"]
    found = {(f.field, f.kind.name) for f in personal_data(ret)}
    assert found == {
        ("prepared_by", "PHONE"),
        ("3l.responsible", "POSTCODE"),
        ("3l.responsible", "NHS_NUMBER"),
    }
    dob = ready_return(prepared_by="A. Lead DOB 12/03/1985, NI QQ 12 34 56 C")
    assert {f.kind.name for f in personal_data(dob)} == {"DATE_OF_BIRTH", "NI_NUMBER"}


def test_invisible_formatting_characters_are_refused_in_signed_text() -> None:
    """A zero-width space or soft hyphen can split a number so a reader (or an older check)
    misses it; they carry no meaning in a return, so the return model refuses them, naming the
    character and where it is. Joiners (emoji, Urdu) stay."""
    for ch in ("\u200b", "\u00ad", "\ufeff", "\u2060"):
        with pytest.raises(ValidationError, match=f"U\\+{ord(ch):04X}"):
            ready_return(action_taken=f"Call 07700{ch}900123")
    kept = ready_return(
        action_taken="family \U0001f468\u200d\U0001f469 \u0645\u06cc\u200c\u0634\u0648\u062f"
    )
    assert "\u200d" in kept.entries[0].action_taken
