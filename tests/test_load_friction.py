"""Loading as a new user meets it: the bundled listing replaced, papers removed, gzip and stdin."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from store.catalog.catalog import Catalog
from store.catalog.schema import get_meta
from store.index.search_index import AUTHOR_INDEX, TITLE_INDEX, rebuild_search_indexes
from store.loading.loader import BUNDLED_KEY, LoadProgress, load_into
from tests.test_loading import assert_counts_consistent

RECORDS = [
    {"id": "2101.00001", "title": "Graph Networks for Traffic", "authors": "Ann Lee, Bob Ray",
     "abstract": "We forecast traffic with graphs.", "update_date": "2021-01-05"},
    {"id": "2101.00002", "title": "Quokka Sampling Theory", "authors": "Ann Lee",
     "abstract": "Sampling quokkas.", "update_date": "2021-02-05"},
]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def jsonl(records: list[dict[str, object]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def papers(capsys: pytest.CaptureFixture[str], db: str) -> int:
    code, out, _ = run(capsys, "stats", "--db", db, "--json")
    assert code == 0
    return int(json.loads(out)["papers"])


# --- the bundled listing gives way to your own files --------------------------------------------


def test_the_first_load_of_your_own_files_replaces_the_bundled_listing(capsys, tmp_path: Path) -> None:
    db, own = str(tmp_path / "c.db"), tmp_path / "own.jsonl"
    own.write_bytes(jsonl(RECORDS))
    assert papers(capsys, db) == 50  # any command on a new file: the bundled listing
    code, out, err = run(capsys, "load", str(own), "--db", db, "--json")
    assert code == 0
    assert err == "paperbot: replaced the bundled listing (50 papers) with your files\n"
    assert json.loads(out)["replaced_bundled"] == 50
    assert papers(capsys, db) == 2
    more = tmp_path / "more.jsonl"
    more.write_bytes(jsonl([{**RECORDS[0], "id": "2101.00003", "title": "Another One Entirely"}]))
    code, _, err = run(capsys, "load", str(more), "--db", db)
    assert (code, err) == (0, "")  # from now on loads add
    assert papers(capsys, db) == 3
    catalog = Catalog(db)
    try:
        assert get_meta(catalog.db, BUNDLED_KEY) is None
        assert_counts_consistent(catalog)
        assert [m.paper.id for m in catalog.find_papers("Graph Networks for Trafic")][:1] == ["2101.00001"]
        assert catalog.find_papers("You Only Propagate Once") == []
    finally:
        catalog.close()


def test_a_load_that_brings_no_paper_keeps_the_bundled_listing(capsys, tmp_path: Path) -> None:
    db, bad = str(tmp_path / "c.db"), tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1"\n', encoding="utf-8")
    assert papers(capsys, db) == 50
    code, _, err = run(capsys, "load", str(bad), "--db", db)
    assert code == 1
    assert "replaced" not in err and f"{bad}:1: not valid JSON" in err
    assert papers(capsys, db) == 50
    good = tmp_path / "good.jsonl"
    good.write_bytes(jsonl(RECORDS))
    code, _, err = run(capsys, "load", str(good), "--db", db)
    assert code == 0 and "replaced the bundled listing" in err  # still only the bundled listing
    assert papers(capsys, db) == 2


def test_a_catalog_you_filled_is_never_replaced(capsys, tmp_path: Path) -> None:
    db, own = str(tmp_path / "c.db"), tmp_path / "own.jsonl"
    own.write_bytes(jsonl(RECORDS[:1]))
    assert run(capsys, "load", str(own), "--db", db)[0] == 0  # no bundled listing first
    own.write_bytes(jsonl(RECORDS[1:]))
    code, _, err = run(capsys, "load", str(own), "--db", db)
    assert (code, err) == (0, "")
    assert papers(capsys, db) == 2


# --- remove ---------------------------------------------------------------------------------------


def test_remove_keeps_authors_full_text_and_indexes_consistent(catalog: Catalog) -> None:
    # A paper whose authors include one with several papers and one with only this paper.
    rows = catalog.db.execute("select id, authors, title from papers").fetchall()
    counts = dict(catalog.db.execute("select id, paper_count from authors").fetchall())
    paper_id, links, title = next(
        (pid, json.loads(links), title)
        for pid, links, title in rows
        if any(counts[a] > 1 for a, _ in json.loads(links))
        and any(counts[a] == 1 for a, _ in json.loads(links))
    )
    shared = next(a for a, _ in links if counts[a] > 1)
    lonely = next(a for a, _ in links if counts[a] == 1)
    generation = get_meta(catalog.db, "generation")
    report = catalog.remove([paper_id, "no-such-id", paper_id])
    assert (report.removed, report.missing) == ([paper_id], ["no-such-id"])
    assert catalog.paper(paper_id) is None
    assert catalog.db.execute("select paper_count from authors where id = ?", [shared]).fetchone()[0] == (
        counts[shared] - 1
    )
    assert catalog.db.execute("select count(*) from authors where id = ?", [lonely]).fetchone()[0] == 0
    assert_counts_consistent(catalog)  # also FTS5's own integrity check
    assert get_meta(catalog.db, "generation") != generation
    assert paper_id not in [m.paper.id for m in catalog.find_papers(title)]
    assert paper_id not in [m.paper.id for m in catalog.search(title)]
    assert catalog.stats().papers == 49
    assert stored_indexes(catalog) == rebuilt_indexes(catalog)


def stored_indexes(catalog: Catalog) -> list[str]:
    return [
        catalog.db.execute(
            "select group_concat(hex(data), '') from search_index where name = ?", [name]
        ).fetchone()[0]
        for name in (TITLE_INDEX, AUTHOR_INDEX)
    ]


def rebuilt_indexes(catalog: Catalog) -> list[str]:
    with catalog.writing() as db:
        rebuild_search_indexes(db)
    return stored_indexes(catalog)


def test_remove_on_the_command_line(capsys, tmp_path: Path) -> None:
    db, own = str(tmp_path / "c.db"), tmp_path / "own.jsonl"
    own.write_bytes(jsonl(RECORDS))
    assert run(capsys, "load", str(own), "--db", db)[0] == 0
    code, out, err = run(capsys, "remove", "2101.00001", "--db", db, "--json")
    assert (code, json.loads(out), err) == (0, {"removed": ["2101.00001"], "missing": []}, "")
    code, out, err = run(capsys, "remove", "2101.00002", "2101.00001", "--db", db)
    assert (code, out) == (1, "removed 1 paper\n")
    assert err == "paperbot: no paper with id '2101.00001'\n"
    code, out, _ = run(capsys, "remove", "x", "--db", db, "--json")
    assert (code, json.loads(out)) == (1, {"removed": [], "missing": ["x"]})


# --- gzip by its bytes, standard input ---------------------------------------------------------


def test_gzip_is_recognised_by_its_magic_bytes(tmp_path: Path) -> None:
    misnamed = tmp_path / "papers.jsonl"  # gzipped, though its name does not say so
    misnamed.write_bytes(gzip.compress(jsonl(RECORDS)))
    catalog = Catalog(tmp_path / "c.db")
    try:
        report = load_into(catalog, [misnamed])
        assert (report.papers, report.problems) == (2, [])
    finally:
        catalog.close()


@pytest.mark.parametrize("compress", [False, True])
def test_load_dash_reads_standard_input(capsys, monkeypatch, tmp_path: Path, compress: bool) -> None:
    data = jsonl(RECORDS) + b'{"id": "bad"\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(gzip.compress(data) if compress else data)))
    db = str(tmp_path / "c.db")
    code, out, err = run(capsys, "load", "-", "--db", db, "--json")
    assert code == 1
    assert json.loads(out)["papers"] == 2
    assert err == "<stdin>:3: not valid JSON: the line ends before its JSON does (a cut-off line?)\n"


def test_load_dash_detects_a_listing_on_a_real_pipe(seed_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "load", "-", "--db", str(db), "--json"],
        input=gzip.compress(seed_path.read_bytes()),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["papers"] == 50
    assert done.stderr == b""  # not a terminal: no progress line


# --- progress -----------------------------------------------------------------------------------


def test_a_load_reports_its_progress_to_the_end(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    records = [{**RECORDS[0], "id": f"2101.{i:05d}", "title": f"Paper number {i}"} for i in range(5000)]
    big.write_bytes(jsonl(records))
    seen: list[LoadProgress] = []
    catalog = Catalog(tmp_path / "c.db")
    try:
        load_into(catalog, [big], progress=seen.append)
    finally:
        catalog.close()
    reading = [p for p in seen if p.phase == "reading"]
    assert [p.papers for p in reading] == [2000, 4000, 5000]
    assert all(p.total_bytes == big.stat().st_size for p in seen)
    done = [p.done_bytes for p in reading]
    assert done == sorted(done) and done[-1] == big.stat().st_size and done[0] < done[-1]
    assert seen[-1] == LoadProgress("indexing", 5000, big.stat().st_size, big.stat().st_size)
