"""Chat questions answered from a real catalog: the bundled listing plus a few arXiv records.

Each row names the question, the kind of answer and the answer itself (the paper, the person,
the papers, the link), so a row fails if the parser picks the right intent but the wrong card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.catalog.catalog import Catalog
from store.chat.answer_model import Answer, AnswerKind, Subject
from store.chat.answers import answer
from store.chat.mentions import papers_named_in
from store.loading.loader import bundled_listing, load_bundled_if_empty, load_into
from tests.bundled_titles import ADAGCN, MONOFLOW, SPHERICAL, STUNET, YOPO
from tests.chat_data import ANNEALING, GWT, ROUTERS, STAIRWAY, TOY, write_records
from tests.conftest import TODAY

MULTI_STAGE = (
    "Multi-Stage Self-Supervised Learning for Graph Convolutional Networks on Graphs with Few Labels"
)
BLACK_BOX = "Black-Box Certification with Randomized Smoothing: A Functional Optimization Based Framework"
RCL = "Reinforced Continual Learning"
STFGNN = "Spatial-Temporal Fusion Graph Neural Networks for Traffic Flow Forecasting"
NOISY = "On the Noisy Gradient Descent that Generalizes as SGD"
MANIFOLD = "Spatio-temporal Manifold Learning for Human Motions via Long-horizon Modeling"
VITE = "ViTE: Virtual Graph Trajectory Expert Router for Pedestrian Trajectory Prediction"
LATEST_KE_SUN = (
    "On Leveraging Unlabeled Data for Concurrent Positive-Unlabeled Classification and Robust Generation"
)
ICML = (
    "Proceedings of ICML 2021 Workshop on Theoretic Foundation, Criticism, "
    "and Application Trend of Explainable AI"
)
FABRICS = "Fine-grained differentiable physics: a yarn-level model for fabrics"
KE_SUN_ZHU = frozenset(
    {
        ADAGCN,
        "Enhancing the Robustness of Deep Neural Networks by Boundary Conditional GAN",
        MULTI_STAGE,
        "Towards Understanding Adversarial Examples Systematically: Exploring Data Size, Task and Model Factors",
    }
)
ZHANGS = frozenset({"Dinghuai Zhang", "Tianyuan Zhang"})


@pytest.fixture(scope="module")
def chat_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    folder = tmp_path_factory.mktemp("chat")
    catalog = Catalog(folder / "chat.db")
    load_into(catalog, [bundled_listing()], today=TODAY)  # not the bootstrap: the next load adds
    report = load_into(catalog, [write_records(folder / "extra.jsonl")])
    assert report.added == 5 and not report.problems
    yield catalog
    catalog.close()


@dataclass(frozen=True)
class Want:
    """What an answer must be: its kind, and whichever of these the row gives."""

    kind: AnswerKind
    title: str | None = None  # the first paper's title
    titles: frozenset[str] | None = None  # exactly these papers, in any order
    author: str | None = None  # the (first) author of the answer
    authors: frozenset[str] | None = None  # these people are among the choices
    total: int | None = None
    link: str | None = None
    year_from: int | None = None
    year_to: int | None = None


def check(got: Answer, want: Want) -> None:
    assert got.kind is want.kind, got.lead
    if want.title is not None:
        assert got.papers and got.papers[0].title == want.title
    if want.titles is not None:
        assert {p.title for p in got.papers} == want.titles
    if want.author is not None:
        assert got.authors and got.authors[0].name == want.author
        if got.kind is AnswerKind.AUTHOR:
            assert got.author_id == got.authors[0].id
    if want.authors is not None:
        assert want.authors <= {a.name for a in got.authors}
    if want.total is not None:
        assert got.total == want.total
    if want.link is not None:
        assert got.link == want.link
    if want.year_from is not None or want.year_to is not None:
        assert (got.year_from, got.year_to) == (want.year_from, want.year_to)
    assert len(got.lead) <= 300 and "\n" not in got.lead


K = AnswerKind
ROWS = [
    # a paper by name, nickname, acronym or partial title
    ("yopo", Want(K.PAPER, YOPO)),
    ("YOPO", Want(K.PAPER, YOPO)),
    ("the ST-UNet paper", Want(K.PAPER, STUNET)),
    ("stunet", Want(K.PAPER, STUNET)),
    ("spherical motion dynamics", Want(K.PAPER, SPHERICAL)),
    ("spherical motion dinamics", Want(K.PAPER, SPHERICAL)),
    ("MonoFlow", Want(K.PAPER, MONOFLOW)),
    ("monoflwo", Want(K.PAPER, MONOFLOW)),
    ("Reinforced Continual Learning", Want(K.PAPER, RCL)),
    ("do you know the paper called reinforced continual learning?", Want(K.PAPER, RCL)),
    ("Hello! Could you please find me the spherical motion dynamics paper? 🙏", Want(K.PAPER, SPHERICAL)),
    ("on the noisy gradient descent that generalizes as sgd", Want(K.PAPER, NOISY)),
    ("the ICML 2021 explainable AI workshop", Want(K.PAPER, ICML)),
    ('"Graph Wavelet Transformers for Traffic Forecasting"', Want(K.PAPER, GWT)),
    ("compare MonoFlow and YOPO", Want(K.PAPERS, titles=frozenset({MONOFLOW, YOPO}))),
    ("graph convolutional networks", Want(K.PAPERS, MULTI_STAGE)),
    # who wrote / what about / code / bibtex / abstract
    ("who wrote AdaGCN?", Want(K.WHO_WROTE, ADAGCN)),
    ("@paperbot who wrote adagcn", Want(K.WHO_WROTE, ADAGCN)),
    ("who are the authors of yopo?", Want(K.WHO_WROTE, YOPO)),
    ("authors of the ST-UNet paper", Want(K.WHO_WROTE, STUNET)),
    ("yopo authors", Want(K.WHO_WROTE, YOPO)),
    ("who wrote the paper on traffic flow forecasting", Want(K.WHO_WROTE, STFGNN)),
    ("what is the yopo paper about?", Want(K.ABSTRACT, YOPO)),
    ("what's monoflow about", Want(K.ABSTRACT, MONOFLOW)),
    ("what does AdaGCN do?", Want(K.ABSTRACT, ADAGCN)),
    ("abstract of reinforced continual learning", Want(K.ABSTRACT, RCL)),
    ("tl;dr of stunet", Want(K.ABSTRACT, STUNET)),
    ("is there code for YOPO?", Want(K.CODE, YOPO)),
    ("is there a github repo for YOPO?", Want(K.CODE, YOPO)),
    (
        "code for Graph Wavelet Transformers",
        Want(K.CODE, GWT, link="https://github.com/example/graph-wavelet-transformers"),
    ),
    ("does monoflow have code?", Want(K.CODE, MONOFLOW)),
    ("yopo code", Want(K.CODE, YOPO)),
    ("bibtex for yopo please", Want(K.BIBTEX, YOPO)),
    ("how do I cite MonoFlow?", Want(K.BIBTEX, MONOFLOW)),
    ("monoflow bibtex", Want(K.BIBTEX, MONOFLOW)),
    ("citation for the spherical motion dynamics paper", Want(K.BIBTEX, SPHERICAL)),
    # papers by an author, latest, topic, together, years
    ("Zhanxing Zhu", Want(K.AUTHOR, author="Zhanxing Zhu", total=21)),
    ("papers by Zhanxing Zhu", Want(K.AUTHOR, author="Zhanxing Zhu", total=21)),
    ("Zhu Zhanxing", Want(K.AUTHOR, author="Zhanxing Zhu", total=21)),
    ("papers by Zhanxin Zhu", Want(K.AUTHOR, author="Zhanxing Zhu", total=21)),
    ("what has Bing Yu written?", Want(K.AUTHOR, author="Bing Yu", total=7)),
    ("Ke Sun", Want(K.AUTHOR, author="Ke Sun", total=7)),
    ("who is Ke Sun?", Want(K.AUTHOR, author="Ke Sun", total=7)),
    ("Edmond Ho", Want(K.AUTHOR, MANIFOLD, author="Edmond S. L. Ho", total=1)),
    ("papers by Edmond S.L. Ho", Want(K.AUTHOR, MANIFOLD, author="Edmond S. L. Ho", total=1)),
    ("hannah muller", Want(K.AUTHOR, author="Hannah Müller", total=2)),
    ("papers by Zhanxing Zhu since 2020", Want(K.AUTHOR, author="Zhanxing Zhu", total=9, year_from=2020)),
    (
        "Zhanxing Zhu's papers in 2019",
        Want(K.AUTHOR, author="Zhanxing Zhu", total=9, year_from=2019, year_to=2019),
    ),
    ("zhu 2018-2020", Want(K.AUTHOR, author="Zhanxing Zhu", total=16, year_from=2018, year_to=2020)),
    ("papers by zhu before 2021", Want(K.AUTHOR, author="Zhanxing Zhu", total=16, year_to=2020)),
    ("papers by Zhu between 2022 and 2023", Want(K.AUTHOR, MONOFLOW, author="Zhanxing Zhu", total=2)),
    (
        "Zhanxing Zhu in 2022",
        Want(K.AUTHOR, FABRICS, author="Zhanxing Zhu", total=1, year_from=2022, year_to=2022),
    ),
    ("Zhanxing Zhu after 2024", Want(K.AUTHOR, author="Zhanxing Zhu", total=2, year_from=2025)),
    ("Zhanxing Zhu's latest", Want(K.PAPER, VITE, author="Zhanxing Zhu")),
    ("latest paper by ke sun", Want(K.PAPER, LATEST_KE_SUN, author="Ke Sun")),
    ("what is the newest paper from Wei Zhang?", Want(K.PAPER, ANNEALING, author="Wei Zhang")),
    ("Zhanxing Zhu's papers on adversarial training", Want(K.AUTHOR, author="Zhanxing Zhu", total=4)),
    ("papers on graphs by Ke Sun", Want(K.AUTHOR, author="Ke Sun", total=4)),
    ("papers by Ke Sun about adversarial training since 2019", Want(K.AUTHOR, author="Ke Sun", total=4)),
    ("papers by Ke Sun and Zhouchen Lin", Want(K.PAPERS, author="Ke Sun", total=6)),
    ("Zhanxing Zhu and Ke Sun", Want(K.PAPERS, titles=KE_SUN_ZHU, author="Zhanxing Zhu")),
    ("did Ke Sun and Zhanxing Zhu write anything together?", Want(K.PAPERS, titles=KE_SUN_ZHU)),
    ("Lukas Brandt with Hannah Müller", Want(K.PAPERS, titles=frozenset({STAIRWAY}))),
    ("papers by Wei Zhang", Want(K.AUTHOR, author="Wei Zhang", total=2)),
    ("papers by Wen Zhang", Want(K.AUTHOR, ROUTERS, author="Wen Zhang", total=1)),
    # ambiguity: choose, do not guess
    ("Zhang", Want(K.AUTHORS, authors=ZHANGS)),
    ("papers by zhang before 2021", Want(K.AUTHORS, authors=ZHANGS)),
    ("papers by Zhang and Zhu", Want(K.AUTHORS, authors=ZHANGS)),
    ("Sun", Want(K.AUTHORS, authors=frozenset({"Ke Sun", "Weidi Sun"}))),
    # random
    ("a random cs.GR paper", Want(K.RANDOM, MANIFOLD)),
    ("random graphics paper", Want(K.RANDOM, MANIFOLD)),
    ("surprise me with a robotics paper", Want(K.RANDOM, STAIRWAY)),
    ("random paper from 2017", Want(K.RANDOM, ROUTERS)),
    ("random hep-th paper", Want(K.RANDOM, TOY)),
    ("random?", Want(K.RANDOM)),
    ("random cs.CV paper from 1999", Want(K.NOT_FOUND)),
    # a subject in plain words
    ("anything on traffic forecasting with graphs?", Want(K.PAPERS, GWT)),
    ("papers about quadruped stairs", Want(K.PAPERS, titles=frozenset({STAIRWAY}))),
    ("search for entanglement entropy", Want(K.PAPERS, titles=frozenset({TOY}))),
    ("papers about zebra crossings", Want(K.NOT_FOUND)),
    ("anything on random smoothing?", Want(K.PAPERS, BLACK_BOX)),
    ("papers on random forests", Want(K.NOT_FOUND)),
    ("graph networks", Want(K.PAPERS, titles=None)),
    ("traffic forecasting", Want(K.PAPERS, GWT)),
    # arXiv ids and links anywhere
    ("2106.01234", Want(K.PAPER, GWT)),
    ("have you seen 2106.01234v3?", Want(K.PAPER, GWT)),
    ("arXiv:2106.01234", Want(K.PAPER, GWT)),
    ("https://arxiv.org/abs/2106.01234", Want(K.PAPER, GWT)),
    ("check <https://arxiv.org/pdf/1905.00877v2.pdf> out", Want(K.PAPER, STAIRWAY)),
    ("hep-th/9901001", Want(K.PAPER, TOY)),
    ("who wrote arxiv.org/abs/hep-th/9901001?", Want(K.WHO_WROTE, TOY)),
    ("bibtex for 2301.00001", Want(K.BIBTEX, ANNEALING)),
    ("2106.01234 and 1905.00877", Want(K.PAPERS, titles=frozenset({GWT, STAIRWAY}))),
    ("https://arxiv.org/abs/2401.99999", Want(K.NOT_IN_CATALOG, link="https://arxiv.org/abs/2401.99999")),
    (
        "who wrote arxiv.org/pdf/2401.99999v2.pdf",
        Want(K.NOT_IN_CATALOG, link="https://arxiv.org/abs/2401.99999v2"),
    ),
    ("hep-ph/0101001", Want(K.NOT_IN_CATALOG, link="https://arxiv.org/abs/hep-ph/0101001")),
    # help and stats
    ("help", Want(K.HELP)),
    ("what can you do?", Want(K.HELP)),
    ("how many papers do you know?", Want(K.STATS)),
    ("stats", Want(K.STATS)),
    # not in the catalog: say so, never an unrelated card
    ("Geoffrey Hinton", Want(K.NOT_FOUND)),
    ("papers by Geoffrey Hinton", Want(K.NOT_FOUND)),
    ("who wrote attention is all you need", Want(K.NOT_FOUND)),
    ("asdfghjkl", Want(K.NOT_FOUND)),
    # noise never changes the answer
    ("<@123> <@!456> who wrote AdaGCN? <#7> <@&5> @everyone", Want(K.WHO_WROTE, ADAGCN)),
    ("> who wrote monoflow\nwho wrote adagcn", Want(K.WHO_WROTE, ADAGCN)),
    ("who wrote adagcn ```who wrote monoflow```", Want(K.WHO_WROTE, ADAGCN)),
    ("who wrote ***AdaGCN***??? 🤔🤔", Want(K.WHO_WROTE, ADAGCN)),
    ("`yopo`", Want(K.PAPER, YOPO)),
    # bad input: quiet or a short helpful answer
    ("", Want(K.NOTHING)),
    ("   ", Want(K.NOTHING)),
    ("😀😀🎉", Want(K.NOTHING)),
    ("@everyone", Want(K.NOTHING)),
    ("<@123>", Want(K.NOTHING)),
    ("```print('hi')```", Want(K.NOTHING)),
    ("> only a quote", Want(K.NOTHING)),
    ("thanks!", Want(K.ACK)),  # one short line, never a search
    ("who wrote", Want(K.NOT_FOUND)),
    ("bibtex", Want(K.NOT_FOUND)),
    ("这篇论文是谁写的", Want(K.NOT_FOUND)),
    ("x" * 4000, Want(K.NOT_FOUND)),
]


@pytest.mark.parametrize(("text", "want"), ROWS, ids=[t[:40] or "empty" for t, _ in ROWS])
def test_answer(chat_catalog: Catalog, text: str, want: Want) -> None:
    check(answer(chat_catalog, text), want)


def subject(catalog: Catalog, *titles: str, author: str | None = None) -> Subject:
    ids = tuple(catalog.find_papers(t, limit=1)[0].paper.id for t in titles)
    author_id = catalog.find_authors(author, limit=1)[0].id if author else None
    return Subject(ids, author_id)


FOLLOW_UPS = [
    ("who wrote it?", (YOPO,), None, Want(K.WHO_WROTE, YOPO)),
    ("code?", (YOPO,), None, Want(K.CODE, YOPO)),
    ("bibtex", (MONOFLOW,), None, Want(K.BIBTEX, MONOFLOW)),
    ("abstract?", (ADAGCN,), None, Want(K.ABSTRACT, ADAGCN)),
    ("what is it about", (STUNET,), None, Want(K.ABSTRACT, STUNET)),
    ("more by the first author", (MONOFLOW,), None, Want(K.AUTHOR, author="Mingxuan Yi")),
    ("more by the last author", (MONOFLOW,), None, Want(K.AUTHOR, author="Song Liu")),
    ("the second one", (YOPO, MONOFLOW), None, Want(K.PAPER, MONOFLOW)),
    ("who wrote the 2nd one?", (YOPO, MONOFLOW), None, Want(K.WHO_WROTE, MONOFLOW)),
    ("since 2025?", (), "Zhanxing Zhu", Want(K.AUTHOR, author="Zhanxing Zhu", total=2, year_from=2025)),
    ("latest?", (), "Ke Sun", Want(K.PAPER, LATEST_KE_SUN, author="Ke Sun")),
    ("more like this", (STFGNN,), None, Want(K.PAPERS)),
    # an explicit subject wins over the one replied to
    ("who wrote monoflow?", (YOPO,), None, Want(K.WHO_WROTE, MONOFLOW)),
]


@pytest.mark.parametrize(("text", "about", "author", "want"), FOLLOW_UPS, ids=[r[0] for r in FOLLOW_UPS])
def test_follow_up(
    chat_catalog: Catalog, text: str, about: tuple[str, ...], author: str | None, want: Want
) -> None:
    got = answer(chat_catalog, text, subject(chat_catalog, *about, author=author))
    check(got, want)


def test_answers_carry_their_subject_for_follow_ups(chat_catalog: Catalog) -> None:
    first = answer(chat_catalog, "yopo")
    assert first.subject == Subject((first.papers[0].id,))
    assert answer(chat_catalog, "who wrote it?", first.subject).papers == first.papers
    person = answer(chat_catalog, "papers by ke sun")
    assert person.subject is not None and person.subject.author_id == person.author_id
    assert answer(chat_catalog, "latest", person.subject).papers[0].title == LATEST_KE_SUN


def test_more_like_this_leaves_out_the_paper_itself(chat_catalog: Catalog) -> None:
    got = answer(chat_catalog, "more like this", subject(chat_catalog, STFGNN))
    titles = [p.title for p in got.papers]
    assert STFGNN not in titles and GWT in titles


def test_the_lead_never_carries_unbounded_user_text(chat_catalog: Catalog) -> None:
    got = answer(chat_catalog, "papers about " + "zebra " * 300)
    assert got.kind is AnswerKind.NOT_FOUND and len(got.lead) < 120


@given(st.text(max_size=300))
def test_any_text_gets_an_answer_not_an_exception(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    catalog = _shared(tmp_path_factory)
    got = answer(catalog, text)
    assert isinstance(got.kind, AnswerKind) and len(got.lead) <= 300


_CATALOGS: dict[str, Catalog] = {}


def _shared(factory: pytest.TempPathFactory) -> Catalog:
    """One bundled catalog for the property test (hypothesis reruns the body, not fixtures)."""
    if "seed" not in _CATALOGS:
        catalog = Catalog(factory.mktemp("prop") / "seed.db")
        load_bundled_if_empty(catalog, today=date(2026, 11, 25))
        _CATALOGS["seed"] = catalog
    return _CATALOGS["seed"]


# --- find papers in a message ------------------------------------------------------------------------


def test_papers_named_in_a_message(chat_catalog: Catalog) -> None:
    text = (
        "Reading group list:\n"
        "1. You Only Propagate Once (the adversarial training one)\n"
        "2. https://arxiv.org/abs/2106.01234v2\n"
        "> also MonoFlow, and arXiv:2401.99999 which nobody has\n"
        "```bib\n@article{x, eprint={hep-th/9901001}}\n```\n"
        "and Reinforced Continual Learning, maybe. <@123>"
    )
    titles = [p.title for p in papers_named_in(chat_catalog, text)]
    assert titles[:2] == [GWT, TOY]  # ids first, in order
    assert set(titles) == {GWT, TOY, YOPO, MONOFLOW, RCL}


def test_papers_named_in_finds_nothing_in_chatter(chat_catalog: Catalog) -> None:
    assert papers_named_in(chat_catalog, "lol did anyone see the game last night? 😀 @everyone") == []
    assert papers_named_in(chat_catalog, "") == []


def test_papers_named_in_finds_short_names_written_in_lower_case(chat_catalog: Catalog) -> None:
    found = papers_named_in(chat_catalog, "what do you think of monoflow? and stunet, adagcn")
    assert [p.title for p in found] == [MONOFLOW, STUNET, ADAGCN]
    # everyday words, even words of titles, name no paper
    assert papers_named_in(chat_catalog, "I think we should compare graph training models today") == []


def test_papers_named_in_respects_the_limit(chat_catalog: Catalog) -> None:
    text = "2106.01234 1905.00877 2301.00001 hep-th/9901001 1703.04567"
    assert len(papers_named_in(chat_catalog, text, limit=3)) == 3


def test_bundled_catalog_fixture_answers_too(catalog: Catalog, tmp_path: Path) -> None:
    assert answer(catalog, "who wrote yopo").papers[0].title == YOPO


# --- found by mutating the code (a mutant each of these kills) -------------------------------------


def test_close_candidates_get_a_menu_not_a_guess(chat_catalog: Catalog) -> None:
    got = answer(chat_catalog, "the continual learning paper", today=TODAY)
    assert got.kind is AnswerKind.PAPERS and got.lead == "Do you mean one of these?"
    assert {RCL, "Bayesian Optimized Continual Learning with Attention Mechanism"} <= {
        p.title for p in got.papers
    }


def test_asking_how_to_use_it_gets_help(chat_catalog: Catalog) -> None:
    assert answer(chat_catalog, "hi, new here — how do I use you?", today=TODAY).kind is AnswerKind.HELP


def test_more_shows_the_rest_of_a_list_and_only_the_rest(chat_catalog: Catalog) -> None:
    first = answer(chat_catalog, "anything on adversarial?", today=TODAY)
    assert first.subject is not None and first.total is not None and first.total > 10
    more = answer(chat_catalog, "more", first.subject, today=TODAY)
    shown = [p.id for p in first.papers] + [p.id for p in more.papers]
    assert more.papers[0].id == first.subject.paper_ids[10]
    assert sorted(shown) == sorted(first.subject.paper_ids[: len(shown)]) and len(set(shown)) == len(shown)


def test_ordinals_pick_from_the_list_replied_to(chat_catalog: Catalog) -> None:
    listed = answer(chat_catalog, "anything on adversarial?", today=TODAY)
    assert listed.subject is not None
    for text, index in (
        ("the first one", 0),
        ("the second one", 1),
        ("that last one", len(listed.papers) - 1),
    ):
        got = answer(chat_catalog, text, listed.subject, today=TODAY)
        assert got.papers[0].id == listed.papers[index].id, text


def test_his_other_work_asks_which_author(chat_catalog: Catalog) -> None:
    card = answer(chat_catalog, "monoflow", today=TODAY)
    got = answer(chat_catalog, "his other work?", card.subject, today=TODAY)
    assert got.kind is AnswerKind.AUTHORS and len(got.authors) >= 2
    theirs = answer(chat_catalog, "their other papers?", card.subject, today=TODAY)
    assert theirs.kind is AnswerKind.PAPERS and MONOFLOW not in {p.title for p in theirs.papers}


def test_years_filter_papers_named_by_name(chat_catalog: Catalog) -> None:
    assert answer(chat_catalog, "yopo from 2024", today=TODAY).kind is AnswerKind.NOT_FOUND


def test_year_leads_say_the_years_asked_for(chat_catalog: Catalog) -> None:
    assert answer(chat_catalog, "papers from 2021", today=TODAY).lead.endswith("papers in 2021:")
    assert answer(chat_catalog, "papers from 2019 to 2021", today=TODAY).lead.endswith(
        "papers from 2019 to 2021:"
    )


def test_more_by_the_same_authors_is_newest_first(chat_catalog: Catalog) -> None:
    card = answer(chat_catalog, "monoflow", today=TODAY)
    theirs = answer(chat_catalog, "their other papers?", card.subject, today=TODAY)
    dates = [p.published for p in theirs.papers]
    assert dates == sorted(dates, reverse=True)
