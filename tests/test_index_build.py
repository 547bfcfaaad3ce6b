"""How a load builds and stores its indexes in bounded memory: in chunks, in batches, in pieces.

Each piece of work done a slice at a time must give exactly what the whole would: these tests
shrink the slices to a few items, so every boundary is crossed many times on small data.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import numpy as np
import pytest

from store.catalog.catalog import Catalog
from store.index import prefix, search_index, trigram
from store.index.names import author_key
from store.index.packed import as_bytes, unpack
from store.index.prefix import WIDTH, PrefixIndex, author_entries
from store.index.search_index import AUTHOR_PREFIX, TITLE_INDEX, read_search_texts
from store.index.trigram import TrigramIndex, query_grams
from store.loading import state as load_state
from store.loading.loader import load_into

WORDS = ["graph", "neural", "net", "ab", "x", "résumé", "数据", "diffusion", "the", "a", "thethe"]


def random_texts(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 9))) for _ in range(count)]


def test_trigram_postings_built_in_chunks_are_each_documents_distinct_trigrams(monkeypatch) -> None:
    monkeypatch.setattr(trigram, "_BUILD_CHUNK", 7)
    texts = random_texts(200)
    ids = [1000 + 3 * n for n in range(len(texts))]
    index = TrigramIndex.build(ids, texts)
    expected: dict[int, list[int]] = {}
    for doc, text in enumerate(texts):
        for gram in query_grams(text).tolist():
            expected.setdefault(gram, []).append(doc)
    for gram in range(trigram.N_GRAMS):
        found = index.postings[index.offsets[gram] : index.offsets[gram + 1]].tolist()
        assert found == expected.get(gram, []), gram
    assert index.ids.tolist() == ids
    # Stored straight from the buffer it was built in: read back, it is the same index.
    again = TrigramIndex.from_bytes(bytes(index.to_bytes()))
    assert np.array_equal(again.offsets, index.offsets)
    assert np.array_equal(again.postings, index.postings)
    assert np.array_equal(again.ids, index.ids)


@pytest.mark.parametrize("size", [4, 40, 1000, trigram.PIECE_BYTES])
def test_a_trigram_index_stored_in_pieces_is_the_index_packed_whole(monkeypatch, size: int) -> None:
    monkeypatch.setattr(trigram, "_BUILD_CHUNK", 9)
    texts = random_texts(150, seed=size)
    build = trigram.TrigramBuild.of(list(range(len(texts))), texts)
    pieces = [bytes(as_bytes(piece)) for piece in build.pieces(size)]
    whole = TrigramIndex.build(list(range(len(texts))), texts)
    assert b"".join(pieces) == bytes(whole.to_bytes())
    if size == 4:
        assert len(pieces) > 100  # a range of grams at a time, many ranges


def test_an_empty_trigram_index_packs_and_reads_back() -> None:
    index = TrigramIndex.build([], [])
    again = TrigramIndex.from_bytes(bytes(index.to_bytes()))
    assert len(again) == 0 and again.postings.size == 0
    assert again.candidates("graph")[0].size == 0


def test_author_prefix_entries_made_in_batches_are_every_way_to_type_each_name(monkeypatch) -> None:
    rng = random.Random(2)
    first = ["zhu", "li", "ann", "o", "jean pierre", "müller", "x"]
    keys = [
        f"{rng.choice(first)} {rng.choice(first)} {rng.choice(['lee', 'wang', 'de la cruz'])}"
        for _ in range(60)
    ]
    ids = list(range(500, 560))
    whole = PrefixIndex.for_authors(ids, keys)
    monkeypatch.setattr(prefix, "_BATCH", 4)
    batched = PrefixIndex.for_authors(ids, keys)
    assert np.array_equal(batched.keys, whole.keys)
    assert np.array_equal(batched.orders, whole.orders)
    expected = sorted(
        (entry.encode()[:WIDTH], rank | (0 if n == 0 else 1 << 31))
        for rank, key in enumerate(keys)
        for n, entry in enumerate(author_entries(key))
    )
    assert list(zip(batched.keys.tolist(), batched.orders.tolist(), strict=True)) == expected


def test_prefix_keys_sort_bytewise_beyond_ascii() -> None:
    texts = ["zeta", "éclair", "a", "ab", "a b", "", "数据 graph", "aa" * WIDTH]
    index = PrefixIndex.for_titles(list(range(len(texts))), texts)
    stored = [t.encode()[:WIDTH] for t in texts]
    assert index.keys.tolist() == sorted(stored)
    again = PrefixIndex.from_bytes(bytes(index.to_bytes()))
    assert again.lookup("é", 5).tolist() == [1]
    assert again.lookup("a", 5).tolist() == [2, 3, 4, 7]  # best ranked first


def _write_catalog_file(path: Path, count: int) -> Path:
    rng = random.Random(3)
    people = [
        f"{rng.choice(['Ann', 'Bo', 'Cy', 'Di'])} {rng.choice(['Lee', 'Chen', 'Wu'])}{n}" for n in range(40)
    ]
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"2101.{i:05d}",
                    "title": f"{' '.join(rng.sample(WORDS, 3))} study {i}",
                    "authors": ", ".join(rng.sample(people, rng.randint(1, 4))),
                    "abstract": "About indexes.",
                    "update_date": f"202{rng.randint(0, 5)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                }
            )
            + "\n"
            for i in range(count)
        ),
        encoding="utf-8",
    )
    return path


def _tables(catalog: Catalog) -> list[tuple[object, ...]]:
    db = catalog.db
    return [
        *db.execute("select id, key, name, paper_count, papers from authors order by id").fetchall(),
        *db.execute("select name, group_concat(hex(data), '') from search_index group by name order by name"),
    ]


def test_a_load_in_small_batches_and_pieces_stores_what_one_in_large_ones_does(
    monkeypatch, tmp_path: Path
) -> None:
    source = _write_catalog_file(tmp_path / "papers.jsonl", 300)
    whole = Catalog(tmp_path / "whole.db")
    load_into(whole, [source])
    monkeypatch.setattr(load_state, "_AUTHORS_PER_UPDATE", 3)
    monkeypatch.setattr(search_index, "_BLOB_CHUNK", 1000)
    monkeypatch.setattr(trigram, "_BUILD_CHUNK", 11)
    monkeypatch.setattr(prefix, "_BATCH", 5)
    pieces = Catalog(tmp_path / "pieces.db")
    load_into(pieces, [source])
    assert _tables(pieces) == _tables(whole)
    chunks = pieces.db.execute("select count(*) from search_index where name = ?", [TITLE_INDEX]).fetchone()[
        0
    ]
    assert chunks > 10  # the title index really was stored in many pieces
    # Its authors are the people of the file, each with all of their papers.
    stored = {key: json.loads(papers) for key, papers in pieces.db.execute("select key, papers from authors")}
    expected: dict[str, set[int]] = {}
    for rowid, authors in pieces.db.execute("select rowid, authors from papers"):
        for _, name in json.loads(authors):
            expected.setdefault(author_key(name), set()).add(rowid)
    assert {key: sorted(rowids) for key, rowids in expected.items()} == stored
    # The catalog answers from the indexes stored in pieces.
    title = pieces.db.execute("select title from papers where id = '2101.00123'").fetchone()[0]
    assert pieces.find_papers(title, 1)[0].paper.id == "2101.00123"
    ids, _, author_ids, keys = read_search_texts(pieces.db)
    assert len(ids) == 300 and len(keys) == len(author_ids) == len(stored)
    whole.close()
    pieces.close()


def test_a_merge_load_updates_authors_across_batches(monkeypatch, tmp_path: Path) -> None:
    source = _write_catalog_file(tmp_path / "papers.jsonl", 120)
    catalog = Catalog(tmp_path / "c.db")
    load_into(catalog, [source])
    monkeypatch.setattr(load_state, "_AUTHORS_PER_UPDATE", 2)
    more = _write_catalog_file(tmp_path / "more.jsonl", 160)  # the same 120 papers, and 40 more
    load_into(catalog, [more])
    for key, count, papers in catalog.db.execute("select key, paper_count, papers from authors"):
        rowids = json.loads(papers)
        assert count == len(rowids) == len(set(rowids)) > 0, key
    links = {
        (author, rowid)
        for rowid, authors in catalog.db.execute("select rowid, authors from papers")
        for author, _ in json.loads(authors)
    }
    assert links == {
        (author, rowid)
        for author, papers in catalog.db.execute("select id, papers from authors")
        for rowid in json.loads(papers)
    }
    catalog.close()


@pytest.mark.parametrize("name", [TITLE_INDEX, AUTHOR_PREFIX])
def test_stored_pieces_join_into_one_readable_index(monkeypatch, tmp_path: Path, name: str) -> None:
    monkeypatch.setattr(search_index, "_BLOB_CHUNK", 64)
    catalog = Catalog(tmp_path / "c.db")
    load_into(catalog, [_write_catalog_file(tmp_path / "p.jsonl", 50)])
    sizes = [n for (n,) in catalog.db.execute("select length(data) from search_index where name = ?", [name])]
    assert len(sizes) > 1 and all(0 < size <= 64 for size in sizes)
    data = b"".join(
        d
        for (d,) in catalog.db.execute("select data from search_index where name = ? order by chunk", [name])
    )
    fmt = trigram.FORMAT if name == TITLE_INDEX else prefix.FORMAT
    assert len(unpack(fmt, data)) == 3
    catalog.close()


def test_a_failure_beside_the_builds_stops_the_ones_not_started(monkeypatch, tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "c.db")
    load_into(catalog, [_write_catalog_file(tmp_path / "p.jsonl", 30)])
    stored = _tables(catalog)
    started: list[str] = []
    slow_prefix = PrefixIndex.for_authors

    def for_authors(ids: np.ndarray, keys: list[str]) -> PrefixIndex:
        started.append("author prefixes")
        time.sleep(0.5)  # still building when the step beside it fails
        return slow_prefix(ids, keys)

    def trigram_build(ids: np.ndarray, texts: list[str]) -> trigram.TrigramBuild:
        started.append("trigrams")
        raise AssertionError("a build after the failure was started")

    def failing_step() -> None:
        raise RuntimeError("the step beside the builds failed")

    monkeypatch.setattr(PrefixIndex, "for_authors", staticmethod(for_authors))
    monkeypatch.setattr(trigram.TrigramBuild, "of", staticmethod(trigram_build))
    with pytest.raises(RuntimeError, match="beside the builds"), catalog.writing() as db:
        search_index.rebuild_search_indexes(db, alongside=[failing_step])
    assert started == ["author prefixes"]
    assert _tables(catalog) == stored  # rolled back with the caller's transaction
    catalog.close()
