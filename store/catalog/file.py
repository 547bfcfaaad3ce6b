"""The catalog's file: per-thread connections, write transactions, removing, the search indexes.

Safe to share between threads: each thread gets its own SQLite connection (the bot runs
catalog work in ``asyncio.to_thread``), while the read-only trigram indexes are shared and
reloaded when another process loads new papers (the ``generation`` in ``meta`` changes).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from store.catalog.opening import CatalogError, Notify, connect, prepare
from store.catalog.removing import RemoveReport, remove_papers
from store.catalog.schema import GENERATION_KEY, get_meta, set_meta
from store.index.search_index import SearchIndexes, read_indexes, rebuild_search_indexes

log = logging.getLogger(__name__)


class CatalogFile:
    """A paper catalog stored in one SQLite file (WAL mode), without the questions.

    ``notify`` hears about waits for another process's load (the CLI prints them); by
    default they are logged. Loads go through ``store.loading.loader.load_into``, which
    receives the file: the catalog knows nothing of parsing.
    """

    def __init__(self, path: str | Path, notify: Notify | None = None) -> None:
        self.path = Path(path)
        self.notify: Notify = notify or log.warning
        self._local = threading.local()
        self._index_lock = threading.Lock()
        self._indexes: SearchIndexes | None = None
        self.mode = prepare(self.path, self.notify)

    @property
    def readonly(self) -> bool:
        return self.mode != "rw"

    # --- connections -------------------------------------------------------------------------

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection (SQLite connections must not cross threads)."""
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite_utils.Database(connect(self.path, self.mode))
            self._local.db = db
        return db

    @contextmanager
    def writing(self) -> Iterator[sqlite_utils.Database]:
        """A short write transaction holding SQLite's write lock from its start.

        The bot writes from several threads (schedules, chat memory, sync hashes). A deferred
        transaction (sqlite-utils' ``atomic``) that reads before it writes fails at once, without
        waiting, when another connection committed in between (a stale WAL snapshot); one that
        takes the lock first waits its turn in the busy handler instead.
        """
        db = self.db
        db.conn.execute("begin immediate")
        try:
            yield db
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()

    # --- command sync ------------------------------------------------------------------------

    def sync_hash(self, guild_id: int | None) -> str | None:
        """The digest of the slash commands last synced globally (None) or to one guild."""
        return get_meta(self.db, _sync_key(guild_id))

    def remember_sync_hash(self, guild_id: int | None, digest: str) -> None:
        with self.writing() as db:
            set_meta(db, _sync_key(guild_id), digest)

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- removing ----------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return bool(self.db.execute("select not exists (select 1 from papers)").fetchone()[0] == 1)

    def remove(self, paper_ids: Sequence[str]) -> RemoveReport:
        """Remove papers by id (see ``store.catalog.removing``), after any load already running."""
        if self.readonly:
            raise CatalogError(f"{self.path} is read-only: nothing can be removed from it")
        return remove_papers(self.db, paper_ids, self.notify)

    # --- indexes -----------------------------------------------------------------------------

    def _current_indexes(self) -> SearchIndexes:
        generation = get_meta(self.db, GENERATION_KEY)
        cached = self._indexes
        if cached is not None and cached.generation == generation:
            return cached
        with self._index_lock:
            cached = self._indexes
            if cached is None or cached.generation != generation:
                log.info("reading search indexes (catalog generation %s)", generation)
                cached = read_indexes(self.db, generation)
                if not cached.complete and not self.readonly and not self.is_empty():
                    log.warning("search indexes missing or outdated in %s: rebuilding them", self.path)
                    _refresh_search_indexes(self.db)
                    cached = read_indexes(self.db, get_meta(self.db, GENERATION_KEY))
                self._indexes = cached
        return cached

    def warm_up(self) -> None:
        """Read the indexes now, so the first question after start-up is answered fast."""
        self._current_indexes().draw(self.db)


def _refresh_search_indexes(db: sqlite_utils.Database) -> None:
    """Rebuild the stored indexes from the rows (after an upgrade changed their format)."""
    with db.atomic():
        rebuild_search_indexes(db)
        set_meta(db, GENERATION_KEY, uuid.uuid4().hex)


def _sync_key(guild_id: int | None) -> str:
    return f"command_tree_hash:{guild_id or 'global'}"
