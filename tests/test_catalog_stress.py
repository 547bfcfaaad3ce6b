"""The catalog under stress: loads beside other processes, killed loads, foreign, read-only and
damaged files. Every process here is real (``paperbot`` run as a subprocess) and so is every
lock: another process holds it, as a load or a running bot would."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.catalog.catalog import Catalog
from store.loading.loader import bundled_listing, load_into
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]


def paperbot(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, proc: subprocess.Popen[str], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def jsonl(path: Path, count: int, start: int = 0) -> Path:
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"2101.{i:05d}",
                    "title": f"Stress Paper {i}",
                    "authors": "Ann Lee, Bo Chen",
                    "abstract": "About stress.",
                    "update_date": "2021-01-05",
                }
            )
            + "\n"
            for i in range(start, start + count)
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A catalog file holding the 50 bundled papers, closed (its WAL checkpointed)."""
    path = tmp_path / "seeded.db"
    cat = Catalog(path)
    load_into(cat, [bundled_listing()], today=TODAY)  # not the bootstrap: later loads add to it
    cat.close()
    return path


# --- bug 1: a first load of bad records only ---------------------------------------------------


@pytest.mark.parametrize("fmt", [None, "listing"])
def test_a_first_load_of_only_bad_records_lists_them_and_exits_1(tmp_path: Path, fmt: str | None) -> None:
    bad = tmp_path / "onlybad.jsonl"
    bad.write_text('{"id": "1"}\n{broken\n', encoding="utf-8")
    done = paperbot("load", str(bad), "--db", str(tmp_path / "new.db"), *(["--format", fmt] if fmt else []))
    assert done.returncode == 1, done.stderr
    problems = done.stderr.splitlines()
    assert problems and all(line.startswith(f"{bad}:") for line in problems), done.stderr
    assert "0 papers" in done.stdout


# --- bug 2: a killed load leaves no process behind ---------------------------------------------

