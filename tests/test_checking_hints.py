"""HintLadder: hints revealed one at a time, the count kept for the attempt."""

from __future__ import annotations

from tutor.checking import HintLadder
from tutor.text import Text

RULE = Text("The power rule: d/dx xⁿ = n·xⁿ⁻¹.", "거듭제곱 법칙: d/dx xⁿ = n·xⁿ⁻¹.")
LOCAL = Text("∂(x²−4)/∂x = 2x", "∂(x²−4)/∂x = 2x")
NUMBERS = Text("2·[[1, 2], [3, 4]]", "2·[[1, 2], [3, 4]]")


def test_hints_come_one_at_a_time_in_order():
    ladder = HintLadder([RULE, LOCAL, NUMBERS])
    assert ladder.used == 0 and ladder.revealed == () and ladder.remaining == 3
    assert ladder.next() == RULE
    assert ladder.used == 1 and ladder.revealed == (RULE,)
    assert ladder.next() == LOCAL and ladder.next() == NUMBERS
    assert ladder.used == 3 and ladder.remaining == 0 and ladder.total == 3
    assert ladder.revealed == (RULE, LOCAL, NUMBERS)


def test_an_exhausted_ladder_gives_none_and_counts_no_further():
    ladder = HintLadder([RULE])
    ladder.next()
    assert ladder.next() is None and ladder.next() is None
    assert ladder.used == 1


def test_no_hints_and_resuming_a_count():
    empty = HintLadder([])
    assert empty.next() is None and empty.used == 0
    resumed = HintLadder((RULE, LOCAL, NUMBERS), used=2)
    assert resumed.revealed == (RULE, LOCAL) and resumed.next() == NUMBERS
    assert HintLadder([RULE], used=9).used == 1 and HintLadder([RULE], used=-1).used == 0


def test_ladders_are_independent_and_keep_their_own_copy():
    hints = [RULE, LOCAL]
    first, second = HintLadder(hints), HintLadder(hints)
    first.next()
    hints.append(NUMBERS)
    assert second.used == 0 and first.total == 2
