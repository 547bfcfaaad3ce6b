"""The catalog's SQLite schema, created and upgraded through numbered migrations.

A catalog file outlives the code that wrote it (users keep a 1M-paper file for months), so
every change to the schema is a new migration, applied in order and recorded in ``meta``.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

SCHEMA_VERSION_KEY = "schema_version"
GENERATION_KEY = "generation"


def _v1(db: sqlite_utils.Database) -> None:
    db["papers"].create(
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
    db["papers"].create_index(["category"])
    db["papers"].create_index(["year"])
    db["authors"].create(
        {"id": int, "key": str, "name": str, "paper_count": int},
        pk="id",
        not_null={"key", "name"},
        defaults={"paper_count": 0},
    )
    db["authors"].create_index(["key"], unique=True)
    db["paper_authors"].create(
        {"paper_id": str, "position": int, "author_id": int, "name": str},
        pk=("paper_id", "position"),
        foreign_keys=[("paper_id", "papers", "id"), ("author_id", "authors", "id")],
    )
    db["paper_authors"].create_index(["author_id"])
    db["loads"].create(
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
    # Derived search structures (see store/trigram.py), rebuilt by every load inside its
    # transaction so they can never disagree with the rows they index.
    db["search_index"].create({"name": str, "chunk": int, "data": bytes}, pk=("name", "chunk"))
    db["papers"].enable_fts(
        ["title", "abstract"],
        fts_version="FTS5",
        tokenize="porter unicode61 remove_diacritics 2",
        create_triggers=True,
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1]


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Bring ``db`` up to the current schema; a no-op on an up-to-date catalog."""
    if "meta" not in db.table_names():
        db["meta"].create({"key": str, "value": str}, pk="key")
    version = current_version(db)
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"this catalog was written by a newer paperbot (schema {version}); upgrade paperbot"
        )
    for number, migrate in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.atomic():
            migrate(db)
            set_meta(db, SCHEMA_VERSION_KEY, str(number))


def current_version(db: sqlite_utils.Database) -> int:
    value = get_meta(db, SCHEMA_VERSION_KEY)
    return int(value) if value else 0


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    rows = list(db.query("select value from meta where key = ?", [key]))
    return rows[0]["value"] if rows else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db["meta"].upsert({"key": key, "value": value}, pk="key")
