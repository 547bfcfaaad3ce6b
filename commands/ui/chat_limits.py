"""How often one person, and one channel, may ask the bot in chat.

Beyond the limits the bot stays silent rather than queueing replies: a burst of questions
must not turn into a burst of answers minutes later, nor into a run of 429s that counts
toward Discord's invalid-request ban.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Window:
    """At most ``limit`` events per ``seconds``, per key (a sliding window)."""

    limit: int
    seconds: float
    _events: dict[int, deque[float]] = field(default_factory=dict)

    def full(self, key: int, now: float) -> bool:
        events = self._events.get(key)
        if events is None:
            return False
        while events and events[0] <= now - self.seconds:
            events.popleft()
        if not events:
            del self._events[key]
            return False
        return len(events) >= self.limit

    def add(self, key: int, now: float) -> None:
        self._events.setdefault(key, deque()).append(now)


@dataclass
class ChatLimits:
    per_user: Window = field(default_factory=lambda: Window(5, 10.0))
    per_channel: Window = field(default_factory=lambda: Window(20, 60.0))
    clock: Callable[[], float] = time.monotonic

    def allow(self, user_id: int, channel_id: int) -> bool:
        """Count a question if both windows have room; a refused one is not counted."""
        now = self.clock()
        if self.per_user.full(user_id, now) or self.per_channel.full(channel_id, now):
            return False
        self.per_user.add(user_id, now)
        self.per_channel.add(channel_id, now)
        return True
