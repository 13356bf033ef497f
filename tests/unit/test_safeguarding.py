"""Tests for dapreturn.core.returns.safeguarding: the personal-data scanner for return
narratives."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dapreturn.core.returns.safeguarding import Finding, FindingKind, scan_fields, scan_text

SEED = next(
    (
        up / "shared" / "seeds" / "action-plan-2018-2023.txt"
        for up in Path(__file__).resolve().parents
        if (up / "shared" / "seeds" / "action-plan-2018-2023.txt").exists()
    ),
    Path("shared/seeds/action-plan-2018-2023.txt"),
)
"""The seed's real action plan, found in the first folder above this one that has it (the
repository may be checked out at any depth below the shared folder)."""
PROGRESS_MARK = "Progress updates reported in"


def nhs_number(first_nine: str) -> str | None:
    """Append the modulus-11 check digit (independent of the module), None if unusable."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 10:
        return None
    return first_nine + str(0 if check == 11 else check)


VALID_NHS = nhs_number("943476591")
assert VALID_NHS == "9434765919"  # the NHS Digital documentation example


def kinds_and_texts(text: str) -> list[tuple[FindingKind, str]]:
    return [(f.kind, f.text) for f in scan_text(text, field="f")]


# --- positives ---------------------------------------------------------------------------------

POSITIVES = [
    ("Mrs Khan disclosed that her partner had been abusive.", FindingKind.TITLED_NAME, "Mrs Khan"),
    ("Referral made by Mr. O'Brien-Smith on Monday", FindingKind.TITLED_NAME, "Mr. O'Brien-Smith"),
    ("seen with Ms J. Patel at clinic", FindingKind.TITLED_NAME, "Ms J. Patel"),
    ("Miss Żaneta Nowak attended", FindingKind.TITLED_NAME, "Miss Żaneta Nowak"),
    ("Mx Taylor attended", FindingKind.TITLED_NAME, "Mx Taylor"),
    ("the GP, Dr Ahmed, referred", FindingKind.TITLED_NAME, "Dr Ahmed"),
    ("Victim DOB 12/03/1985 was recorded", FindingKind.DATE_OF_BIRTH, "12/03/1985"),
    ("D.O.B.: 12 March 1985", FindingKind.DATE_OF_BIRTH, "12 March 1985"),
    ("date of birth 1985-03-12", FindingKind.DATE_OF_BIRTH, "1985-03-12"),
    ("child born 1985-03-12 in Birmingham", FindingKind.DATE_OF_BIRTH, "1985-03-12"),
    ("baby was born on the 3rd of June 2019", FindingKind.DATE_OF_BIRTH, "3rd of June 2019"),
    ("born March 12, 1985", FindingKind.DATE_OF_BIRTH, "March 12, 1985"),
    ("aged 33 (12/03/1985)", FindingKind.DATE_OF_BIRTH, "12/03/1985"),
    ("12.03.85 (age 33)", FindingKind.DATE_OF_BIRTH, "12.03.85"),
    ("she lives at B12 9QP with the children", FindingKind.POSTCODE, "B12 9QP"),
    ("moved to B1 1AA", FindingKind.POSTCODE, "B1 1AA"),
    ("action_taken near B15 2TT.", FindingKind.POSTCODE, "B15 2TT"),
    ("SW1A 1AA", FindingKind.POSTCODE, "SW1A 1AA"),
    ("GIR 0AA", FindingKind.POSTCODE, "GIR 0AA"),
    ("postcode b129qp typed in lower case", FindingKind.POSTCODE, "b129qp"),
    ("EC1A 1BB", FindingKind.POSTCODE, "EC1A 1BB"),
    ("call 07700 900123 after 5pm", FindingKind.PHONE, "07700 900123"),
    ("call 07700 900123 2 times a week", FindingKind.PHONE, "07700 900123"),
    ("landline 0121 496 0000.", FindingKind.PHONE, "0121 496 0000"),
    ("landline (0121) 496 0000", FindingKind.PHONE, "(0121) 496 0000"),
    ("mobile +44 7700 900123", FindingKind.PHONE, "+44 7700 900123"),
    ("mobile +44 (0)121 496 0000", FindingKind.PHONE, "+44 (0)121 496 0000"),
    ("tel:020-7946-0000", FindingKind.PHONE, "020-7946-0000"),
    ("contact j.smith@example.org today", FindingKind.EMAIL, "j.smith@example.org"),
    ("<first.last+da@mail.example.co.uk>", FindingKind.EMAIL, "first.last+da@mail.example.co.uk"),
    (f"NHS no {VALID_NHS}", FindingKind.NHS_NUMBER, VALID_NHS),
    (
        f"NHS {VALID_NHS[:3]} {VALID_NHS[3:6]} {VALID_NHS[6:]}",
        FindingKind.NHS_NUMBER,
        f"{VALID_NHS[:3]} {VALID_NHS[3:6]} {VALID_NHS[6:]}",
    ),
    ("NI QQ 12 34 56 C", FindingKind.NI_NUMBER, "QQ 12 34 56 C"),
    ("NI QQ123456C", FindingKind.NI_NUMBER, "QQ123456C"),
    ("NI AB 123456 D", FindingKind.NI_NUMBER, "AB 123456 D"),
    ("ni ab123456c", FindingKind.NI_NUMBER, "ab123456c"),
]


