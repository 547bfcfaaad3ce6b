"""arXiv category codes: the listing's two-letter codes, full ids and human names.

The listing glues a bare subject code (``LG``) into its header; users type either that or the
full id (``cs.LG``). Both resolve here, so every other module only ever sees full ids.
"""

from __future__ import annotations

# Archives in the order a bare, ambiguous subject code is resolved (``IT`` is cs.IT before
# math.IT): the listing comes from a computer-science site, so cs wins.
_TAXONOMY: dict[str, dict[str, str]] = {
    "cs": {
        "AI": "Artificial Intelligence",
        "AR": "Hardware Architecture",
        "CC": "Computational Complexity",
        "CE": "Computational Engineering, Finance, and Science",
        "CG": "Computational Geometry",
        "CL": "Computation and Language",
        "CR": "Cryptography and Security",
        "CV": "Computer Vision and Pattern Recognition",
        "CY": "Computers and Society",
        "DB": "Databases",
        "DC": "Distributed, Parallel, and Cluster Computing",
        "DL": "Digital Libraries",
        "DM": "Discrete Mathematics",
        "DS": "Data Structures and Algorithms",
        "ET": "Emerging Technologies",
        "FL": "Formal Languages and Automata Theory",
        "GL": "General Literature",
        "GR": "Graphics",
        "GT": "Computer Science and Game Theory",
        "HC": "Human-Computer Interaction",
        "IR": "Information Retrieval",
        "IT": "Information Theory",
        "LG": "Machine Learning",
        "LO": "Logic in Computer Science",
        "MA": "Multiagent Systems",
        "MM": "Multimedia",
        "MS": "Mathematical Software",
        "NA": "Numerical Analysis",
        "NE": "Neural and Evolutionary Computing",
        "NI": "Networking and Internet Architecture",
        "OH": "Other Computer Science",
        "OS": "Operating Systems",
        "PF": "Performance",
        "PL": "Programming Languages",
        "RO": "Robotics",
        "SC": "Symbolic Computation",
        "SD": "Sound",
        "SE": "Software Engineering",
        "SI": "Social and Information Networks",
        "SY": "Systems and Control",
    },
    "stat": {
        "AP": "Applications",
        "CO": "Computation",
        "ME": "Methodology",
        "ML": "Machine Learning",
        "OT": "Other Statistics",
        "TH": "Statistics Theory",
    },
    "eess": {
        "AS": "Audio and Speech Processing",
        "IV": "Image and Video Processing",
        "SP": "Signal Processing",
        "SY": "Systems and Control",
    },
    "math": {
        "AG": "Algebraic Geometry",
        "AP": "Analysis of PDEs",
        "CO": "Combinatorics",
        "DS": "Dynamical Systems",
        "FA": "Functional Analysis",
        "IT": "Information Theory",
        "LO": "Logic",
        "NA": "Numerical Analysis",
        "NT": "Number Theory",
        "OC": "Optimization and Control",
        "PR": "Probability",
        "ST": "Statistics Theory",
    },
    "q-bio": {
        "BM": "Biomolecules",
        "NC": "Neurons and Cognition",
        "QM": "Quantitative Methods",
    },
    "q-fin": {
        "CP": "Computational Finance",
        "PM": "Portfolio Management",
        "ST": "Statistical Finance",
    },
    "econ": {
        "EM": "Econometrics",
        "GN": "General Economics",
        "TH": "Theoretical Economics",
    },
}

NAMES: dict[str, str] = {
    f"{archive}.{code}": name for archive, codes in _TAXONOMY.items() for code, name in codes.items()
}

_BY_CODE: dict[str, str] = {}
for _archive, _codes in _TAXONOMY.items():
    for _code in _codes:
        _BY_CODE.setdefault(_code, f"{_archive}.{_code}")
_BY_LOWER_ID = {full.lower(): full for full in NAMES}


def resolve(code: str) -> str:
    """Turn ``LG``, ``cs.LG`` or ``cs.lg`` into ``cs.LG``; keep unknown codes as given.

    Unknown codes are kept rather than rejected because arXiv adds categories over time and a
    catalog should not lose papers to an out-of-date table.
    """
    code = code.strip()
    if code.upper() in _BY_CODE and "." not in code:
        return _BY_CODE[code.upper()]
    return _BY_LOWER_ID.get(code.lower(), code)


def name_of(category: str) -> str | None:
    """The human name of a full category id, if known."""
    return NAMES.get(category)


def label(category: str) -> str:
    """A category as people read it: ``cs.LG · Machine Learning`` (the id alone if unknown)."""
    name = name_of(category)
    return f"{category} · {name}" if name else category
