"""The listing parser against every record of the real seed listing, and against bad input."""

from __future__ import annotations

from datetime import date

import pytest

from store.catalog.models import LoadProblem, Paper
from store.loading.listing import ListingError, parse_header, parse_listing, split_title_authors

TODAY = date(2026, 11, 25)

# (title, authors, authors_truncated, published, category, score, code_url) for all 50 papers,
# in file order. Checked by hand against store/data/papers.txt.
SEED = [
    (
        "When Autoregressive Consistency Hurts Safety Alignment",
        ["Bochen Lyu", "Yiyang Jia", "Xiaohao Cai"],
        True,
        "2026-06-02",
        "cs.LG",
        82.1,
        None,
    ),
    (
        "MonoFlow: Rethinking Divergence GANs via the Perspective of Wasserstein Gradient Flows",
        ["Mingxuan Yi", "Zhanxing Zhu", "Song Liu"],
        False,
        "2023-02-02",
        "stat.ML",
        None,
        None,
    ),
    (
        "Mechanistically Interpreting the Role of Sample Difficulty in RLVR for LLMs",
        ["Yue Cheng", "Jiajun Zhang", "Xiaohui Gao"],
        True,
        "2026-05-27",
        "cs.AI",
        93.0,
        None,
    ),
    (
        "Doubly Stochastic Models: Learning with Unbiased Label Noises and Inference Stability",
        ["Haoyi Xiong", "Xuhong Li", "Boyang Yu"],
        True,
        "2023-04-01",
        "cs.LG",
        None,
        None,
    ),
    (
        "ViTE: Virtual Graph Trajectory Expert Router for Pedestrian Trajectory Prediction",
        ["Ruochen Li", "Zhanxing Zhu", "Tanqiu Qiao"],
        True,
        "2025-11-15",
        "cs.AI",
        None,
        None,
    ),
    (
        "Memory-Efficient Gradient Unrolling for Large-Scale Bi-level Optimization",
        ["Qianli Shen", "Yezhen Wang", "Zhouhao Yang"],
        True,
        "2024-06-20",
        "cs.LG",
        None,
        "https://github.com/ShenQianli/FG2U",
    ),
    (
        "Informative Dropout for Robust Representation Learning: A Shape-bias Perspective",
        ["Baifeng Shi", "Dinghuai Zhang", "Qi Dai"],
        True,
        "2020-08-10",
        "cs.LG",
        None,
        "https://github.com/bfshi/InfoDrop",
    ),
    (
        "AdaGCN: Adaboosting Graph Convolutional Networks into Deep Models",
        ["Ke Sun", "Zhanxing Zhu", "Zhouchen Lin"],
        False,
        "2019-08-14",
        "cs.LG",
        None,
        "https://github.com/datake/AdaGCN",
    ),
    (
        "You Only Propagate Once: Accelerating Adversarial Training via Maximal Principle",
        ["Dinghuai Zhang", "Tianyuan Zhang", "Yiping Lu"],
        True,
        "2019-05-02",
        "stat.ML",
        None,
        "https://github.com/a1600012888/YOPO-You-Only-Propagate-Once",
    ),
    (
        "Efficient Linear Attention for Multivariate Time Series Modeling via Entropy Equality",
        ["Mingtao Zhang", "Guoli Yang", "Zhanxing Zhu"],
        True,
        "2025-11-05",
        "cs.LG",
        None,
        None,
    ),
    (
        "FilDeep: Learning Large Deformations of Elastic-Plastic Solids with Multi-Fidelity Data",
        ["Jianheng Tang", "Shilong Tao", "Zhe Feng"],
        True,
        "2026-01-15",
        "cs.AI",
        None,
        None,
    ),
    (
        "Unified Spatial-Temporal Edge-Enhanced Graph Networks for Pedestrian Trajectory Prediction",
        ["Ruochen Li", "Tanqiu Qiao", "Stamos Katsigiannis"],
        True,
        "2025-02-04",
        "cs.CV",
        None,
        None,
    ),
    (
        "MAVEN: A Mesh-Aware Volumetric Encoding Network for Simulating 3D Flexible Deformation",
        ["Zhe Feng", "Shilong Tao", "Haonan Sun"],
        True,
        "2026-04-06",
        "cs.LG",
        42.5,
        None,
    ),
    (
        "D2R: dual regularization loss with collaborative adversarial generation for model robustness",
        ["Zhenyu Liu", "Huizhi Liang", "Rajiv Ranjan"],
        True,
        "2025-06-08",
        "cs.CV",
        None,
        None,
    ),
    (
        "AFCL: Analytic Federated Continual Learning for Spatio-Temporal Invariance of Non-IID Data",
        ["Jianheng Tang", "Huiping Zhuang", "Jingyu He"],
        True,
        "2025-05-18",
        "cs.LG",
        None,
        None,
    ),
    (
        "ACU: Analytic Continual Unlearning for Efficient and Exact Forgetting with Privacy Preservation",
        ["Jianheng Tang", "Huiping Zhuang", "Di Fang"],
        True,
        "2025-05-18",
        "cs.LG",
        None,
        None,
    ),
    (
        "Transformers with RL or SFT Provably Learn Sparse Boolean Functions, But Differently",
        ["Bochen Lyu", "Yiyang Jia", "Xiaohao Cai"],
        True,
        "2025-11-22",
        "cs.LG",
        None,
        None,
    ),
    (
        "Heavy-Ball Momentum Method in Continuous Time and Discretization Error Analysis",
        ["Bochen Lyu", "Xiaojing Zhang", "Fangyi Zheng"],
        True,
        "2025-06-03",
        "cs.LG",
        None,
        None,
    ),
    (
        "Fine-grained differentiable physics: a yarn-level model for fabrics",
        ["Deshan Gong", "Zhanxing Zhu", "Andrew J. Bulpitt"],
        True,
        "2022-02-01",
        "cs.LG",
        None,
        None,
    ),
    (
        "Proceedings of ICML 2021 Workshop on Theoretic Foundation, Criticism, and Application Trend of Explainable AI",
        ["Quanshi Zhang", "Tian Han", "Lixin Fan"],
        True,
        "2021-07-16",
        "cs.LG",
        None,
        None,
    ),
    (
        "Positive-Negative Momentum: Manipulating Stochastic Gradient Noise to Improve Generalization",
        ["Zeke Xie", "Li Yuan", "Zhanxing Zhu"],
        True,
        "2021-03-31",
        "cs.LG",
        None,
        None,
    ),
    (
        "Spatial-Temporal Fusion Graph Neural Networks for Traffic Flow Forecasting",
        ["Mengzhang Li", "Zhanxing Zhu"],
        False,
        "2020-12-15",
        "cs.LG",
        None,
        None,
    ),
    (
        "Amata: An Annealing Mechanism for Adversarial Training Acceleration",
        ["Nanyang Ye", "Qianxiao Li", "Xiao-Yun Zhou"],
        True,
        "2020-12-15",
        "cs.LG",
        None,
        None,
    ),
    (
        "Knowledge Distillation in Wide Neural Networks: Risk Bound, Data Efficiency and Imperfect Teacher",
        ["Guangda Ji", "Zhanxing Zhu"],
        False,
        "2020-10-20",
        "cs.LG",
        None,
        None,
    ),
    (
        "Neural Approximate Sufficient Statistics for Implicit Models",
        ["Yanzhi Chen", "Dinghuai Zhang", "Michael Gutmann"],
        True,
        "2020-10-20",
        "stat.ML",
        None,
        None,
    ),
    (
        "Automatic Data Augmentation for 3D Medical Image Segmentation",
        ["Ju Xu", "Mengzhang Li", "Zhanxing Zhu"],
        False,
        "2020-10-07",
        "eess.IV",
        None,
        None,
    ),
    (
        "Spherical Motion Dynamics: Learning Dynamics of Neural Network with Normalization, Weight Decay, and SGD",
        ["Ruosi Wan", "Zhanxing Zhu", "Xiangyu Zhang"],
        True,
        "2020-06-15",
        "stat.ML",
        None,
        None,
    ),
    (
        "On Leveraging Unlabeled Data for Concurrent Positive-Unlabeled Classification and Robust Generation",
        ["Bing Yu", "Ke Sun", "He Wang"],
        True,
        "2020-06-14",
        "cs.LG",
        None,
        None,
    ),
    (
        "Global Robustness Verification Networks",
        ["Weidi Sun", "Yuteng Lu", "Xiyue Zhang"],
        True,
        "2020-06-08",
        "cs.LG",
        None,
        None,
    ),
    (
        "Black-Box Certification with Randomized Smoothing: A Functional Optimization Based Framework",
        ["Dinghuai Zhang", "Mao Ye", "Chengyue Gong"],
        True,
        "2020-02-21",
        "cs.LG",
        None,
        None,
    ),
    (
        "Patch-level Neighborhood Interpolation: A General and Effective Graph-based Regularization Strategy",
        ["Ke Sun", "Bing Yu", "Zhouchen Lin"],
        True,
        "2019-11-21",
        "cs.LG",
        None,
        None,
    ),
    (
        "Towards Making Deep Transfer Learning Never Hurt",
        ["Ruosi Wan", "Haoyi Xiong", "Xingjian Li"],
        True,
        "2019-11-18",
        "cs.LG",
        None,
        None,
    ),
    (
        "Spatio-temporal Manifold Learning for Human Motions via Long-horizon Modeling",
        ["He Wang", "Edmond S. L. Ho", "Hubert P. H. Shum"],
        True,
        "2019-08-20",
        "cs.GR",
        None,
        None,
    ),
    (
        "On the Noisy Gradient Descent that Generalizes as SGD",
        ["Jingfeng Wu", "Wenqing Hu", "Haoyi Xiong"],
        True,
        "2019-06-18",
        "cs.LG",
        None,
        None,
    ),
    (
        "Efficient Neural Architecture Search via Proximal Iterations",
        ["Quanming Yao", "Ju Xu", "Wei-Wei Tu"],
        True,
        "2019-05-30",
        "cs.LG",
        None,
        None,
    ),
    (
        "On the Learning Dynamics of Two-layer Nonlinear Convolutional Neural Networks",
        ["Bing Yu", "Junzhao Zhang", "Zhanxing Zhu"],
        False,
        "2019-05-24",
        "cs.LG",
        None,
        None,
    ),
    (
        "Interpreting Adversarially Trained Convolutional Neural Networks",
        ["Tianyuan Zhang", "Zhanxing Zhu"],
        False,
        "2019-05-23",
        "cs.LG",
        None,
        None,
    ),
    (
        "Bayesian Optimized Continual Learning with Attention Mechanism",
        ["Ju Xu", "Jin Ma", "Zhanxing Zhu"],
        False,
        "2019-05-10",
        "cs.LG",
        None,
        None,
    ),
    (
        "ST-UNet: A Spatio-Temporal U-Network for Graph-structured Time Series Modeling",
        ["Bing Yu", "Haoteng Yin", "Zhanxing Zhu"],
        False,
        "2019-03-13",
        "cs.LG",
        None,
        None,
    ),
    (
        "3D Graph Convolutional Networks with Temporal Graphs: A Spatial Information Free Framework For Traffic Forecasting",
        ["Bing Yu", "Mengzhang Li", "Jiyong Zhang"],
        True,
        "2019-03-03",
        "cs.LG",
        None,
        None,
    ),
    (
        "Virtual Adversarial Training on Graph Convolutional Networks in Node Classification",
        ["Ke Sun", "Zhouchen Lin", "Hantao Guo"],
        True,
        "2019-02-28",
        "cs.LG",
        None,
        None,
    ),
    (
        "Multi-Stage Self-Supervised Learning for Graph Convolutional Networks on Graphs with Few Labels",
        ["Ke Sun", "Zhouchen Lin", "Zhanxing Zhu"],
        False,
        "2019-02-28",
        "cs.LG",
        None,
        None,
    ),
    (
        "Enhancing the Robustness of Deep Neural Networks by Boundary Conditional GAN",
        ["Ke Sun", "Zhanxing Zhu", "Zhouchen Lin"],
        False,
        "2019-02-28",
        "cs.LG",
        None,
        None,
    ),
    (
        "Towards Understanding Adversarial Examples Systematically: Exploring Data Size, Task and Model Factors",
        ["Ke Sun", "Zhanxing Zhu", "Zhouchen Lin"],
        False,
        "2019-02-28",
        "cs.LG",
        None,
        None,
    ),
    (
        "Quasi-potential as an implicit regularizer for the loss function in the stochastic gradient descent",
        ["Wenqing Hu", "Zhanxing Zhu", "Haoyi Xiong"],
        True,
        "2019-01-18",
        "cs.LG",
        None,
        None,
    ),
    (
        "Tangent-Normal Adversarial Regularization for Semi-supervised Learning",
        ["Bing Yu", "Jingfeng Wu", "Jinwen Ma"],
        True,
        "2018-08-18",
        "cs.LG",
        None,
        None,
    ),
    (
        "Neural Control Variates for Variance Reduction",
        ["Ruosi Wan", "Mingjun Zhong", "Haoyi Xiong"],
        True,
        "2018-06-01",
        "stat.ML",
        None,
        None,
    ),
    ("Reinforced Continual Learning", ["Ju Xu", "Zhanxing Zhu"], False, "2018-05-31", "cs.LG", None, None),
    (
        "The Anisotropic Noise in Stochastic Gradient Descent: Its Behavior of Escaping from Sharp Minima and Regularization Effects",
        ["Zhanxing Zhu", "Jingfeng Wu", "Bing Yu"],
        True,
        "2018-03-01",
        "stat.ML",
        None,
        None,
    ),
    (
        "Understanding and Enhancing the Transferability of Adversarial Examples",
        ["Lei Wu", "Zhanxing Zhu", "Cheng Tai"],
        True,
        "2018-02-27",
        "stat.ML",
        None,
        None,
    ),
]

