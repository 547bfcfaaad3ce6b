"""Opening a catalog file without taking it over, and waiting for a load that holds it.

Reading never writes: a catalog on a read-only mount, a catalog a load is writing, and
somebody else's SQLite file are only read. A file is written to on opening only when it is
new or empty (the schema is created) or an older paperbot catalog (it is upgraded).

A big load holds SQLite's lock for its whole length (it writes with a rollback journal, see
``store.loading.loader``), so opening and loading wait for it, and say so once, instead of failing
with "database is locked".
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, TypeVar

import sqlite_utils

from store.catalog.schema import MIGRATIONS, current_version, ensure_schema, is_catalog

log = logging.getLogger(__name__)
T = TypeVar("T")

Mode = Literal["rw", "ro", "immutable"]
Notify = Callable[[str], None]

# How long a connection waits for a lock before the wait is announced (and retried).
NOTICE_AFTER_MS = 1000
# How long a query of an open catalog waits for a lock before it fails.
BUSY_TIMEOUT_MS = 30_000

# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


class CatalogError(Exception):
    """A problem the user can fix (unreadable file, newer schema); the message says how."""


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_locked(exc: BaseException) -> bool:
    return _code(exc) in (_BUSY, _LOCKED)


def explain_sqlite_error(path: Path, exc: sqlite3.Error) -> str | None:
    """One line for an SQLite error the user can act on; None for anything else (a bug)."""
    code = _code(exc)
    if code == _CORRUPT:
        return f"{path} is damaged ({exc}); check it with: sqlite3 {path} 'PRAGMA integrity_check'"
    if code == _NOTADB:
        return f"{path} is not a readable paperbot catalog ({exc})"
    if code in (_BUSY, _LOCKED):
        return f"{path} is locked by another process ({exc}); try again when it is done"
    if code == _READONLY:
        return f"{path} is read-only ({exc})"
    if code in (_IOERR, _FULL, _CANTOPEN):
        return f"cannot use {path} ({exc})"
    return None


def connect(path: Path, mode: Mode) -> sqlite3.Connection:
    """A connection in the given mode: read-write, read-only, or immutable (read-only media)."""
    try:
        if mode == "rw":
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        else:
            flags = "mode=ro" if mode == "ro" else "immutable=1"
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?{flags}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
            )
    except sqlite3.Error as exc:
        raise CatalogError(f"cannot open {path} ({exc})") from exc
    return conn


def patiently(conn: sqlite3.Connection, action: Callable[[], T], notice: str, notify: Notify) -> T:
    """Run ``action``, retrying while another process holds the lock; say ``notice`` once.

    The first attempt waits a second in SQLite's busy handler, so a short write by a running
    bot goes unnoticed. Some lock conflicts are reported at once without waiting (a WAL
    snapshot gone stale), hence a loop rather than one long busy timeout.
    """
    conn.execute(f"pragma busy_timeout = {NOTICE_AFTER_MS}")
    told = False
    try:
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if not is_locked(exc):
                    raise
                if conn.in_transaction:
                    conn.rollback()
            if not told:
                notify(notice)
                told = True
            time.sleep(0.05)
    finally:
        conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")


def waiting_notice(path: Path) -> str:
    return f"waiting for a load in progress on {path}…"


def _writable(path: Path) -> bool:
    """Whether SQLite may write here: the file and, for its journal, the folder."""
    target = path if path.exists() else path.parent
    return os.access(target, os.W_OK) and os.access(path.parent, os.W_OK)


def prepare(path: Path, notify: Notify) -> Mode:
    """Check that ``path`` is a paperbot catalog of this schema and return how to open it.

    A new or empty file gets the schema and an older catalog is upgraded (the only writes);
    a catalog nobody may write to is opened read-only.
    """
    if path.is_dir():
        raise CatalogError(f"{path} is a directory, not a catalog file")
    if not path.parent.is_dir():
        raise CatalogError(f"cannot create {path}: the folder {path.parent} does not exist")
    writable = _writable(path)
    if not path.exists() or path.stat().st_size == 0:
        if not writable:
            raise CatalogError(f"cannot create {path}: the folder {path.parent} is read-only")
        _create(path)
        return "rw"
    mode: Mode = "rw" if writable else "ro"
    try:
        try:
            tables = _tables(path, mode, notify)
        except sqlite3.OperationalError as exc:
            if mode != "ro" or _code(exc) != _CANTOPEN:
                raise
            # A WAL catalog on read-only media: its shared-memory file cannot be created,
            # and nothing can be writing to it.
            mode = "immutable"
            tables = _tables(path, mode, notify)
        if not tables:
            if mode != "rw":
                raise CatalogError(f"{path} is an empty database and read-only")
            _create(path)
            return mode
        if not is_catalog(tables):
            shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
            raise CatalogError(
                f"{path} is an SQLite database but not a paperbot catalog (tables: {shown}); "
                "paperbot leaves it alone"
            )
        _check_version(path, mode, notify)
    except sqlite3.DatabaseError as exc:
        raise CatalogError(
            explain_sqlite_error(path, exc) or f"{path} is not a readable paperbot catalog ({exc})"
        ) from exc
    return mode


def _tables(path: Path, mode: Mode, notify: Notify) -> list[str]:
    conn = connect(path, mode)
    try:
        sql = "select name from sqlite_master where type = 'table'"
        return patiently(conn, lambda: [r[0] for r in conn.execute(sql)], waiting_notice(path), notify)
    finally:
        conn.close()


def _create(path: Path) -> None:
    db = sqlite_utils.Database(connect(path, "rw"))
    try:
        db.enable_wal()
        ensure_schema(db)
    finally:
        db.close()


def _check_version(path: Path, mode: Mode, notify: Notify) -> None:
    """Refuse a newer schema, upgrade an older one, and put a writable catalog in WAL mode."""
    db = sqlite_utils.Database(connect(path, mode))
    try:
        notice = waiting_notice(path)
        version = patiently(db.conn, lambda: current_version(db), notice, notify)
        if version > len(MIGRATIONS):
            raise CatalogError(
                f"this catalog was written by a newer paperbot (schema {version}); upgrade paperbot"
            )
        if version < len(MIGRATIONS):
            if mode != "rw":
                raise CatalogError(
                    f"{path} was written by an older paperbot (schema {version}) and is read-only: "
                    "open it once where it can be written to, to upgrade it"
                )
            patiently(db.conn, lambda: ensure_schema(db), notice, notify)
        if mode == "rw":
            _back_to_wal(db)
    finally:
        db.close()


def _back_to_wal(db: sqlite_utils.Database) -> None:
    """WAL mode again after a big load was stopped before it could switch back; never waits.

    While a load is running the switch is refused at once and tried again next time.
    """
    db.execute("pragma busy_timeout = 0")
    try:
        if db.execute("pragma journal_mode").fetchone()[0] != "wal":
            db.execute("pragma journal_mode = wal")
    except sqlite3.OperationalError as exc:
        if not is_locked(exc):
            raise


@contextmanager
def write_lock(conn: sqlite3.Connection, notify: Notify) -> Iterator[None]:
    """One transaction holding SQLite's write lock from its start: one load at a time.

    A load that began as a reader and asked for the lock later could fail at once when
    another process wrote meanwhile; taking the lock first, it waits its turn.
    """
    patiently(conn, lambda: conn.execute("begin immediate"), "waiting for another load to finish…", notify)
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    conn.commit()


def rollback_journal(db: sqlite_utils.Database) -> str | None:
    """Switch a catalog nobody else has open to a rollback journal; return the mode to restore.

    In WAL mode every page of a big load is written twice, to the log and then into the file.
    A rollback journal keeps only the pages the load changes, and pages past the file's old
    end are not kept at all. SQLite
    refuses the switch while another connection (a running bot) has the file open; the load
    then stays in WAL mode, so readers keep reading while it runs.
    """
    mode = db.execute("pragma journal_mode").fetchone()[0]
    if mode != "wal":
        return None
    try:
        switched = db.execute("pragma journal_mode = delete").fetchone()[0]
    except sqlite3.OperationalError:
        return None
    return mode if switched == "delete" else None


def restore_journal(db: sqlite_utils.Database, mode: str) -> None:
    """Back to ``mode`` after a big load; a reader in the way only delays it to the next open."""
    try:
        db.execute(f"pragma journal_mode = {mode}")
    except sqlite3.OperationalError as exc:
        if not is_locked(exc):
            raise
        log.warning(
            "could not switch the catalog back to %s mode yet (%s); it will be on next use", mode, exc
        )
