"""The catalog's file: per-thread connections, write transactions, loading, the search indexes.

Safe to share between threads: each thread gets its own SQLite connection (the bot runs
catalog work in ``asyncio.to_thread``), while the read-only trigram indexes are shared and
reloaded when another process loads new papers (the ``generation`` in ``meta`` changes).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from importlib import resources
from pathlib import Path

import sqlite_utils

from store.catalog.opening import Notify, connect, prepare
from store.catalog.removing import RemoveReport, remove_papers
from store.catalog.schema import GENERATION_KEY, get_meta, set_meta
from store.index.search_index import SearchIndexes, read_indexes, refresh_search_indexes
from store.loading.loader import LoadError, LoadReport, Progress, load_files

log = logging.getLogger(__name__)


def bundled_listing() -> Path:
    """The listing shipped inside the package: the catalog a fresh install starts with."""
    return Path(str(resources.files("store") / "data" / "papers.txt"))


class CatalogFile:
    """A paper catalog stored in one SQLite file (WAL mode), without the questions.

    ``notify`` hears about waits for another process's load (the CLI prints them); by
    default they are logged.
    """

    def __init__(self, path: str | Path, notify: Notify | None = None) -> None:
        self.path = Path(path)
        self._notify: Notify = notify or log.warning
        self._local = threading.local()
        self._index_lock = threading.Lock()
        self._indexes: SearchIndexes | None = None
        self.mode = prepare(self.path, self._notify)

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

    # --- loading -----------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return bool(self.db.execute("select not exists (select 1 from papers)").fetchone()[0] == 1)

    def load(
        self,
        paths: Sequence[Path],
        fmt: str | None = None,
        today: date | None = None,
        progress: Progress | None = None,
        bundled: bool = False,
    ) -> LoadReport:
        """Load files atomically (see ``store.loading.loader``), after any load already running.

        A catalog holding only the bundled listing has it replaced by the files (unless
        ``bundled``: this is that listing's load).
        """
        if self.readonly:
            raise LoadError(f"{self.path} is read-only: nothing can be loaded into it")
        # A big page cache keeps the id and key indexes in memory while millions of rows go in.
        self.db.execute("pragma cache_size = -262144")
        try:
            return load_files(
                self.db, paths, fmt=fmt, today=today, notify=self._notify, progress=progress, bundled=bundled
            )
        finally:
            self.db.execute("pragma cache_size = -16384")

    def ensure_loaded(self, today: date | None = None) -> LoadReport | None:
        """Load the bundled listing into an empty catalog; return the report if it did."""
        if not self.is_empty():
            return None
        return self.load([bundled_listing()], fmt="listing", today=today, bundled=True)

    def remove(self, paper_ids: Sequence[str]) -> RemoveReport:
        """Remove papers by id (see ``store.catalog.removing``), after any load already running."""
        if self.readonly:
            raise LoadError(f"{self.path} is read-only: nothing can be removed from it")
        return remove_papers(self.db, paper_ids, self._notify)

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
                    refresh_search_indexes(self.db)
                    cached = read_indexes(self.db, get_meta(self.db, GENERATION_KEY))
                self._indexes = cached
        return cached

    def warm_up(self) -> None:
        """Read the indexes now, so the first question after start-up is answered fast."""
        self._current_indexes().draw(self.db)


def _sync_key(guild_id: int | None) -> str:
    return f"command_tree_hash:{guild_id or 'global'}"
