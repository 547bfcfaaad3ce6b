"""``paperbot run`` when Discord's API cannot be used: one line naming the address and the cause.

The bot runs as a real process against local servers that misbehave the ways a wrong
``DISCORD_API_BASE`` or a broken network does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.cli_bot import CONNECT_TIMEOUT
from tests.test_catalog_stress import HOLD_LOCK, ROOT, WAITING, seeded, start, wait_for

__all__ = ["seeded"]  # a fixture used here


def run_bot(db: Path, api_base: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCORD_TOKEN": "not-a-real-token", "DISCORD_API_BASE": api_base}
    env.pop("DEV_GUILD_ID", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class _NotFound(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"message": "404: Not Found", "code": 0}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def not_found() -> Iterator[str]:
    """A web server that answers 404 to everything: DISCORD_API_BASE with a wrong path."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/wrong/api"
    finally:
        server.shutdown()
        server.server_close()


def test_a_wrong_api_path_is_one_line(not_found: str, tmp_path: Path) -> None:
    done = run_bot(tmp_path / "x.db", not_found)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"paperbot: the Discord API at {not_found} answered 404 Not Found to GET /users/@me "
        "(check DISCORD_API_BASE)"
    )


def test_the_log_has_no_colour_codes_off_a_terminal_and_no_voice_warnings(
    not_found: str, tmp_path: Path
) -> None:
    done = run_bot(tmp_path / "x.db", not_found)
    assert "reading search indexes" in done.stderr  # the log is there
    assert "\x1b[" not in done.stderr
    assert "voice will NOT be supported" not in done.stderr


def test_a_server_that_never_answers_times_out(tmp_path: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections complete in the kernel's backlog; nothing ever answers
        base = f"http://127.0.0.1:{silent.getsockname()[1]}/api/v10"
        clock = time.monotonic()
        done = run_bot(tmp_path / "x.db", base)
        elapsed = time.monotonic() - clock
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"paperbot: no answer from the Discord API at {base} within {CONNECT_TIMEOUT:g} s"
    )
    assert elapsed < CONNECT_TIMEOUT + 10


def test_a_refused_connection_names_the_address_and_the_cause(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, not listening: connections are refused
        base = f"http://127.0.0.1:{port}/api/v10"
        done = run_bot(tmp_path / "x.db", base)
    assert done.returncode == 1
    line = done.stderr.splitlines()[-1]
    assert line.startswith(f"paperbot: cannot reach the Discord API at {base} (Cannot connect to host")
    assert "Connect call failed" in line


def test_the_bot_starts_while_a_load_holds_the_catalog(seeded: Path, tmp_path: Path, not_found: str) -> None:
    """It waits for the load instead of calling the catalog unreadable, then goes on."""
    marker = tmp_path / "held"
    holder = start(HOLD_LOCK, str(seeded), str(marker), "delete", "3")
    try:
        wait_for(marker, holder)
        done = run_bot(seeded, not_found)
    finally:
        holder.communicate(timeout=30)
    lines = done.stderr.splitlines()
    assert f"paperbot: {WAITING} {seeded}…" in lines
    assert lines[-1].startswith(f"paperbot: the Discord API at {not_found} answered 404")
