"""Reading a message without the catalog: every cue's examples and counter-examples, filters, thanks."""

from __future__ import annotations

from datetime import date

import pytest

from store.chat.reading import read
from store.chat.vocabulary import CUES, Cue, Facet

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize("cue", CUES, ids=lambda c: f"{c.facet.value}")
def test_every_cue_reads_its_examples_and_not_its_counter_examples(cue: Cue) -> None:
    assert cue.examples
    for example in cue.examples:
        assert cue.facet in read(example, TODAY).facets, example
    for counter in cue.counter_examples:
        assert cue.facet not in read(counter, TODAY).facets, counter


@pytest.mark.parametrize(
    ("message", "content"),
    [
        (
            "morning! the paper where momentum gets a positive and a negative buffer, who's behind it?",
            ("momentum", "gets", "positive", "negative", "buffer"),
        ),
        ("the monoflow paper, whats it abt", ("monoflow",)),
        ("what is the yopo paper about?", ("yopo",)),  # a cue's frame keeps the words it frames
        ("papers on graph implementation", ("graph", "implementation")),  # no code question
        ("anything on summary statistics", ("summary", "statistics")),  # no abstract question
        ("zhu's oldest paper", ("zhu",)),
    ],
)
def test_cue_words_never_become_content_and_content_words_stay(
    message: str, content: tuple[str, ...]
) -> None:
    assert read(message, TODAY).content == content


@pytest.mark.parametrize(
    ("message", "years"),
    [
        ("sgd noise papers from the last two years", (2025, None)),
        ("papers from last year", (2025, 2025)),
        ("anything this year?", (2026, 2026)),
        ("papers by zhu since 2024", (2024, None)),
        ("before 2020", (None, 2019)),
        ("zhu 2018-2020", (2018, 2020)),
    ],
)
def test_relative_and_absolute_years_are_filters(message: str, years: tuple[int | None, int | None]) -> None:
    r = read(message, TODAY)
    assert (r.year_from, r.year_to) == years


@pytest.mark.parametrize(
    "message",
    ["thx!", "never mind, got it", "perfect 👍", "lol ok", "cool, that's the one, thanks", "morning!"],
)
def test_thanks_and_greetings_are_no_question(message: str) -> None:
    assert read(message, TODAY).acknowledges


@pytest.mark.parametrize(
    "message", ["thanks for the yopo paper, who wrote it?", "ok, papers by zhu", "nice. bibtex?"]
)
def test_a_question_after_thanks_is_still_a_question(message: str) -> None:
    assert not read(message, TODAY).acknowledges


def test_ordinals_point_into_the_answer_replied_to() -> None:
    assert read("the second one", TODAY).ordinal == 1
    assert read("who wrote the 2nd one?", TODAY).ordinal == 1
    assert read("that last one", TODAY).ordinal == -1
    assert read("zhu's first paper", TODAY).ordinal is None
    assert Facet.FIRST in read("zhu's first paper", TODAY).facets


def test_the_catalog_defines_its_own_abbreviations(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from store.catalog.catalog import Catalog
    from store.chat.abbreviations import defined
    from store.loading.loader import bundled_listing, load_into

    catalog = Catalog(tmp_path / "c.db")
    load_into(catalog, [bundled_listing()])
    assert defined(catalog.db, "gcn") == ("graph convolutional networks",)
    assert defined(catalog.db, "gcns") == ("graph convolutional networks",)  # a plural asked for
    assert defined(catalog.db, "vat") == ("virtual adversarial training",)
    assert defined(catalog.db, "qwzx") == ()


# --- pinned by a mutation run: each row is read wrongly by a mutant that survived before ------------


@pytest.mark.parametrize(
    ("message", "facet"),
    [
        ("whose work is this?", Facet.WHO),
        ("who else is on the paper", Facet.WHO),
        ("and when", Facet.WHEN),
        ("papers like those", Facet.SIMILAR),
        ("more by the lead author", Facet.MORE_BY),
        ("new papers on graphs", Facet.LATEST),
        ("how do we use this", Facet.HELP),
        ("any shared authors?", Facet.COMPARE),
        ("work on graphs", Facet.LIST),
        ("the monoflow article", Facet.ONE),
    ],
)
def test_more_ways_of_asking(message: str, facet: Facet) -> None:
    assert facet in read(message, TODAY).facets


@pytest.mark.parametrize(
    ("message", "content", "years"),
    [
        ("cs.CV papers on robotics", ("robotics",), (None, None)),  # the category code goes, the topic stays
        ("papers from this year or last", (), (2025, 2026)),
        ("what does monoflow propose", ("monoflow",), (None, None)),
        ("zhu's papers, most recent first", ("zhu",), (None, None)),
    ],
)
def test_content_and_years_after_the_cues(
    message: str, content: tuple[str, ...], years: tuple[int | None, int | None]
) -> None:
    r = read(message, TODAY)
    assert (r.content, (r.year_from, r.year_to)) == (content, years)


def test_long_messages_are_cut_at_a_word() -> None:
    long = "graph " * 120  # 720 characters
    r = read(long, TODAY)
    assert len(r.text) <= 500 and r.text.endswith("graph")


def test_plurals_are_searched_by_their_stem() -> None:
    from store.chat.evidence import _group

    assert _group("networks") == '"network"*'
    assert _group("class") == '"class"*'
