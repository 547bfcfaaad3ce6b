"""The load's progress line: its text as data, and drawn only on a terminal, a few times a second."""

from __future__ import annotations

import io

from bot.progress import ProgressLine, render
from store.loading.loader import LoadProgress


def test_render_with_a_known_size_shows_rate_share_and_eta() -> None:
    line = render(LoadProgress("reading", 250_000, 400, 1000), elapsed=20.0)
    assert line == "loading: 250,000 papers · 12,500 papers/s · 40% · ETA 0:30"


def test_render_eta_in_hours_and_without_a_size() -> None:
    assert render(LoadProgress("reading", 1000, 1, 1000), elapsed=10.0).endswith("ETA 2:46:30")
    assert (
        render(LoadProgress("reading", 3000, None, None), elapsed=2.0)
        == "loading: 3,000 papers · 1,500 papers/s"
    )
    assert render(LoadProgress("reading", 0, 0, 1000), elapsed=0.0) == "loading: 0 papers · 0%"
    assert (
        render(LoadProgress("reading", 10, 1000, 1000), elapsed=1.0)
        == "loading: 10 papers · 10 papers/s · 100%"
    )


def test_render_the_index_phase() -> None:
    line = render(LoadProgress("indexing", 1_000_000, 9, 9), elapsed=70.0)
    assert line == "building the search indexes for 1,000,000 papers…"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_not_a_terminal_gets_nothing() -> None:
    stream = io.StringIO()
    line = ProgressLine(stream)
    for papers in range(0, 10_000, 2000):
        line(LoadProgress("reading", papers, papers, 10_000))
    line(LoadProgress("indexing", 10_000, 10_000, 10_000))
    line.clear()
    assert stream.getvalue() == ""


def test_a_terminal_is_redrawn_at_most_four_times_a_second() -> None:
    stream, clock = Terminal(), Clock()
    line = ProgressLine(stream, clock=clock)
    for step in range(20):  # a chunk every 50 ms for a second
        clock.now = 100.0 + step * 0.05
        line(LoadProgress("reading", step * 2000, step, 20))
    drawn = stream.getvalue().split("\r\x1b[K")[1:]
    assert drawn[0] == "loading: 0 papers · 0%"
    assert len(drawn) == 4  # at 0, 0.25, 0.5, 0.75 s
    clock.now += 0.01
    line(LoadProgress("indexing", 38_000, 20, 20))  # a new phase is shown at once
    assert stream.getvalue().endswith("\r\x1b[Kbuilding the search indexes for 38,000 papers…")
    line.clear()
    assert stream.getvalue().endswith("…\r\x1b[K")
