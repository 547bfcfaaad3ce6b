"""The chat's memory of its answers: survives reopening the file, forgets after 30 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from store.catalog.catalog import Catalog
from store.chat.answer_model import Subject
from store.chat.memory import KEEP, AnswerMemory

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_remembered_across_reopening_and_pruned_after_thirty_days(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    catalog = Catalog(path)
    memory = AnswerMemory(catalog)
    memory.remember(1, Subject(("2101.00001", "t-abc"), None), NOW - KEEP - timedelta(minutes=1))
    memory.remember(2, Subject((), 42), NOW)
    memory.remember(3, Subject(), NOW)  # about nothing: not kept
    catalog.close()

    reopened = AnswerMemory(Catalog(path))
    assert reopened.recall(2, NOW) == Subject((), 42)
    assert reopened.recall(1, NOW) is None  # too old to be a conversation still
    assert reopened.recall(1, NOW - timedelta(days=1)) == Subject(("2101.00001", "t-abc"), None)
    assert reopened.recall(3, NOW) is None
    assert reopened.prune(NOW) == 1
    assert reopened.recall(1, NOW - timedelta(days=1)) is None
    assert reopened.recall(2, NOW) == Subject((), 42)
