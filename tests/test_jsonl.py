"""The arXiv metadata-snapshot importer (JSON Lines)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from store.catalog.models import LoadProblem, Paper
from store.loading.arxiv_jsonl import parse_jsonl
from store.loading.input import detect_format

SNAPSHOT_RECORD = {
    "id": "0704.0001",
    "submitter": "Pavel Nadolsky",
    "authors": "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
    "title": "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies",
    "comments": "37 pages, 15 figures",
    "categories": "hep-ph",
    "abstract": "  A fully differential calculation in perturbative quantum chromodynamics is\npresented.\n",
    "versions": [
        {"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
        {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"},
    ],
    "update_date": "2008-11-13",
    "authors_parsed": [
        ["Balázs", "C.", ""],
        ["Berger", "E. L.", ""],
        ["Nadolsky", "P. M.", ""],
        ["Yuan", "C. -P.", ""],
    ],
}


def parse(lines: list[str]) -> tuple[list[Paper], list[LoadProblem]]:
    papers, problems = [], []
    for item in parse_jsonl(lines, "s.jsonl"):
        (problems if isinstance(item, LoadProblem) else papers).append(item)
    return papers, problems


def test_snapshot_record() -> None:
    (paper,), problems = parse([json.dumps(SNAPSHOT_RECORD)])
    assert problems == []
    assert paper.id == "0704.0001"
    assert (
        paper.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert paper.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan")
    assert paper.published == date(2007, 4, 2)  # first version, not the last update
    assert paper.category == "hep-ph"
    assert paper.abstract.startswith("A fully differential")
    assert paper.score is None and paper.has_code is False


def test_authors_string_with_tex_accents_when_not_parsed() -> None:
    record = {k: v for k, v in SNAPSHOT_RECORD.items() if k != "authors_parsed"}
    (paper,), _ = parse([json.dumps(record)])
    assert paper.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan")


def test_minimal_record_and_fallbacks() -> None:
    record = {
        "id": "2101.00001",
        "title": "Graph Things",
        "authors": "Ann Lee and Bo Chen",
        "abstract": "Code: https://github.com/x/graph-things.",
        "categories": "cs.LG stat.ML",
        "update_date": "2021-01-05",
    }
    (paper,), _ = parse([json.dumps(record)])
    assert paper.authors == ("Ann Lee", "Bo Chen")
    assert paper.published == date(2021, 1, 5)
    assert paper.category == "cs.LG"
    assert paper.code_url == "https://github.com/x/graph-things" and paper.has_code


def test_record_without_id_gets_a_title_id() -> None:
    (paper,), _ = parse(
        [json.dumps({"title": "Graph Things", "authors": "Ann Lee", "update_date": "2021-01-05"})]
    )
    assert paper.id.startswith("t-")


def test_bad_lines_are_reported_and_skipped() -> None:
    lines = [
        json.dumps(SNAPSHOT_RECORD),
        "{not json",
        "",
        json.dumps({"id": "1", "authors": "A B", "update_date": "2020-01-01"}),
        json.dumps([1, 2]),
        json.dumps({"id": "2", "title": "T", "authors": "A B"}),
        json.dumps({**SNAPSHOT_RECORD, "id": "0704.0002"}),
    ]
    papers, problems = parse(lines)
    assert [p.id for p in papers] == ["0704.0001", "0704.0002"]
    assert [p.line for p in problems] == [2, 4, 5, 6]
    assert "not valid JSON" in problems[0].reason
    assert problems[1].reason == "record has no title"
    assert "no date" in problems[3].reason


def test_format_detection(tmp_path: Path) -> None:
    jsonl = tmp_path / "catalog.data"
    jsonl.write_text("\n" + json.dumps(SNAPSHOT_RECORD) + "\n", encoding="utf-8")
    listing = tmp_path / "listing.data"
    listing.write_text("LGJun 2\nA PaperAnn Lee\nAbstract.\n", encoding="utf-8")
    assert detect_format(jsonl) == "jsonl"
    assert detect_format(listing) == "listing"
    assert detect_format(tmp_path / "x.jsonl") == "jsonl"
    assert detect_format(tmp_path / "x.ndjson.gz") == "jsonl"
    assert detect_format(tmp_path / "x.txt") == "listing"


@pytest.mark.parametrize(
    ("authors", "names", "truncated"),
    [
        ("Ann Lee, Bo Chen", ("Ann Lee", "Bo Chen"), False),
        ("Ann Lee ,Bo Chen,  Cy Dee", ("Ann Lee", "Bo Chen", "Cy Dee"), False),
        ("Ann Lee, Bo Chen and Cy Dee", ("Ann Lee", "Bo Chen", "Cy Dee"), False),
        ("Ann Lee and\n Bo Chen", ("Ann Lee", "Bo Chen"), False),
        ("Ann Lee, Bo Chen, et al.", ("Ann Lee", "Bo Chen"), True),
        ("Ann Lee et al", ("Ann Lee",), True),
        ("Ann Lee, Bo Chen ET AL.", ("Ann Lee", "Bo Chen"), True),
        ("Ann Lee, Bo Al", ("Ann Lee", "Bo Al"), False),
        ("Ann Lee, Sandal", ("Ann Lee", "Sandal"), False),
        ("Ann Lee,, Bo Chen,", ("Ann Lee", "Bo Chen"), False),
        ("C. Bal\\'azs and Bo Chen", ("C. Balázs", "Bo Chen"), False),
        ("", (), False),
    ],
)
def test_author_strings(authors: str, names: tuple[str, ...], truncated: bool) -> None:
    record = {"id": "1", "title": "T", "authors": authors, "update_date": "2021-01-05"}
    (paper,), _ = parse([json.dumps(record)])
    assert (paper.authors, paper.authors_truncated) == (names, truncated)


def test_problems_are_in_plain_words_with_the_files_own_line_numbers() -> None:
    lines = [
        '{"id": "1", "title": "T", "authors": "A B",',  # cut off: orjson says "line 2 column 1"
        json.dumps({"id": "2", "title": "T", "authors": "A B", "update_date": "2020-13-01"}),
        json.dumps({"id": "3", "title": "T", "versions": [{"created": "yesterday"}]}),
        json.dumps({"id": "4", "title": "T", "published": "soon"}),
        '{"id": "5", "title": "T",}',
        "[1, 2]",
        b'{"id": "6", "title": "\xff"}',
    ]
    _, problems = parse(lines)
    assert [(p.line, p.reason) for p in problems] == [
        (1, "not valid JSON: the line ends before its JSON does (a cut-off line?)"),
        (2, "update_date is not a date: '2020-13-01' (expected YYYY-MM-DD)"),
        (
            3,
            "versions[0].created is not a date: 'yesterday' "
            "(expected one like 'Mon, 2 Apr 2007 19:18:42 GMT')",
        ),
        (4, "published is not a date: 'soon' (expected YYYY-MM-DD)"),
        (5, "not valid JSON: a comma before a closing bracket, at character 25"),
        (6, "not a JSON object but an array"),
        (7, "not valid JSON: the line is not UTF-8 text"),
    ]
