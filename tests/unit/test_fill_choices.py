"""A status picked by its first letter (label first, then marker; again moves on)."""

from __future__ import annotations

from builders import sample_plan
from dapreturn.core.filling.choices import status_for_letter


def test_a_letter_picks_the_status_whose_label_starts_with_it() -> None:
    statuses = sample_plan().statuses
    by_label = {s.label[0].casefold(): s.id for s in reversed(statuses)}
    for letter, status_id in by_label.items():
        assert status_for_letter(statuses, letter) == status_id
        assert status_for_letter(statuses, letter.upper()) == status_id


def test_the_same_letter_again_moves_to_the_next_one_that_starts_with_it() -> None:
    statuses = sample_plan().statuses
    first = statuses[0]
    twins = [s.id for s in statuses if s.label[0].casefold() == first.label[0].casefold()]
    after = status_for_letter(statuses, first.label[0], first.id)
    assert after == (twins[1] if len(twins) > 1 else first.id)


def test_no_status_for_other_keys() -> None:
    statuses = sample_plan().statuses
    assert status_for_letter(statuses, " ") is None
    assert status_for_letter(statuses, "ab") is None
