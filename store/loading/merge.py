"""The merge path: chunks written into a catalog that already holds papers or authors.

Every paper is looked up by id: one already stored is updated in place (keeping its rowid),
its full-text entry removed first with the very values it was made from (the index holds no
copy of the text). Authors are looked up by key, met earlier in this load, stored, or new.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import orjson

from store.catalog.sql import IN_LIST, json_list
from store.loading.parse import COLUMN_LIST, PAPER_COLUMNS, ROW_MARKS, ParsedChunk, Row
from store.loading.state import ChunkWriter, Written

_UPDATE_PAPER = (
    "update papers set " + ", ".join(f"{c} = ?" for c in PAPER_COLUMNS if c != "id") + " where rowid = ?"
)
_INSERT_PAPER_AT = f"insert into papers (rowid, {COLUMN_LIST}) values (?, {ROW_MARKS})"
_FTS_INSERT = (
    "insert into papers_fts (rowid, title, abstract) "
    f"select rowid, title, abstract from papers where rowid {IN_LIST}"
)
_FTS_DELETE = (
    "insert into papers_fts (papers_fts, rowid, title, abstract) "
    f"select 'delete', rowid, title, abstract from papers where rowid {IN_LIST}"
)


class MergeLoad(ChunkWriter):
    """Writes chunks whose papers and authors may already be in the catalog."""

    def __init__(self, conn: sqlite3.Connection, written: Written) -> None:
        super().__init__(conn, written)
        self.known: dict[str, int] = {}  # key → id of the authors this load met
        self.file_ids: list[int] = []  # this file's author number → id, when it has no base
        # A paper written twice (again in a later chunk, or already stored) voids the links
        # kept in ``written``: they are read back from the rows at the end instead.
        self.replaced = False
        self.updated: list[int] = []  # rowids stored before this load that it rewrote
        self.losing: set[int] = set()  # authors of the versions it replaced

    def next_file(self) -> ChunkWriter:
        self.file_ids = []
        return self

    def write(self, chunk: ParsedChunk) -> None:
        rows, authors = chunk.rows, chunk.link_authors
        if chunk.base is not None:
            self.written.add_authors(chunk.authors)
        else:
            ids = self.file_ids
            ids.extend(self._author_ids(chunk.authors))
            authors = np.asarray([ids[n] for n in authors.tolist()], dtype=np.int64)
            rows = [(*row[:-1], self._mapped(row[-1])) for row in rows]
        rowids = self._merge(rows)
        self.written.links.append((authors, rowids[chunk.link_rows]))

    def _mapped(self, authors: object) -> str:
        """A row's authors JSON with file numbers turned into ids."""
        ids = self.file_ids
        return orjson.dumps([(ids[number], name) for number, name in orjson.loads(str(authors))]).decode()

    def _merge(self, rows: list[Row]) -> np.ndarray:
        conn, written = self.conn, self.written
        existing = self._existing_rowids([row[0] for row in rows])
        old = list(existing.values())
        if old:
            self.replaced = True
            self.updated.extend(r for r in old if r < written.first_rowid)
            old_list = json_list(old)
            for (authors,) in conn.execute(f"select authors from papers where rowid {IN_LIST}", [old_list]):
                self.losing.update(author for author, _ in orjson.loads(authors or "[]"))
            conn.execute(_FTS_DELETE, [old_list])
        rowids: list[int] = []
        for row in rows:
            rowid = existing.get(row[0])
            if rowid is None:
                rowid = written.next_rowid
                written.next_rowid += 1
            rowids.append(rowid)
        if written.titles is not None:
            written.titles.add(rowids, rows)
        conn.executemany(_UPDATE_PAPER, ((*row[1:], existing[row[0]]) for row in rows if row[0] in existing))
        conn.executemany(
            _INSERT_PAPER_AT,
            ((rowid, *row) for rowid, row in zip(rowids, rows, strict=True) if row[0] not in existing),
        )
        conn.execute(_FTS_INSERT, [json_list(rowids)])
        return np.asarray(rowids, dtype=np.int64)

    def _existing_rowids(self, paper_ids: list[object]) -> dict[object, int]:
        """Rowids of the papers already stored: written earlier in this load, or before it."""
        sql = f"select rowid, id from papers where id {IN_LIST}"
        return {paper_id: rowid for rowid, paper_id in self.conn.execute(sql, [json_list(paper_ids)])}

    def _author_ids(self, authors: list[tuple[str, str]]) -> list[int]:
        """Ids for ``(key, name)`` pairs: authors met earlier in this load, stored, or new."""
        known, written = self.known, self.written
        if not known and written.new_keys:
            # A later file: the authors an earlier one created are known by key from now on.
            first = written.first_author
            known.update((key, first + i) for i, key in enumerate(written.new_keys))
        unknown = [key for key, _ in authors if key not in known]
        if unknown and written.first_author > 1:
            sql = f"select id, key from authors where key {IN_LIST}"
            known.update((key, author_id) for author_id, key in self.conn.execute(sql, [json_list(unknown)]))
        ids = []
        for key, name in authors:
            author_id = known.get(key)
            if author_id is None:
                author_id = known[key] = written.next_author
                written.add_authors([(key, name)])
            ids.append(author_id)
        return ids

    def _changed_authors(self) -> tuple[set[int], set[int]]:
        return self.losing, set(self.updated)

    def _links(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.replaced:
            return super()._links()
        # Links of versions since replaced are among those kept: read the rows instead.
        written = self.written
        new = np.arange(written.first_rowid, written.next_rowid, dtype=np.int64)
        touched = np.union1d(new, np.asarray(self.updated, dtype=np.int64)) if self.updated else new
        authors, rowids = [], []
        sql = f"select rowid, authors from papers where rowid {IN_LIST}"
        for rowid, links in self.conn.execute(sql, [json_list(touched.tolist())]):
            for author, _ in orjson.loads(links or "[]"):
                authors.append(author)
                rowids.append(rowid)
        return np.asarray(authors, np.int64), np.asarray(rowids, np.int64)
