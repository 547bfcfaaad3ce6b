"""Lookups as people type them: prefixes from the first letter, short words, method names."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.catalog import schema
from store.catalog.catalog import Catalog
from store.index.method_names import display_name, method_names, other_names
from store.index.prefix import WIDTH, PrefixIndex
from store.text import fold, title_aliases

MAVEN = "MAVEN: A Mesh-Aware Volumetric Encoding Network for Simulating 3D Flexible Deformation"
FG2U = "Memory-Efficient Gradient Unrolling for Large-Scale Bi-level Optimization"


def titles(catalog: Catalog, query: str, limit: int = 5) -> list[str]:
    return [m.paper.title for m in catalog.find_papers(query, limit)]


def names(catalog: Catalog, typed: str, limit: int = 5) -> list[str]:
    return [a.name for a in catalog.find_authors(typed, limit, complete=True)]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("maven mesh", MAVEN),
        (
            "yopo adversarial",
            "You Only Propagate Once: Accelerating Adversarial Training via Maximal Principle",
        ),
        ("GAN", "Enhancing the Robustness of Deep Neural Networks by Boundary Conditional GAN"),
        ("SGD", "On the Noisy Gradient Descent that Generalizes as SGD"),
        ("RL", "Transformers with RL or SFT Provably Learn Sparse Boolean Functions, But Differently"),
        ("fg2u", FG2U),
        ("FG²U", FG2U),
        ("stfgnn", "Spatial-Temporal Fusion Graph Neural Networks for Traffic Flow Forecasting"),
    ],
)
def test_the_issues_examples_find_their_paper(catalog: Catalog, query: str, title: str) -> None:
    assert title in titles(catalog, query)


@pytest.mark.parametrize("query", ["the", "of", "on the", "a"])
def test_stop_words_alone_match_nothing(catalog: Catalog, query: str) -> None:
    assert catalog.find_papers(query) == []


def test_a_short_word_is_a_whole_word_not_part_of_one(catalog: Catalog) -> None:
    # "sft" is a word of one title; "ft" is part of words only ("shift", "sft").
    assert titles(catalog, "ft") == []


def test_titles_complete_from_the_first_letter(catalog: Catalog) -> None:
    first = [m.paper.title for m in catalog.find_papers("m", 25, complete=True)]
    assert first and all(fold(t).startswith("m") for t in first)
    assert next(m.paper.title for m in catalog.find_papers("the", 3, complete=True)).startswith(
        "The Anisotropic"
    )


def test_authors_complete_from_the_first_letter_by_paper_count(catalog: Catalog) -> None:
    found = catalog.find_authors("z", 25, complete=True)
    assert found[0].name == "Zhanxing Zhu"
    as_written = [a for a in found if fold(a.name).startswith("z")]
    assert as_written == found[: len(as_written)]  # names as written before surnames
    counts = [a.paper_count for a in as_written]
    assert counts == sorted(counts, reverse=True)
    assert names(catalog, "Müller") == names(catalog, "muller")
    assert "Xiao-Yun Zhou" in names(catalog, "xiao-y") and "Xiao-Yun Zhou" in names(catalog, "zhou xiaoy")
    # Not a prefix of anyone: the typo-tolerant lookup still answers.
    assert names(catalog, "Zhanxng Zhu")[0] == "Zhanxing Zhu"


def test_a_prefix_longer_than_the_stored_width_is_checked_in_full(tmp_path: Path) -> None:
    index = PrefixIndex.for_authors([10, 11], ["abcdefghij klmnopqrstu vwx", "abcdefghij klmnopqrstu"])
    typed = "abcdefghij klmnopqrstu vw"
    assert len(typed) > WIDTH
    assert set(index.lookup(typed, 5).tolist()) == {10, 11}  # the caller checks the full text
    again = PrefixIndex.from_bytes(bytes(index.to_bytes()))
    assert again.lookup("vwx a", 5).tolist() == [10]
    assert again.lookup("a", 5).tolist() == [10, 11]
    assert again.lookup("a k v", 5).tolist() == [10]  # initials form
    assert again.lookup("klm", 5).tolist() == [10, 11]  # surname first


def test_method_names_are_read_from_the_abstract() -> None:
    assert display_name(r"$(\textbf{FG})^2\textbf{U}$") == "FG²U"
    abstract = (
        r"In this paper, we introduce $\textbf{F}$orward $\textbf{G}$radient $\textbf{U}$nrolling, "
        r"abbreviated as $(\textbf{FG})^2\textbf{U}$, which achieves a lot. Code: https://github.com/x/FG2U"
    )
    assert method_names(abstract, "https://github.com/x/FG2U") == ("FG²U",)
    assert method_names("We propose ViTE (Virtual graph Trajectory Expert router), a novel framework.") == (
        "ViTE",
    )
    assert method_names("our paper proposes Spatial-Temporal Fusion Graph Neural Networks (STFGNN) for") == (
        "STFGNN",
    )
    # Plurals of common terms and capitalised phrases are not names.
    assert (
        method_names("We propose a model called Multi-Stage Self-Supervised training for LLMs (LLMs).") == ()
    )
    # A name that is the title's own is not shown again as "a.k.a.".
    assert other_names("ViTE: Virtual Graph", "We propose ViTE (Virtual graph), a model.", None) == []


def test_a_catalog_from_before_method_names_is_upgraded(catalog: Catalog, tmp_path: Path) -> None:
    """Aliases without method names and no prefix indexes, as the schema before wrote them."""
    path = catalog.path
    db = catalog.db
    for rowid, title, title_norm in db.execute("select rowid, title, title_norm from papers").fetchall():
        db.execute(
            "update papers set aliases = ? where rowid = ?",
            [" ".join(title_aliases(title, title_norm)), rowid],
        )
    db.execute("delete from search_index where name like '%starts'")
    schema.set_meta(db, schema.SCHEMA_VERSION_KEY, str(schema.MIGRATIONS.index(schema._method_names)))
    db.conn.commit()
    catalog.close()

    upgraded = Catalog(path)
    assert schema.current_version(upgraded.db) == len(schema.MIGRATIONS)
    assert titles(upgraded, "fg2u") == [FG2U]
    assert names(upgraded, "zh")[0] == "Zhanxing Zhu"
    triggers = "select name from sqlite_master where type = 'trigger' and tbl_name = 'papers'"
    assert {r[0] for r in upgraded.db.execute(triggers)} == {"papers_ai", "papers_ad", "papers_au"}
    assert (
        next(m.paper.title for m in upgraded.search("unbiased stochastic approximation meta gradient"))
        == FG2U
    )
    upgraded.close()


def test_search_falls_back_only_on_meaningful_words(catalog: Catalog) -> None:
    assert catalog.search("zzzqqq t") == []
    assert catalog.search("zzzqqq the of") == []
    assert catalog.search("the") != []  # all words present: an ordinary search
    found = catalog.search("pontryagin xylophone maximal")
    assert found and found[0].paper.title.startswith("You Only Propagate Once")