SLOW_LOAD = """
import sys, time
from pathlib import Path
from store.loading import loader
from store.loading.fresh import FreshLoad

real_write = FreshLoad.write

def slow_write(self, chunk):
    real_write(self, chunk)
    Path(sys.argv[1]).touch()
    time.sleep(60)

FreshLoad.write = slow_write  # the load goes into a new catalog
loader._PARALLEL_BYTES = 0  # parse in the worker process, as a big load does
from bot.cli import main
main(sys.argv[2:])
"""


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie nobody has reaped yet."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def slow_load(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], list[int]]]:
    """``paperbot load`` stopped after its first chunk, its parser process started."""
    marker = tmp_path / "marker"
    proc = start(
        SLOW_LOAD, str(marker), "load", str(jsonl(tmp_path / "p.jsonl", 5000)), "--db", str(tmp_path / "x.db")
    )
    workers: list[int] = []
    try:
        wait_for(marker, proc)
        workers.extend(children(proc.pid))
        assert workers, "the load has no parser process"
        yield proc, workers
    finally:
        for pid in [proc.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        proc.communicate(timeout=10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_a_load_leaves_no_process_of_it(slow_load: tuple[subprocess.Popen[str], list[int]]) -> None:
    proc, workers = slow_load
    proc.kill()
    deadline = time.monotonic() + 3
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_a_load_like_ctrl_c(slow_load: tuple[subprocess.Popen[str], list[int]]) -> None:
    proc, workers = slow_load
    proc.terminate()
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert err.splitlines()[-1] == "paperbot: interrupted"
    deadline = time.monotonic() + 3
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)


# --- bug 3: commands during a load ------------------------------------------------------------

HOLD_LOCK = """
import sqlite3, sys, time
from pathlib import Path

path, marker, journal, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
conn = sqlite3.connect(path, isolation_level=None)
conn.execute(f"pragma journal_mode = {journal}")
# A big load: a rollback journal and the exclusive lock; beside a bot: WAL and the write lock.
conn.execute("begin exclusive" if journal == "delete" else "begin immediate")
conn.execute("insert into meta (key, value) values ('held', '1')")
Path(marker).touch()
time.sleep(seconds)
conn.execute("commit")
conn.execute("pragma journal_mode = wal")
"""


@pytest.fixture
def held(seeded: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[subprocess.Popen[str]]:
    marker = tmp_path / "held"
    holder = start(HOLD_LOCK, str(seeded), str(marker), request.param, "3")
    try:
        wait_for(marker, holder)
        yield holder
    finally:
        holder.communicate(timeout=30)
    assert holder.returncode == 0


WAITING = "waiting for a load in progress on"


@pytest.mark.parametrize("held", ["delete"], indirect=True)
def test_a_reader_waits_for_a_load_holding_the_file(seeded: Path, held: subprocess.Popen[str]) -> None:
    done = paperbot("stats", "--json", "--db", str(seeded))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["papers"] == 50
    assert done.stderr.splitlines() == [f"paperbot: {WAITING} {seeded}…"]


@pytest.mark.parametrize("held", ["delete"], indirect=True)
def test_a_second_load_waits_for_a_big_load(
    seeded: Path, tmp_path: Path, held: subprocess.Popen[str]
) -> None:
    done = paperbot("load", str(jsonl(tmp_path / "more.jsonl", 3)), "--db", str(seeded))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "loaded 3 papers (3 new) from 1 file; 0 problems"
    assert done.stderr.splitlines() == [f"paperbot: {WAITING} {seeded}…"]


@pytest.mark.parametrize("held", ["wal"], indirect=True)
def test_a_load_beside_a_bot_waits_for_another_load(
    seeded: Path, tmp_path: Path, held: subprocess.Popen[str]
) -> None:
    bot = sqlite3.connect(seeded)  # a running bot has the catalog open throughout, and reads
    assert bot.execute("select count(*) from papers").fetchone() == (50,)
    done = paperbot("load", str(jsonl(tmp_path / "more.jsonl", 3)), "--db", str(seeded))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "loaded 3 papers (3 new) from 1 file; 0 problems"
    assert done.stderr.splitlines() == ["paperbot: waiting for another load to finish…"]
    assert bot.execute("select count(*) from papers").fetchone() == (53,)
    bot.close()


# --- bug 4: somebody else's SQLite file --------------------------------------------------------


def test_a_foreign_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table invoices (id integer primary key, total real)")
        conn.execute("insert into invoices (total) values (9.5)")
    conn.close()
    before = other.read_bytes()
    for command in (["stats"], ["paper", "yopo"], ["load", str(jsonl(tmp_path / "p.jsonl", 2))]):
        done = paperbot(*command, "--db", str(other))
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.splitlines() == [
            f"paperbot: {other} is an SQLite database but not a paperbot catalog (tables: invoices); "
            "paperbot leaves it alone"
        ]
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db", "p.jsonl"]


# --- bug 5: read-only catalogs ---------------------------------------------------------------


RO_MOUNT = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'


@pytest.fixture
def read_only(seeded: Path, tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A catalog in a folder paperbot may not write to, and how to run paperbot on it.

    As root (who may write anywhere), the folder is mounted read-only for the command, in a
    mount namespace of its own; otherwise file and folder permissions forbid writing.
    """
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "catalog.db"
    shutil.copy(seeded, path)
    path.chmod(0o444)
    folder.chmod(0o555)
    prefix = ["unshare", "-m", "sh", "-c", RO_MOUNT, str(folder)] if os.geteuid() == 0 else []
    try:
        yield path, prefix
    finally:
        folder.chmod(0o755)


def paperbot_in(prefix: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_queries_work_on_a_read_only_catalog(read_only: tuple[Path, list[str]]) -> None:
    path, prefix = read_only
    before = path.read_bytes()
    done = paperbot_in(prefix, "paper", "yopo", "--json", "--db", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["title"].startswith("You Only Propagate Once")
    done = paperbot_in(prefix, "author", "Zhu Zhanxing", "--json", "--db", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["paper_count"] == 21
    done = paperbot_in(prefix, "stats", "--json", "--db", str(path))
    assert (done.returncode, json.loads(done.stdout)["papers"], done.stderr) == (0, 50, "")
    assert path.read_bytes() == before


def test_loading_into_a_read_only_catalog_says_so(read_only: tuple[Path, list[str]], tmp_path: Path) -> None:
    path, prefix = read_only
    done = paperbot_in(prefix, "load", str(jsonl(tmp_path / "p.jsonl", 2)), "--db", str(path))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"paperbot: {path} is read-only: nothing can be loaded into it"]


# --- bug 6: damaged files ----------------------------------------------------------------------


def test_a_damaged_catalog_is_one_line_naming_the_file(seeded: Path, tmp_path: Path) -> None:
    with sqlite3.connect(seeded) as conn:
        size = conn.execute("pragma page_size").fetchone()[0]
        pages = [n for (n,) in conn.execute("select pageno from dbstat where name in ('papers', 'authors')")]
    conn.close()
    data = bytearray(seeded.read_bytes())
    for number in pages:  # the rows the commands read; the schema and meta stay whole
        start = (number - 1) * size
        data[start : start + 64] = b"\xa5" * 64
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bytes(data))
    for command in (["paper", "yopo"], ["author", "Zhu Zhanxing"], ["search", "flow"]):
        done = paperbot(*command, "--db", str(damaged))
        assert done.returncode == 1, (command, done.stderr)
        (line,) = done.stderr.splitlines()
        assert line.startswith(f"paperbot: {damaged} is damaged ("), line
        assert line.endswith(f"check it with: sqlite3 {damaged} 'PRAGMA integrity_check'")


# --- bug 7: Ctrl-C after the commit ---------------------------------------------------------------

INTERRUPT_AFTER_COMMIT = """
import sys, time
from pathlib import Path
from store.loading import loader

real_load = loader._load

def committed_then_wait(*args):
    before = real_load(*args)
    Path(sys.argv[1]).touch()
    time.sleep(60)
    return before

loader._load = committed_then_wait
loader._PARALLEL_BYTES = 0  # a big load: written with a rollback journal
from bot.cli import main
main(sys.argv[2:])
"""


def test_ctrl_c_after_the_commit_says_the_papers_were_loaded(seeded: Path, tmp_path: Path) -> None:
    marker = tmp_path / "committed"
    proc = start(
        INTERRUPT_AFTER_COMMIT,
        str(marker),
        "load",
        str(jsonl(tmp_path / "p.jsonl", 200)),
        "--db",
        str(seeded),
    )
    try:
        wait_for(marker, proc)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert err.splitlines()[-1] == "paperbot: interrupted after the load was committed: 200 papers loaded"
    with sqlite3.connect(seeded) as conn:
        assert conn.execute("pragma journal_mode").fetchone() == ("wal",)
        assert conn.execute("select count(*) from papers").fetchone() == (250,)
    conn.close()
