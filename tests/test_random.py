"""A fair random paper: uniform among the papers matching the filters, on a skewed catalog."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from store.catalog.catalog import Catalog
from store.loading.loader import load_into

DRAWS = 4000


def _paper(number: int, category: str, year: int) -> dict[str, object]:
    return {
        "id": f"2101.{number:05d}",
        "title": f"Paper number {number}",
        "authors": "Ada Lovelace",
        "abstract": "Words.",
        "categories": category,
        "update_date": f"{year}-03-01",
    }


@pytest.fixture
def skewed(tmp_path: Path) -> Catalog:
    """Long runs of cs.LG with a few cs.AI papers between them (one after each run), years
    clustered: 2019 for almost everything, a handful of 2021 papers at the very end."""
    papers, number = [], 0
    for run in (300, 5, 120, 40, 1, 200, 2, 60, 9, 150):
        for _ in range(run):
            papers.append(_paper(number, "cs.LG", 2019))
            number += 1
        papers.append(_paper(number, "cs.AI", 2019 if number % 3 else 2020))
        number += 1
    for _ in range(20):
        papers.append(_paper(number, "cs.CV", 2021))
        number += 1
    path = tmp_path / "skewed.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in papers) + "\n")
    catalog = Catalog(tmp_path / "skewed.db")
    load_into(catalog, [path])
    yield catalog
    catalog.close()


def chi_square(counts: Counter[str], population: list[str], draws: int) -> float:
    expected = draws / len(population)
    return sum((counts[p] - expected) ** 2 / expected for p in population)


def ids(catalog: Catalog, where: str) -> list[str]:
    return [r[0] for r in catalog.db.execute(f"select id from papers where {where}")]


def test_a_category_after_long_runs_is_drawn_uniformly(skewed: Catalog) -> None:
    rng = random.Random(16)
    population = ids(skewed, "category = 'cs.AI'")
    assert len(population) == 10
    counts = Counter(skewed.random_paper(category="AI", rng=rng).id for _ in range(DRAWS))  # type: ignore[union-attr]
    assert set(counts) == set(population)
    assert (
        chi_square(counts, population, DRAWS) < 27.88
    )  # 9 degrees of freedom, p = 0.001: a fair draw fails once in 1,000 seeds


def test_years_clustered_at_the_end_are_drawn_uniformly(skewed: Catalog) -> None:
    rng = random.Random(7)
    population = ids(skewed, "year >= 2020")
    assert len(population) == 24  # 20 of cs.CV, 4 of cs.AI
    counts = Counter(skewed.random_paper(year_from=2020, rng=rng).id for _ in range(DRAWS))  # type: ignore[union-attr]
    assert set(counts) == set(population)
    assert chi_square(counts, population, DRAWS) < 49.73  # 23 degrees of freedom, p = 0.001
    only_2021 = {skewed.random_paper(year_from=2021, year_to=2021, rng=rng).category for _ in range(50)}  # type: ignore[union-attr]
    assert only_2021 == {"cs.CV"}


def test_every_paper_equally_likely_without_filters(skewed: Catalog) -> None:
    rng = random.Random(3)
    draws = 20000
    counts = Counter(skewed.random_paper(rng=rng).category for _ in range(draws))  # type: ignore[union-attr]
    total = skewed.stats().papers
    for category, n in skewed.stats().categories.items():
        assert abs(counts[category] / draws - n / total) < 0.01, category


def test_exclude_keeps_the_draw_uniform_over_the_rest(skewed: Catalog) -> None:
    rng = random.Random(11)
    population = ids(skewed, "category = 'cs.AI'")
    excluded = set(population[:7])
    rest = population[7:]
    counts = Counter(
        skewed.random_paper(category="cs.AI", exclude=excluded, rng=rng).id  # type: ignore[union-attr]
        for _ in range(1500)
    )
    assert set(counts) == set(rest)
    assert chi_square(counts, rest, 1500) < 13.82  # 2 degrees of freedom, p = 0.001
    assert skewed.random_paper(category="cs.AI", exclude=set(population), rng=rng) is None
    # Almost all of a big slice excluded: the few left are still found, one of them each time.
    lg = ids(skewed, "category = 'cs.LG'")
    kept = {lg[5], lg[500]}
    found = {skewed.random_paper(category="LG", exclude=set(lg) - kept, rng=rng).id for _ in range(40)}  # type: ignore[union-attr]
    assert found == kept


def test_a_load_is_seen_by_the_next_draw(skewed: Catalog, tmp_path: Path) -> None:
    assert skewed.random_paper(category="cs.RO") is None
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps(_paper(99999, "cs.RO", 2022)) + "\n")
    load_into(skewed, [more])
    assert skewed.random_paper(category="cs.RO").id == "2101.99999"  # type: ignore[union-attr]
