"""Loading a folder of returns: verification first, superseded revisions, bad files, safety."""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builders import (
    OTHER_PLAN_TOML,
    TEST_PLAN_TOML,
    TODAY,
    TRUSTED,
    CollectionBuilder,
    Scenario,
    build_scenario,
    entry,
    other_plan,
    partner_key,
    sample_plan,
)
from dapreturn.core.collection.load import (
    LEDGER_NAME,
    PLAN_FILE_NOTE,
    Collection,
    FileRecord,
    load_collection,
    printable,
)
from dapreturn.core.periods import Period
from dapreturn.core.signing.files import MAX_FILE_BYTES, VerdictState, sign_body
from dapreturn.core.signing.trust import load_trust

Q3 = Period.parse("2018/19 Q3")


def load(folder: Path, trust_partners: tuple[str, ...] = TRUSTED, **kw: object) -> Collection:
    b = CollectionBuilder(folder)
    kw.setdefault("plans", {"test-daps": sample_plan()})
    return load_collection(folder, b.trust(trust_partners), today=TODAY, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return build_scenario(tmp_path_factory.mktemp("collection"))


@pytest.fixture(scope="module")
def coll(scenario: Scenario) -> Collection:
    trust = load_trust(scenario.trust_path)
    plans = {"test-daps": sample_plan(), "other-plan": other_plan()}
    return load_collection(scenario.folder, trust, plans=plans, today=TODAY)


def rec(coll: Collection, scenario: Scenario, key: str) -> FileRecord:
    path = scenario.files[key]
    return next(r for r in coll.files if r.path == path)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            st = path.stat()
            out[str(path.relative_to(folder))] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                st.st_mtime_ns,
            )
        else:
            out[str(path.relative_to(folder))] = ("dir-or-link", 0)
    return out


def test_every_file_gets_a_verdict(coll: Collection, scenario: Scenario) -> None:
    states = {key: rec(coll, scenario, key).state for key in scenario.files}
    assert states.pop("bct_q3_tampered") is VerdictState.BAD_SIGNATURE
    assert states.pop("dwp_q3_unknown_key") is VerdictState.UNKNOWN_KEY
    assert set(states.values()) == {VerdictState.VERIFIED}
    assert len(coll.files) == len(scenario.files)


def test_current_keeps_latest_revision(coll: Collection, scenario: Scenario) -> None:
    current = coll.current("test-daps", Q3)
    assert sorted(current) == ["BCC-COMM", "BSWA", "VAWC-SG"]
    assert current["BSWA"].revision == 2
    r1 = rec(coll, scenario, "bswa_q3_r1")
    assert r1.verified and not r1.counted
    assert r1.superseded_by == "usb/test-daps_2018-19-Q3_BSWA_r2.toml"
    assert coll.superseded == [r1]
    assert coll.current("test-daps", "2018/19 Q3") == current


def test_periods_plans_and_history(coll: Collection) -> None:
    assert [str(p) for p in coll.periods("test-daps")] == ["2018/19 Q1", "2018/19 Q2", "2018/19 Q3"]
    assert coll.plan_ids() == ["other-plan", "test-daps"]
    assert set(coll.plans) >= {"test-daps", "other-plan"}
    hist = coll.history("test-daps", "3L")
    assert [(str(h.period), h.partner, h.record.revision) for h in hist] == [
        ("2018/19 Q1", "BSWA", 1),
        ("2018/19 Q2", "BSWA", 1),
        ("2018/19 Q3", "BSWA", 2),
    ]


def test_other_plan_validated_against_the_given_plan(coll: Collection, scenario: Scenario) -> None:
    other = rec(coll, scenario, "bswa_other_plan")
    assert other.counted and other.plan == "other-plan"
    assert other.problems == ()
    assert "BSWA" in coll.current("other-plan", Q3)
    assert "BSWA" in coll.current("test-daps", Q3)


