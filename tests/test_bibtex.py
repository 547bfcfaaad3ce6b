"""BibTeX entries that a real parser reads back whole: every bundled paper and hostile ones."""

from __future__ import annotations

from datetime import date

import bibtexparser
import pytest
from bibtexparser.middlewares import SeparateCoAuthors
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands.ui import cards
from store.bibtex import bibtex, bibtex_key
from store.catalog.catalog import Catalog
from store.catalog.models import Paper

# What a Discord message leaves for the entry once the code block is around it.
LIMIT = cards.MESSAGE_LIMIT - len("```bibtex\n\n```")
ARXIV_FIELDS = {"title", "author", "year", "eprint", "archivePrefix", "primaryClass", "url"}
OTHER_FIELDS = {"title", "author", "year", "url"}


def parsed(entry: str) -> dict[str, str]:
    """The entry's fields as bibtexparser reads them; fails unless it reads exactly one entry."""
    library = bibtexparser.parse_string(entry)
    assert not library.failed_blocks, entry
    assert len(library.entries) == 1, entry
    return {"ID": library.entries[0].key, **{f.key: f.value for f in library.entries[0].fields}}


def entry_of(paper: Paper) -> str:
    return bibtex(paper, LIMIT)


def expected_fields(paper: Paper) -> set[str]:
    return ARXIV_FIELDS if paper.id[0].isdigit() else OTHER_FIELDS


def test_every_bundled_paper_parses_with_all_its_fields(catalog: Catalog) -> None:
    ids = [pid for (pid,) in catalog.db.execute("select id from papers")]
    assert len(ids) == 50
    for pid in ids:
        paper = catalog.paper(pid)
        assert paper is not None
        entry = entry_of(paper)
        fields = parsed(entry)
        assert set(fields) - {"ID"} == expected_fields(paper), entry
        assert fields["year"] == str(paper.year)
        assert cards.bibtex_message(paper) == f"```bibtex\n{entry}\n```"
        assert len(cards.bibtex_message(paper)) <= cards.MESSAGE_LIMIT


def test_latex_in_titles_stays_latex_and_capitals_are_protected() -> None:
    title = r"On the $\mathcal{O}(n \log n)$ complexity of \textit{sorting} with $\alpha$-$\beta$ pruning"
    paper = Paper("2301.00001", title, ("José García", "Łukasz Kaiser"), date(2023, 1, 5), "cs.DS")
    fields = parsed(entry_of(paper))
    assert fields["title"] == (
        r"{On} the $\mathcal{O}(n \log n)$ complexity of \textit{sorting} with $\alpha$-$\beta$ pruning"
    )
    assert fields["ID"] == "garcia2023complexity"
    assert fields["author"] == "José García and Łukasz Kaiser"
    assert (fields["eprint"], fields["archivePrefix"], fields["primaryClass"]) == (
        "2301.00001",
        "arXiv",
        "cs.DS",
    )


def test_acronyms_and_camel_case_words_are_braced() -> None:
    paper = Paper("t-1", "MonoFlow: Rethinking GANs via flows", ("Mingxuan Yi",), date(2023, 2, 2), "stat.ML")
    assert parsed(entry_of(paper))["title"] == "{MonoFlow}: {Rethinking} {GANs} via flows"


def test_two_authors_and_a_truncated_list() -> None:
    two = Paper("t-1", "T", ("Ann Lee", "Bo Chen"), date(2020, 1, 1), "cs.LG")
    assert parsed(entry_of(two))["author"] == "Ann Lee and Bo Chen"
    assert cards.choice_name(two).endswith(" — Lee and Chen, 2020")
    cut = Paper("t-1", "T", ("Ann Lee", "Bo Chen"), date(2020, 1, 1), "cs.LG", authors_truncated=True)
    assert parsed(entry_of(cut))["author"] == "Ann Lee and Bo Chen and others"
    assert cards.choice_name(cut).endswith(" — Lee et al., 2020")


@pytest.mark.parametrize(
    ("title", "authors"),
    [
        ("Unbalanced {brace in a title", ("A {B",)),
        ("Closing} brace first {then open", ("C} D",)),
        ("50% faster & #1 on a_b with x^2", ("Tom and Jerry", "Doe, John")),
        (r"A lone $ dollar and a \backslash", ("Zoë Ünal",)),
        ("%{}}{&#_\\$", ("%", "}{")),
        ("@misc{evil, title={x}}", ("}, author = {x",)),
        ("Math $x{$ and y} after", ("A B",)),
    ],
)
def test_hostile_titles_and_names_still_parse(title: str, authors: tuple[str, ...]) -> None:
    paper = Paper("2101.00001", title, authors, date(2021, 1, 5), "cs.LG")
    entry = entry_of(paper)
    fields = parsed(entry)
    assert set(fields) - {"ID"} == ARXIV_FIELDS, entry
    assert fields["ID"].isascii() and fields["ID"].isalnum()


def people_in(entry: str) -> list[str]:
    """The author field as a reference manager splits it: one string per person."""
    library = bibtexparser.parse_string(entry, append_middleware=[SeparateCoAuthors()])
    assert not library.failed_blocks and len(library.entries) == 1, entry
    return list(library.entries[0]["author"])


@pytest.mark.parametrize(
    "authors",
    [
        ("Tom and Jerry", "Doe, John", "Ann Lee"),  # a name with "and", one with a comma
        ("Laboratory of Mind and Machine",),
        ("Smith, Jr., Bob", "Alice and Bob and Carol"),
        ("Ann Lee", "Bo Chen"),
    ],
)
def test_each_author_stays_one_person(authors: tuple[str, ...]) -> None:
    # An unbraced "and" splits a person in two; an unbraced comma turns them into "Last, First".
    paper = Paper("2101.00001", "T", authors, date(2021, 1, 5), "cs.LG")
    people = people_in(entry_of(paper))
    assert len(people) == len(authors)
    for name in people:
        assert (" and " in name or "," in name) == name.startswith("{")


def test_keys_are_transliterated() -> None:
    paper = Paper("t-1", "Über Straße", ("Jürgen Großmann", "B C"), date(2019, 1, 1), "cs.LG")
    assert bibtex_key(paper) == "grossmann2019uber"


hostile = st.text(alphabet=st.sampled_from('aB $\\{}%&#_^~@,="é\n'), max_size=60) | st.text(max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile, authors=st.lists(hostile, max_size=4))
def test_any_title_and_names_parse(title: str, authors: list[str]) -> None:
    paper = Paper("2101.00001", title, tuple(authors), date(2021, 1, 5), "cs.LG")
    fields = parsed(entry_of(paper))
    assert set(fields) - {"ID"} == ARXIV_FIELDS