@pytest.mark.parametrize(("text", "kind", "matched"), POSITIVES)
def test_flags_realistic_personal_data(text: str, kind: FindingKind, matched: str) -> None:
    assert kinds_and_texts(text) == [(kind, matched)]


def test_finding_shape_and_message() -> None:
    text = "Met at B15 2TT."
    [finding] = scan_text(text, field="action_taken")
    assert finding == Finding(
        field="action_taken",
        kind=FindingKind.POSTCODE,
        text="B15 2TT",
        start=7,
        end=14,
        message='action_taken: possible UK postcode "B15 2TT"',
    )
    assert text[finding.start : finding.end] == finding.text
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.text = "x"  # type: ignore[misc]


def test_every_kind_has_a_human_label() -> None:
    labels = {kind.label for kind in FindingKind}
    assert len(labels) == len(FindingKind)
    assert FindingKind.NI_NUMBER.label == "National Insurance number"


def test_message_is_one_line_even_with_control_characters() -> None:
    [finding] = scan_text("Mrs\tKhan\n", field="risks")
    assert finding.text == "Mrs\tKhan"
    assert finding.message == 'risks: possible name after a title "Mrs\\u0009Khan"'
    assert "\n" not in finding.message


def test_many_findings_in_order() -> None:
    text = "Mrs Khan (DOB 12/03/1985) of B12 9QP, 07700 900123, j.smith@example.org"
    assert [f.kind for f in scan_text(text, field="f")] == [
        FindingKind.TITLED_NAME,
        FindingKind.DATE_OF_BIRTH,
        FindingKind.POSTCODE,
        FindingKind.PHONE,
        FindingKind.EMAIL,
    ]


def test_overlapping_matches_keep_the_more_specific_kind() -> None:
    assert kinds_and_texts("Dr.Smith@nhs.example.net") == [
        (FindingKind.EMAIL, "Dr.Smith@nhs.example.net")
    ]


def test_scan_fields_orders_by_field_then_position() -> None:
    findings = scan_fields(
        {
            "entries[3l].action_taken": "Mrs Khan moved to B12 9QP",
            "entries[3l].next_steps": "nothing to report",
            "entries[3l].risks": "call 07700 900123 or Mr Jones",
        }
    )
    assert [(f.field, f.text) for f in findings] == [
        ("entries[3l].action_taken", "Mrs Khan"),
        ("entries[3l].action_taken", "B12 9QP"),
        ("entries[3l].risks", "07700 900123"),
        ("entries[3l].risks", "Mr Jones"),
    ]
    assert findings[2].message == 'entries[3l].risks: possible UK phone number "07700 900123"'
    assert scan_fields({}) == []


# --- negatives ---------------------------------------------------------------------------------