def test_rule_problems_flag_but_still_count(coll: Collection, scenario: Scenario) -> None:
    bcc = rec(coll, scenario, "bcc_q3")
    assert bcc.counted
    assert [str(p) for p in bcc.problems] == ["1a.action_taken: say what was done this period"]
    assert rec(coll, scenario, "bswa_q3_r2").problems == ()


def test_safeguarding_findings(coll: Collection, scenario: Scenario) -> None:
    findings = rec(coll, scenario, "bswa_q3_r2").findings
    assert [(f.field, f.text) for f in findings] == [("3l.action_taken", "Mrs Jane Smith")]
    assert rec(coll, scenario, "bcc_q3").findings == ()


def test_bad_files_have_reasons_and_claims(coll: Collection, scenario: Scenario) -> None:
    bad = {r.rel: r for r in coll.bad_files}
    assert set(bad) == {
        "usb/test-daps_2018-19-Q3_BCT_r1.toml",
        "test-daps_2018-19-Q3_DWP_r1.toml",
    }
    bct = bad["usb/test-daps_2018-19-Q3_BCT_r1.toml"]
    assert "changed after signing" in bct.reason
    assert (bct.partner, bct.plan, bct.period) == ("BCT", "test-daps", "2018/19 Q3")
    assert bct.message.startswith("usb/test-daps_2018-19-Q3_BCT_r1.toml: BAD SIGNATURE")
    dwp = bad["test-daps_2018-19-Q3_DWP_r1.toml"]
    assert dwp.partner == "DWP" and "unknown key" in dwp.reason
    assert bct.ret is None and dwp.ret is None


def test_sha256_matches_file(coll: Collection) -> None:
    for r in coll.files:
        assert r.sha256 == hashlib.sha256(r.path.read_bytes()).hexdigest()


def test_loading_never_modifies_the_folder(tmp_path: Path) -> None:
    s = build_scenario(tmp_path / "c")
    (s.folder / LEDGER_NAME).write_text('schema = "dapreturn/review-ledger/v1"\n')
    before = snapshot(s.folder)
    coll = load(s.folder)
    assert snapshot(s.folder) == before
    assert all(r.path.name != LEDGER_NAME for r in coll.files)


def test_progress_callback(tmp_path: Path) -> None:
    s = build_scenario(tmp_path / "c")
    calls: list[tuple[int, int]] = []
    load(s.folder, progress=lambda done, total: calls.append((done, total)))
    total = len(s.files)  # every .toml file, including the plan file
    assert calls == [(i, total) for i in range(1, total + 1)]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlinks_are_not_followed(tmp_path: Path) -> None:
    outside = CollectionBuilder(tmp_path / "outside")
    target = outside.write(outside.make_return("BSWA", "2018/19 Q3"))
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "link.toml").symlink_to(target)
    (folder / "linked-dir").symlink_to(outside.folder, target_is_directory=True)
    coll = load(folder)
    assert {r.rel: r.state for r in coll.files} == {
        "link.toml": VerdictState.INVALID,
        "linked-dir": VerdictState.INVALID,
    }
    assert all("symbolic link" in r.reason and r.sha256 is None for r in coll.files)
    assert coll.current("test-daps", Q3) == {}


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_link_loop_and_any_link_reported_not_followed(tmp_path: Path) -> None:
    b = CollectionBuilder(tmp_path)
    b.write(b.make_return("BSWA", "2018/19 Q3"))
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "loop.toml").symlink_to(tmp_path / "loop.toml")
    (tmp_path / "notes.txt").symlink_to("/etc/hostname")
    coll = load(tmp_path)
    reasons = {r.rel: r.reason for r in coll.files if not r.verified}
    assert reasons == dict.fromkeys(
        ["loop", "loop.toml", "notes.txt"], "symbolic link — not followed"
    )
    assert set(coll.current("test-daps", Q3)) == {"BSWA"}


