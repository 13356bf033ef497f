"""End to end: ``dapreturn fill --plain`` driven by answers on standard input."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from plainkit import NO_CONTRIBUTIONS, NO_KPIS, PREPARER, Fill, text
from plainkit import entry_answers as entry

from dapreturn.core.config import load_config
from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling import blank_return, draft_key
from dapreturn.core.filling.drafts import DraftStore
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import bundled_plan
from dapreturn.core.returns.model import Return
from dapreturn.core.returns.tomlio import dump_return, parse_return
from dapreturn.core.signing.files import VerdictState, verify_bytes
from dapreturn.core.signing.keys import allowed_signers_line, find_key, key_needs_passphrase
from dapreturn.core.signing.trust import parse_trust
from dapreturn.plain import EXIT_INPUT_ENDED, EXIT_OK

PLAN = bundled_plan("daps-2018-2023")
Q3 = Period(2018, 3)
KEY = draft_key(PLAN, "BSWA", Q3)
RETURN_NAME = "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
NO_KEY_PASSPHRASE = ["n"]


def signed(path: Path) -> Return:
    """Verify ``path`` against BSWA's stored key; return the signed body."""
    info = find_key("BSWA")
    assert info is not None
    trust = parse_trust(allowed_signers_line("BSWA", info.public_key), "(test)")
    verdict = verify_bytes(path.read_bytes(), trust, source=str(path))
    assert verdict.state is VerdictState.VERIFIED, verdict.message
    assert verdict.body is not None
    return parse_return(verdict.body.decode("utf-8"), source=str(path))


def draft() -> Return:
    """The latest draft for BSWA 2018/19 Q3."""
    info = DraftStore().latest(KEY)
    assert info is not None
    return parse_return(info.text, source="draft")


def test_full_return_is_signed_and_verifies(fill: Fill, returns_dir: Path) -> None:
    kpis = ["y", "42", "Q3 figure", "", "55.5", "", "", "", "", "", ""]
    answers = [PREPARER, *entry(), *NO_CONTRIBUTIONS, *kpis, "y", "y", "correct horse"]
    run = fill(answers)
    assert run.code == EXIT_OK, run.out
    ret = signed(returns_dir / RETURN_NAME)
    e = ret.entry("3l")
    assert e is not None
    assert (ret.partner, ret.period, ret.prepared_by) == ("BSWA", "2018/19 Q3", PREPARER)
    assert e.status == "on_track"
    assert (e.started, e.target, e.completed) == (date(2018, 4, 1), date(2023, 3, 31), None)
    assert e.responsible == ["Ann Other, Ambassador lead"]  # one person: the comma is theirs
    assert e.action_taken == "Trained 12 ambassadors.\nTwo venues."
    assert (e.next_steps, e.risks) == ("Train 10 more.", "")
    k1, k3 = ret.kpi("K1"), ret.kpi("K3")
    assert k1 is not None and k3 is not None
    assert (k1.value, k1.note, k3.value) == (42, "Q3 figure", 55.5)
    assert isinstance(k1.value, int)
    # the key was made on first signing, protected, and its trust-list line shown
    info = find_key("BSWA")
    assert info is not None and key_needs_passphrase(info.private_path)
    assert allowed_signers_line("BSWA", info.public_key) in run.flat
    # ... and the file named as holding it holds that line (the .pub file holds a bare key)
    beside = info.private_path.with_name("BSWA_allowed_signers.txt")
    assert f"It is also saved in the file {beside}." in run.flat
    assert beside.read_text(encoding="utf-8").strip() in run.flat
    assert ".pub" not in run.flat
    assert "correct horse" not in run.flat and "(hidden)" in run.flat
    assert "Signed and checked" in run.flat
    # the done words, as the partner app shows them: where, to whom, and the line for a new key
    done = run.flat[run.flat.index("Signed and checked") :]
    assert f"in the folder: {returns_dir.absolute()}" in done
    assert "Send this file to the steering group's officer" in done
    assert "first return signed with your new key" in done
    assert allowed_signers_line("BSWA", info.public_key) in done
    assert DraftStore().latest(KEY) is None  # the draft was put aside once signed
    assert load_config().out_dir == str(returns_dir)  # remembered, as the partner app does


