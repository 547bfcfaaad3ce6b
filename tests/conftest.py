"""Shared fixtures: the real bundled listing, loaded into real SQLite files under tmp_path."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from store.catalog.catalog import Catalog
from store.loading.loader import bundled_listing, load_into

# In CI, property tests replay the same examples every run (no flaky builds); locally they
# explore new ones each time.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The seed listing's dates without a year ("Jun 2") are read relative to this day.
TODAY = date(2026, 11, 25)


@pytest.fixture
def seed_path() -> Path:
    return bundled_listing()


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    """A catalog holding the 50 seed papers (a fresh file per test)."""
    cat = Catalog(tmp_path / "catalog.db")
    # An ordinary load, not the bundled bootstrap: loads in tests add to these papers.
    load_into(cat, [bundled_listing()], today=TODAY)
    yield cat
    cat.close()


@pytest.fixture
def empty_catalog(tmp_path: Path) -> Catalog:
    cat = Catalog(tmp_path / "empty.db")
    yield cat
    cat.close()
