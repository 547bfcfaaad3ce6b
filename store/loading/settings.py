"""What a load switches off while it writes, and puts back before it commits.

DDL is transactional in SQLite: if the load fails, the rollback brings everything back.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import sqlite_utils

from store.catalog.sql import IN_LIST, json_list

# Secondary indexes a bulk load drops and creates again at the end: CREATE INDEX sorts once,
# where keeping them current puts millions of keys in random places.
_BULK_INDEXES = ("idx_papers_category", "idx_papers_year")

# FTS5 settings for the length of a load. Its index grows in segments, one per flush of the
# pending terms, merged a few at a time; bigger flushes and wider merges rewrite it far less
# often during a big load, and FTS5's defaults are put back after it.
_FTS_LOAD_CONFIG = {"hashsize": 64 * 1024 * 1024, "automerge": 16}
_FTS_DEFAULT_CONFIG = {"hashsize": 1024 * 1024, "automerge": 4}


@dataclass
class Suspended:
    """The SQL of what was dropped, and the FTS5 settings that were replaced."""

    indexes: list[str]
    triggers: list[str]
    fts_config: dict[str, int]


def suspend(db: sqlite_utils.Database, bulk: bool) -> Suspended:
    """Drop the full-text triggers (and for a bulk load the secondary indexes), returning their SQL.

    The load keeps the full-text index current itself, a chunk at a time, which costs far less
    than the triggers' row-by-row upkeep. The authors' key index stays when there are authors
    already, because the load looks names up in it.
    """
    indexes = list(_BULK_INDEXES) if bulk else []
    if bulk and db.execute("select not exists (select 1 from authors)").fetchone()[0]:
        indexes.append("idx_authors_key")
    rows = db.execute(
        "select type, name, sql from sqlite_master where (type = 'trigger' and tbl_name = 'papers') "
        f"or (type = 'index' and name {IN_LIST})",
        [json_list(indexes)],
    ).fetchall()
    for kind, name, _ in rows:
        db.execute(f"drop {kind} [{name}]")
    return Suspended(
        indexes=[sql for kind, _, sql in rows if kind == "index"],
        triggers=[sql for kind, _, sql in rows if kind == "trigger"],
        fts_config=_configure_fts(db, _FTS_LOAD_CONFIG),
    )


def _configure_fts(db: sqlite_utils.Database, settings: dict[str, int]) -> dict[str, int]:
    """Apply FTS5 settings; return the ones replaced (an older SQLite may lack some)."""
    stored = dict(db.execute("select k, v from papers_fts_config").fetchall())
    replaced = {}
    for name, value in settings.items():
        try:
            db.execute("insert into papers_fts (papers_fts, rank) values (?, ?)", [name, value])
        except sqlite3.DatabaseError:
            continue
        replaced[name] = int(stored.get(name, _FTS_DEFAULT_CONFIG[name]))
    return replaced


def restore(db: sqlite_utils.Database, suspended: Suspended) -> None:
    """Build the dropped indexes and put the triggers back."""
    for sql in suspended.indexes:
        db.execute(sql)
    for sql in suspended.triggers:
        db.execute(sql)
    _configure_fts(db, suspended.fts_config)
