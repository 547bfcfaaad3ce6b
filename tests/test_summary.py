"""Contribution-first summaries, against a hand-labelled set of the bundled abstracts.

``data/contributions.json`` lists, for 48 of the 50 bundled papers, the abstract sentences
(verbatim, LaTeX rendered) that state what the paper itself does; the other two (a workshop
proceedings and an abstract that only poses its problem) have none that a reader would
accept as the contribution. A summary passes when it opens with one of them, lead-in aside.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from store.catalog.catalog import Catalog
from store.catalog.models import Paper
from store.summary import SUMMARY_LIMIT, contribution_rank, sentences, summarize, trim_lead_in

CONTRIBUTIONS: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "data" / "contributions.json").read_text(encoding="utf-8")
)
_FILLER = re.compile(r"\b(?:therefore|thus|hence|then|also|further)\b|[^\w\s]")


def words(text: str) -> str:
    return " ".join(_FILLER.sub(" ", text.lower()).split())


def opens_with_one_of(summary: str, labelled: list[str]) -> bool:
    """The summary's first eight words appear in a labelled sentence (its lead-in may be gone)."""
    head = " ".join(words(sentences(summary)[0].removesuffix("…")).split()[:8])
    return any(head in words(sentence) for sentence in labelled)


def bundled(catalog: Catalog) -> list[Paper]:
    papers = [catalog.paper(pid) for (pid,) in catalog.db.execute("select id from papers")]
    assert len(papers) == 50
    return [p for p in papers if p is not None]


def test_labelled_set_covers_enough_papers(catalog: Catalog) -> None:
    abstracts = {p.title: " ".join(sentences(p.abstract)) for p in bundled(catalog)}
    assert len(CONTRIBUTIONS) >= 25
    for title, labelled in CONTRIBUTIONS.items():
        assert title in abstracts
        assert labelled, title


@pytest.mark.parametrize("title", sorted(CONTRIBUTIONS))
def test_summary_opens_with_the_contribution(catalog: Catalog, title: str) -> None:
    paper = catalog.find_papers(title, 1)[0].paper
    assert paper.title == title
    assert opens_with_one_of(paper.summary, CONTRIBUTIONS[title]), paper.summary


def test_every_bundled_summary_fits_and_most_state_the_contribution(catalog: Catalog) -> None:
    stated = 0
    for paper in bundled(catalog):
        assert 0 < len(paper.summary) <= SUMMARY_LIMIT
        assert "\\" not in paper.summary and "$" not in paper.summary
        stated += opens_with_one_of(paper.summary, CONTRIBUTIONS.get(paper.title, []))
    assert stated >= 45


def test_summary_is_the_same_in_json() -> None:
    paper = Paper(
        "t-1", "T", ("A B",), __import__("datetime").date(2020, 1, 1), "cs.LG", "We propose a model. Sky."
    )
    assert paper.to_dict()["summary"] == paper.summary == "We propose a model."


@pytest.mark.parametrize(
    ("sentence", "trimmed"),
    [
        ("To this end, we propose X.", "We propose X."),
        ("In this paper, we study Y.", "We study Y."),
        ("In this work we move a step.", "We move a step."),
        ("To address these limitations, we propose UniEdge.", "We propose UniEdge."),
        ("We, therefore, propose a loss.", "We propose a loss."),
        ("In this work, a novel approach is proposed.", "A novel approach is proposed."),
        # substance stays: a purpose that says something, and a method
        ("In order to reduce the cost, we propose Amata.", "In order to reduce the cost, we propose Amata."),
        ("By analyzing dynamics, we show Z.", "By analyzing dynamics, we show Z."),
    ],
)
def test_lead_ins_are_trimmed_but_not_substance(sentence: str, trimmed: str) -> None:
    assert trim_lead_in(sentence) == trimmed


def test_background_before_the_contribution_is_skipped() -> None:
    abstract = (
        "Deep networks are vulnerable to adversarial examples. Existing defenses are slow. "
        "To this end, we propose FastDef, a defense that trains in one pass. "
        "Experiments show FastDef is 5x faster than PGD training."
    )
    assert summarize(abstract) == (
        "We propose FastDef, a defense that trains in one pass. Experiments show FastDef is 5x faster than PGD training."
    )


def test_without_a_contribution_sentence_the_opening_is_used() -> None:
    abstract = "Graphs are everywhere. They model many systems. Learning on them is hard."
    assert summarize(abstract) == "Graphs are everywhere. They model many systems."


def test_one_sentence_abstract() -> None:
    assert summarize("A survey of graph learning.") == "A survey of graph learning."
    assert summarize("In this paper, we survey graph learning.") == "We survey graph learning."


def test_one_long_sentence_is_cut_at_a_word() -> None:
    abstract = "In this paper, we propose " + "a very long method name " * 30 + "that works."
    summary = summarize(abstract)
    assert len(summary) <= SUMMARY_LIMIT and summary.endswith("name…")
    assert summary.startswith("We propose a very long")


def test_we_in_quotes_or_after_eg_is_not_the_authors() -> None:
    quoted = 'Slogans like "we propose, you dispose" are common. In this work, we measure how common.'
    assert summarize(quoted).startswith("We measure how common.")
    example = "Abstracts often say so, e.g. we propose things. Our analysis counts 1,000 abstracts."
    assert contribution_rank(sentences(example)[0]) == 0
    assert summarize(example).startswith("Our analysis counts 1,000 abstracts.")


def test_non_english_and_all_caps_abstracts() -> None:
    german = "Graphen sind überall. Wir schlagen eine neue Methode vor. Sie ist schnell."
    assert summarize(german) == "Graphen sind überall. Wir schlagen eine neue Methode vor."
    chinese = "图神经网络在许多任务中表现出色。我们提出了一种新方法。"
    assert summarize(chinese) == chinese
    caps = "GRAPHS ARE HARD. IN THIS PAPER, WE PROPOSE A NEW GRAPH MODEL. IT IS FAST."
    assert summarize(caps).startswith("WE PROPOSE A NEW GRAPH MODEL.")


@pytest.mark.parametrize(
    "text",
    [
        "We use e.g. SGD and i.e. plain steps. Next.",
        "As in Lu et al. 2019, we train. Next.",
        "Adam vs. SGD differ. Next.",
        "Accuracy rises by 3.5 points. Next.",
        "See Fig. 2 for details. Next.",
        "Code is at https://github.com/a/b.c and https://x.org/A.B for all. Next.",
        "Models, etc., were tried. Next.",
    ],
)
def test_sentences_do_not_break_inside_a_sentence(text: str) -> None:
    assert sentences(text) == [text.removesuffix(" Next."), "Next."]


def test_etc_at_a_sentence_end_ends_the_sentence() -> None:
    assert sentences("Noise, blur, etc. In this work, we study it.") == [
        "Noise, blur, etc.",
        "In this work, we study it.",
    ]


def test_summaries_are_cached() -> None:
    abstract = "Background here. In this paper, we propose a cached thing."
    summarize(abstract)
    before = summarize.cache_info().hits
    assert summarize(abstract) == "We propose a cached thing."
    assert summarize.cache_info().hits == before + 1