CODE_MARKED = {
    "Memory-Efficient Gradient Unrolling for Large-Scale Bi-level Optimization",
    "Informative Dropout for Robust Representation Learning: A Shape-bias Perspective",
    "AdaGCN: Adaboosting Graph Convolutional Networks into Deep Models",
    "You Only Propagate Once: Accelerating Adversarial Training via Maximal Principle",
}


def parse(text: str, today: date = TODAY) -> tuple[list[Paper], list[LoadProblem]]:
    papers, problems = [], []
    for item in parse_listing(text.splitlines(keepends=True), "x.txt", today):
        (problems if isinstance(item, LoadProblem) else papers).append(item)
    return papers, problems


@pytest.fixture(scope="module")
def seed_text() -> str:
    from store.loading.loader import bundled_listing

    return bundled_listing().read_text(encoding="utf-8")


def test_every_seed_paper_is_parsed_exactly(seed_text: str) -> None:
    papers, problems = parse(seed_text)
    assert problems == []
    assert len(papers) == len(SEED) == 50
    for paper, (title, authors, truncated, published, category, score, code_url) in zip(
        papers, SEED, strict=True
    ):
        assert paper.title == title
        assert list(paper.authors) == authors
        assert paper.authors_truncated is truncated
        assert paper.published.isoformat() == published
        assert paper.category == category
        assert paper.score == score
        assert paper.code_url == code_url
        assert paper.has_code is (title in CODE_MARKED)


