"""The signed ``submitted_at`` is the instant of signing, whatever zone the clock reports in.

Regression: a time in British Summer Time (``+01:00``) used to be written with its wall-clock
digits and a ``Z`` — an hour wrong, signed — and the read-back check then refused the file it
had just written. ``submitted_at`` is the signer's claim (see docs/security.md); it must at
least be the claim the signer's clock made.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from secsupport import BSWA_KEY, TODAY, mini_plan, ready_return, trust_list

from dapreturn.core.filling.submit import submit_return
from dapreturn.core.signing.files import verify_file

BST = timezone(timedelta(hours=1), "BST")
INSTANT = datetime(2019, 6, 10, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "now",
    [
        INSTANT,
        INSTANT.astimezone(BST),
        INSTANT.astimezone(timezone(timedelta(hours=-5, minutes=-30))),
        INSTANT.replace(tzinfo=None),  # naive: taken as UTC
        INSTANT.replace(microsecond=999_999),
    ],
    ids=["utc", "bst", "minus-0530", "naive", "microseconds"],
)
def test_the_signed_time_is_the_instant(tmp_path: Path, now: datetime) -> None:
    result = submit_return(ready_return(), mini_plan(), BSWA_KEY, tmp_path, now=now, today=TODAY)
    verdict = verify_file(result.path, trust_list(("BSWA", BSWA_KEY)))
    assert verdict.ok
    assert verdict.signed_at == INSTANT
    assert result.ret.submitted_at == INSTANT
    assert b"submitted_at = 2019-06-10T08:30:00Z\n" in result.path.read_bytes()
