"""Chat rate limits: five questions per person per 10 s, twenty per channel per minute."""

from __future__ import annotations

from commands.ui.chat_limits import ChatLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_person_gets_five_questions_per_ten_seconds() -> None:
    clock = Clock()
    limits = ChatLimits(clock=clock)
    assert [limits.allow(1, 10) for _ in range(7)] == [True] * 5 + [False] * 2
    assert limits.allow(2, 10)  # someone else in the same channel still may
    clock.now += 9.9
    assert not limits.allow(1, 10)
    clock.now += 0.2  # the first five are older than 10 s now
    assert limits.allow(1, 10)


def test_a_channel_gets_twenty_questions_per_minute_whoever_asks() -> None:
    clock = Clock()
    limits = ChatLimits(clock=clock)
    allowed = [limits.allow(user, 10) for user in range(30)]
    assert allowed == [True] * 20 + [False] * 10
    assert limits.allow(99, 11)  # another channel is not affected
    clock.now += 60.1
    assert limits.allow(5, 10)