def test_output_is_plain_text(fill: Fill) -> None:
    run = fill([PREPARER, *entry(), *NO_CONTRIBUTIONS, *NO_KPIS, "y", *NO_KEY_PASSPHRASE])
    assert run.code == EXIT_OK
    assert "\x1b" not in run.out  # no colour or cursor movement
    assert not re.search("[\u2500-\u259f\u25cb\u25d0\u25cf\u2717]", run.out)  # no boxes/glyphs
    assert all(len(line) <= 200 for line in run.out.splitlines())
    for prompt in re.findall(r"^.*\]: ", run.out, flags=re.MULTILINE):
        assert "[" in prompt  # every prompt shows its default in brackets


def test_bad_date_is_refused_with_the_reason_and_asked_again(fill: Fill) -> None:
    answers = [PREPARER, *entry(target="32/01/2019")]
    answers.insert(answers.index("32/01/2019") + 1, "31/03/2023")
    run = fill(answers)
    assert "January 2019 has 31 days, not 32" in run.flat
    assert run.flat.count("Target date.") == 2
    assert draft().entries[0].target == date(2023, 3, 31)


def test_rule_problem_is_said_and_can_be_kept_for_the_summary(fill: Fill) -> None:
    # target before start: said at once, asked again; Enter keeps it; listed in the summary
    answers = [PREPARER, "g", "01/04/2018", "01/03/2018", "", *text("Ann"), *text("Did it.")]
    answers += [*text("More."), "", *NO_CONTRIBUTIONS, *NO_KPIS, ""]
    run = fill(answers)
    assert run.code == EXIT_OK
    assert "Problem: 3l Target date: target Thu 1 Mar 2018 is before the start date." in run.flat
    assert "Left as it is. It is listed in the summary." in run.flat
    summary = run.flat[run.flat.index("Summary.") :]
    assert "1 problem to fix before you can sign:" in summary
    assert "1. 3l Target date: target Thu 1 Mar 2018 is before the start date." in summary
    assert "Sign now?" not in run.flat


def test_missing_required_risks_is_asked_again_and_flagged(fill: Fill, returns_dir: Path) -> None:
    answers = [PREPARER, *entry(status="A", risks=["", ""]), *NO_CONTRIBUTIONS, *NO_KPIS, ""]
    run = fill(answers)
    assert run.code == EXIT_OK
    message = "3l Risks / issues: describe the risks or issues (status is Some delay / at risk)"
    assert f"Problem: {message}." in run.flat
    assert "Risks / issues. Required." in run.flat
    assert f"1. {message}." in run.flat[run.flat.index("Summary.") :]
    assert "Stopped. Your draft is saved." in run.flat
    assert not returns_dir.exists()
    assert draft().entries[0].status == "at_risk"


def test_missing_risks_fixed_on_the_second_ask(fill: Fill, returns_dir: Path) -> None:
    risks = ["", *text("Funding ends in March.")]
    answers = [PREPARER, *entry(status="A", risks=risks), *NO_CONTRIBUTIONS, *NO_KPIS]
    run = fill([*answers, "y", *NO_KEY_PASSPHRASE])
    assert run.code == EXIT_OK, run.out
    e = signed(returns_dir / RETURN_NAME).entry("3l")
    assert e is not None and e.risks == "Funding ends in March."


def test_eof_mid_way_saves_a_draft_and_the_next_run_resumes_it(
    fill: Fill, returns_dir: Path
) -> None:
    first = fill([PREPARER, "C", "01/04/2018", "31/03/2023", "20/12/2018"])
    assert first.code == EXIT_INPUT_ENDED
    assert "Your answers so far are saved as a draft" in first.flat
    saved = draft().entries[0]
    assert (saved.status, saved.completed) == ("complete", date(2018, 12, 20))
    # second run: resume, walk again keeping every answer with Enter, finish and sign
    answers = [PREPARER, "y", "y", "", "", "", "", *text("Ann"), *text("Done."), "", ""]
    answers += NO_CONTRIBUTIONS
    second = fill([*answers, *NO_KPIS, "y", *NO_KEY_PASSPHRASE])
    assert second.code == EXIT_OK, second.out
    assert re.search(r"Resume the draft saved at \w{3} \d+ \w{3} \d{4} at \d\d:\d\d\?", second.out)
    assert "Status. Type a number or a marker [C, Complete]:" in second.flat
    e = signed(returns_dir / RETURN_NAME).entry("3l")
    assert e is not None and (e.status, e.completed) == ("complete", date(2018, 12, 20))


