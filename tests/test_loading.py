"""Loading into a real SQLite file: idempotent, deduplicated, atomic, crash-safe."""

from __future__ import annotations

import gzip
import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from store.catalog.catalog import Catalog
from store.catalog.opening import CatalogError
from store.index.search_index import rebuild_search_indexes
from store.loading import loader
from store.loading.input import LoadError
from store.loading.loader import load_into
from store.loading.merge import MergeLoad
from store.loading.parse import ParsedChunk

TODAY = date(2026, 11, 25)


def counts(cat: Catalog) -> tuple[int, int, int]:
    db = cat.db
    return (
        db.execute("select count(*) from papers").fetchone()[0],
        db.execute("select count(*) from authors").fetchone()[0],
        db.execute("select coalesce(sum(json_array_length(authors)), 0) from papers").fetchone()[0],
    )


def links_of_papers(cat: Catalog) -> set[tuple[int, int]]:
    """(author id, paper rowid) as the papers' rows say."""
    return set(
        cat.db.execute(
            "select json_extract(a.value, '$[0]'), p.rowid from papers p, json_each(p.authors) a"
        ).fetchall()
    )


def links_of_authors(cat: Catalog) -> set[tuple[int, int]]:
    """(author id, paper rowid) as the authors' rows say."""
    return set(cat.db.execute("select a.id, p.value from authors a, json_each(a.papers) p").fetchall())


def assert_counts_consistent(cat: Catalog) -> None:
    """Papers and authors agree on who wrote what; counts match; no author has no paper.

    Each paper's row lists its authors and each author's row its papers: both must hold
    exactly the same links, every listed author and paper must exist, an author's papers are
    distinct and ascending, and the full-text index holds exactly the rows' text (FTS5
    checks it against the table).
    """
    cat.db.execute("insert into papers_fts (papers_fts, rank) values ('integrity-check', 1)")
    assert links_of_papers(cat) == links_of_authors(cat)
    for author_id, count, papers in cat.db.execute("select id, paper_count, papers from authors"):
        rowids = json.loads(papers)
        assert count == len(rowids) > 0, author_id
        assert rowids == sorted(set(rowids)), author_id
    stored = {r[0] for r in cat.db.execute("select rowid from papers")}
    assert {rowid for _, rowid in links_of_authors(cat)} <= stored


def snapshot(cat: Catalog) -> list[tuple]:
    db = cat.db
    return [
        *db.execute("select * from papers order by id").fetchall(),
        *db.execute("select * from authors order by id").fetchall(),
    ]


def listing(*records: tuple[str, str, str]) -> str:
    return "\n".join(f"{h}\n{t}\n{a}" for h, t, a in records) + "\n"


def test_seed_load_counts(catalog: Catalog) -> None:
    papers, authors, links = counts(catalog)
    assert papers == 50
    assert links == 146  # 46 lines name three authors, 4 name two
    # Zhanxing Zhu appears on 21 lines but is one author
    assert catalog.db.execute("select paper_count from authors where key = 'zhanxing zhu'").fetchone() == (
        21,
    )
    assert authors == len({author for author, _ in links_of_papers(catalog)})
    assert_counts_consistent(catalog)


def test_reloading_the_same_file_changes_nothing(catalog: Catalog, seed_path: Path) -> None:
    before = snapshot(catalog)
    report = load_into(catalog, [seed_path], today=TODAY)
    assert report.papers == 50 and report.added == 0 and report.problems == []
    after = snapshot(catalog)
    assert without_timestamps(after) == without_timestamps(before)


def without_timestamps(rows: list[tuple]) -> list[tuple]:
    """Rows minus the load time, which a reload may change."""
    return [tuple(v for v in r if not (isinstance(v, str) and v[:2] == "20" and "T" in v)) for r in rows]


