"""The review ledger: round trip, keys, refusal to overwrite a broken or changed ledger."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from dapreturn.core.collection.ledger import (
    DECISION_SCHEMA,
    LEDGER_SCHEMA,
    Ledger,
    LedgerError,
    Review,
    ledger_path,
    load_ledger,
    save_ledger,
)
from dapreturn.core.collection.load import LEDGER_NAME

SHA_A = hashlib.sha256(b"a").hexdigest()
SHA_B = hashlib.sha256(b"b").hexdigest()
NAME = "daps-2018-2023_2018-19-Q3_BSWA_r1.toml"
T0 = datetime(2019, 2, 1, 9, 30, tzinfo=UTC)


def test_empty_when_no_file(tmp_path: Path) -> None:
    ledger = load_ledger(tmp_path)
    assert ledger.path == tmp_path / "review" == ledger_path(tmp_path)
    assert ledger.reviews == {} and ledger.error is None and ledger.loaded_sha256 is None
    assert ledger.review(SHA_A, NAME) is None


def test_round_trip(tmp_path: Path) -> None:
    ledger = load_ledger(tmp_path)
    ledger.decide(SHA_A, NAME, "accepted", officer="Officer One", comment="Good return", now=T0)
    ledger.comment(SHA_A, NAME, 'Ask about "Ask Me" numbers\nand venue — ünïcødé 🙂', ref="3l")
    ledger.comment(SHA_A, NAME, "Thanks", ref="3h")
    ledger.comment(SHA_A, NAME, "", ref="3h")
    local = timezone(timedelta(hours=1))
    ledger.decide(
        SHA_B,
        "usb/" + NAME,
        "query_raised",
        officer=" Officer Two ",
        now=datetime(2019, 2, 2, 11, 0, 0, 999, tzinfo=local),
    )
    ledger.comment(SHA_B, NAME, "Targets moved twice")
    assert save_ledger(ledger) == tmp_path / "review"
    again = load_ledger(tmp_path)
    assert again.error is None
    assert again.reviews == ledger.reviews
    a = again.review(SHA_A, NAME)
    assert a == Review(
        SHA_A,
        NAME,
        "accepted",
        "Officer One",
        T0,
        "Good return",
        {"3l": 'Ask about "Ask Me" numbers\nand venue — ünïcødé 🙂'},
    )
    b = again.review(SHA_B, NAME)
    assert b is not None and b.file == NAME, "keyed by file name, not folder"
    assert (b.decision, b.officer, b.comment) == (
        "query_raised",
        "Officer Two",
        "Targets moved twice",
    )
    assert b.decided_at == datetime(2019, 2, 2, 10, 0, tzinfo=UTC)
    files = sorted((tmp_path / "review").rglob("*.decision"))
    assert len(files) == 2 and not (tmp_path / LEDGER_NAME).exists()
    assert files[0].read_text(encoding="utf-8").startswith(f'schema = "{DECISION_SCHEMA}"')
    # saving again after our own save is fine, and adds a file (the first stays as history)
    again.decide(SHA_A, NAME, None, officer="Officer One", now=T0)
    save_ledger(again)
    assert load_ledger(tmp_path).review(SHA_A, NAME).decision is None  # type: ignore[union-attr]
    assert len(list((tmp_path / "review").rglob("*.decision"))) == 3


def test_key_is_hash_and_name(tmp_path: Path) -> None:
    ledger = load_ledger(tmp_path)
    ledger.decide(SHA_A, NAME, "accepted", officer="O", now=T0)
    assert ledger.review(SHA_B, NAME) is None, "changed bytes: a new file with no decision"
    assert ledger.review(SHA_A, "renamed.toml") is None
    assert ledger.review(SHA_A, "sub/" + NAME) is not None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda lg: lg.decide(SHA_A, NAME, "maybe", officer="O"), "not a decision"),
        (lambda lg: lg.decide(SHA_A, NAME, "accepted", officer="  "), "officer"),
        (lambda lg: lg.decide("xyz", NAME, "accepted", officer="O"), "SHA-256"),
        (lambda lg: lg.comment(SHA_A, "", "text"), "file name"),
    ],
)
def test_bad_input_refused(tmp_path: Path, call: object, message: str) -> None:
    ledger = load_ledger(tmp_path)
    with pytest.raises(LedgerError, match=message):
        call(ledger)  # type: ignore[operator]


@pytest.mark.parametrize(
    "content",
    [
        b"schema = \n",
        b'schema = "something/else"\n',
        b'schema = "dapreturn/review-ledger/v1"\nreviews = 3\n',
        b'schema = "dapreturn/review-ledger/v1"\n[[reviews]]\nsha256 = "x"\nfile = "a.toml"\n',
        f'schema = "{LEDGER_SCHEMA}"\n[[reviews]]\nsha256 = "{SHA_A}"\nfile = "a"\n'
        'decision = "rejected"\n'.encode(),
        f'schema = "{LEDGER_SCHEMA}"\n[[reviews]]\nsha256 = "{SHA_A}"\nfile = "a"\n'
        "decided_at = 2019-01-01T10:00:00\n".encode(),
        b"\xff\xfe not utf-8",
    ],
)
def test_malformed_ledger_reported_and_never_overwritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / LEDGER_NAME
    path.write_bytes(content)
    ledger = load_ledger(tmp_path)
    assert ledger.error is not None and "will not be overwritten" in ledger.error
    assert str(path) in ledger.error
    ledger.decide(SHA_A, NAME, "accepted", officer="O")
    with pytest.raises(LedgerError, match="cannot read the review ledger"):
        save_ledger(ledger)
    assert path.read_bytes() == content


def test_two_officers_from_the_same_load_both_keep_their_decisions(tmp_path: Path) -> None:
    first = load_ledger(tmp_path)
    second = load_ledger(tmp_path)
    first.decide(SHA_A, NAME, "accepted", officer="One", now=T0)
    save_ledger(first)
    second.decide(SHA_B, NAME, "query_raised", officer="Two", now=T0)
    save_ledger(second)
    both = load_ledger(tmp_path)
    assert both.review(SHA_A, NAME).officer == "One"  # type: ignore[union-attr]
    assert both.review(SHA_B, NAME).officer == "Two"  # type: ignore[union-attr]


def test_later_decision_wins_and_old_ledger_is_read_not_written(tmp_path: Path) -> None:
    legacy = (
        f'schema = "{LEDGER_SCHEMA}"\n[[reviews]]\nsha256 = "{SHA_A}"\nfile = "{NAME}"\n'
        'decision = "accepted"\nofficer = "Old"\ndecided_at = 2019-01-01T10:00:00Z\n'
        'comment = "from the old ledger"\ncomments = {}\n'
    )
    (tmp_path / LEDGER_NAME).write_text(legacy, encoding="utf-8")
    ledger = load_ledger(tmp_path)
    assert ledger.review(SHA_A, NAME).comment == "from the old ledger"  # type: ignore[union-attr]
    later, earlier = load_ledger(tmp_path), load_ledger(tmp_path)
    later.decide(SHA_A, NAME, "query_raised", officer="B", now=T0 + timedelta(hours=1))
    save_ledger(later)
    earlier.decide(SHA_A, NAME, None, officer="A", now=T0)
    save_ledger(earlier)  # saved second, decided first: the later decision stays current
    again = load_ledger(tmp_path)
    assert again.review(SHA_A, NAME).officer == "B"  # type: ignore[union-attr]
    assert (tmp_path / LEDGER_NAME).read_text(encoding="utf-8") == legacy


def test_unreadable_decision_file_is_named_and_skipped(tmp_path: Path) -> None:
    ledger = load_ledger(tmp_path)
    ledger.decide(SHA_A, NAME, "accepted", officer="O", now=T0)
    save_ledger(ledger)
    bad = tmp_path / "review" / "x" / "bad.decision"
    bad.parent.mkdir()
    bad.write_bytes(b"\xff not toml")
    again = load_ledger(tmp_path)
    assert again.review(SHA_A, NAME) is not None
    assert len(again.problems) == 1 and str(bad) in again.problems[0]


def test_ledger_object_defaults() -> None:
    ledger = Ledger(Path("x") / LEDGER_NAME)
    assert ledger.reviews == {} and ledger.error is None
