"""The ``paperbot`` command line: JSON contract, bootstrap, and bad input as one stderr line."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.contract import AUTHOR_KEYS, PAPER_KEYS, STATS_KEYS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def test_first_use_loads_the_bundled_listing_once(capsys, db: str) -> None:
    code, out, err = run(capsys, "stats", "--db", db, "--json")
    assert code == 0
    assert err.strip().splitlines() == [f"paperbot: {db} was empty; loaded the bundled listing (50 papers)"]
    assert json.loads(out)["papers"] == 50
    code, out, err = run(capsys, "stats", "--db", db, "--json")
    assert (code, err) == (0, "")


def test_default_db_in_working_directory_and_env(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PAPERBOT_DB", raising=False)
    assert run(capsys, "stats")[0] == 0
    assert (tmp_path / "paperbot.db").exists()
    monkeypatch.setenv("PAPERBOT_DB", str(tmp_path / "env.db"))
    assert run(capsys, "stats")[0] == 0
    assert (tmp_path / "env.db").exists()


def test_dotenv_sets_the_catalog_path(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PAPERBOT_DB", raising=False)
    (tmp_path / ".env").write_text("PAPERBOT_DB=from-dotenv.db\n", encoding="utf-8")
    assert run(capsys, "stats")[0] == 0
    try:
        assert (tmp_path / "from-dotenv.db").exists() and not (tmp_path / "paperbot.db").exists()
    finally:
        os.environ.pop("PAPERBOT_DB", None)  # load_dotenv set it for this whole process


def test_db_option_before_the_command(capsys, db: str) -> None:
    code, out, _ = run(capsys, "--db", db, "random", "--json")
    assert code == 0 and list(json.loads(out)) == PAPER_KEYS


def test_paper_json(capsys, db: str) -> None:
    code, out, _ = run(capsys, "paper", "yopo", "--db", db, "--json", "--limit", "3")
    assert code == 0
    results = json.loads(out)
    assert list(results[0]) == [*PAPER_KEYS, "match"]
    assert results[0]["title"].startswith("You Only Propagate Once")
    assert results[0]["match"] == 100
    assert len(results) <= 3


def test_paper_json_with_no_match_is_an_empty_list(capsys, db: str) -> None:
    code, out, _ = run(capsys, "paper", "qwerty zxcvb", "--db", db, "--json")
    assert (code, json.loads(out)) == (0, [])


def test_paper_readable_no_match_is_one_line_and_exit_1(capsys, db: str) -> None:
    run(capsys, "stats", "--db", db)
    code, out, err = run(capsys, "paper", "qwerty zxcvb", "--db", db)
    assert code == 1 and out == ""
    assert err.strip() == "paperbot: no paper matches 'qwerty zxcvb'"


def test_author_json(capsys, db: str) -> None:
    code, out, _ = run(capsys, "author", "Zhu Zhanxing", "--db", db, "--json")
    assert code == 0
    best = json.loads(out)[0]
    assert list(best) == AUTHOR_KEYS
    assert best["name"] == "Zhanxing Zhu" and best["paper_count"] == 21 == len(best["papers"])
    assert best["years"] == [2018, 2025]
    assert best["coauthors"][0] == {"name": "Ke Sun", "count": 4}
    assert list(best["papers"][0]) == PAPER_KEYS
    assert best["papers"][0]["published"] >= best["papers"][-1]["published"]


def test_random_json_and_filters(capsys, db: str) -> None:
    code, out, _ = run(capsys, "random", "--db", db, "--json", "--category", "GR", "--seed", "1")
    assert code == 0
    paper = json.loads(out)
    assert list(paper) == PAPER_KEYS and paper["category"] == "cs.GR"
    code, _, err = run(capsys, "random", "--db", db, "--category", "GR", "--exclude", paper["id"])
    assert code == 1 and err.strip() == "paperbot: no paper matches those filters"


def test_search_json(capsys, db: str) -> None:
    code, out, _ = run(capsys, "search", "Pontryagin", "--db", db, "--json")
    assert code == 0
    (hit,) = json.loads(out)
    assert list(hit) == [*PAPER_KEYS, "match"] and hit["title"].startswith("You Only Propagate")


def test_stats_json(capsys, db: str) -> None:
    code, out, _ = run(capsys, "stats", "--db", db, "--json")
    assert code == 0
    stats = json.loads(out)
    assert list(stats) == STATS_KEYS
    assert stats["categories"]["cs.LG"] == 36 and stats["years"]["2026"] >= 1


def test_load_reports_problems_and_exits_1(capsys, db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("LGJun 2, 2020\nGood OneAnn Lee\nA.\ngarbage line\n", encoding="utf-8")
    code, out, err = run(capsys, "load", str(bad), "--db", db, "--json")
    assert code == 1
    assert json.loads(out) == {
        "files": [str(bad)],
        "papers": 1,
        "added": 1,
        "problems": [f"{bad}:4: expected a header line (score, category, date), got: 'garbage line'"],
        "replaced_bundled": 0,
    }
    assert err.strip() == f"{bad}:4: expected a header line (score, category, date), got: 'garbage line'"


def test_load_does_not_add_the_bundled_listing(capsys, db: str, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("LGJun 2, 2020\nGood OneAnn Lee\nA.\n", encoding="utf-8")
    code, out, err = run(capsys, "load", str(good), "--db", db)
    assert code == 0 and err == ""
    assert out.strip() == "loaded 1 paper (1 new) from 1 file; 0 problems"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["paper", ""], "paperbot: query is empty"),
        (["paper", "   "], "paperbot: query is empty"),
        (["author", ""], "paperbot: name is empty"),
        (["search", " "], "paperbot: search text is empty"),
        (["load", "/no/such/file.txt"], "paperbot: /no/such/file.txt: no such file"),
        (
            ["paper", "x", "--limit", "0"],
            "paperbot: Invalid value for '--limit': 0 is not in the range 1<=x<=100.",
        ),
        (
            ["random", "--year-from", "2020", "--year-to", "2019"],
            "paperbot: --year-from 2020 is after --year-to 2019",
        ),
        (["nonsense"], "paperbot: No such command 'nonsense'."),
        (["load", "x.txt", "--format", "csv"], None),
    ],
)
def test_bad_input_is_one_line_on_stderr(capsys, db: str, argv: list[str], message: str | None) -> None:
    code, out, err = run(capsys, *argv, "--db", db) if argv[0] != "nonsense" else run(capsys, *argv)
    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("paperbot: ")
    if message:
        assert lines[0] == message


def test_damaged_gzip_is_one_line_not_aborted(capsys, db: str, tmp_path: Path) -> None:
    """A truncated .gz raises EOFError, which click would report as the user aborting."""
    damaged = tmp_path / "snapshot.jsonl.gz"
    damaged.write_bytes(gzip.compress(b'{"id": "1", "title": "A", "update_date": "2021-01-05"}\n' * 50)[:40])
    code, out, err = run(capsys, "load", str(damaged), "--db", db)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"paperbot: {damaged}: cannot be read ({_EOF_MESSAGE}); nothing was loaded"]


_EOF_MESSAGE = "Compressed file ended before the end-of-stream marker was reached"


def test_unreadable_database(capsys, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 50)
    code, _, err = run(capsys, "stats", "--db", str(junk))
    assert code == 1
    assert err.strip() == f"paperbot: {junk} is not a readable paperbot catalog (file is not a database)"
    assert junk.read_bytes() == b"not a database at all" * 50


def test_catalog_in_a_missing_folder(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "stats", "--db", str(tmp_path / "nope" / "x.db"))
    assert code == 1
    assert (
        err.strip()
        == f"paperbot: cannot create {tmp_path / 'nope' / 'x.db'}: the folder {tmp_path / 'nope'} does not exist"
    )


def test_installed_console_script(tmp_path: Path) -> None:
    """The real entry point, as a user runs it."""
    script = Path(sys.executable).with_name("paperbot")
    if not script.exists():
        pytest.skip("paperbot console script is not installed in this environment")
    done = subprocess.run(
        [str(script), "paper", "stunet", "--json", "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["title"].startswith("ST-UNet")


def test_text_output_renders_latex_wraps_lines_and_cleans_code_links(capsys, db: str, tmp_path: Path) -> None:
    title = r"On the $\mathcal{O}(n \log n)$ complexity of \textit{sorting} with $\alpha$-$\beta$ pruning"
    record = {
        "id": "2301.00001",
        "title": title,
        "authors": ", ".join(f"Author{i} Surname{i}" for i in range(12)),
        "abstract": "Sorting is old. We propose a sort. Code: https://github.com/a/sort.git",
        "categories": "cs.DS",
        "update_date": "2023-01-05",
    }
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert (
        run(capsys, "load", str(source), "--db", db)[1].strip()
        == "loaded 1 paper (1 new) from 1 file; 0 problems"
    )
    code, out, _ = run(capsys, "paper", "complexity of sorting pruning", "--db", db)
    assert code == 0
    assert out.startswith("On the 𝒪(n log n) complexity of sorting with α-β pruning\n")
    assert "  code: https://github.com/a/sort\n" in out
    assert all(len(line) <= 100 for line in out.splitlines())
    code, out, _ = run(capsys, "paper", "complexity of sorting pruning", "--db", db, "--json")
    paper = json.loads(out)[0]
    assert paper["title"] == title and paper["code_url"] == "https://github.com/a/sort"
    code, out, _ = run(capsys, "author", "Author3 Surname3", "--db", db)
    assert out.startswith("Author3 Surname3 — 1 paper, 2023\n")
    assert all(len(line) <= 100 for line in out.splitlines())


def test_random_json_with_no_match_is_null(capsys, db: str) -> None:
    code, out, _ = run(capsys, "random", "--db", db, "--json", "--year-from", "1990", "--year-to", "1991")
    assert (code, json.loads(out)) == (0, None)


def test_an_unknown_category_lists_the_catalogs_categories(capsys, db: str) -> None:
    code, out, err = run(capsys, "random", "--db", db, "--category", "XX", "--json")
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (
        "paperbot: no category 'XX' in the catalog (it has: cs.AI, cs.CV, cs.GR, cs.LG, eess.IV, stat.ML)"
    )


def test_a_query_starting_with_a_dash(capsys, db: str) -> None:
    code, _, err = run(capsys, "search", "--db", db, "-graph")
    assert code == 2
    assert err.splitlines()[-1] == (
        "paperbot: No such option '-g'. (a query starting with '-' goes after --: paperbot search -- -graph)"
    )
    code, out, _ = run(capsys, "search", "--db", db, "--json", "--", "-Pontryagin")
    assert code == 0 and json.loads(out)[0]["title"].startswith("You Only Propagate")


def test_version_and_bare_paperbot(capsys) -> None:
    code, out, err = run(capsys, "--version")
    assert (code, err) == (0, "") and out.startswith("paperbot, version ")
    code, out, err = run(capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Usage: paperbot [OPTIONS] COMMAND [ARGS]...") and "search" in out


def test_an_error_repeats_at_most_100_characters_of_the_query(capsys, db: str) -> None:
    code, _, err = run(capsys, "paper", "qz" * 300, "--db", db)
    assert code == 1
    assert err.splitlines()[-1] == f"paperbot: no paper matches '{'qz' * 50}…'"


def test_catalog_commands_do_not_import_discord(tmp_path: Path) -> None:
    script = (
        "import sys\nfrom bot.cli import main\ntry:\n    main(['stats', '--db', sys.argv[1]])\n"
        "except SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if m.split('.')[0] in ('discord', 'aiohttp')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "x.db")],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.splitlines()[-1] == "[]", done.stderr