def test_seed_abstracts_are_kept_exactly(seed_text: str) -> None:
    papers, _ = parse(seed_text)
    raw_abstracts = seed_text.split("\n")[2::3]
    assert [p.abstract for p in papers] == [a.strip() for a in raw_abstracts]
    fg2u = papers[5]
    assert r"$\textbf{F}$orward" in fg2u.abstract


def test_seed_ids_are_unique_and_stable(seed_text: str) -> None:
    first, _ = parse(seed_text)
    again, _ = parse(seed_text.replace("\n", "\r\n"))
    assert len({p.id for p in first}) == 50
    assert [p.id for p in first] == [p.id for p in again]


@pytest.mark.parametrize(
    ("line", "title", "authors"),
    [
        (
            "Proceedings of ICML 2021 Workshop on Theoretic Foundation, Criticism, and Application "
            "Trend of Explainable AIQuanshi Zhang, Tian Han, Lixin Fan et al.",
            "Proceedings of ICML 2021 Workshop on Theoretic Foundation, Criticism, and Application "
            "Trend of Explainable AI",
            ["Quanshi Zhang", "Tian Han", "Lixin Fan"],
        ),
        (
            "Amata: An Annealing MechanismNanyang Ye, Xiao-Yun Zhou",
            "Amata: An Annealing Mechanism",
            ["Nanyang Ye", "Xiao-Yun Zhou"],
        ),
        (
            "Neural Architecture SearchXiao-Yun Zhou, Wei-Wei Tu",
            "Neural Architecture Search",
            ["Xiao-Yun Zhou", "Wei-Wei Tu"],
        ),
        ("Human MotionsEdmond S. L. Ho, He Wang", "Human Motions", ["Edmond S. L. Ho", "He Wang"]),
        (
            "Scaling Laws for GPT-4J. Smith, A. B. Jones",
            "Scaling Laws for GPT-4",
            ["J. Smith", "A. B. Jones"],
        ),
        ("Is Attention All You Need?Ashish Vaswani", "Is Attention All You Need?", ["Ashish Vaswani"]),
        (
            "Deep Learning in 3DJohn McDonald, Seán O'Brien",
            "Deep Learning in 3D",
            ["John McDonald", "Seán O'Brien"],
        ),
        ("Explainable AIA. Smith", "Explainable AI", ["A. Smith"]),
        (
            "Statistik für MaschinenJürgen Müller, Ludwig van Beethoven",
            "Statistik für Maschinen",
            ["Jürgen Müller", "Ludwig van Beethoven"],
        ),
    ],
)
def test_title_author_boundary(line: str, title: str, authors: list[str]) -> None:
    got_title, got_authors, _ = split_title_authors(line)
    assert (got_title, got_authors) == (title, authors)


