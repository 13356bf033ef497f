"""The officer app opens 1,000 returns it has never seen, in the real app, without a crash.

``dapreturn review`` once crashed on 600 or more unseen returns (``ValueError: bad value(s) in
fds_to_keep`` from a worker pool started under Textual's captured standard error). Loading is
now one process; this opens a folder at the real scale (~40 partners x 4 quarters x 5 years)
through :class:`ReviewApp` and Pilot. 2,000 and 10,000 were opened by hand (docs/performance.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from officer_helpers import loaded, make_app

from builders import TRUSTED, CollectionBuilder, entry
from dapreturn.core.periods import periods_between
from dapreturn.tui.officer.screens.inbox import InboxView

N = 1_000


def _folder(folder: Path) -> CollectionBuilder:
    """``N`` signed returns: five partners, every quarter of the test plan, many revisions."""
    b = CollectionBuilder(folder)
    b.write_trust(TRUSTED)
    periods = [str(p) for p in periods_between(b.plan.start, b.plan.end)]
    for i in range(N):
        partner = TRUSTED[i % len(TRUSTED)]
        rounds, quarter = divmod(i // len(TRUSTED), len(periods))
        text = f"Return {i}: trained staff and reviewed the pathway."
        entries = [entry("1a", action_taken=text)]
        ret = b.make_return(partner, periods[quarter], entries, revision=rounds + 1)
        b.write(ret)
    return b


@pytest.mark.slow
async def test_review_opens_a_thousand_unseen_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    b = _folder(tmp_path / "returns")
    assert len(list(b.folder.glob("*.toml"))) == N
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        snapshot = app.main.snapshot
        assert snapshot is not None, app.main.load_error
        assert len(snapshot.collection.files) == N
        assert all(f.verified for f in snapshot.collection.files)
        assert sum(f.counted for f in snapshot.collection.files) == 5 * 12
        assert app.main.query_one(InboxView).display
    assert app.return_code in (None, 0)