NEGATIVES = [
    "Birmingham Children's Trust",
    "Birmingham and Solihull Women's Aid",
    "Q3 2018/19",
    "2018/19 Q3",
    "Year 1-5 (2018/19- 2022/23)",
    "Years 1-2 (2018/19- 2020/21)",
    "Year 2, 2019/20",
    "Plan ref 3l, DHR and MARAC actions",
    "HBV/FGM/MS 4 Birmingham South LCSP",
    "1,234 referrals",
    "£250,000 secured",
    "maintain 7 units",
    "at 28-34 weeks of pregnancy",
    "band 5 and above",
    "0.5 FTE post",
    "It began on 1 September and ends on 31 January 2019",
    "reported on 14 November 2018 and 01/04/2019",
    "women aged 16-24 on 01/04/2019",
    "women aged 25 on 01/04/2019",
    "scheduled to establish a pilot DA services hub in February 2019",
    "Freephone 24 hour National Domestic Abuse Helpline 0808 2000 247",
    "call 0300 123 4567 or 0845 600 0000",
    "between 2018 2019 2020 and 2021",
    "ref 2019-0121-4960",
    "the A38 1st junction and the M6 2nd exit",
    "Hagley Dr Birmingham",
    "Miss a session",
    "10 digits 1234567890 that fail the NHS check",
    "NI-like AB123456 without suffix",
    "invalid NI prefixes DA123456A, AO123456B, GB123456C, ZZ123456D",
    "user@localhost and a@b.c1",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_false_alarm_on_plan_vocabulary(text: str) -> None:
    assert scan_text(text, field="f") == []


def test_dr_title_still_flags_possessive_name() -> None:
    assert kinds_and_texts("Dr. Smith's clinic") == [(FindingKind.TITLED_NAME, "Dr. Smith's")]


def test_nhs_number_with_wrong_check_digit_is_not_flagged() -> None:
    assert VALID_NHS is not None
    wrong = VALID_NHS[:9] + str((int(VALID_NHS[9]) + 1) % 10)
    assert scan_text(wrong, field="f") == []
    # A prefix whose check digit would be 10 can never be a valid NHS number.
    prefix = next(
        f"{n:09d}" for n in range(400_000_000, 400_001_000) if nhs_number(f"{n:09d}") is None
    )
    for last in "0123456789":
        assert scan_text(prefix + last, field="f") == []


def test_ordinary_dates_without_birth_cue_are_not_flagged() -> None:
    for text in ["31 January 2019", "12/03/1985", "1985-03-12", "March 12, 1985"]:
        assert scan_text(text, field="f") == []
    assert scan_text("DOB 31/02/1985x", field="f") == []  # not a date boundary
    assert scan_text("DOB 45/13/1985", field="f") == []  # impossible day and month


# --- the real narratives in the seed -----------------------------------------------------------


def seed_paragraphs() -> list[str]:
    if not SEED.exists():
        return []
    text = SEED.read_text(encoding="utf-8")
    section = text[text.index(PROGRESS_MARK) :]
    return [line.strip() for line in section.splitlines() if line.strip()]


@pytest.mark.skipif(not SEED.exists(), reason=f"seed file {SEED} not available")
def test_seed_progress_updates_have_no_findings() -> None:
    paragraphs = seed_paragraphs()
    assert len(paragraphs) > 20
    for number, paragraph in enumerate(paragraphs):
        assert scan_text(paragraph, field=f"paragraph[{number}]") == [], paragraph[:80]


@pytest.mark.skipif(not SEED.exists(), reason=f"seed file {SEED} not available")
def test_whole_seed_file_has_no_findings() -> None:
    assert scan_text(SEED.read_text(encoding="utf-8"), field="seed") == []


# --- robustness --------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "Mrs Khan",
        "Dr ",
        "DOB 12/03/1985",
        "born ",
        "aged 3",
        "B12 9QP",
        "07700 900123",
        "+44 ",
        "(0",
        "0121 496 0000",
        "j.smith@example.org",
        "@",
        ".",
        "-",
        " ",
        "\t",
        "\n",
        "\x00",
        "\u202e",
        "مرحبا",
        "🙂",
        "QQ 12 34 56 C",
        str(VALID_NHS),
        "2018/19 Q3",
        "£250,000",
    ]
)
MIXED_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), MIXED_TEXT))
def test_scan_never_raises_and_spans_match(text: str) -> None:
    findings = scan_text(text, field="f")
    previous_end = 0
    for finding in findings:
        assert finding.text == text[finding.start : finding.end]
        assert finding.text
        assert finding.start >= previous_end  # ordered and non-overlapping
        previous_end = finding.end
        assert "\n" not in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "0" * 100_000,
        "0 " * 50_000,
        "a" * 100_000,
        "a@" * 50_000,
        "a@" + "b." * 50_000,
        "Mr " * 33_000,
        "DOB " * 25_000,
        "born 12/" * 12_000,
        "(0" * 50_000,
        "+44 " * 25_000,
        "B1 1AA " * 14_000,
        "123 456 " * 12_000,
        "Mr O'" * 20_000,
        "\x00\u202e🙂 " * 25_000,
    ],
    ids=lambda text: repr(text[:8]),
)
def test_large_hostile_input_is_scanned_correctly(text: str) -> None:
    # That this stays linear in the length is measured in benchmarks/bench_scan.py.
    findings = scan_text(text, field="f")
    assert all(text[f.start : f.end] == f.text for f in findings)
