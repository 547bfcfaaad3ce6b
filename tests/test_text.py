"""Folding, aliases, LaTeX rendering, summaries and code links."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.index.names import author_key, initials_form, is_name
from store.summary import sentences, summarize
from store.text import (
    clean_code_url,
    display_title,
    find_code_url,
    fold,
    latex_to_text,
    plural,
    title_aliases,
    year_span,
)


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("Müller") == fold("MULLER") == "muller"
    assert fold("ST-UNet: A Spatio-Temporal U-Network") == "st unet a spatio temporal u network"
    assert fold("  ") == ""


def test_aliases_cover_acronyms_and_compact_heads() -> None:
    assert "yopo" in title_aliases("You Only Propagate Once: Accelerating Adversarial Training")
    assert "stunet" in title_aliases("ST-UNet: A Spatio-Temporal U-Network for Graph-structured Time Series")
    assert "adagcn" in title_aliases("AdaGCN: Adaboosting Graph Convolutional Networks into Deep Models")
    # "from" is skipped like BERT skips it
    assert "bert" in title_aliases("Bidirectional Encoder Representations from Transformers")


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        (r"we introduce $\textbf{F}$orward $\textbf{G}$radient", "we introduce Forward Gradient"),
        (r"abbreviated as $(\textbf{FG})^2\textbf{U}$, which", "abbreviated as (FG)^2U, which"),
        (
            r"AdaGCN~\footnote{Code is at \url{https://github.com/datake/AdaGCN}.}",
            "AdaGCN [Code is at https://github.com/datake/AdaGCN.]",
        ),
        (r"the same ``layers'' as before", "the same “layers” as before"),
        ("improves accuracy by 5% & speed ~ 1/4", "improves accuracy by 5% & speed ~ 1/4"),
        (r"a cost of 50\% of $\alpha$", "a cost of 50% of α"),
        ("plain text stays as it is.", "plain text stays as it is."),
    ],
)
def test_latex_to_text(raw: str, plain: str) -> None:
    assert latex_to_text(raw) == plain


def test_latex_footnote_keeps_its_url_readable() -> None:
    text = latex_to_text(r"AdaGCN~\footnote{Code is available at \url{https://github.com/datake/AdaGCN}.}")
    assert "https://github.com/datake/AdaGCN" in text
    assert "\\" not in text and "{" not in text


def test_sentences_do_not_break_at_abbreviations() -> None:
    text = "We use e.g. SGD as in Lu et al. 2019. It works, i.e. it converges. Done."
    assert sentences(text) == [
        "We use e.g. SGD as in Lu et al. 2019.",
        "It works, i.e. it converges.",
        "Done.",
    ]


def test_summary_is_one_or_two_sentences_within_300_characters() -> None:
    abstract = "First sentence is short. Second one is short too. Third is never included."
    assert summarize(abstract) == "First sentence is short. Second one is short too."
    long_second = "Short first. Then " + "word " * 80 + "end."
    assert summarize(long_second) == "Short first."


def test_overlong_first_sentence_is_cut_at_a_word_with_an_ellipsis() -> None:
    abstract = "alpha " * 100 + "end."
    summary = summarize(abstract)
    assert len(summary) <= 300
    assert summary.endswith("alpha…")


def test_summary_renders_latex() -> None:
    summary = summarize(r"We propose $\textbf{F}$orward $\textbf{G}$radient $\textbf{U}$nrolling. More.")
    assert summary == "We propose Forward Gradient Unrolling."


def test_summary_of_empty_abstract_is_empty() -> None:
    assert summarize("") == ""
    assert summarize("   ") == ""


@pytest.mark.parametrize(
    ("abstract", "url"),
    [
        (
            "Our codes are at https://https://github.com/a/YOPO-You-Only-Propagate-Once.",
            "https://github.com/a/YOPO-You-Only-Propagate-Once",
        ),
        (
            r"\footnote{Code is available at \url{https://github.com/datake/AdaGCN}.}",
            "https://github.com/datake/AdaGCN",
        ),
        ("Code is available at https://github.com/ShenQianli/FG2U.", "https://github.com/ShenQianli/FG2U"),
        ("See http://gitlab.com/group/proj, and https://github.com/x/y.", "https://gitlab.com/group/proj"),
        ("Project page https://example.org/x and no repository.", None),
        ("Only a profile: https://github.com/", None),
    ],
)
def test_code_url(abstract: str, url: str | None) -> None:
    assert find_code_url(abstract) == url


def test_author_keys_merge_spellings() -> None:
    assert author_key("Xiao-Yun Zhou") == author_key("Xiaoyun Zhou") == author_key("XIAOYUN ZHOU")
    assert author_key("Edmond S. L. Ho") == author_key("Edmond S.L. Ho") == "edmond s l ho"
    assert author_key("Jürgen Müller") == author_key("Jurgen Muller")
    assert initials_form("zhanxing zhu") == "z zhu"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zhanxing Zhu", True),
        ("Edmond S. L. Ho", True),
        ("Edmond S.L. Ho", True),
        ("Xiao-Yun Zhou", True),
        ("Ludwig van Beethoven", True),
        ("John McDonald Jr.", True),
        ("and SGDRuosi Wan", False),
        ("GANKe Sun", False),
        ("Weight decay", False),
    ],
)
def test_is_name(text: str, expected: bool) -> None:
    assert is_name(text) is expected


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_fold_fast_path_agrees_with_the_unicode_rules(text: str) -> None:
    """fold's byte-table shortcut for ASCII must give what the general rules give."""
    general = unicodedata.normalize("NFKD", text)
    assert fold(text) == " ".join(re.sub(r"[\W_]+", " ", general.casefold()).split())


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("naïve Café", "naive cafe"),
        ("Dvořák", "dvorak"),
        ("İstanbul", "istanbul"),  # the dot above is a combining mark once decomposed
        ("Straße", "strasse"),
        ("Σίσυφος", "σισυφοσ"),  # accents go, final sigma is folded like any sigma
        ("Ærøskøbing", "ærøskøbing"),  # letters with no decomposition are kept
        ("ﬁne-tuning", "fine tuning"),
        ("Ｆｕｌｌ", "full"),
        ("Ǆemal", "dzemal"),
        ("a_b—c", "a b c"),
        ("北京 大学", "北京 大学"),
    ],
)
def test_fold_of_non_ascii_text(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_title_aliases_reuse_the_folded_title() -> None:
    for title in ("You Only Propagate Once", "ST-UNet: Swin", "BERT from Pre-training of Deep Bidirectional"):
        assert title_aliases(title, fold(title)) == title_aliases(title)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (
            r"On the $\mathcal{O}(n \log n)$ complexity of \textit{sorting} with $\alpha$-$\beta$ pruning",
            "On the 𝒪(n log n) complexity of sorting with α-β pruning",
        ),
        (r"Sorting in $O(n\log n)$ time", "Sorting in O(n log n) time"),
        (r"Bounds on $\|x\|_2$ norms", "Bounds on ‖x‖_2 norms"),
        ("You Only Propagate Once: Accelerating Adversarial Training", None),
        ("50% & more ~ 1/4", None),
    ],
)
def test_display_title_renders_latex(raw: str, shown: str | None) -> None:
    assert display_title(raw) == (shown or raw)


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        (r"in linear time~\cite{knuth}. Next", "in linear time. Next"),
        (r"as shown \citep{a, b}, and more", "as shown, and more"),
        (r"see Section~\ref{sec:x} ; then", "see Section; then"),
        (r"costs $n\log n$ steps", "costs n log n steps"),
    ],
)
def test_latex_glitches(raw: str, plain: str) -> None:
    assert latex_to_text(raw) == plain


def test_plurals_and_year_spans() -> None:
    assert plural(1, "paper") == "1 paper"
    assert plural(21, "paper") == "21 papers"
    assert plural(0, "problem") == "0 problems"
    assert plural(1204, "author") == "1,204 authors"
    assert year_span(2019, 2019) == "2019"
    assert year_span(2018, 2025) == "2018–2025"


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://github.com/a/b.git", "https://github.com/a/b"),
        ("https://github.com/a/b.git/", "https://github.com/a/b"),
        ("https://gitlab.com/g/p.GIT", "https://gitlab.com/g/p"),
        ("https://github.com/a/b.github.io", "https://github.com/a/b.github.io"),
        ("https://github.com/a/b/", "https://github.com/a/b/"),
    ],
)
def test_code_links_drop_git(url: str, clean: str) -> None:
    assert clean_code_url(url) == clean
    assert find_code_url(f"Code: {url}.") == clean
