"""A few arXiv-style records the chat tests add to the bundled listing (see test_answers.py).

They give the catalog what the bundled listing lacks: real arXiv ids (new and old style), a
code link, an accented name, two people whose names differ by one letter (Wei / Wen Zhang) and
categories outside machine learning.
"""

from __future__ import annotations

import json
from pathlib import Path

GWT = "Graph Wavelet Transformers for Traffic Forecasting"
TOY = "Holographic Entanglement in Toy Universes"
STAIRWAY = "Stairway: Legged Robots That Learn to Climb"
ROUTERS = "Sparse Mixture Routers for Speech Separation"
ANNEALING = "Quantum Annealing Schedules for Sparse Regression"


def _created(day: str) -> list[dict[str, str]]:
    return [{"version": "v1", "created": day}]


RECORDS = [
    {
        "id": "2106.01234",
        "title": GWT,
        "authors": "Wei Zhang, Amara Okafor",
        "abstract": "We forecast road traffic with graph wavelets and a transformer over sensors. "
        "Code: https://github.com/example/graph-wavelet-transformers",
        "categories": "cs.LG stat.ML",
        "versions": _created("Tue, 1 Jun 2021 10:00:00 GMT"),
    },
    {
        "id": "hep-th/9901001",
        "title": TOY,
        "authors": "Amara Okafor, Lukas Brandt",
        "abstract": "Entanglement entropy in lower-dimensional toy universes, computed holographically.",
        "categories": "hep-th",
        "versions": _created("Fri, 1 Jan 1999 09:00:00 GMT"),
    },
    {
        "id": "1905.00877",
        "title": STAIRWAY,
        "authors": "Hannah Müller, Lukas Brandt",
        "abstract": "A quadruped learns to climb stairs from proprioception alone, trained in simulation.",
        "categories": "cs.RO",
        "update_date": "2019-05-02",
    },
    {
        "id": "1703.04567",
        "title": ROUTERS,
        "authors": "Wen Zhang, Hannah Müller",
        "abstract": "Sparse mixture-of-experts routers separate overlapping speakers in noisy rooms.",
        "categories": "cs.SD",
        "versions": _created("Mon, 13 Mar 2017 12:00:00 GMT"),
    },
    {
        "id": "2301.00001",
        "title": ANNEALING,
        "authors": "Wei Zhang, Lukas Brandt",
        "abstract": "Annealing schedules for sparse regression on quantum hardware, with guarantees.",
        "categories": "math.OC",
        "versions": _created("Sun, 1 Jan 2023 08:00:00 GMT"),
    },
]


def write_records(path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path
