"""What each of the bot's chat answers was about, kept in the catalog file.

A reply to one of the bot's answers ("who wrote it?", "bibtex") is about the paper or author
that answer showed. Discord tells the bot only which message is replied to, so the bot keeps
message id → subject here, where it survives restarts, and forgets it after ``KEEP``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from store.catalog.catalog import Catalog
from store.chat.answer_model import Subject

KEEP = timedelta(days=30)


class AnswerMemory:
    """Message id → what the answer was about (blocking: call it off the event loop)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def remember(self, message_id: int, about: Subject, now: datetime) -> None:
        if not about.paper_ids and about.author_id is None:
            return
        with self.catalog.writing() as db:
            db.execute(
                "insert or replace into chat_answers (message_id, paper_ids, author_id, answered_at) "
                "values (?, ?, ?, ?)",
                [message_id, json.dumps(list(about.paper_ids)), about.author_id, now.isoformat()],
            )

    def recall(self, message_id: int, now: datetime) -> Subject | None:
        row = self.catalog.db.execute(
            "select paper_ids, author_id, answered_at from chat_answers where message_id = ?", [message_id]
        ).fetchone()
        if row is None or datetime.fromisoformat(row[2]) < now - KEEP:
            return None
        return Subject(tuple(json.loads(row[0])), row[1])

    def prune(self, now: datetime) -> int:
        """Forget answers older than ``KEEP``; returns how many."""
        with self.catalog.writing() as db:
            cursor = db.execute("delete from chat_answers where answered_at < ?", [(now - KEEP).isoformat()])
        return cursor.rowcount
