"""Load floors: what each piece of a load costs on its own, and the best rate that allows.

    python benchmarks/load_floors.py --papers 1000000

The loader's total (``lookup.py``'s "load rate") says how fast a load is, not how fast it could
be. This runs every piece of work a fresh load must do, one after another in one process, with
nothing else running, using the loader's own code: parsing (JSON, normalising, author
numbering), handing chunks between processes (pickling), the writer's steps into a fresh
catalog (papers with their authors and full-text entries, each author's papers, the authors,
the indexes, the commit), the search indexes (trigram and prefix) and storing them. Two
bounds follow: the writer's process does its part one step after another (one SQLite
connection, and Python's lock for the rest), so a load takes at least that long; and all the
CPU time can at best be spread over every core.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import sys
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
from lookup import DATA, machine  # noqa: E402

from store.catalog.catalog import Catalog  # noqa: E402
from store.index.names import initials_form  # noqa: E402
from store.index.prefix import PrefixIndex  # noqa: E402
from store.index.search_index import (  # noqa: E402
    AUTHOR_INDEX,
    AUTHOR_PREFIX,
    TITLE_INDEX,
    TITLE_PREFIX,
    store_index,
)
from store.index.trigram import TrigramBuild  # noqa: E402
from store.loading.arxiv_jsonl import parse_jsonl  # noqa: E402
from store.loading.fresh import FreshLoad  # noqa: E402
from store.loading.parse import AuthorNumbering, ParsedPapers, parse_papers  # noqa: E402
from store.loading.settings import restore, suspend  # noqa: E402
from store.loading.state import Written  # noqa: E402

T = TypeVar("T")
BATCH = 2000


Row = tuple[str, str, float, float]  # what, kind, wall seconds, CPU seconds


def timed(rows: list[Row], what: str, kind: str, work: Callable[[], T]) -> T:
    """Run ``work``, recording its wall and CPU time.

    CPU time is what the cores must share; wall time also holds waiting for the disk (the
    commit), which SQLite's one writing thread cannot overlap with its own work.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    rows.append((what, kind, time.perf_counter() - wall, time.process_time() - cpu))
    return result


def measure(source: Path, db_path: Path) -> list[Row]:
    rows: list[Row] = []
    loaded_at = "2026-01-01T00:00:00+00:00"
    gc.disable()  # as the loader does (and its worker, forked from it)

    def parse() -> list[ParsedPapers]:
        parsed = []
        with source.open("rb") as handle:
            first = 1
            while lines := list(islice(handle, BATCH)):
                records = parse_jsonl(lines, str(source), first)
                parsed.append(parse_papers(records, str(source), loaded_at))
                first += len(lines)
        return parsed

    # Where each piece runs in a big load: the worker process parses; the writer's process
    # unpickles (in a thread of its own, but holding the GIL), numbers authors and writes.
    parsed = timed(rows, "parse: JSON, fields, titles", "worker", parse)
    pickled = timed(rows, "pickle chunks", "worker", lambda: [pickle.dumps(p, 5) for p in parsed])
    # The writer's process unpickles a chunk, writes it and lets it go: so does this.
    timed(rows, "unpickle chunks", "writer", lambda: [len(pickle.loads(b).rows) for b in pickled])
    pickled.clear()
    numbering = AuthorNumbering(base=1)  # a fresh catalog: author ids are numbers + 1
    chunks = timed(rows, "number authors", "writer", lambda: [numbering.chunk(p) for p in parsed])
    parsed.clear()

    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    catalog = Catalog(db_path)
    db = catalog.db
    db.execute("pragma cache_size = -262144")
    db.execute("pragma journal_mode = delete")
    conn = db.conn
    conn.execute("begin")
    suspended = suspend(db, bulk=True)
    # The loader's own writer, fed the parsed chunks: what the writing thread does, step by step.
    writer = FreshLoad(conn, Written.start(conn))
    timed(rows, "papers rows and full-text entries", "writer", lambda: [writer.write(c) for c in chunks])
    timed(rows, "group each author's papers", "writer", lambda: writer.grouped)
    texts = timed(rows, "order titles and authors for the indexes", "writer", writer.search_texts)
    assert texts is not None
    timed(rows, "authors rows", "writer", writer.write_authors)
    timed(rows, "secondary indexes, triggers", "writer", lambda: restore(db, suspended))

    def indexes() -> list[tuple[str, TrigramBuild | PrefixIndex]]:
        title_ids, title_texts, author_ids, author_keys = texts
        return [
            (TITLE_INDEX, TrigramBuild.of(title_ids, title_texts)),
            (AUTHOR_INDEX, TrigramBuild.of(author_ids, [f"{k} {initials_form(k)}" for k in author_keys])),
            (TITLE_PREFIX, PrefixIndex.for_titles(title_ids, title_texts)),
            (AUTHOR_PREFIX, PrefixIndex.for_authors(author_ids, author_keys)),
        ]

    built = timed(rows, "search indexes (trigram, prefix)", "index", indexes)

    def store_indexes() -> None:
        for name, index in built:
            store_index(db, name, index.pieces())

    timed(rows, "store the search indexes", "writer", store_indexes)
    timed(rows, "commit", "writer", lambda: conn.execute("commit"))
    catalog.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load floors (prints one table).")
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data-dir", type=Path, default=DATA)
    args = parser.parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    source = args.data_dir / f"papers-{args.papers}-seed{args.seed}.jsonl"
    if not source.exists():
        print(f"generating {source} …", file=sys.stderr)
        generate.write(source, args.papers, args.seed)
    rows = measure(source, args.data_dir / f"floors-{args.papers}-seed{args.seed}.db")

    n = args.papers
    writer_s = sum(wall for _, kind, wall, _ in rows if kind == "writer")
    total_s = sum(cpu for _, _, _, cpu in rows)
    width = max(len(row[0]) for row in rows)
    print(f"\n{n:,} papers · {machine()}\n")
    print(f"| {'piece'.ljust(width)} | kind | wall s | CPU s | CPU µs/paper |")
    print(f"|{'-' * (width + 2)}|------|--------|-------|--------------|")
    for what, kind, wall, cpu in rows:
        print(f"| {what.ljust(width)} | {kind} | {wall:.1f} | {cpu:.1f} | {cpu / n * 1e6:.1f} |")
    best = max(writer_s, total_s / args.cores)
    print(f"\nthe writer's process: {writer_s:.1f} s wall · all pieces: {total_s:.1f} CPU-s")
    print(
        f"best possible load on {args.cores} cores: {best:.1f} s = {n / best:,.0f} papers/s "
        "(every piece overlapped perfectly, no waiting)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
