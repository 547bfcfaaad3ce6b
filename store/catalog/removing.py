"""Removing papers from a catalog: rows, full-text entries, authors and search indexes together.

One transaction, like a load (and one at a time with loads): the removed papers' full-text
entries go with their rows (the triggers), each author loses exactly those papers (an author
left with none is removed), and the trigram indexes are rebuilt from what remains.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import orjson
import sqlite_utils

from store.catalog.opening import Notify, write_lock
from store.catalog.schema import GENERATION_KEY, set_meta
from store.catalog.sql import IN_LIST, json_list
from store.index.search_index import rebuild_search_indexes


@dataclass
class RemoveReport:
    """Which of the ids asked for were removed, and which the catalog did not have."""

    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def remove_papers(db: sqlite_utils.Database, paper_ids: Sequence[str], notify: Notify) -> RemoveReport:
    """Remove the papers with these ids, in one transaction; unknown ids are reported."""
    wanted = list(dict.fromkeys(paper_ids))
    with write_lock(db.conn, notify):
        found = dict(db.execute(f"select id, rowid from papers where id {IN_LIST}", [json_list(wanted)]))
        report = RemoveReport(
            removed=[i for i in wanted if i in found], missing=[i for i in wanted if i not in found]
        )
        if not found:
            return report
        rowids = json_list(found.values())
        gone = set(found.values())
        authors: set[int] = set()
        for (links,) in db.execute(f"select authors from papers where rowid {IN_LIST}", [rowids]):
            authors.update(author for author, _ in orjson.loads(links or "[]"))
        db.execute(f"delete from papers where rowid {IN_LIST}", [rowids])
        updates, emptied = [], []
        for author, papers in db.execute(
            f"select id, papers from authors where id {IN_LIST}", [json_list(sorted(authors))]
        ).fetchall():
            kept = [rowid for rowid in orjson.loads(papers or "[]") if rowid not in gone]
            if kept:
                updates.append((len(kept), orjson.dumps(kept).decode(), author))
            else:
                emptied.append(author)
        db.conn.executemany("update authors set paper_count = ?, papers = ? where id = ?", updates)
        db.execute(f"delete from authors where id {IN_LIST}", [json_list(emptied)])
        rebuild_search_indexes(db)
        set_meta(db, GENERATION_KEY, uuid.uuid4().hex)
    return report