def test_eof_in_the_middle_of_a_text_keeps_the_lines_typed(fill: Fill) -> None:
    run = fill([PREPARER, "g", "", "", *text("Ann"), "First line.", "Second line."])
    assert run.code == EXIT_INPUT_ENDED
    assert draft().entries[0].action_taken == "First line.\nSecond line."


def test_eof_before_the_return_is_opened_changes_nothing(fill: Fill) -> None:
    run = fill([])
    assert run.code == EXIT_INPUT_ENDED
    assert "Nothing was changed" in run.flat
    assert DraftStore().latest(KEY) is None


def test_draft_written_by_the_partner_app_is_resumed(fill: Fill, returns_dir: Path) -> None:
    ret = blank_return(PLAN, "BSWA", Q3, "Someone Else, Officer")
    e = ret.entries[0]
    e.status, e.started, e.responsible = "on_track", date(2018, 4, 1), ["Ann"]
    e.action_taken = "Written in the full-screen app.\nSecond paragraph."
    DraftStore().save(KEY, dump_return(ret))
    # resume, go straight to the summary, sign
    run = fill([PREPARER, "y", "n", "y", *NO_KEY_PASSPHRASE])
    assert run.code == EXIT_OK, run.out
    assert "Action 3l, you lead it: On track (G); complete." in run.flat
    # the name typed into the draft is work: kept, and the lead is told how to change it
    assert "The draft says it was prepared by Someone Else, Officer." in run.flat
    back = signed(returns_dir / RETURN_NAME)
    assert back.prepared_by == "Someone Else, Officer"
    assert back.entries[0].action_taken == "Written in the full-screen app.\nSecond paragraph."


def test_starting_fresh_sets_the_draft_aside(fill: Fill) -> None:
    DraftStore().save(KEY, dump_return(blank_return(PLAN, "BSWA", Q3, "X, Y")))
    run = fill([PREPARER, "n"])
    assert "Starting fresh. The draft was set aside in" in run.flat
    kept = list(DraftStore().folder(KEY).glob("kept-*/draft-*.toml"))
    assert len(kept) == 1


def test_unusable_draft_is_set_aside_not_deleted(fill: Fill) -> None:
    DraftStore().save(KEY, "this is not toml = = =\n")
    run = fill([PREPARER])
    assert "cannot be used" in run.flat and "Nothing was deleted." in run.flat
    assert list(DraftStore().folder(KEY).glob("kept-*/draft-*.toml"))


def test_safeguarding_finding_must_be_confirmed_or_edited(fill: Fill, returns_dir: Path) -> None:
    risky = text("Met Mrs Smith at B1 1AA.")
    answers = [PREPARER, *entry(action=risky), *NO_CONTRIBUTIONS, *NO_KPIS, "y"]
    # first finding: "n" opens the field again; the new text has no personal data
    answers += ["n", *text("Met a survivor at the hub.")]
    answers += ["y", *NO_KEY_PASSPHRASE]
    run = fill(answers)
    assert run.code == EXIT_OK, run.out
    assert "Careful: 3l · Action taken this period: possible name after a title" in run.flat
    assert "found 2 possible personal details" in run.flat
    assert "1 of 2: 3l · Action taken this period: possible name after a title" in run.flat
    e = signed(returns_dir / RETURN_NAME).entry("3l")
    assert e is not None and e.action_taken == "Met a survivor at the hub."


