"""The parser process of a big load must not outlive the load.

A worker blocked on its task pipe does not notice its parent dying (it holds the pipe's
other end itself), so a ``kill -9`` of ``paperbot load`` would leave it running forever,
holding the input file and the catalog open. On Linux the kernel kills it with its parent;
elsewhere it checks its parent between chunks.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


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
