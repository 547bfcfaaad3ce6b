"""The parser process of a big load: it reads and parses the file while the writer writes.

Parsing and normalising is as much work as SQLite's writing, and on two cores the two overlap.
The worker reads the file itself, a chunk per task, rather than being sent its lines through a
pipe. One worker runs the tasks in the order they were submitted, so chunks come in file order.

It must not outlive the load. A worker blocked on its task pipe does not notice its parent
dying (it holds the pipe's other end itself), so a ``kill -9`` of ``paperbot load`` would leave
it running forever, holding the input file and the catalog open. On Linux the kernel kills it
with its parent; elsewhere it checks its parent between chunks.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from store.loading.arxiv_jsonl import parse_jsonl
from store.loading.input import bytes_read, open_binary
from store.loading.parse import ParsedPapers, parse_papers

_PR_SET_PDEATHSIG = 1
IN_FLIGHT = 3  # chunks parsed ahead of the writer


def follow_parent(parent: int) -> None:
    """Set up this worker to end with ``parent`` and to leave Ctrl-C and SIGTERM to it.

    Ctrl-C reaches the whole process group: the parent stops the load and shuts the worker
    down, so the worker itself ignores it rather than printing a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    end_if_orphaned(parent)  # the parent may have died before the line above


def end_if_orphaned(parent: int) -> None:
    """Exit at once if ``parent`` is gone (this process was handed to another parent)."""
    if os.getppid() != parent:
        os._exit(1)


class _FileReader:
    """The worker's side: the open file and the line number its next chunk starts at."""

    def __init__(self, path: str, loaded_at: str, batch_size: int, parent: int) -> None:
        self.source, self.loaded_at, self.batch_size = path, loaded_at, batch_size
        self.parent = parent
        self.handle = open_binary(Path(path))
        self.next_line = 1

    def next_chunk(self) -> ParsedPapers | None:
        """The next chunk, or None at the end of the file."""
        lines = [] if self.handle.closed else list(islice(self.handle, self.batch_size))
        if not lines:
            self.handle.close()
            return None
        first_line, self.next_line = self.next_line, self.next_line + len(lines)
        records = parse_jsonl(lines, self.source, first_line=first_line)
        parsed = parse_papers(records, self.source, self.loaded_at)
        parsed.position = bytes_read(self.handle)
        return parsed


_reader: _FileReader | None = None  # the worker's one reader (one worker process per file)


def _start_worker(path: str, loaded_at: str, batch_size: int, parent: int) -> None:
    global _reader
    follow_parent(parent)
    _reader = _FileReader(path, loaded_at, batch_size, parent)


def _worker_next_chunk() -> ParsedPapers | None:
    if _reader is None:
        raise RuntimeError("the parser process was not started with a file")
    end_if_orphaned(_reader.parent)
    return _reader.next_chunk()


def parallel_jsonl(path: Path, loaded_at: str, batch_size: int) -> Iterator[ParsedPapers]:
    """A JSON Lines file's chunks, parsed in a worker process."""
    # fork, not spawn: spawn re-runs the caller's __main__ in the worker, which breaks any
    # script that loads at top level. The worker never touches the parent's SQLite handles.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=context,
        initializer=_start_worker,
        initargs=(str(path), loaded_at, batch_size, os.getpid()),
    ) as pool:
        pending = deque(pool.submit(_worker_next_chunk) for _ in range(IN_FLIGHT))
        while pending:
            parsed = pending.popleft().result()
            if parsed is None:
                break  # the tasks still pending find the end of the file too
            pending.append(pool.submit(_worker_next_chunk))
            yield parsed