def test_overlapping_file_adds_only_what_is_new(catalog: Catalog, tmp_path: Path) -> None:
    overlap = tmp_path / "overlap.txt"
    overlap.write_text(
        listing(
            (
                "MLFeb 2, 2023",
                "MonoFlow: Rethinking Divergence GANs via the Perspective of Wasserstein "
                "Gradient FlowsMingxuan Yi, Zhanxing Zhu, Song Liu",
                "Updated abstract.",
            ),
            ("CVJan 3, 2024", "A Brand New PaperZhanxing Zhu, Edmond S.L. Ho", "New."),
        ),
        encoding="utf-8",
    )
    report = load_into(catalog, [overlap], today=TODAY)
    assert (report.papers, report.added) == (2, 1)
    papers, _, _ = counts(catalog)
    assert papers == 51
    monoflow = catalog.find_papers("monoflow", 1)[0].paper
    assert monoflow.abstract == "Updated abstract."
    assert [m.paper.id for m in catalog.search("updated abstract")] == [monoflow.id]
    old_words = catalog.db.execute(
        "select p.id from papers_fts join papers p on p.rowid = papers_fts.rowid "
        "where papers_fts match 'conventional paradigm discriminator'"
    ).fetchall()
    assert (monoflow.id,) not in old_words  # the old abstract is gone from the index
    # "Edmond S.L. Ho" is the same person as the seed's "Edmond S. L. Ho"
    assert catalog.db.execute("select count(*) from authors where key = 'edmond s l ho'").fetchone() == (1,)
    assert catalog.db.execute("select paper_count from authors where key = 'edmond s l ho'").fetchone() == (
        2,
    )
    assert catalog.db.execute("select paper_count from authors where key = 'zhanxing zhu'").fetchone() == (
        22,
    )
    # each paper keeps its own spelling of the name
    new = catalog.find_papers("brand new paper", 1)[0].paper
    assert new.authors == ("Zhanxing Zhu", "Edmond S.L. Ho")
    assert_counts_consistent(catalog)


def test_changed_author_list_drops_orphans(catalog: Catalog, tmp_path: Path) -> None:
    changed = tmp_path / "changed.txt"
    changed.write_text(
        listing(("LGMay 31, 2018", "Reinforced Continual LearningJu Xu, Nobody Else", "A.")), encoding="utf-8"
    )
    before = catalog.db.execute("select paper_count from authors where key = 'zhanxing zhu'").fetchone()[0]
    load_into(catalog, [changed], today=TODAY)
    paper = catalog.find_papers("reinforced continual learning", 1)[0].paper
    assert paper.authors == ("Ju Xu", "Nobody Else")
    after = catalog.db.execute("select paper_count from authors where key = 'zhanxing zhu'").fetchone()[0]
    assert after == before - 1
    assert_counts_consistent(catalog)


