"""Cards as data: every seed paper and hostile synthetic ones stay within Discord's limits."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands.ui import cards
from store.catalog.catalog import Catalog
from store.catalog.models import AuthorProfile, Coauthor, Paper, PaperMatch, Stats
from store.links import paper_url


def entry_of(paper: Paper) -> str:
    """The BibTeX entry inside the message the BibTeX button sends."""
    return cards.bibtex_message(paper).removeprefix("```bibtex\n").removesuffix("\n```")


def assert_within_limits(embed: discord.Embed) -> None:
    data = embed.to_dict()
    assert len(data.get("title", "")) <= 256
    assert len(data.get("description", "")) <= 4096
    assert len(data.get("fields", [])) <= 25
    for f in data.get("fields", []):
        assert 0 < len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024
    assert len(data.get("footer", {}).get("text", "")) <= 2048
    assert len(embed) <= 6000


def all_papers(catalog: Catalog) -> list[Paper]:
    return [catalog.paper(pid) for (pid,) in catalog.db.execute("select id from papers")]  # type: ignore[misc]


def test_every_seed_card(catalog: Catalog) -> None:
    for paper in all_papers(catalog):
        embed = cards.paper_embed(paper)
        assert_within_limits(embed)
        fields = {f.name: f.value for f in embed.fields}
        assert embed.url and embed.description
        assert fields["Published"] == paper.published.isoformat()
        assert fields["Category"].startswith(paper.category)
        assert ("Listing score" in fields) is (paper.score is not None)
        assert fields["Authors"].endswith(" et al.") is paper.authors_truncated


def test_card_content(catalog: Catalog) -> None:
    paper = catalog.find_papers("yopo", 1)[0].paper
    embed = cards.paper_embed(paper, highlight="Tianyuan Zhang")
    fields = {f.name: f.value for f in embed.fields}
    assert embed.title == "You Only Propagate Once: Accelerating Adversarial Training via Maximal Principle"
    assert fields["Authors"] == "Dinghuai Zhang, **Tianyuan Zhang**, Yiping Lu et al."
    assert fields["Category"] == "stat.ML · Machine Learning"
    assert embed.url.startswith("https://arxiv.org/search/?query=You+Only+Propagate+Once")
    assert embed.description == paper.summary
    scored = catalog.find_papers("When Autoregressive Consistency Hurts Safety Alignment", 1)[0].paper
    assert {f.name: f.value for f in cards.paper_embed(scored).fields}["Listing score"] == "82.1 / 100"


def test_latex_is_rendered_on_cards() -> None:
    paper = Paper(
        "2101.00001", "T", ("A B",), date(2021, 1, 1), "cs.LG", r"$\textbf{F}$orward gradients. Next."
    )
    assert cards.paper_embed(paper).description == "Forward gradients. Next."
    assert paper_url(paper) == "https://arxiv.org/abs/2101.00001"


def test_colour_is_stable_per_category_across_processes() -> None:
    """A category keeps its colour from one run to the next (no per-process hash seed)."""
    script = "from commands.ui import cards; print([cards.colour_of(c).value for c in ('cs.LG', 'stat.ML', 'q-bio')])"
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
    assert runs.pop().strip() == str([cards.colour_of(c).value for c in ("cs.LG", "stat.ML", "q-bio")])
    assert cards.colour_of("cs.LG") != cards.colour_of("stat.ML")


hostile_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=3000
) | st.sampled_from(["@everyone", "**bold** __x__ `code` ||spoiler||", "<@&123> <@1>", "\\" * 300])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=hostile_text.filter(lambda t: t.strip() != ""),
    authors=st.lists(st.text(min_size=1, max_size=80), min_size=0, max_size=600),
    abstract=hostile_text,
    truncated=st.booleans(),
    score=st.none() | st.floats(min_value=0, max_value=100),
)
def test_hostile_papers_stay_within_limits(
    title: str, authors: list[str], abstract: str, truncated: bool, score: float | None
) -> None:
    paper = Paper(
        "t-0123456789ab", title, tuple(authors), date(2020, 1, 1), "cs.LG", abstract, truncated, score
    )
    embed = cards.paper_embed(paper, highlight=authors[0] if authors else None)
    assert_within_limits(embed)
    assert "@everyone" not in (embed.title or "")  # escaped (with a zero-width space) or absent
    assert_within_limits(cards.abstract_embed(paper))
    assert len(cards.bibtex_message(paper)) <= cards.MESSAGE_LIMIT
    assert len(cards.choice_name(paper)) <= 100
    profile = AuthorProfile(
        1,
        title,
        999,
        (paper,) * 5,
        tuple(Coauthor(a, 3) for a in authors[:10]),
        (1990, 2020),
        {"cs.LG": 3, title[:50]: 1},
    )
    assert_within_limits(cards.author_embed(profile, 0, 5))
    assert_within_limits(cards.search_embed(title, [PaperMatch(paper, 90.0)] * 5, 0, 5))


def test_mentions_are_defused() -> None:
    paper = Paper(
        "t-1", "@everyone look <@&123456789012345678>", ("@here",), date(2020, 1, 1), "cs.LG", "@everyone"
    )
    embed = cards.paper_embed(paper)
    text = str(embed.to_dict())
    assert "@everyone" not in text and "@here" not in text and "<@&123456789012345678>" not in text


def test_the_abstract_is_one_message_complete_when_it_fits(catalog: Catalog) -> None:
    paper = catalog.find_papers("yopo", 1)[0].paper
    embed = cards.abstract_embed(paper)
    assert embed.title == paper.title and embed.url == paper_url(paper)
    assert embed.description is not None and "Pontryagin" in embed.description
    assert "Read the full abstract" not in embed.description


def test_a_very_long_abstract_is_clipped_at_a_word_with_a_link() -> None:
    words = [f"word{i}" for i in range(1500)]
    paper = Paper("2101.00001", "Long", ("A B",), date(2020, 1, 1), "cs.LG", " ".join(words) + ".")
    embed = cards.abstract_embed(paper)
    assert_within_limits(embed)
    assert embed.description is not None and len(embed.description) <= 4096
    body, link = embed.description.split("\n\n")
    assert body.endswith("…") and body[:-1].split() == words[: len(body[:-1].split())]
    assert link == "[Read the full abstract](https://arxiv.org/abs/2101.00001)"


def test_search_card_carries_its_query_in_the_title_link() -> None:
    query = "graph & (neural) networks: 100% ✓ ?x=1"
    embed = cards.search_embed(query, [], 0, 5)
    assert cards.query_of_search_url(embed.url) == query
    assert cards.query_of_search_url(None) is None
    assert cards.query_of_search_url("https://arxiv.org/search/") is None


def test_bibtex_is_a_valid_entry(catalog: Catalog) -> None:
    paper = catalog.find_papers("yopo", 1)[0].paper
    entry = entry_of(paper)
    assert entry.startswith("@misc{zhang2019only,\n")
    assert "  author = {Dinghuai Zhang and Tianyuan Zhang and Yiping Lu and others}" in entry
    assert "  year = {2019}" in entry and entry.endswith("\n}")
    assert entry.count("{") == entry.count("}")
    arxiv = Paper("2101.00001", "A {B} C", ("Ann Lee",), date(2021, 1, 5), "cs.LG")
    entry = entry_of(arxiv)
    assert "eprint = {2101.00001}" in entry and "archivePrefix = {arXiv}" in entry
    assert "title = {{A} {B} {C}}" in entry


def test_bibtex_with_hundreds_of_authors_fits_a_message() -> None:
    paper = Paper(
        "2101.00001",
        "Big Collab",
        tuple(f"Person Number{i}" for i in range(3000)),
        date(2021, 1, 5),
        "hep-ex",
    )
    entry = entry_of(paper)
    assert len(entry) <= 1980 and "and others" in entry


def test_choice_names_tell_papers_apart(catalog: Catalog) -> None:
    names = [cards.choice_name(m.paper) for m in catalog.find_papers("graph", 25)]
    assert all(len(n) <= 100 for n in names)
    assert len(set(names)) == len(names)
    assert any(n.endswith(" et al., 2019") for n in names)


def test_stats_and_help_cards(catalog: Catalog) -> None:
    assert_within_limits(cards.stats_embed(catalog.stats()))
    assert_within_limits(cards.help_embed())
    huge = Stats(10**7, 10**7, {f"cat.{i}": i for i in range(500)}, {y: 1 for y in range(1900, 2030)})
    assert_within_limits(cards.stats_embed(huge))


def test_blank_author_names_do_not_break_cards() -> None:
    paper = Paper("t-1", "0", (" ",), date(2020, 1, 1), "cs.LG")
    assert cards.choice_name(paper).startswith("0 — ?")
    assert entry_of(paper).startswith("@misc{anon2020paper,")


def test_highlight_matches_other_spellings_of_the_name() -> None:
    paper = Paper("t-1", "T", ("He Wang", "Edmond S.L. Ho"), date(2020, 1, 1), "cs.GR")
    assert cards.author_line(paper, highlight="Edmond S. L. Ho") == "He Wang, **Edmond S.L. Ho**"


LATEX_TITLE = r"On the $\mathcal{O}(n \log n)$ complexity of \textit{sorting} with $\alpha$-$\beta$ pruning"
SHOWN_TITLE = "On the 𝒪(n log n) complexity of sorting with α-β pruning"


def test_latex_titles_are_rendered_wherever_people_read_them() -> None:
    paper = Paper("2101.00001", LATEX_TITLE, ("Ann Lee",), date(2019, 3, 1), "cs.DS", "We propose it.")
    assert cards.paper_embed(paper).title == SHOWN_TITLE
    assert cards.choice_name(paper) == f"{SHOWN_TITLE} — Lee, 2019"
    profile = AuthorProfile(1, "Ann Lee", 1, (paper,), (), (2019, 2019), {"cs.DS": 1})
    author_card = cards.author_embed(profile, 0, 5)
    assert author_card.fields[0].name == f"1. {SHOWN_TITLE}"
    assert author_card.description == "1 paper · active 2019"
    search_card = cards.search_embed("sorting", [PaperMatch(paper, 100.0)], 0, 5)
    assert search_card.fields[0].name == f"1. {SHOWN_TITLE}"
    assert paper.to_dict()["title"] == LATEX_TITLE  # the JSON contract keeps the raw title


def test_stats_card_counts_in_words() -> None:
    assert cards.stats_embed(Stats(1, 1, {"cs.LG": 1}, {2019: 1})).description == "1 paper by 1 author"
    assert cards.stats_embed(Stats(1500, 2, {}, {})).description == "1,500 papers by 2 authors"


def test_card_names_the_method_the_abstract_names_once(catalog: Catalog) -> None:
    fg2u = catalog.find_papers("fg2u", 1)[0].paper
    description = cards.paper_embed(fg2u).description or ""
    assert description.startswith("*a.k.a. FG²U*\n")
    assert description.count("a.k.a.") == 1
    # A method named like its title (ViTE: …) is not repeated.
    vite = catalog.find_papers("vite", 1)[0].paper
    assert "a.k.a." not in (cards.paper_embed(vite).description or "")
