"""A small run of the lookup benchmark, so the script cannot rot. Timings are printed, not asserted."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_generator_is_deterministic(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    a = generate.write(tmp_path / "a.jsonl", 300, seed=3).read_bytes()
    b = generate.write(tmp_path / "b.jsonl", 300, seed=3).read_bytes()
    assert a == b
    records = [json.loads(line) for line in a.splitlines()]
    assert len(records) == 300 and len({r["id"] for r in records}) == 300
    counts = [len(r["authors"].split(", ")) for r in records]
    assert min(counts) >= 1 and max(counts) <= 30
    names = {n for r in records for n in r["authors"].split(", ")}
    assert any("-" in n for n in names) and any(". " in n for n in names)
    assert any(":" in r["title"] for r in records)


def run_benchmark(script: str, *args: str) -> str:
    """Run a benchmark script as a user would; its table (printed, for the test log)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    print(done.stdout)
    return done.stdout


def test_small_benchmark_run_prints_the_table(tmp_path: Path) -> None:
    stdout = run_benchmark(
        "lookup.py", "--papers", "2000", "--queries", "40", "--baseline", "5", "--data-dir", str(tmp_path)
    )
    for row in (
        "load rate",
        "chat question (answer)",
        "author prefix",
        "uniformity",
        "title autocomplete",
        "author autocomplete",
        "/paper",
        "/author",
        "/search",
        "/random",
        "recall@1",
        "baseline",
        "speed-up",
        "start-up to first answer",
        "peak memory",
        "parser process peak memory",
    ):
        assert row in stdout, row
    assert "papers loaded                         | 2,000 (0 problems)" in stdout


def test_small_load_floors_run_prints_the_table(tmp_path: Path) -> None:
    stdout = run_benchmark("load_floors.py", "--papers", "2000", "--data-dir", str(tmp_path))
    for row in (
        "parse",
        "full-text entries",
        "authors rows",
        "search indexes (trigram, prefix)",
        "commit",
        "best possible load",
    ):
        assert row in stdout, row
    # The catalog it wrote is a real one: every paper went in, with its full-text entry, and
    # papers and authors agree on who wrote what.
    db = sqlite3.connect(tmp_path / "floors-2000-seed0.db")
    assert db.execute("select count(*) from papers").fetchone() == (2000,)
    assert db.execute("select count(*) from papers_fts where papers_fts match 'the'").fetchone()[0] > 0
    by_paper = db.execute(
        "select json_extract(a.value, '$[0]'), p.rowid from papers p, json_each(p.authors) a"
    )
    by_author = db.execute("select a.id, p.value from authors a, json_each(a.papers) p")
    assert set(by_paper) == set(by_author) != set()
    db.close()


def test_a_load_only_run_prints_the_load_rows_alone(tmp_path: Path) -> None:
    stdout = run_benchmark("lookup.py", "--papers", "2000", "--load-only", "--data-dir", str(tmp_path))
    assert "papers loaded                       | 2,000 (0 problems)" in stdout
    assert "loader peak memory" in stdout and "parser process peak memory" in stdout
    assert "recall" not in stdout and "autocomplete" not in stdout