def test_et_al_is_dropped_and_recorded() -> None:
    title, authors, truncated = split_title_authors("A Study of ThingsAnn Lee, Bo Chen et al.")
    assert (title, authors, truncated) == ("A Study of Things", ["Ann Lee", "Bo Chen"], True)


@pytest.mark.parametrize(
    "line", ["all lowercase title and no authors", "Title ends in a space Ann Lee", "  "]
)
def test_unsplittable_line_is_an_error(line: str) -> None:
    with pytest.raises(ListingError):
        split_title_authors(line)


@pytest.mark.parametrize(
    ("header", "score", "category", "published", "code"),
    [
        ("82.1LGJun 2", 82.1, "cs.LG", "2026-06-02", False),
        ("MLFeb 2, 2023", None, "stat.ML", "2023-02-02", False),
        ("LGJun 20, 2024Code", None, "cs.LG", "2024-06-20", True),
        ("IVOct 7, 2020", None, "eess.IV", "2020-10-07", False),
        ("GRAug 20, 2019", None, "cs.GR", "2019-08-20", False),
        ("100CLDec 31, 2025Code", 100.0, "cs.CL", "2025-12-31", True),
        ("0ROJan 1, 2020", 0.0, "cs.RO", "2020-01-01", False),
        ("ZZMar 3, 2021", None, "ZZ", "2021-03-03", False),  # unknown codes are kept
        ("cs.LGMar 3, 2021", None, "cs.LG", "2021-03-03", False),
    ],
)
def test_header(header: str, score: float | None, category: str, published: str, code: bool) -> None:
    parsed = parse_header(header, TODAY)
    assert parsed.score == score
    assert parsed.category == category
    assert parsed.published.isoformat() == published
    assert parsed.has_code_marker is code


