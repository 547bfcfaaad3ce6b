"""The progress line of a long ``paperbot load``: drawn on a terminal only, a few times a second.

The text is a pure function of where the load is (``render``), so it is tested as data; the
line itself is redrawn in place with a carriage return, and cleared before the summary.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from store.loading.loader import LoadProgress

# At most this many redraws a second: a redraw per chunk would flood a slow terminal.
REDRAWS_PER_SECOND = 4
_CLEAR = "\r\x1b[K"


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def render(progress: LoadProgress, elapsed: float) -> str:
    """One line: papers so far, papers/s, and the share done with an ETA when the size is known."""
    if progress.phase == "indexing":
        return f"building the search indexes for {progress.papers:,} papers…"
    parts = [f"loading: {progress.papers:,} papers"]
    if elapsed > 0 and progress.papers:
        parts.append(f"{progress.papers / elapsed:,.0f} papers/s")
    done, total = progress.done_bytes, progress.total_bytes
    if done is not None and total:
        share = min(done / total, 1.0)
        parts.append(f"{share:.0%}")
        if 0 < share < 1 and elapsed > 0:
            parts.append(f"ETA {_duration(elapsed * (1 - share) / share)}")
    return " · ".join(parts)


class ProgressLine:
    """Draws a load's progress on ``stream`` if it is a terminal; does nothing otherwise."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.enabled = stream.isatty()
        self.started = clock()
        self.drawn_at: float | None = None
        self.phase = ""

    def __call__(self, progress: LoadProgress) -> None:
        if not self.enabled:
            return
        now = self.clock()
        due = self.drawn_at is None or now - self.drawn_at >= 1 / REDRAWS_PER_SECOND
        if not due and progress.phase == self.phase:
            return
        self.phase, self.drawn_at = progress.phase, now
        self.stream.write(_CLEAR + render(progress, now - self.started))
        self.stream.flush()

    def clear(self) -> None:
        """Erase the line, so what follows starts on a clean one."""
        if self.drawn_at is not None:
            self.stream.write(_CLEAR)
            self.stream.flush()
            self.drawn_at = None
