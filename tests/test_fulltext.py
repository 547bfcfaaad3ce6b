"""Full-text ranking when query words are common (store/index/fulltext.py), on a real catalog file.

The catalog is small, so the thresholds are lowered to make its frequent words "common" the
way "model" or "the" are at a million papers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.catalog.catalog import Catalog
from store.catalog.models import PaperMatch
from store.index import fulltext
from store.loading.loader import load_into

N = 400
RARE = range(100, 109)  # "zeta" is in their abstracts; the newest of them (108) lacks "beta"


def _title(i: int) -> str:
    return f"Paper {i}" + (" Alpha Beta" if i % 10 == 0 else " Alpha" if i % 10 == 5 else "")


def _abstract(i: int) -> str:
    words = ["alpha", "filler"]
    if i % 4:
        words.append("beta")
    if i in RARE:
        words += ["zeta"] * (1 + i % 3)
    return " ".join(words) + f" number{i}."


def _title_hits(i: int, words: set[str]) -> int:
    return sum(w.lower() in words for w in _title(i).split())


@pytest.fixture
def words_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Catalog:
    path = tmp_path / "papers.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"2101.{i:05d}",
                    "title": _title(i),
                    "authors": "Ada Lovelace",
                    "abstract": _abstract(i),
                    "update_date": "2021-01-05",
                }
            )
            + "\n"
            for i in range(N)
        )
    )
    cat = Catalog(tmp_path / "words.db")
    load_into(cat, [path])
    monkeypatch.setattr(fulltext, "COMMON_PAPERS", 50)
    monkeypatch.setattr(fulltext, "PROBES", 4)
    monkeypatch.setattr(fulltext, "PROBE_SPAN", 40)
    yield cat
    cat.close()


def number(cat: Catalog, rowid: int) -> int:
    return int(cat.db.execute("select id from papers where rowid = ?", [rowid]).fetchone()[0][-5:])


def having(cat: Catalog, *words: str) -> set[int]:
    """Paper numbers holding every word, straight from FTS5."""
    match = " ".join(f'"{w}"' for w in words)
    rows = cat.db.execute("select rowid from papers_fts where papers_fts match ?", [match]).fetchall()
    return {number(cat, r[0]) for r in rows}


def numbers(found: list[PaperMatch]) -> list[int]:
    return [int(m.paper.id[-5:]) for m in found]


def test_terms_in_many_papers_are_common(words_catalog: Catalog) -> None:
    terms = ['"alpha"', '"zeta"', '"betas"', '"xylophone"']
    # alpha: every paper; betas (stemmed to beta): 3 in 4; zeta: 9; xylophone: none.
    assert fulltext.common_terms(words_catalog.db, terms) == ['"alpha"', '"betas"']


def test_a_phrase_with_a_common_word_is_common(words_catalog: Catalog) -> None:
    # "beta zeta" is in only six papers, but matching it reads every "beta" posting.
    assert len(having(words_catalog, "beta zeta")) == 6
    assert fulltext.common_terms(words_catalog.db, ['"beta-zeta"', '"zeta number101"']) == ['"beta-zeta"']
    found = words_catalog.search("beta-zeta", limit=20)
    assert set(numbers(found)) == having(words_catalog, "beta zeta")


def test_a_catalog_below_the_threshold_has_no_common_terms(
    words_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "COMMON_PAPERS", N)
    assert fulltext.common_terms(words_catalog.db, ['"alpha"']) == []
    # ... and is ranked by bm25 over every word, as FTS5 ranks it.
    expected = [
        number(words_catalog, r[0])
        for r in words_catalog.db.execute(
            'select rowid from papers_fts where papers_fts match \'"zeta" "alpha"\''
            " order by bm25(papers_fts, 10.0, 1.0), rowid desc"
        )
    ]
    assert numbers(words_catalog.search("zeta alpha", limit=20)) == expected


def test_rare_and_common_words_return_papers_with_every_word_ranked_by_the_rare_one(
    words_catalog: Catalog,
) -> None:
    found = words_catalog.search("zeta beta alpha", limit=20)
    assert set(numbers(found)) == having(words_catalog, "zeta", "beta", "alpha")
    assert set(numbers(found)) != having(words_catalog, "zeta")  # some zeta papers lack beta
    # bm25 over "zeta" alone: more "zeta" in the same length of abstract ranks higher.
    counts = [_abstract(i).count("zeta") for i in numbers(found)]
    assert counts == sorted(counts, reverse=True)
    assert found[0].match == 100


def test_only_common_words_rank_title_hits_first_then_newest(words_catalog: Catalog) -> None:
    found = words_catalog.search("Alpha beta", limit=50)
    holding = having(words_catalog, "alpha", "beta")
    assert set(numbers(found)) <= holding
    expected = sorted(holding, key=lambda i: (-_title_hits(i, {"alpha", "beta"}), -i))[:50]
    assert numbers(found) == expected
    assert found[0].match == 100
    # 40 papers have both words in the title, the next ones one: scored 2 hits + 1 in 3.
    assert [m.match for m in found[39:41]] == [100, 66.7]
    # Pages continue the same order.
    second = words_catalog.search("Alpha beta", limit=30, offset=50)
    assert numbers(second) == sorted(holding, key=lambda i: (-_title_hits(i, {"alpha", "beta"}), -i))[50:80]


def test_only_common_words_look_at_the_newest_matches(
    words_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "BROAD_WINDOW", 20)
    found = words_catalog.search("alpha", limit=50)
    assert numbers(found) == sorted(range(N - 20, N), key=lambda i: (-_title_hits(i, {"alpha"}), -i))


def test_rare_word_whose_recent_papers_lack_the_common_one_still_finds_older_ones(
    words_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A window of one: the newest "zeta" paper (108) has no "beta", so nothing in the window
    # qualifies; the older papers with both words are returned, newest first.
    monkeypatch.setattr(fulltext, "RANK_WINDOW", 1)
    both = having(words_catalog, "zeta", "beta")
    assert 108 not in both
    found = words_catalog.search("zeta beta", limit=5)
    assert numbers(found) == sorted(both, reverse=True)[:5]


def test_falling_back_to_some_words_uses_rare_ones_first(words_catalog: Catalog) -> None:
    # No paper has "xylophone": papers with half of the words are returned, zeta ones first.
    found = words_catalog.search("zeta xylophone", limit=5)
    assert set(numbers(found)) <= set(RARE) and found
    # A common word and a missing one: the newest papers with the common word.
    found = words_catalog.search("beta xylophone", limit=5)
    assert found and set(numbers(found)) <= having(words_catalog, "beta")


def test_falling_back_never_takes_a_paper_with_fewer_than_half_of_the_words(words_catalog: Catalog) -> None:
    # No paper has "xylophone". The zeta papers with "beta" hold two words of three; papers
    # with "beta" alone hold one, which is not enough however many of them there are.
    found = words_catalog.search("zeta beta xylophone", limit=50)
    assert found
    assert set(numbers(found)) <= having(words_catalog, "zeta", "beta")
    # One word of three, even the rare one, finds nothing.
    assert words_catalog.search("zeta xylophone quokka", limit=5) == []


def test_falling_back_fills_up_with_common_words_after_the_rare_ones(words_catalog: Catalog) -> None:
    # Nine papers have "zeta"; the rest of the page has half of the words, ordered as a query
    # of common words is (title hits, then newest).
    found = words_catalog.search("zeta xylophone beta alpha", limit=20)
    assert set(numbers(found[:9])) == set(RARE)
    rest = having(words_catalog, "alpha", "beta") - set(RARE)
    assert numbers(found[9:]) == sorted(rest, key=lambda i: (-_title_hits(i, {"alpha", "beta"}), -i))[:11]
    assert all(m.match < found[8].match for m in found[9:])
