"""retry_delay: exponential, capped, with jitter that does not shorten the next wait."""

import pytest

from sevamitra.tasks.services import retry_delay


@pytest.mark.parametrize(
    ("attempt", "rand", "expected"),
    [
        (1, 0.0, 5.0),
        (1, 0.5, 7.5),
        (1, 0.999, 9.995),
        (2, 0.0, 10.0),
        (3, 0.0, 20.0),
        (4, 0.5, 60.0),
        (7, 0.0, 320.0),
        (8, 0.0, 500.0),  # capped: min(1000, 1280) / 2
        (8, 1.0, 1000.0),
        (1000, 0.0, 500.0),  # no overflow for absurd attempt numbers
    ],
)
def test_delay(attempt, rand, expected):
    assert retry_delay(attempt=attempt, base=10, cap=1000, rand=rand) == pytest.approx(expected)


def test_below_the_cap_each_wait_is_at_least_the_longest_previous_one():
    for attempt in range(1, 7):  # 10 · 2^6 = 640 ≤ 1000
        longest_now = retry_delay(attempt=attempt, base=10, cap=1000, rand=1.0)
        shortest_next = retry_delay(attempt=attempt + 1, base=10, cap=1000, rand=0.0)
        assert shortest_next >= longest_now
