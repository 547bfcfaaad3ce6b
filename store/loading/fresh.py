"""The fast path: the first file of a load into an empty catalog.

Its rows and full-text entries go in as parsed, with no per-row work: the rowids are the next
ones in order (SQLite gives ``max(rowid) + 1``, and the load holds the write lock) and the
author ids are the file's author numbers plus one. Rows go in through ``executemany`` rather
than sqlite-utils' ``insert_all``, whose per-row dicts cost far more than SQLite's own work.
"""

from __future__ import annotations

import numpy as np

from store.loading.merge import MergeLoad
from store.loading.parse import COLUMN_LIST, ROW_MARKS, ParsedChunk
from store.loading.state import ChunkWriter

_INSERT_PAPER = f"insert into papers ({COLUMN_LIST}) values ({ROW_MARKS})"
_FTS_INSERT = (
    "insert into papers_fts (rowid, title, abstract) "
    "select rowid, title, abstract from papers where rowid >= ?"
)


class FreshLoad(ChunkWriter):
    """Appends chunks to an empty catalog; hands over to ``MergeLoad`` when it cannot."""

    def for_chunk(self, chunk: ParsedChunk) -> ChunkWriter:
        # A paper met again in a later chunk must be looked up and replaced.
        return MergeLoad(self.conn, self.written) if chunk.repeats else self

    def next_file(self) -> ChunkWriter:
        # A later file's papers and authors may be among those this one wrote.
        return MergeLoad(self.conn, self.written)

    def write(self, chunk: ParsedChunk) -> None:
        conn, written, rows = self.conn, self.written, chunk.rows
        written.add_authors(chunk.authors)
        start = written.next_rowid
        if rows:  # else a chunk of problems only
            if written.titles is not None:
                written.titles.add(range(start, start + len(rows)), rows)
            conn.executemany(_INSERT_PAPER, rows)
            written.next_rowid += len(rows)
            if conn.execute("select max(rowid) from papers").fetchone()[0] != written.next_rowid - 1:
                raise RuntimeError("papers did not take the expected rowids; the load was rolled back")
            conn.execute(_FTS_INSERT, [start])
        rowids = np.arange(start, written.next_rowid, dtype=np.int64)
        written.links.append((chunk.link_authors, rowids[chunk.link_rows]))
