"""The chat measured on the corpus people wrote (tests/chat_corpus/), so a change that makes it
understand less fails here; the numbers are reported by benchmarks/chat_corpus.py.

The floors are what the chat reached when they were set; raise them as it gets better.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator

import pytest

from store.catalog.catalog import Catalog
from store.chat.answers import answer
from store.chat.mentions import papers_named_in
from store.loading.loader import bundled_listing, load_into
from tests.chat_corpus.judge import TODAY, Verdict, cases, run
from tests.chat_data import write_records

# Share right, and acknowledgements answered with a search at most (the target is none).
FLOORS = {"dev": (0.95, 0), "held": (0.79, 1)}


@pytest.fixture(scope="module")
def corpus_catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    folder = tmp_path_factory.mktemp("corpus")
    catalog = Catalog(folder / "corpus.db")
    load_into(catalog, [bundled_listing(), write_records(folder / "extra.jsonl")])
    yield catalog
    catalog.close()


def verdicts(catalog: Catalog, half: str) -> list[Verdict]:
    chosen = [c for c in cases() if c.half == half]
    return list(
        run(
            catalog,
            lambda text, about: answer(catalog, text, about, today=TODAY),
            lambda text: papers_named_in(catalog, text),
            chosen,
        )
    )


def test_the_corpus_has_what_the_issue_asks_for() -> None:
    every = cases()
    turns = [t for c in every for t in c.turns]
    kinds = collections.Counter(t.expect["answer"] for t in turns)
    assert len(turns) >= 300
    assert kinds["not_have"] >= 40 and kinds["quiet"] >= 30
    assert sum(len(c.turns) > 1 for c in every) >= 30
    assert {c.half for c in every} == {"dev", "held"}
    assert len({c.by for c in every}) >= 4


@pytest.mark.parametrize("half", ["dev", "held"])
def test_the_chat_answers_the_corpus(corpus_catalog: Catalog, half: str) -> None:
    found = verdicts(corpus_catalog, half)
    right = sum(v.verdict == "right" for v in found) / len(found)
    floor, most_searched = FLOORS[half]
    assert right >= floor, f"{half}: {right:.1%} right"
    chit_chat = [v for v in found if v.expect["answer"] == "quiet"]
    searched = sum(v.verdict == "wrong_card" for v in chit_chat)
    # Counts only: the held-out half's messages are not printed, so nobody tunes on them by accident.
    assert searched <= most_searched, f"{half}: {searched} of {len(chit_chat)} acknowledgements got a search"


def test_the_judge_can_fail(corpus_catalog: Catalog) -> None:
    """A chat that always says it has nothing scores on "not_have" cases alone."""
    from store.chat.answer_model import Answer, AnswerKind

    chosen = [c for c in cases() if c.half == "dev"]
    found = list(run(corpus_catalog, lambda t, a: Answer(AnswerKind.NOT_FOUND, "no"), lambda t: [], chosen))
    right = sum(v.verdict == "right" for v in found) / len(found)
    assert right < 0.25
