"""Bad input at the keyboard, at the core level (the TUI's own widgets are tested with the TUI).

- typed dates that are impossible or out of range are refused with the reason;
- a narrative over 20,000 characters is refused with a clear message, 20,000 is accepted;
- pasted control characters and ANSI escape sequences are refused with their position;
- emoji and right-to-left text survive save (DraftStore), sign (submit_return) and load
  (verify_bytes + parse_return) byte for byte.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from secsupport import BSWA_KEY, DRAFT_KEY, T0, TODAY, mini_plan, ready_return, trust_list

from dapreturn.core.dates import parse_date
from dapreturn.core.errors import DateInputError, ReturnFormatError
from dapreturn.core.filling.drafts import DraftStore
from dapreturn.core.filling.submit import submit_return
from dapreturn.core.returns.model import MAX_TEXT, Entry, KpiFigure
from dapreturn.core.returns.tomlio import dump_return, parse_return
from dapreturn.core.signing.files import VerdictState, verify_file

# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31/02/2019", "February 2019 has 28 days, not 31"),
        ("29/02/2019", "February 2019 has 28 days, not 29"),
        ("31/04/2019", "April 2019 has 30 days, not 31"),
        ("00/03/2019", "March 2019 has 31 days, not 0"),
        ("2019-13-01", "there is no month 13"),
        ("31/03/0000", "the year 0 is outside 1990-2099"),
        ("0000-03-31", "the year 0 is outside 1990-2099"),
        ("01/01/2100", "the year 2100 is outside 1990-2099"),
        ("31 Mar 2100", "the year 2100 is outside 1990-2099"),
        ("31 Febuary 2019", "'Febuary' is not a month name"),
        ("31/3/19", "is not a date"),
        ("yesterday", "is not a date"),
        ("2019-03-31T10:00", "is not a date"),
        ("", "no date given"),
        ("   ", "no date given"),
    ],
)
def test_impossible_and_out_of_range_dates_are_refused_with_the_reason(
    typed: str, reason: str
) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_date(typed)
    message = str(caught.value)
    assert reason in message
    assert "\n" not in message
    if typed.strip():
        assert repr(typed.strip()) in message  # the message shows what was typed


def test_leap_day_and_range_edges_are_accepted() -> None:
    assert parse_date("29/02/2020") == date(2020, 2, 29)
    assert parse_date("1990-01-01") == date(1990, 1, 1)
    assert parse_date("31 Dec 2099") == date(2099, 12, 31)
    assert parse_date(" 31/03/2019 ") == date(2019, 3, 31)


def test_a_typed_date_with_a_pasted_escape_is_refused() -> None:
    with pytest.raises(DateInputError) as caught:
        parse_date("31/03/2019\x1b[2J")
    assert "\\x1b" in str(caught.value) and "\x1b" not in str(caught.value)


# --- long narratives ---------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["action_taken", "next_steps", "risks"])
def test_a_100000_character_narrative_is_refused_clearly(field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Entry(ref="3l", **{field: "x" * 100_000})
    assert "is 100,000 characters long; the most a field holds is 20,000" in str(caught.value)
    # the same text arriving in a file is refused with the place named
    body = dump_return(ready_return(risks="None."))
    assert f'{field} = "' in body
    text = body.replace(f'{field} = "', f'{field} = "{"x" * 100_000}', 1)
    with pytest.raises(ReturnFormatError) as in_file:
        parse_return(text, source="draft.toml")
    message = str(in_file.value)
    assert message.startswith(f'draft.toml: entries[0] (ref "3l").{field}: is 100,0')
    assert "characters long; the most a field holds is 20,000" in message
    assert "\n" not in message


def test_the_kpi_note_has_the_same_limit() -> None:
    with pytest.raises(ValidationError, match="the most a field holds is 20,000"):
        KpiFigure(id="K1", note="n" * 20_001)


def test_exactly_20000_characters_is_accepted_and_survives_signing(tmp_path: Path) -> None:
    text = ("Referral pathway reviewed. " * 1000)[:MAX_TEXT]
    assert len(text) == 20_000
    ret = ready_return(action_taken=text)
    result = submit_return(ret, mini_plan(), BSWA_KEY, tmp_path, now=T0, today=TODAY)
    verdict = verify_file(result.path, trust_list(("BSWA", BSWA_KEY)))
    assert verdict.state is VerdictState.VERIFIED and verdict.body is not None
    back = parse_return(verdict.body.decode("utf-8"), source="r")
    entry = back.entry("3l")
    assert entry is not None and entry.action_taken == text


def test_the_limit_counts_characters_not_bytes() -> None:
    emoji = "👩‍👧" * (MAX_TEXT // 3)  # 3 code points each: 19,998 characters, ~73 KB of UTF-8
    assert len(emoji) <= MAX_TEXT < len(emoji.encode("utf-8"))
    assert Entry(ref="3l", action_taken=emoji).action_taken == emoji


# --- pasted control characters -------------------------------------------------------------------

CONTROLS = [
    ("\x1b[31mred\x1b[0m", 1, "ESC (U+001B)"),
    ("Colour: \x1b[1;31mRED", 9, "ESC (U+001B)"),
    ("bell\x07", 5, "control character (U+0007)"),
    ("back\x08space", 5, "BS (U+0008)"),
    ("nul\x00", 4, "NUL (U+0000)"),
    ("del\x7f", 4, "DEL (U+007F)"),
    ("old mac\rline", 8, "CR (U+000D)"),
    ("C1 CSI \x9b31m", 8, "control character (U+009B)"),
    ("line\u2028separator", 5, "control character (U+2028)"),
    ("para\u2029separator", 5, "control character (U+2029)"),
    ("form\x0cfeed", 5, "control character (U+000C)"),
    ("vertical\x0btab", 9, "control character (U+000B)"),
    ("osc \x1b]0;title\x07", 5, "ESC (U+001B)"),
]


@pytest.mark.parametrize(("pasted", "position", "name"), CONTROLS)
def test_pasted_control_characters_are_refused_with_the_position(
    pasted: str, position: int, name: str
) -> None:
    expected = f"contains a {name} at character {position}; remove it"
    for field in ("action_taken", "next_steps", "risks"):
        with pytest.raises(ValidationError) as caught:
            Entry(ref="3l", **{field: pasted})
        assert expected in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        KpiFigure(id="K1", note=pasted)
    assert expected in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        Entry(ref="3l", responsible=[pasted])
    assert expected in str(caught.value)


def test_the_position_counts_from_one_after_crlf_is_normalised() -> None:
    # CRLF (Windows paste) is turned into LF first; a lone CR after it is then reported
    with pytest.raises(ValidationError) as caught:
        Entry(ref="3l", action_taken="ab\r\ncd\ref")
    assert "CR (U+000D) at character 6" in str(caught.value)
    assert Entry(ref="3l", action_taken="ab\r\ncd").action_taken == "ab\ncd"


def test_a_draft_file_with_an_escape_names_the_place_and_position() -> None:
    text = dump_return(ready_return()).replace(
        'next_steps = "Extend', 'next_steps = "Ext\\u001b[2Jend', 1
    )
    with pytest.raises(ReturnFormatError) as caught:
        parse_return(text, source="draft.toml")
    message = str(caught.value)
    assert message.startswith('draft.toml: entries[0] (ref "3l").next_steps: ')
    assert "contains a ESC (U+001B) at character 4; remove it" in message
    assert "\x1b" not in message and "\n" not in message


def test_tabs_and_newlines_are_ordinary_text() -> None:
    entry = Entry(ref="3l", action_taken="Line one\n\tindented\nline three")
    assert entry.action_taken == "Line one\n\tindented\nline three"


# --- emoji and right-to-left text round-trip exactly ----------------------------------------------

WORLD_TEXT = {
    "action_taken": (
        "Ask Me ambassadors 👩‍👧‍👦 trained; 🇬🇧 flag, skin tones 👋🏽, keycap 3️⃣.\n"
        "Arabic: مرحبا بكم في الخدمة. Urdu: ہماری ہیلپ لائن ۲۴ گھنٹے کھلی ہے۔\n"
        "Hebrew: שירות תמיכה. Mixed: the helpline (خط المساعدة) opens at 9.\n"
        "Punjabi: ਸਹਾਇਤਾ. Polish: Zażółć gęślą jaźń. Combining: café naïve résumé."
    ),
    "next_steps": "Translate leaflets: \u0627\u0644\u0639\u0631\u0628\u064a\u0629 / עברית / اردو",
    "risks": 'Quotes "double" \'single\' `back` \\ backslash """ triple \t tab',
}