def test_date_without_year_is_never_in_the_future() -> None:
    assert parse_header("LGJun 2", date(2026, 11, 25)).published == date(2026, 6, 2)
    assert parse_header("LGJun 2", date(2026, 3, 1)).published == date(2025, 6, 2)
    assert parse_header("LGMar 1", date(2026, 3, 1)).published == date(2026, 3, 1)
    # Feb 29 without a year: the latest one that is not in the future.
    assert parse_header("LGFeb 29", date(2026, 3, 1)).published == date(2024, 2, 29)
    assert parse_header("LGFeb 29", date(2028, 3, 1)).published == date(2028, 2, 29)


@pytest.mark.parametrize("header", ["120.5LGJun 2", "LGFeb 30, 2023", "LG 2023", "Jun 2"])
def test_bad_header_is_an_error(header: str) -> None:
    with pytest.raises(ListingError):
        parse_header(header, TODAY)


def test_tolerates_bom_crlf_blank_lines_and_trailing_spaces(seed_text: str) -> None:
    clean, _ = parse(seed_text)
    lines = seed_text.split("\n")
    messy = "\ufeff" + "".join(
        f"{line}   \r\n" + ("\r\n\r\n" if i % 3 == 2 else "") for i, line in enumerate(lines)
    )
    papers, problems = parse(messy)
    assert problems == []
    assert papers == clean


def test_malformed_records_are_reported_with_line_numbers_and_skipped() -> None:
    text = "\n".join(
        [
            "LGJun 20, 2024Code",  # 1
            "Good PaperAnn Lee, Bo Chen",  # 2
            "An abstract.",  # 3
            "this line is not a header",  # 4
            "LGFeb 30, 2023",  # 5: no such date
            "Skipped TitleAnn Lee",  # 6
            "Skipped abstract.",  # 7
            "MLMay 2, 2019",  # 8
            "no authors here at all",  # 9: cannot split
            "Its abstract.",  # 10
            "CVJan 3, 2020",  # 11: header without a title line
            "ROJan 4, 2020",  # 12
            "Last PaperCe Dong",  # 13
            "Last abstract.",  # 14
        ]
    )
    papers, problems = parse(text)
    assert [p.title for p in papers] == ["Good Paper", "Last Paper"]
    assert [(p.line, p.reason.split(":")[0]) for p in problems] == [
        (4, "expected a header line (score, category, date), got"),
        (5, "no such date"),
        (9, "cannot tell where the title ends and the authors begin"),
        (11, "record has no title and authors line"),
    ]
    assert str(problems[0]).startswith("x.txt:4: ")


def test_missing_abstract_is_an_empty_abstract() -> None:
    papers, problems = parse("LGJun 20, 2024\nA PaperAnn Lee\nCVJan 3, 2020\nB PaperBo Chen\n")
    assert problems == []
    assert [(p.title, p.abstract) for p in papers] == [("A Paper", ""), ("B Paper", "")]
