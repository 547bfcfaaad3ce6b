"""Lookup benchmark: load a synthetic catalog, time every query the bot makes, print one table.

    python benchmarks/lookup.py --papers 1000000

Generates (or reuses) ``benchmarks/data/papers-N-seedS.jsonl``, loads it with the project's own
loader into a fresh catalog (in a child process, so its peak memory is the loader's own), then
starts a second child as the bot would start (open the catalog, read the indexes) and measures
through the same ``Catalog`` methods the cogs call: title and author autocomplete, ``/paper``
and ``/author`` resolution, full-text search and random. Accuracy is measured on held-out
typo'd titles and names; the naive baseline (rapidfuzz WRatio over every title) runs in the
same child on a sample of the same queries. Timings are medians and percentiles of single
queries, one at a time, on a warm cache.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from store.loading.loader import load_into

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

DATA = ROOT / "benchmarks" / "data"


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


# --- query sets (deterministic) ---------------------------------------------------------------


def typo(text: str, rng: random.Random, edits: int = 1) -> str:
    """Damage ``text`` the way people type: a dropped, doubled, swapped or wrong letter."""
    chars = list(text)
    for _ in range(edits):
        letters = [i for i, c in enumerate(chars) if c.isalpha()]
        if len(letters) < 3:
            break
        i = rng.choice(letters[1:-1])
        kind = rng.randrange(4)
        if kind == 0:
            del chars[i]
        elif kind == 1:
            chars.insert(i, chars[i])
        elif kind == 2 and i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return "".join(chars)


def query_sets(path: Path, papers: int, count: int, seed: int) -> dict[str, Any]:
    """Queries drawn from the generated file (titles, names, words) with a fixed seed."""
    rng = random.Random(seed)
    wanted = set(rng.sample(range(papers), min(papers, count * 3)))
    rows = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle):
            if number in wanted:
                rows.append(json.loads(line))
    rng.shuffle(rows)
    titles = [r["title"] for r in rows]
    names = [n for r in rows for n in r["authors"].split(", ")]
    rng.shuffle(names)
    words = [w for r in rows for w in r["abstract"].split() if w.isalpha() and len(w) > 4]

    def prefix(text: str) -> str:
        cut = text[: rng.randint(3, 30)]
        return typo(cut, rng) if len(cut) > 6 and rng.random() < 0.2 else cut

    def short_prefix(name: str) -> str:
        parts = name.split()
        start = parts[-1] if len(parts) > 1 and rng.random() < 0.3 else name  # surname first
        return start[: rng.randint(1, 4)]

    return {
        "questions": questions(rows, words, count, rng),
        "name_starts": [short_prefix(n) for n in names[:count]],
        "title_prefixes": [prefix(t) for t in titles[:count]],
        "name_prefixes": [prefix(n) for n in names[:count]],
        "typo_titles": [(typo(t, rng, rng.randint(1, 3)), t) for t in titles[count : 2 * count]],
        "typo_names": [(typo(n, rng), n) for n in names[count : 2 * count]],
        "search": [" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(count)],
        "categories": ["cs.LG", "cs.CV", "stat.ML", "cs.GR", "q-bio.NC"],
    }


def questions(rows: list[dict[str, Any]], words: list[str], count: int, rng: random.Random) -> list[str]:
    """Chat messages as people write them: a typo'd title, a name and years, an id, a topic, a
    paper half-named or described in a sentence, a casual topic, a person lately, thanks."""
    out = []
    for i in range(count):
        row = rows[i % len(rows)]
        name = rng.choice(row["authors"].split(", "))
        title_words = [w for w in row["title"].split() if len(w) > 3]
        abstract_words = [w.strip(".,;:()") for w in row["abstract"].split() if len(w) > 5][:40]
        kind = i % 10
        if kind == 0:
            out.append(f"<@1> who wrote {typo(row['title'][:60], rng)}?")
        elif kind == 1:
            out.append(
                f"papers by {typo(name, rng) if rng.random() < 0.3 else name} since {rng.randint(2010, 2024)}"
            )
        elif kind == 2:
            out.append(f"{name}'s latest")
        elif kind == 3:
            out.append(f"https://arxiv.org/abs/{row['id']}v2")
        elif kind == 4:
            out.append(f"anything on {' '.join(rng.sample(words, 2))}?")
        elif kind == 5:
            start = rng.randrange(max(1, len(title_words) - 2))
            out.append(f"morning! the {' '.join(title_words[start : start + 3]).lower()} paper, whats it abt")
        elif kind == 6:
            picked = rng.sample(abstract_words, min(5, len(abstract_words)))
            out.append(f"is there a paper where {' '.join(picked)}? who's behind it")
        elif kind == 7:
            out.append(f"{rng.choice(words)} stuff?")
        elif kind == 8:
            out.append(f"what has {name.lower()} been doing recently")
        else:
            out.append(rng.choice(["thx!", "cool, that's the one, thanks", "lol ok", "never mind, got it"]))
    return out


# --- phases (each runs in its own process) ----------------------------------------------------


def phase_load(db: Path, source: Path) -> dict[str, Any]:
    from store.catalog.catalog import Catalog

    start = time.perf_counter()
    catalog = Catalog(db)
    report = load_into(catalog, [source])
    elapsed = time.perf_counter() - start
    catalog.close()
    return {
        "papers": report.papers,
        "problems": len(report.problems),
        "seconds": elapsed,
        "peak_mib": peak_rss_mib(),
        # The parser process a big load starts (the largest of this process's children).
        "worker_peak_mib": peak_rss_mib(resource.RUSAGE_CHILDREN),
    }


def timed(fn: Callable[[Any], Any], inputs: Sequence[Any]) -> list[float]:
    out = []
    for item in inputs:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


def phase_query(db: Path, queries: dict[str, Any], baseline_sample: int) -> dict[str, Any]:
    from store.catalog.catalog import Catalog

    catalog = Catalog(db)
    catalog.find_papers("warm up the indexes", limit=25)  # the first answer after start-up
    first_answer = time.time()
    rng = random.Random(1)
    catalog.warm_up()  # as `paperbot run` does before it connects
    # warm the page cache the way a running bot would have
    for q in queries["title_prefixes"][:20]:
        catalog.find_papers(q, limit=25)

    def resolve_paper(q: str) -> None:
        found = catalog.find_papers(q, limit=1)
        if found:
            catalog.paper(found[0].paper.id)

    def author_profile(q: str) -> None:
        found = catalog.find_authors(q, limit=1)
        if found:
            catalog.author_profile(found[0].id, paper_limit=5, match=found[0].match)

    from store.chat.answers import answer

    timings = {
        "chat question (answer)": timed(lambda q: answer(catalog, q), queries["questions"]),
        "title autocomplete": timed(
            lambda q: catalog.find_papers(q, limit=25, complete=True), queries["title_prefixes"]
        ),
        "author autocomplete": timed(
            lambda q: catalog.find_authors(q, limit=25, complete=True), queries["name_prefixes"]
        ),
        "author prefix (1-4 letters)": timed(
            lambda q: catalog.find_authors(q, limit=25, complete=True), queries["name_starts"]
        ),
        "/paper (typo'd title)": timed(resolve_paper, [q for q, _ in queries["typo_titles"]]),
        "/author (typo'd name)": timed(author_profile, [q for q, _ in queries["typo_names"]]),
        "/search (1-3 words)": timed(lambda q: catalog.search(q, limit=10), queries["search"]),
        "/random": timed(lambda _: catalog.random_paper(rng=rng), range(200)),
        "/random (category)": timed(
            lambda c: catalog.random_paper(category=c, rng=rng), queries["categories"] * 40
        ),
    }

    def recall(pairs: Sequence[tuple[str, str]], lookup: Callable[[str], list[str]]) -> tuple[float, float]:
        at1 = at5 = 0
        for query, truth in pairs:
            found = lookup(query)
            at1 += bool(found[:1]) and found[0] == truth
            at5 += truth in found[:5]
        return at1 / len(pairs), at5 / len(pairs)

    from store.index.names import author_key

    title_recall = recall(
        queries["typo_titles"], lambda q: [m.paper.title for m in catalog.find_papers(q, 5)]
    )
    name_recall = recall(
        [(q, author_key(t)) for q, t in queries["typo_names"]],
        lambda q: [author_key(a.name) for a in catalog.find_authors(q, 5)],
    )
    result: dict[str, Any] = {
        "uniformity": uniformity(catalog),
        "first_answer_epoch": first_answer,
        "timings": timings,
        "title_recall": title_recall,
        "name_recall": name_recall,
        "peak_mib": peak_rss_mib(),
        "db_mib": db.stat().st_size / 2**20,
    }
    if baseline_sample:
        from rapidfuzz import fuzz, process, utils

        titles = [r[0] for r in catalog.db.execute("select title from papers")]
        sample = queries["typo_titles"][:baseline_sample]

        def naive(q: str, limit: int) -> list[str]:
            found = process.extract(
                q, titles, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit
            )
            return [title for title, _, _ in found]

        base_times = timed(lambda q: naive(q, 25), [q for q, _ in sample])
        base_recall = recall(sample, lambda q: naive(q, 5))
        result["baseline"] = {"timings": base_times, "recall": base_recall, "sample": len(sample)}
    catalog.close()
    return result


def uniformity(catalog: Any, draws: int = 20_000) -> dict[str, Any]:
    """Draw one category many times: how many of its papers never came up, against what a
    uniform draw leaves (n·(1 − 1/n)^draws), and the chi-square statistic per degree of freedom."""
    sizes = catalog.stats().categories
    category = min(sizes, key=lambda c: abs(sizes[c] - 4000))
    rng = random.Random(5)
    counts: dict[str, int] = {}
    for _ in range(draws):
        paper = catalog.random_paper(category=category, rng=rng)
        counts[paper.id] = counts.get(paper.id, 0) + 1
    n = sizes[category]
    expected = draws / n
    chi = sum((c - expected) ** 2 / expected for c in counts.values()) + (n - len(counts)) * expected
    return {
        "category": category,
        "papers": n,
        "draws": draws,
        "never": n - len(counts),
        "uniform_never": n * (1 - 1 / n) ** draws,
        "chi_per_df": chi / max(n - 1, 1),
    }


# --- driver -----------------------------------------------------------------------------------


def run_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"benchmark phase {args[0]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def spread(values: Sequence[float], with_max: bool = True) -> str:
    text = f"p50 {statistics.median(values):.1f} · p95 {pct(values, 0.95):.1f}"
    return f"{text} · max {max(values):.1f} (n={len(values)})" if with_max else f"{text} (n={len(values)})"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lookup benchmark (prints one table).")
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=300, help="queries per kind")
    parser.add_argument("--baseline", type=int, default=30, help="baseline sample size (0: skip)")
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--load-only", action="store_true", help="time the load alone (no queries)")
    parser.add_argument("--phase", choices=["load", "query"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--query-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase == "load":
        print(json.dumps(phase_load(args.db, args.source)))
        return 0
    if args.phase == "query":
        queries = json.loads(args.query_file.read_text())
        print(json.dumps(phase_query(args.db, queries, args.baseline)))
        return 0

    args.data_dir.mkdir(parents=True, exist_ok=True)
    source = args.data_dir / f"papers-{args.papers}-seed{args.seed}.jsonl"
    if not source.exists():
        print(f"generating {source} …", file=sys.stderr)
        generate.write(source, args.papers, args.seed)
    db = args.data_dir / f"papers-{args.papers}-seed{args.seed}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    print("loading …", file=sys.stderr)
    load = run_child("--phase", "load", "--db", str(db), "--source", str(source))
    rows = [("what", "result")]
    rows.append(("papers loaded", f"{load['papers']:,} ({load['problems']} problems)"))
    rows.append(("load rate", f"{load['papers'] / load['seconds']:,.0f} papers/s ({load['seconds']:.1f} s)"))
    rows.append(("loader peak memory", f"{load['peak_mib']:,.0f} MiB"))
    worker = load["worker_peak_mib"]
    worker_text = f"{worker:,.0f} MiB" if worker else "none (parsed inline)"
    rows.append(("loader's parser process peak memory", worker_text))
    if args.load_only:
        print_table(args.papers, rows)
        return 0
    query_file = args.data_dir / f"queries-{args.papers}-seed{args.seed}.json"
    query_file.write_text(json.dumps(query_sets(source, args.papers, args.queries, args.seed)))
    print("querying …", file=sys.stderr)
    started = time.time()
    query = run_child(
        "--phase", "query", "--db", str(db), "--query-file", str(query_file), "--baseline", str(args.baseline)
    )

    rows.append(("database size", f"{query['db_mib']:,.0f} MiB"))
    rows.append(("start-up to first answer", f"{query['first_answer_epoch'] - started:.2f} s"))
    rows.append(("bot process peak memory", f"{query['peak_mib']:,.0f} MiB"))
    for name, values in query["timings"].items():
        rows.append((f"{name} (ms)", spread(values)))
    u = query["uniformity"]
    rows.append(
        (
            "/random uniformity",
            f"{u['category']} ({u['papers']:,} papers), {u['draws']:,} draws: {u['never']:,} never drawn"
            f" (uniform: ~{u['uniform_never']:,.0f}); chi-square/df {u['chi_per_df']:.2f} (uniform: ~1)",
        )
    )
    t1, t5 = query["title_recall"]
    rows.append(("typo'd titles recall@1 / @5", f"{t1:.1%} / {t5:.1%}"))
    n1, n5 = query["name_recall"]
    rows.append(("typo'd names recall@1 / @5", f"{n1:.1%} / {n5:.1%}"))
    if "baseline" in query:
        base = query["baseline"]
        ours = query["timings"]["/paper (typo'd title)"]
        rows.append(("baseline: WRatio over all titles (ms)", spread(base["timings"], with_max=False)))
        rows.append(("baseline recall@1 / @5", f"{base['recall'][0]:.1%} / {base['recall'][1]:.1%}"))
        rows.append(
            (
                "speed-up over baseline (p95, /paper)",
                f"{pct(base['timings'], 0.95) / max(pct(ours, 0.95), 1e-6):,.0f}x",
            )
        )
    print_table(args.papers, rows)
    return 0


def print_table(papers: int, rows: list[tuple[str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"\n{papers:,} papers · {machine()}\n")
    print(f"| {'what'.ljust(width)} | result |")
    print(f"|{'-' * (width + 2)}|--------|")
    for what, result in rows[1:]:
        print(f"| {what.ljust(width)} | {result} |")


if __name__ == "__main__":
    raise SystemExit(main())