def test_emoji_and_right_to_left_text_round_trip_through_save_sign_and_load(
    tmp_path: Path,
) -> None:
    for text in WORLD_TEXT.values():
        assert unicodedata.is_normalized("NFC", text)
    ret = ready_return(
        action_taken=WORLD_TEXT["action_taken"],
        prepared_by="Aisha Rahman-O'Neill, مديرة الخدمة",
        risks=WORLD_TEXT["risks"],
        note="٤٢ referrals (Arabic-Indic digits in the note)",
    )
    entry = ret.entries[0].model_copy(update={"next_steps": WORLD_TEXT["next_steps"]})
    ret = ret.model_copy(update={"entries": [entry, *ret.entries[1:]]})

    # save: the draft generation holds the exact UTF-8 text
    store = DraftStore(tmp_path / "drafts")
    text = dump_return(ret)
    saved = store.save(DRAFT_KEY, text)
    assert saved.path.read_bytes() == text.encode("utf-8")
    latest = DraftStore(tmp_path / "drafts").latest(DRAFT_KEY)
    assert latest is not None and latest.text == text
    from_draft = parse_return(latest.text, source="draft")
    assert from_draft == ret

    # sign and load
    result = submit_return(from_draft, mini_plan(), BSWA_KEY, tmp_path / "out", now=T0, today=TODAY)
    raw = result.path.read_bytes()
    lines = [*WORLD_TEXT["action_taken"].splitlines(), WORLD_TEXT["next_steps"], "مديرة", "٤٢"]
    for line in lines:
        assert line.encode("utf-8") in raw, line[:30]  # stored as readable text, not escapes
    verdict = verify_file(result.path, trust_list(("BSWA", BSWA_KEY)))
    assert verdict.state is VerdictState.VERIFIED and verdict.body is not None
    loaded = parse_return(verdict.body.decode("utf-8"), source=str(result.path))
    assert loaded == result.ret
    assert loaded.model_copy(update={"revision": 1, "submitted_at": None}) == ret
    loaded_entry = loaded.entry("3l")
    assert loaded_entry is not None
    assert loaded_entry.action_taken == WORLD_TEXT["action_taken"]
    assert loaded_entry.next_steps == WORLD_TEXT["next_steps"]
    assert loaded_entry.risks == WORLD_TEXT["risks"]
    assert loaded.prepared_by == "Aisha Rahman-O'Neill, مديرة الخدمة"


def test_decomposed_text_is_normalised_once_and_then_stable() -> None:
    """NFD input (macOS paste) becomes NFC on entry; after that the text never changes."""
    decomposed = unicodedata.normalize("NFD", "café naïve")
    entry = Entry(ref="3l", action_taken=decomposed)
    assert entry.action_taken == "café naïve"
    again = parse_return(dump_return(ready_return(action_taken=entry.action_taken)), source="x")
    assert again.entries[0].action_taken == "café naïve"
