"""Lookups over the seed catalog: titles, authors, random, full text, stats."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from store.catalog.catalog import Catalog
from store.loading.loader import load_into
from tests.bundled_titles import ADAGCN, MONOFLOW, SPHERICAL, STUNET, YOPO
from tests.contract import AUTHOR_KEYS, PAPER_KEYS


def best_title(catalog: Catalog, query: str) -> str | None:
    found = catalog.find_papers(query, limit=5)
    return found[0].paper.title if found else None


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("MonoFlow", MONOFLOW),
        ("monoflwo", MONOFLOW),  # typo
        ("MONOFLOW RETHINKING", MONOFLOW),  # case
        ("monofl", MONOFLOW),  # partial word
        ("wasserstein gradient flows monoflow", MONOFLOW),  # word order
        ("yopo", YOPO),  # acronym
        ("YOPO", YOPO),
        ("you only propagate", YOPO),
        ("stunet", STUNET),  # compact form
        ("st-unet", STUNET),
        ("adagcn", ADAGCN),
        ("spherical motion dinamics", SPHERICAL),  # typo in a long title with commas
        (
            "Spherical Motion Dynamics: Learning Dynamics of Neural Network with Normalisation, Weight Decay and SGD",
            SPHERICAL,
        ),
        ("reinforced continual learning", "Reinforced Continual Learning"),
        (
            "explainable ai workshop",
            "Proceedings of ICML 2021 Workshop on Theoretic Foundation, Criticism, "
            "and Application Trend of Explainable AI",
        ),
    ],
)
def test_title_lookup(catalog: Catalog, query: str, title: str) -> None:
    assert best_title(catalog, query) == title


def test_title_matches_carry_a_0_to_100_score_best_first(catalog: Catalog) -> None:
    found = catalog.find_papers("adversarial training", limit=10)
    assert len(found) >= 3
    scores = [m.match for m in found]
    assert all(0 <= s <= 100 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert catalog.find_papers("yopo", 1)[0].match == 100


@pytest.mark.parametrize("query", ["qwerty zxcvb", "xyz", "banana bread recipe", "zzzzzzzzzz", "!!!", ""])
def test_poor_title_matches_return_nothing(catalog: Catalog, query: str) -> None:
    assert catalog.find_papers(query) == []


def test_limit_is_respected(catalog: Catalog) -> None:
    assert len(catalog.find_papers("graph", limit=3)) == 3


def best_author(catalog: Catalog, name: str) -> str | None:
    found = catalog.find_authors(name)
    return found[0].name if found else None


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Zhanxing Zhu", "Zhanxing Zhu"),
        ("zhanxing zhu", "Zhanxing Zhu"),  # case
        ("Zhanxin Zhu", "Zhanxing Zhu"),  # typo
        ("Zhanxnig Zhu", "Zhanxing Zhu"),  # transposition
        ("Zhu Zhanxing", "Zhanxing Zhu"),  # reversed order
        ("Zhu, Zhanxing", "Zhanxing Zhu"),
        ("Z. Zhu", "Zhanxing Zhu"),  # initials
        ("Zhu Z.", "Zhanxing Zhu"),
        ("Xiao Yun Zhou", "Xiao-Yun Zhou"),  # hyphen / space variants
        ("Xiaoyun Zhou", "Xiao-Yun Zhou"),
        ("wei wei tu", "Wei-Wei Tu"),
        ("E. S. L. Ho", "Edmond S. L. Ho"),
        ("Edmond Ho", "Edmond S. L. Ho"),
        ("Hubert Shum", "Hubert P. H. Shum"),
    ],
)
def test_author_lookup(catalog: Catalog, query: str, name: str) -> None:
    assert best_author(catalog, query) == name


def test_accents_do_not_matter(catalog: Catalog, tmp_path: Path) -> None:
    extra = tmp_path / "extra.txt"
    extra.write_text("LGJun 2, 2021\nStatistik für MaschinenJürgen Müller, Ann Lee\nA.\n", encoding="utf-8")
    load_into(catalog, [extra])
    assert best_author(catalog, "Jurgen Muller") == "Jürgen Müller"
    assert best_author(catalog, "jürgen müller") == "Jürgen Müller"
    assert best_author(catalog, "Muller Jurgen") == "Jürgen Müller"


def test_ambiguous_name_returns_the_candidates(catalog: Catalog) -> None:
    found = catalog.find_authors("Zhang", limit=20)
    names = [a.name for a in found]
    zhangs = [n for n in names if n.endswith(" Zhang")]
    assert len(zhangs) == 10
    assert names[: len(zhangs)] == zhangs  # exact surname matches before near ones (Zhuang)
    # equally good matches: the more prolific first
    assert names[0] == "Dinghuai Zhang"
    counts = [a.paper_count for a in found[: len(zhangs)]]
    assert counts == sorted(counts, reverse=True)


def test_unknown_author_returns_nothing(catalog: Catalog) -> None:
    assert catalog.find_authors("Nobody Atall") == []
    assert catalog.find_authors("   ") == []


def test_author_profile(catalog: Catalog) -> None:
    match = catalog.find_authors("Zhanxing Zhu")[0]
    profile = catalog.author_profile(match.id, match=match.match)
    assert profile is not None
    assert profile.paper_count == 21 == len(profile.papers)
    dates = [p.published for p in profile.papers]
    assert dates == sorted(dates, reverse=True)
    assert profile.papers[0].title.startswith("ViTE")
    assert profile.years == (2018, 2025)
    assert profile.categories == {"cs.LG": 15, "stat.ML": 4, "cs.AI": 1, "eess.IV": 1}
    assert [(c.name, c.count) for c in profile.coauthors[:2]] == [("Ke Sun", 4), ("Zhouchen Lin", 4)]
    assert list(profile.to_dict()) == AUTHOR_KEYS


def test_author_profile_paper_limit(catalog: Catalog) -> None:
    match = catalog.find_authors("Zhanxing Zhu")[0]
    profile = catalog.author_profile(match.id, paper_limit=5)
    assert profile is not None and len(profile.papers) == 5 and profile.paper_count == 21


def test_random_respects_filters_and_exclusions(catalog: Catalog) -> None:
    rng = random.Random(7)
    seen = {catalog.random_paper(rng=rng).id for _ in range(200)}  # type: ignore[union-attr]
    assert len(seen) > 30  # it really is random over the catalog
    for _ in range(20):
        paper = catalog.random_paper(category="ML", year_from=2019, year_to=2020, rng=rng)
        assert paper is not None
        assert paper.category == "stat.ML" and 2019 <= paper.year <= 2020
    graphics = catalog.random_paper(category="cs.GR", rng=rng)
    assert graphics is not None and graphics.category == "cs.GR"
    ml = {p.id for p in (catalog.random_paper(category="stat.ML", rng=rng) for _ in range(100)) if p}
    assert len(ml) == 7
    keep = sorted(ml)[0]
    for _ in range(20):
        assert catalog.random_paper(category="stat.ML", exclude=ml - {keep}, rng=rng).id == keep  # type: ignore[union-attr]
    assert catalog.random_paper(category="stat.ML", exclude=ml, rng=rng) is None
    assert catalog.random_paper(category="cs.XX", rng=rng) is None
    assert catalog.random_paper(year_from=2030, rng=rng) is None


def test_random_on_empty_catalog(empty_catalog: Catalog) -> None:
    assert empty_catalog.random_paper() is None


def test_search_ranks_title_hits_first(catalog: Catalog) -> None:
    found = catalog.search("graph convolutional", limit=5)
    assert found and "Graph Convolutional" in found[0].paper.title
    assert found[0].match == 100
    assert [m.match for m in found] == sorted((m.match for m in found), reverse=True)


def test_search_finds_words_in_abstracts(catalog: Catalog) -> None:
    found = catalog.search("Pontryagin")
    assert [m.paper.title for m in found] == [
        "You Only Propagate Once: Accelerating Adversarial Training via Maximal Principle"
    ]


def test_search_paginates(catalog: Catalog) -> None:
    first = catalog.search("adversarial", limit=3)
    second = catalog.search("adversarial", limit=3, offset=3)
    assert len(first) == len(second) == 3
    assert not {m.paper.id for m in first} & {m.paper.id for m in second}


def found_ids(matches: list) -> list[str]:
    return sorted(m.paper.id for m in matches)


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("graph*", "graph"),
        ("-graph", "graph"),
        ("^graph", "graph"),
        ("(graph", "graph"),
        ("{graph}", "graph"),
        ('"graph" "', "graph"),
        # FTS5 operators are upper case only: the lower-case words are plain words
        ("graph AND", "graph and"),
        ("a OR", "a or"),
        ("NOT", "not"),
        ("NEAR(graph", "near(graph"),
    ],
)
def test_search_treats_fts_syntax_as_text(catalog: Catalog, text: str, literal: str) -> None:
    expected = found_ids(catalog.search(literal, limit=50))
    assert expected
    assert found_ids(catalog.search(text, limit=50)) == expected


def test_a_star_is_not_a_prefix_query(catalog: Catalog) -> None:
    as_prefix = {
        r[0] for r in catalog.db.execute("select rowid from papers_fts where papers_fts match 'graph*'")
    }
    found = found_ids(catalog.search("graph*", limit=50))
    assert len(found) < len(as_prefix)  # a prefix query would also find "graphics"
    assert found == found_ids(catalog.search("graph", limit=50))


@pytest.mark.parametrize(("text", "phrase"), [("graph:convolutional", "graph convolutional")])
def test_a_column_filter_is_searched_as_a_phrase(catalog: Catalog, text: str, phrase: str) -> None:
    holding = {
        r[0]
        for r in catalog.db.execute(
            "select id from papers where rowid in (select rowid from papers_fts where papers_fts match ?)",
            [f'"{phrase}"'],
        )
    }
    found = found_ids(catalog.search(text, limit=50))
    assert found and set(found) <= holding


@pytest.mark.parametrize("text", ['"', "'", "{x}", "title:x"])
def test_fts_syntax_without_words_in_the_catalog_finds_nothing(catalog: Catalog, text: str) -> None:
    assert catalog.search(text) == []


def test_search_with_no_match(catalog: Catalog) -> None:
    assert catalog.search("xylophone quokka") == []
    assert catalog.search("") == []


def test_search_falls_back_to_most_words(catalog: Catalog) -> None:
    found = catalog.search("pontryagin xylophone maximal")
    assert found and found[0].paper.title.startswith("You Only Propagate Once")
    assert found[0].match < 100


def test_stats(catalog: Catalog) -> None:
    stats = catalog.stats().to_dict()
    assert stats["papers"] == 50
    assert stats["categories"] == {
        "cs.LG": 36,
        "stat.ML": 7,
        "cs.AI": 3,
        "cs.CV": 2,
        "cs.GR": 1,
        "eess.IV": 1,
    }
    assert stats["years"]["2019"] == 17 and sum(stats["years"].values()) == 50


def test_seed_summaries_are_short_sentences(catalog: Catalog) -> None:
    for paper in (catalog.paper(pid) for (pid,) in catalog.db.execute("select id from papers")):
        assert paper is not None
        summary = paper.summary
        assert 0 < len(summary) <= 300
        assert summary.endswith((".", "…", "?", "!"))
        assert "$" not in summary and "\\textbf" not in summary


def test_paper_json_shape(catalog: Catalog) -> None:
    found = catalog.find_papers("yopo", 1)[0]
    data = found.to_dict()
    assert list(data) == [*PAPER_KEYS, "match"]
    assert data["published"] == "2019-05-02" and data["category"] == "stat.ML"
    assert data["code_url"] == "https://github.com/a1600012888/YOPO-You-Only-Propagate-Once"


def test_index_follows_loads_by_another_connection(catalog: Catalog, tmp_path: Path) -> None:
    assert catalog.find_papers("quokka xylophone networks") == []
    other = Catalog(catalog.path)
    extra = tmp_path / "extra.txt"
    extra.write_text("LGJun 2, 2021\nQuokka Xylophone NetworksAnn Lee\nA.\n", encoding="utf-8")
    load_into(other, [extra], today=date(2026, 11, 25))
    other.close()
    assert best_title(catalog, "quokka xylophone networks") == "Quokka Xylophone Networks"


def test_author_profile_pages(catalog: Catalog) -> None:
    match = catalog.find_authors("Zhanxing Zhu")[0]
    everything = catalog.author_profile(match.id)
    assert everything is not None
    pages = [catalog.author_profile(match.id, paper_limit=5, paper_offset=o) for o in range(0, 25, 5)]
    assert [p.id for page in pages if page for p in page.papers] == [p.id for p in everything.papers]


def test_a_paper_id_finds_exactly_that_paper(catalog: Catalog) -> None:
    yopo = catalog.find_papers("yopo", 1)[0].paper
    assert [(m.paper.id, m.match) for m in catalog.find_papers(yopo.id)] == [(yopo.id, 100.0)]