def test_problems_are_reported_but_good_records_load(empty_catalog: Catalog, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(
        listing(
            ("LGJun 2, 2020", "Good OneAnn Lee", "A."),
            ("nonsense header", "x", "y"),
            ("LGJun 3, 2020", "Good TwoBo Chen", "B."),
        ),
        encoding="utf-8",
    )
    report = load_into(empty_catalog, [bad], today=TODAY)
    assert report.papers == 2
    assert str(report.problems[0]).startswith(f"{bad}:4: ")
    assert counts(empty_catalog)[0] == 2
    row = empty_catalog.db.execute("select papers, problems, format from loads").fetchone()
    assert row == (2, len(report.problems), "listing")


def test_gzipped_jsonl(empty_catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "snap.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(3):
            f.write(
                json.dumps(
                    {
                        "id": f"2101.0000{i}",
                        "title": f"Paper {i}",
                        "authors": "Ann Lee",
                        "update_date": "2021-01-05",
                    }
                )
                + "\n"
            )
    report = load_into(empty_catalog, [path])
    assert report.papers == 3 and counts(empty_catalog)[0] == 3


def test_missing_file_loads_nothing(catalog: Catalog, tmp_path: Path, seed_path: Path) -> None:
    before = snapshot(catalog)
    with pytest.raises(LoadError, match="no such file"):
        load_into(catalog, [seed_path, tmp_path / "missing.txt"])
    assert snapshot(catalog) == before


def test_exception_half_way_leaves_previous_catalog(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    big.write_text(
        listing(*[("LGJun 2, 2020", f"Paper Number {i}Ann Lee, Bo Chen", "A.") for i in range(500)]),
        encoding="utf-8",
    )
    before = snapshot(catalog)
    generation = catalog.db.execute("select value from meta where key = 'generation'").fetchone()
    real_write = MergeLoad.write
    calls = []

    def failing_write(self: MergeLoad, chunk: ParsedChunk) -> None:
        calls.append(len(chunk.rows))
        if len(calls) == 3:
            raise OSError("disk on fire")
        real_write(self, chunk)

    monkeypatch.setattr(MergeLoad, "write", failing_write)
    with pytest.raises(OSError, match="disk on fire"):
        loader.load_files(catalog.db, [big], today=TODAY, batch_size=100)
    assert len(calls) == 3  # two batches had been written before the failure
    assert snapshot(catalog) == before
    assert catalog.db.execute("select value from meta where key = 'generation'").fetchone() == generation
    assert len(catalog.find_papers("monoflow", 1)) == 1


KILLED_LOAD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from store.loading import loader
    from store.catalog.catalog import Catalog
    from store.loading.merge import MergeLoad

    real_write = MergeLoad.write
    def slow_write(self, chunk):
        real_write(self, chunk)
        Path(sys.argv[2]).write_text("written")
        time.sleep(60)
    MergeLoad.write = slow_write
    if sys.argv[4] == "rollback":
        loader._PARALLEL_BYTES = 0  # a "big" bulk load, written with a rollback journal
    loader.load_into(Catalog(sys.argv[1]), [Path(sys.argv[3])])
    """
)


@pytest.mark.parametrize("journal", ["wal", "rollback"])
def test_killed_load_leaves_previous_catalog(catalog: Catalog, tmp_path: Path, journal: str) -> None:
    big = tmp_path / "big.txt"
    abstract = "Long abstract. " * 100  # big enough, against the 50 papers there, to be a bulk load
    big.write_text(
        listing(*[("LGJun 2, 2020", f"Killed Paper {i}Ann Lee", abstract) for i in range(50)]),
        encoding="utf-8",
    )
    before = snapshot(catalog)
    catalog.close()
    marker = tmp_path / "marker"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_LOAD, str(catalog.path), str(marker), str(big), journal],
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert proc.poll() is None, "the loader exited before it wrote a batch"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    hot_journal = catalog.path.with_name(catalog.path.name + "-journal")
    assert hot_journal.exists() == (journal == "rollback")
    reopened = Catalog(catalog.path)
    assert reopened.db.execute("pragma integrity_check").fetchone() == ("ok",)
    assert snapshot(reopened) == before
    reopened.close()


def test_catalog_is_in_wal_mode(catalog: Catalog) -> None:
    assert catalog.db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_a_big_load_uses_a_rollback_journal_only_when_nobody_reads(
    empty_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "_PARALLEL_BYTES", 0)  # every load counts as big
    modes: list[str] = []
    real_load = loader._load

    def spying_load(db, *args):  # type: ignore[no-untyped-def]
        modes.append(db.execute("pragma journal_mode").fetchone()[0])
        return real_load(db, *args)

    monkeypatch.setattr(loader, "_load", spying_load)
    path = tmp_path / "papers.jsonl"
    rows = [{"id": "2101.00001", "title": "Paper 1", "authors": "Ann Lee", "update_date": "2021-01-05"}]
    path.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    load_into(empty_catalog, [path])
    assert modes == ["delete"]
    assert empty_catalog.db.execute("pragma journal_mode").fetchone()[0] == "wal"

    # a reader has the file open (a running bot): the load stays in WAL mode and succeeds
    reader = sqlite3.connect(empty_catalog.path)
    assert reader.execute("select count(*) from papers").fetchone() == (1,)
    second = tmp_path / "more.jsonl"
    second.write_text(
        json.dumps({**rows[0], "id": "2101.99999", "title": "Another"}) + "\n", encoding="utf-8"
    )
    load_into(empty_catalog, [second])
    assert modes == ["delete", "wal"]
    assert reader.execute("select count(*) from papers").fetchone() == (2,)
    reader.close()


def test_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CatalogError, match="not a readable paperbot catalog"):
        Catalog(junk)
    assert junk.read_bytes() == b"this is not sqlite" * 100


def test_directory_is_not_a_catalog(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="directory"):
        Catalog(tmp_path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Catalog(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("update meta set value = '999' where key = 'schema_version'")
    with pytest.raises(CatalogError, match="newer paperbot"):
        Catalog(path)


def test_unreadable_stored_index_is_rebuilt(catalog: Catalog) -> None:
    catalog.db.execute("update search_index set data = x'00ff00'")
    catalog.db.conn.commit()
    fresh = Catalog(catalog.path)
    assert fresh.find_papers("monoflow", 1)[0].paper.title.startswith("MonoFlow")
    assert fresh.db.execute("select count(*) from search_index where data = x'00ff00'").fetchone() == (0,)
    fresh.close()


def test_big_jsonl_is_parsed_in_a_worker_with_exact_line_numbers(
    empty_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "_PARALLEL_BYTES", 0)  # take the worker path for a small file
    path = tmp_path / "many.jsonl"
    lines = [
        json.dumps(
            {
                "id": f"2101.{i:05d}",
                "title": f"Paper {i}",
                "authors": "Ann Lee, Bo Chen",
                "update_date": "2021-01-05",
            }
        )
        for i in range(5000)
    ]
    lines[2500] = "{broken"
    lines[4999] = json.dumps({"id": "x", "authors": "A B", "update_date": "2021-01-05"})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = loader.load_files(empty_catalog.db, [path], batch_size=700)
    assert report.papers == 4998
    assert [(p.line, p.reason.split(":")[0]) for p in report.problems] == [
        (2501, "not valid JSON"),
        (5000, "record has no title"),
    ]
    assert counts(empty_catalog) == (4998, 2, 9996)
    assert_counts_consistent(empty_catalog)


def test_same_paper_in_several_batches_of_one_load(empty_catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "dupes.txt"
    records = [("LGJun 2, 2020", f"Paper {i}Ann Lee, Bo Chen", "A.") for i in range(30)]
    records.append(("LGJun 2, 2020", "Paper 3Ann Lee, Cy Dee", "Second version."))  # in a later batch
    records.append(("LGJun 2, 2020", "Paper 4Solo Person", "Author list changed."))
    path.write_text(listing(*records), encoding="utf-8")
    report = loader.load_files(empty_catalog.db, [path], today=TODAY, batch_size=10)
    assert report.papers == 32 and report.added == 30
    paper = empty_catalog.find_papers("paper 3", 1)[0].paper
    assert paper.authors == ("Ann Lee", "Cy Dee") and paper.abstract == "Second version."
    assert [m.paper.title for m in empty_catalog.search("second version")] == ["Paper 3"]
    assert_counts_consistent(empty_catalog)
    counts_by_name = dict(empty_catalog.db.execute("select name, paper_count from authors"))
    assert counts_by_name == {"Ann Lee": 29, "Bo Chen": 28, "Cy Dee": 1, "Solo Person": 1}


def test_author_dropped_by_a_reload_is_removed(catalog: Catalog, tmp_path: Path) -> None:
    # "Guangda Ji" has one paper; reloading it without him removes him from the catalog
    path = tmp_path / "kd.txt"
    path.write_text(
        listing(
            (
                "LGOct 20, 2020",
                "Knowledge Distillation in Wide Neural Networks: Risk Bound, Data "
                "Efficiency and Imperfect TeacherZhanxing Zhu",
                "A.",
            )
        ),
        encoding="utf-8",
    )
    load_into(catalog, [path], today=TODAY)
    assert catalog.find_authors("Guangda Ji") == []
    assert_counts_consistent(catalog)


def test_a_schema_1_catalog_is_upgraded_in_place(catalog: Catalog, tmp_path: Path) -> None:
    """A file written before author links were keyed by rowid (v2), then packed into the rows
    (v3), opens with every link intact."""
    import sqlite_utils

    from store.catalog import schema

    old_path = tmp_path / "v1.db"
    old = sqlite_utils.Database(old_path)
    old["meta"].create({"key": str, "value": str}, pk="key")
    schema.MIGRATIONS[0](old)
    schema.set_meta(old, schema.SCHEMA_VERSION_KEY, "1")
    src = catalog.db
    columns = [c.name for c in old["papers"].columns]
    old["papers"].insert_all(
        dict(zip(columns, row, strict=True))
        for row in src.execute(f"select {', '.join(columns)} from papers order by rowid")
    )
    old["authors"].insert_all(
        {"id": i, "key": k, "name": n, "paper_count": c}
        for i, k, n, c in src.execute("select id, key, name, paper_count from authors")
    )
    old["paper_authors"].insert_all(
        {"paper_id": pid, "position": position, "author_id": author, "name": name}
        for pid, links in src.execute("select id, authors from papers")
        for position, (author, name) in enumerate(json.loads(links))
    )
    old.conn.commit()
    old.close()

    upgraded = Catalog(old_path)
    assert schema.current_version(upgraded.db) == len(schema.MIGRATIONS)
    structure = "select type, name, tbl_name from sqlite_master where type in ('table', 'index', 'trigger')"
    # The full-text triggers (suspended while the links moved) are back, in both catalogs.
    triggers = "select name from sqlite_master where type = 'trigger' and tbl_name = 'papers'"
    assert {r[0] for r in upgraded.db.execute(triggers)} == {"papers_ai", "papers_ad", "papers_au"}
    assert sorted(upgraded.db.execute(structure).fetchall()) == sorted(
        catalog.db.execute(structure).fetchall()
    )
    assert counts(upgraded) == counts(catalog)
    assert_counts_consistent(upgraded)
    paper_ids = [r[0] for r in catalog.db.execute("select id from papers order by id")]
    assert [upgraded.paper(p) for p in paper_ids] == [catalog.paper(p) for p in paper_ids]
    found = upgraded.find_authors("Zhanxing Zhu", 1)[0]
    assert upgraded.author_profile(found.id, 5, found.match, 0) == catalog.author_profile(
        found.id, 5, found.match, 0
    )
    upgraded.close()


def _jsonl_records(numbers: range, authors_of, abstract: str = "A.") -> str:  # type: ignore[no-untyped-def]
    return "".join(
        json.dumps(
            {
                "id": f"2101.{i:05d}",
                "title": f"Paper {i}",
                "authors": ", ".join(authors_of(i)),
                "abstract": f"{abstract} number{i}",
                "update_date": "2021-01-05",
            }
        )
        + "\n"
        for i in numbers
    )


def _state(cat: Catalog) -> tuple[list[tuple], list[tuple]]:
    """The catalog by names, not ids: papers with their author lists, authors with counts."""
    papers = [
        (p.id, p.title, p.authors, p.abstract)
        for p in (cat.paper(r[0]) for r in cat.db.execute("select id from papers order by id"))
        if p is not None
    ]
    authors = cat.db.execute("select key, name, paper_count from authors order by key").fetchall()
    return papers, authors


@pytest.mark.parametrize("worker", [False, True], ids=["inline", "worker"])
def test_a_catalog_is_the_same_however_its_papers_are_split_into_files_and_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker: bool
) -> None:
    """One file, several files in one load, or several loads: the same catalog.

    The files overlap (papers again, with other authors and abstracts, in a later file and in a
    later chunk of the same file), so every way the writer maps papers and authors is used.
    """
    if worker:
        monkeypatch.setattr(loader, "_PARALLEL_BYTES", 0)

    def first(i: int) -> list[str]:
        return ["Ann Lee", f"Author {i % 7}"] + (["Bo Chen"] if i % 3 == 0 else [])

    def second(i: int) -> list[str]:
        return [f"Author {i % 5}", "Cy Dee"]

    part_a = _jsonl_records(range(0, 60), first)
    part_b = _jsonl_records(range(40, 90), second, "Revised.")  # 40–59 again, changed
    part_c = _jsonl_records(range(10, 15), first, "Third.")  # again, in a later chunk
    files = []
    for name, text in (("a", part_a), ("b", part_b), ("c", part_c)):
        files.append(tmp_path / f"{name}.jsonl")
        files[-1].write_text(text, encoding="utf-8")
    whole = tmp_path / "whole.jsonl"
    whole.write_text(part_a + part_b + part_c, encoding="utf-8")

    results = []
    for way in ("one file", "three files", "three loads"):
        cat = Catalog(tmp_path / f"{way}.db")
        if way == "one file":
            loader.load_files(cat.db, [whole], batch_size=25)
        elif way == "three files":
            loader.load_files(cat.db, files, batch_size=25)
        else:
            for path in files:
                loader.load_files(cat.db, [path], batch_size=25)
        assert_counts_consistent(cat)
        # The trigram indexes a load built (from what it kept, or read back) are the ones the
        # tables give.
        stored = cat.db.execute("select name, chunk, data from search_index order by name, chunk").fetchall()
        with cat.db.atomic():
            rebuild_search_indexes(cat.db)
        assert (
            cat.db.execute("select name, chunk, data from search_index order by name, chunk").fetchall()
            == stored
        )
        results.append(_state(cat))
        cat.close()
    assert results[0] == results[1] == results[2]
    papers, authors = results[0]
    assert len(papers) == 90
    by_id = {p[0]: p for p in papers}
    assert by_id["2101.00045"][2] == ("Author 0", "Cy Dee")
    assert by_id["2101.00012"][3] == "Third. number12"
    assert dict((k, n) for k, _, n in authors)["cy dee"] == 50


def test_a_paper_twice_in_one_chunk_keeps_its_last_version(
    empty_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "_PARALLEL_BYTES", 0)
    path = tmp_path / "twice.jsonl"
    path.write_text(
        _jsonl_records(range(3), lambda i: ["Ann Lee", "Bo Chen"])
        + _jsonl_records(range(1, 2), lambda i: ["Cy Dee"], "Again."),
        encoding="utf-8",
    )
    report = loader.load_files(empty_catalog.db, [path])
    assert report.papers == 3
    paper = empty_catalog.paper("2101.00001")
    assert paper is not None and paper.authors == ("Cy Dee",) and paper.abstract == "Again. number1"
    assert dict(empty_catalog.db.execute("select name, paper_count from authors")) == {
        "Ann Lee": 2,
        "Bo Chen": 2,
        "Cy Dee": 1,
    }
    assert_counts_consistent(empty_catalog)


def test_full_text_settings_of_a_load_do_not_outlive_it(catalog: Catalog, tmp_path: Path) -> None:
    """A load merges full-text segments lazily; afterwards FTS5's defaults apply again."""
    path = tmp_path / "more.jsonl"
    path.write_text(_jsonl_records(range(5), lambda i: ["Ann Lee"]), encoding="utf-8")
    load_into(catalog, [path])
    config = dict(catalog.db.execute("select k, v from papers_fts_config where k != 'version'"))
    assert config == {"automerge": 4, "hashsize": 1024 * 1024}


def _jsonl_gz(path: Path, papers: int) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(papers):
            record = {"id": f"2101.{i:05d}", "title": f"Paper {i} on {i * 7919 % 1000}", "authors": "Ann Lee"}
            f.write(json.dumps({**record, "abstract": f"text {i} " * 20, "update_date": "2021-01-05"}) + "\n")
    return path


@pytest.mark.parametrize("in_worker", [False, True])
def test_truncated_gzip_is_a_load_error_and_changes_nothing(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_worker: bool
) -> None:
    if in_worker:
        monkeypatch.setattr(loader, "_PARALLEL_BYTES", 0)
    whole = _jsonl_gz(tmp_path / "whole.jsonl.gz", 3000).read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])  # a download that stopped part-way
    before = snapshot(catalog)
    with pytest.raises(LoadError, match=r"cut\.jsonl\.gz: cannot be read \(Compressed file ended"):
        loader.load_files(catalog.db, [cut], batch_size=500)
    assert snapshot(catalog) == before


def test_a_gz_that_is_not_gzip_is_a_load_error(catalog: Catalog, tmp_path: Path) -> None:
    fake = tmp_path / "fake.gz"  # no .jsonl/.txt: the format is read from the content
    fake.write_bytes(b"plain text, not gzip")
    before = snapshot(catalog)
    with pytest.raises(LoadError, match=r"fake\.gz: cannot be read \(Not a gzipped file"):
        load_into(catalog, [fake])
    assert snapshot(catalog) == before