@pytest.mark.skipif(sys.platform == "win32", reason="such names are not allowed on Windows")
def test_hostile_names_stay_one_printable_line(tmp_path: Path) -> None:
    b = CollectionBuilder(tmp_path)
    names = ["a\nb.toml", "\x1b[2J\x1b[31mverified.toml", "evil\u202elmot.toml"]
    for name in names:
        b.write_bytes(name, b'schema = "dapreturn/return/v1"\npartner = "BSWA"\n')
    good = b.write(b.make_return("BSWA", "2018/19 Q3"), name="r\x1b[0m.toml")
    coll = load(tmp_path)
    shown = {r.path.name: r for r in coll.files}
    assert shown["a\nb.toml"].rel == "a\\x0ab.toml"
    assert shown["evil\u202elmot.toml"].rel == "evil\\u202elmot.toml"
    for r in coll.files:
        assert r.message.isprintable(), r.message
    assert shown[good.name].counted and shown[good.name].rel == "r\\x1b[0m.toml"
    assert printable(printable("a\nb")) == printable("a\nb") == "a\\x0ab"


def test_oversize_file_refused_unread(tmp_path: Path) -> None:
    b = CollectionBuilder(tmp_path)
    big = b.write_bytes("big.toml", b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    coll = load(tmp_path)
    (r,) = coll.files
    assert r.path == big and r.state is VerdictState.INVALID
    assert "too large" in r.reason and r.sha256 is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_fifo_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.toml")
    (r,) = load(tmp_path).files
    assert r.state is VerdictState.INVALID and "not a regular file" in r.reason


def test_other_states_crlf_unsigned_no_trust(tmp_path: Path) -> None:
    b = CollectionBuilder(tmp_path)
    good = b.sign(b.make_return("BSWA", "2018/19 Q3"))
    b.write_bytes("crlf.toml", good.replace(b"\n", b"\r\n"))
    body = good.split(b"[signature]")[0]
    b.write_bytes("draft.toml", body)
    b.write_bytes("notes.toml", b'title = "not a return"\n')
    states = {r.rel: r.state for r in load(tmp_path).files}
    assert states == {
        "crlf.toml": VerdictState.CRLF,
        "draft.toml": VerdictState.NOT_SIGNED,
        "notes.toml": VerdictState.INVALID,
    }
    b.write_bytes("good.toml", good)
    untrusted = load_collection(tmp_path, None, plans={"test-daps": sample_plan()}, today=TODAY)
    assert {r.rel: r.state for r in untrusted.files}["good.toml"] is VerdictState.NO_TRUST_LIST
    assert untrusted.current("test-daps", Q3) == {} and untrusted.trust_source is None


def test_signed_but_not_a_return(tmp_path: Path) -> None:
    b = CollectionBuilder(tmp_path)
    body = (
        b'schema = "dapreturn/return/v1"\nplan = "test-daps"\nperiod = "2018/19 Q3"\n'
        b'partner = "BSWA"\nsubmitted_at = 2019-01-14T10:00:00Z\nsurprise = 1\n'
    )
    b.write_bytes("odd.toml", sign_body(body, partner_key("BSWA"), "BSWA"))
    (r,) = load(tmp_path).files
    assert r.state is VerdictState.INVALID and not r.verified
    assert r.reason.startswith("signed, but not a return:") and "surprise" in r.reason


def test_identical_copy_and_same_revision_tie(tmp_path: Path) -> None:
    b = CollectionBuilder(tmp_path)
    ret = b.make_return("BSWA", "2018/19 Q3")
    first = b.write(ret, subdir="a-email")
    copy = b.write(ret, subdir="b-usb")
    later = ret.model_copy(update={"submitted_at": datetime(2019, 1, 25, tzinfo=UTC)})
    resigned = b.write(later, subdir="c-again")
    coll = load(tmp_path)
    by_path = {r.path: r for r in coll.files}
    assert by_path[resigned].counted
    assert by_path[first].superseded_by == by_path[copy].superseded_by == "c-again/" + resigned.name
    (resigned.parent / resigned.name).unlink()
    coll = load(tmp_path)
    by_path = {r.path: r for r in coll.files}
    assert by_path[first].counted, "of identical copies the first path counts"
    assert by_path[copy].superseded_by == "a-email/" + first.name


def test_a_plan_file_in_the_folder_never_wins(tmp_path: Path) -> None:
    """A plan planted in the folder (sorting first, re-labelling statuses) is listed, not used."""
    b = CollectionBuilder(tmp_path)
    planted = OTHER_PLAN_TOML.replace('label = "On track"', 'label = "Complete"')
    b.write_bytes("0-planted.toml", planted.encode())
    b.write_bytes("plans/other-plan.toml", OTHER_PLAN_TOML.encode())
    b.write_bytes(
        "bundled.toml", TEST_PLAN_TOML.replace('"test-daps"', '"daps-2018-2023"').encode()
    )
    b.write_bytes("broken.toml", b'schema = "dapreturn/plan/v1"\nid = "x"\n')
    b.write(b.make_return("BSWA", "2018/19 Q3", [entry("R01")], plan_id="other-plan"))
    coll = load(tmp_path)
    reasons = {r.rel: r.reason for r in coll.files if r.ret is None}
    assert reasons == dict.fromkeys(
        ["0-planted.toml", "broken.toml", "bundled.toml", "plans/other-plan.toml"], PLAN_FILE_NOTE
    )
    assert "other-plan" not in coll.plans
    (ret,) = [r for r in coll.files if r.ret is not None]
    assert [p.field for p in ret.problems] == ["plan"]
    assert "--plan FILE" in str(ret.problems[0])
    assert any("plans/other-plan.toml" in note for note in coll.notes)
    given = load(tmp_path, plans={"test-daps": sample_plan(), "other-plan": other_plan()})
    assert given.plans["other-plan"] == other_plan()
    assert [r.problems for r in given.files if r.ret is not None] == [()]


def test_unknown_plan_and_file_name_mismatch(tmp_path: Path) -> None:
    b = CollectionBuilder(tmp_path)
    b.write(b.make_return("BSWA", "2018/19 Q3", [entry("Z1")], plan_id="nowhere"))
    b.write(b.make_return("BSWA", "2018/19 Q2"), name="test-daps_2018-19-Q3_BSWA_r1.toml")
    coll = load(tmp_path)
    problems = {r.rel: [str(p) for p in r.problems] for r in coll.files}
    assert problems["nowhere_2018-19-Q3_BSWA_r1.toml"] == [
        "plan: plan 'nowhere' is not known here: give its plan file with --plan FILE"
    ]
    (mismatch,) = problems["test-daps_2018-19-Q3_BSWA_r1.toml"]
    assert mismatch.startswith("file name: file name says")
    assert "2018-19-Q2" in mismatch
    assert coll.current("test-daps", "2018/19 Q2")["BSWA"].period == "2018/19 Q2"


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    from dapreturn.core.errors import DapreturnError

    with pytest.raises(DapreturnError, match="not a folder"):
        load_collection(tmp_path / "nope", None)


def test_a_folder_nested_too_deep_is_listed_not_walked(tmp_path: Path) -> None:
    from dapreturn.core.collection.scan import MAX_DEPTH

    b = CollectionBuilder(tmp_path)
    deep = tmp_path.joinpath(*(["d"] * (MAX_DEPTH + 3)))
    deep.mkdir(parents=True)
    (deep / "x.toml").write_bytes(b"junk")
    b.write(b.make_return("BSWA", "2018/19 Q3"), subdir="d/d")
    coll = load(tmp_path)
    assert [r.rel for r in coll.files if r.verified] == ["d/d/test-daps_2018-19-Q3_BSWA_r1.toml"]
    (refused,) = [r for r in coll.files if not r.verified]
    assert refused.rel == "d/" * (MAX_DEPTH + 1) and "folders deep" in refused.reason
