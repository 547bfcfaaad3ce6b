"""The catalog's SQLite schema, created and upgraded through numbered migrations.

A catalog file outlives the code that wrote it (a big catalog is kept, not rebuilt), so
every change to the schema is a new migration, applied in order and recorded in ``meta``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from itertools import groupby
from operator import itemgetter

import sqlite_utils

log = logging.getLogger(__name__)

SCHEMA_VERSION_KEY = "schema_version"
GENERATION_KEY = "generation"


def _v1(db: sqlite_utils.Database) -> None:
    db.table("papers").create(
        {
            "id": str,
            "title": str,
            "title_norm": str,
            "aliases": str,
            "abstract": str,
            "published": str,
            "year": int,
            "category": str,
            "score": float,
            "has_code": int,
            "code_url": str,
            "authors_truncated": int,
            "source": str,
            "loaded_at": str,
        },
        pk="id",
        not_null={"title", "title_norm", "published", "year", "category"},
    )
    # Single-column indexes on purpose: the rowid is their implicit last column, which lets
    # random_paper seek "category = ? and rowid >= ?" instead of scanning the category.
    db.table("papers").create_index(["category"])
    db.table("papers").create_index(["year"])
    db.table("authors").create(
        {"id": int, "key": str, "name": str, "paper_count": int},
        pk="id",
        not_null={"key", "name"},
        defaults={"paper_count": 0},
    )
    db.table("authors").create_index(["key"], unique=True)
    db.table("paper_authors").create(
        {"paper_id": str, "position": int, "author_id": int, "name": str},
        pk=("paper_id", "position"),
        foreign_keys=[("paper_id", "papers", "id"), ("author_id", "authors", "id")],
    )
    db.table("paper_authors").create_index(["author_id"])
    db.table("loads").create(
        {
            "id": int,
            "source": str,
            "format": str,
            "loaded_at": str,
            "papers": int,
            "problems": int,
        },
        pk="id",
    )
    # Derived search structures (see store/index/trigram.py), rebuilt by every load inside its
    # transaction so they can never disagree with the rows they index.
    db.table("search_index").create({"name": str, "chunk": int, "data": bytes}, pk=("name", "chunk"))
    db.table("papers").enable_fts(
        ["title", "abstract"],
        fts_version="FTS5",
        tokenize="porter unicode61 remove_diacritics 2",
        create_triggers=True,
    )


def _v2(db: sqlite_utils.Database) -> None:
    """Author links keyed by the paper's integer rowid, clustered by paper (WITHOUT ROWID).

    Several link rows a paper: keyed by its integer rowid in one B-tree ordered by (paper,
    position), they need no separate primary-key index, and a paper's authors are read from
    a single page.
    """
    db.execute(
        """create table paper_authors_v2 (
            paper_rowid integer not null,
            position integer not null,
            author_id integer not null,
            name text,
            primary key (paper_rowid, position)
        ) without rowid"""
    )
    db.execute(
        """insert into paper_authors_v2 (paper_rowid, position, author_id, name)
           select p.rowid, pa.position, pa.author_id, pa.name
           from paper_authors pa join papers p on p.id = pa.paper_id
           order by p.rowid, pa.position"""
    )
    db.execute("drop table paper_authors")
    db.execute("alter table paper_authors_v2 rename to paper_authors")
    db.execute("create index idx_paper_authors_author_id on paper_authors (author_id)")


def _drop_fts_triggers(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """Drop the papers' full-text triggers for an upgrade that rewrites rows; (name, sql) to restore.

    The triggers would re-index every updated paper's unchanged text, which would make such an
    upgrade several times slower.
    """
    triggers: list[tuple[str, str]] = db.conn.execute(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'papers'"
    ).fetchall()
    for name, _ in triggers:
        db.execute(f"drop trigger [{name}]")
    return triggers


def _v3(db: sqlite_utils.Database) -> None:
    """Author links packed into the rows they join: no link table.

    A paper's row holds its authors as a JSON array of ``[author id, name as written]`` in
    order, and an author's row the JSON array of its papers' rowids (ascending). A link table
    and its index are a large share of what SQLite writes in a big load; this way a paper card
    reads one row, and an author card one row plus its papers. JSON, so that SQL can still
    join through ``json_each``.
    """
    db.execute("alter table papers add column authors text")
    db.execute("alter table authors add column papers text")
    conn = db.conn
    triggers = _drop_fts_triggers(db)

    def grouped(sql: str) -> list[tuple[int, list[object]]]:
        """(key, [items]) from rows of (key, item) sorted by key; read in full before writing."""
        return [(key, [item for _, item in rows]) for key, rows in groupby(conn.execute(sql), itemgetter(0))]

    papers = grouped(
        "select paper_rowid, json_array(author_id, name) from paper_authors order by paper_rowid, position"
    )
    conn.executemany(
        "update papers set authors = ? where rowid = ?",
        ((f"[{','.join(map(str, links))}]", rowid) for rowid, links in papers),
    )
    people = grouped(
        "select distinct author_id, paper_rowid from paper_authors order by author_id, paper_rowid"
    )
    conn.executemany(
        "update authors set papers = ?, paper_count = ? where id = ?",
        ((json.dumps(rowids), len(rowids), author_id) for author_id, rowids in people),
    )
    db.execute("update papers set authors = '[]' where authors is null")
    db.execute("delete from authors where papers is null")
    db.execute("drop table paper_authors")
    for _, sql in triggers:
        db.execute(sql)


def _answers(db: sqlite_utils.Database) -> None:
    """What each chat answer of the bot was about, so a reply to it has a subject after restarts."""
    db.table("chat_answers").create(
        {"message_id": int, "paper_ids": str, "author_id": int, "answered_at": str},
        pk="message_id",
        not_null={"paper_ids", "answered_at"},
    )
    db.table("chat_answers").create_index(["answered_at"])


def _daily(db: sqlite_utils.Database) -> None:
    """Daily schedules and their posts, kept in the catalog so they survive restarts with it.

    ``if not exists`` because a catalog the bot has already run on may hold both tables with
    these columns, made by an older paperbot outside the migrations; those tables are kept and
    gain the retry columns like new ones.
    """
    schedules = db.table("daily_schedules")
    schedules.create(
        {
            "channel_id": int,
            "guild_id": int,
            "at": str,
            "timezone": str,
            "category": str,
            "paused_reason": str,
            "cycle": int,
            "updated_at": str,
        },
        pk="channel_id",
        not_null={"guild_id", "at", "timezone"},
        defaults={"cycle": 1},
        if_not_exists=True,
    )
    schedules.create_index(["guild_id"], if_not_exists=True)
    posts = db.table("daily_posts")
    posts.create(
        {
            "channel_id": int,
            "local_day": str,
            "paper_id": str,
            "cycle": int,
            "state": str,
            "message_id": int,
            "claimed_at": str,
        },
        pk=("channel_id", "local_day"),
        if_not_exists=True,
    )
    posts.create_index(["channel_id", "cycle"], if_not_exists=True)
    # A post that failed for a passing reason is tried again later in its day's window.
    for column, kind, default in (("attempts", int, 1), ("retry_at", float, None)):
        if column not in posts.columns_dict:
            posts.add_column(column, kind, not_null_default=default)


def _method_names(db: sqlite_utils.Database) -> None:
    """Method names from the abstracts join each paper's aliases (``store/index/method_names.py``).

    Only the ``aliases`` column changes, so the full-text index (titles and abstracts) stays
    as it is; the stored search indexes are dropped, and rebuilt from the new aliases, with
    the prefix indexes they now include, when the catalog is next read.
    """
    from store.index.method_names import paper_aliases  # the migration alone needs the extractor

    conn = db.conn
    triggers = _drop_fts_triggers(db)
    changed = [
        (aliases, rowid)
        for rowid, title, title_norm, old, abstract, code_url in conn.execute(
            "select rowid, title, title_norm, aliases, abstract, code_url from papers"
        )
        if (aliases := " ".join(paper_aliases(title, title_norm, abstract or "", code_url))) != old
    ]
    conn.executemany("update papers set aliases = ? where rowid = ?", changed)
    for _, sql in triggers:
        db.execute(sql)
    db.execute("delete from search_index")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1,
    _v2,
    _v3,
    _answers,
    _daily,
    _method_names,
]


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Bring ``db`` up to the current schema; a no-op on an up-to-date catalog."""
    if "meta" not in db.table_names():
        db.table("meta").create({"key": str, "value": str}, pk="key")
    version = current_version(db)
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"this catalog was written by a newer paperbot (schema {version}); upgrade paperbot"
        )
    if 0 < version < len(MIGRATIONS):
        # Seconds to minutes on a big catalog: say so, or a bot that is slow to start looks hung.
        log.warning("upgrading the catalog from schema %d to %d (once)…", version, len(MIGRATIONS))
    for number, migrate in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.atomic():
            migrate(db)
            set_meta(db, SCHEMA_VERSION_KEY, str(number))


def is_catalog(tables: list[str]) -> bool:
    """Whether a database with these tables is a paperbot catalog (any schema version).

    ``meta`` is the first table a catalog gets and ``papers`` comes with schema 1, in one
    transaction; a database without them is somebody else's.
    """
    return "meta" in tables and ("papers" in tables or len(tables) == 1)


def current_version(db: sqlite_utils.Database) -> int:
    value = get_meta(db, SCHEMA_VERSION_KEY)
    return int(value) if value else 0


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    rows = list(db.query("select value from meta where key = ?", [key]))
    return rows[0]["value"] if rows else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.table("meta").upsert({"key": key, "value": value}, pk="key")