def test_safeguarding_findings_confirmed_one_by_one(fill: Fill, returns_dir: Path) -> None:
    answers = [PREPARER, *entry(action=text("Poster at B1 1AA.")), *NO_CONTRIBUTIONS, *NO_KPIS]
    run = fill([*answers, "y", "y", *NO_KEY_PASSPHRASE])
    assert run.code == EXIT_OK, run.out
    assert "Is this safe to send? Type n to change the text. Type y or n [y/N]:" in run.flat
    e = signed(returns_dir / RETURN_NAME).entry("3l")
    assert e is not None and e.action_taken == "Poster at B1 1AA."


def test_safeguarding_default_is_not_safe(fill: Fill, returns_dir: Path) -> None:
    answers = [PREPARER, *entry(action=text("Poster at B1 1AA.")), *NO_CONTRIBUTIONS, *NO_KPIS]
    run = fill([*answers, "y", "", ""])  # Enter at "safe?" means no: the text is kept as is
    assert run.code == EXIT_INPUT_ENDED
    assert not returns_dir.exists()


def test_existing_key_passphrase_from_environment(
    fill: Fill, returns_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAPRETURN_PASSPHRASE", "from env")
    run = fill([PREPARER, *entry(), *NO_CONTRIBUTIONS, *NO_KPIS, "y"])
    assert run.code == EXIT_OK, run.out
    assert "protected by the passphrase in DAPRETURN_PASSPHRASE" in run.flat
    info = find_key("BSWA")
    assert info is not None and key_needs_passphrase(info.private_path)
    signed(returns_dir / RETURN_NAME)


def test_wrong_passphrase_three_times_keeps_the_draft(fill: Fill, returns_dir: Path) -> None:
    fill([PREPARER, *entry(), *NO_CONTRIBUTIONS, *NO_KPIS, "y", "y", "right one"])
    (returns_dir / RETURN_NAME).unlink()
    answers = [PREPARER, *entry(), *NO_CONTRIBUTIONS, *NO_KPIS, "y", "wrong", "", "wrong again"]
    run = fill([*answers, "n", ""])
    assert run.flat.count("That passphrase does not unlock the key.") == 2
    assert "No passphrase was typed." in run.flat
    assert "The return was not signed. Your draft is kept." in run.flat
    assert run.code == EXIT_OK
    assert not (returns_dir / RETURN_NAME).exists()


def test_carry_forward_from_last_period(fill: Fill, returns_dir: Path) -> None:
    q2 = [PREPARER, *entry(action=text("Q2 work.")), *NO_CONTRIBUTIONS, *NO_KPIS]
    assert fill([*q2, "y", *NO_KEY_PASSPHRASE], period="2018/19 Q2").code == EXIT_OK
    answers = [PREPARER, "y", "", "", "", "", *text("Q3 work."), "", "", *NO_CONTRIBUTIONS]
    run = fill([*answers, *NO_KPIS, "y"])
    assert run.code == EXIT_OK, run.out
    assert "Carry forward status, dates and people responsible from your 2018/19 Q2" in run.flat
    assert "Last period's text, for reference:" not in run.flat  # said per field:
    assert "Action taken this period, last period's text, for reference: Q2 work." in run.flat
    e = signed(returns_dir / RETURN_NAME).entry("3l")
    assert e is not None
    assert (e.status, e.started, e.action_taken) == ("on_track", date(2018, 4, 1), "Q3 work.")
    assert e.responsible == ["Ann Other, Ambassador lead"]


def test_resigning_starts_from_the_signed_revision(fill: Fill, returns_dir: Path) -> None:
    assert fill([PREPARER, *entry(), *NO_CONTRIBUTIONS, *NO_KPIS, "y", "n"]).code == EXIT_OK
    run = fill([PREPARER, "y", "n"])
    assert "You already signed revision 1" in run.flat
    assert draft().revision == 2  # so `dapreturn sign` on this draft makes revision 2 too
    run = fill([PREPARER, "y", "n", "y"])
    assert run.code == EXIT_OK, run.out
    assert (returns_dir / RETURN_NAME.replace("_r1", "_r2")).is_file()


def test_plan_partner_by_name_and_period_are_asked(fill: Fill) -> None:
    answers = ["", "women's aid", "y", PREPARER, ""]
    run = fill(answers, plan=None, partner=None, period=None)
    assert run.code == EXIT_INPUT_ENDED
    assert "That is BSWA, Birmingham and Solihull Women's Aid." in run.flat
    assert "[2018/19 Q3 (1 Oct - 31 Dec 2018)]" in run.flat
    config = load_config()
    assert (config.partner, config.plan, config.prepared_by) == ("BSWA", "daps-2018-2023", PREPARER)
    assert DraftStore().latest(KEY) is not None
    # next time the remembered partner and preparer are the defaults
    again = fill(["", "", "", ""], plan=None, partner=None, period=None)
    assert "[BSWA]" in again.flat and f"[{PREPARER}]" in again.flat
    assert "Resume the draft saved at" in again.flat


def test_partner_search_with_several_matches_and_unknown(fill: Fill) -> None:
    run = fill(["zzzz", "birmingham", ""], partner=None)
    assert "Not accepted: no partner matches 'zzzz'" in run.flat
    assert re.search(r"\d+ partners match 'birmingham':", run.out)


def test_period_outside_the_plan_is_refused(fill: Fill) -> None:
    run = fill([PREPARER, "2030/31 Q1", "2018/19 Q5"], period=None)
    assert "Not accepted: 2030/31 Q1 is outside the plan" in run.flat
    assert "is not a reporting period" in run.flat


def test_unknown_partner_on_the_command_line_is_an_error(fill: Fill) -> None:
    with pytest.raises(DapreturnError, match="'NOPE' is not in plan daps-2018-2023"):
        fill([], partner="NOPE")


def test_kpi_values_are_checked_against_the_unit(fill: Fill) -> None:
    kpis = ["y", "2.5", "abc", "3", "", "", "150", "-1", "40%", ""]
    run = fill([PREPARER, *entry(), *NO_CONTRIBUTIONS, *kpis])
    assert "KPI K1: 2.5 is not a count (a whole number, 0 or more)" in run.flat
    assert "'abc' is not a number" in run.flat
    assert "KPI K3: 150 is not a percentage (0-100)" in run.flat
    figures = {k.id: k.value for k in draft().kpis}
    assert figures["K1"] == 3 and figures["K3"] == 40 and figures["K2"] is None


def test_contributor_action_added_walked_and_removable(fill: Fill) -> None:
    answers = [PREPARER, *entry(), "?", "9zz", "3l", "1a", *entry(), ""]
    run = fill(answers)
    assert "All actions:" in run.flat
    assert "Not accepted: '9zz' is not an action of this plan" in run.flat
    assert "3l is already in your return." in run.flat
    assert "Action 1a, added, you contribute to it" in run.flat
    roles = {e.ref: e.role for e in draft().entries}
    assert roles == {"3l": "lead", "1a": "contributor"}
    # the menu after the summary: go back to 1a and remove it
    again = fill([PREPARER, "y", "n", "n", "1a", "n", "", ""])
    assert again.code == EXIT_OK
    assert [e.ref for e in draft().entries] == ["3l"]


def test_importing_the_plain_mode_does_not_load_textual() -> None:
    code = (
        "import sys, dapreturn.plain\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_plan_file_is_remembered_by_its_full_path(fill: Fill, tmp_path: Path) -> None:
    plan_file = Path(__file__).resolve().parents[1] / "data" / "mini-plan.toml"
    run = fill(["no-such-plan", str(plan_file), PREPARER], plan=None)
    assert "Not accepted: no bundled plan 'no-such-plan'" in run.flat
    assert run.code == EXIT_INPUT_ENDED
    assert load_config().plan == str(plan_file)
    assert "Action 3l, 1 of 2, you lead it: Ask Me scheme." in run.flat


def test_no_internal_field_name_is_ever_said(fill: Fill) -> None:
    """Plain mode names fields as the app does ("3l Risks / issues"), never "3l.risks"."""
    answers = [PREPARER, "a", "01/04/2018", "01/03/2018", "Ann", "Did it.", ".", "", "", ""]
    run = fill([*answers, "", *NO_CONTRIBUTIONS, "2.5", "", "", "", "", "", "stop"])
    internal = re.findall(
        r"\b\w+\.(?:target|risks|action_taken|next_steps|status|started)\b", run.out
    )
    assert internal == [] and "kpis.K" not in run.out
