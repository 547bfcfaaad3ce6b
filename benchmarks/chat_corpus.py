"""How well the chat understands people: the corpus of tests/chat_corpus/ judged, one table per half.

    python benchmarks/chat_corpus.py                 # both halves' numbers, the dev half's failures
    python benchmarks/chat_corpus.py --show none     # numbers only

Tune on the dev half only. The held-out half's failures are not printed unless asked for
(``--show held``), so that looking at them is a decision, not an accident.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.catalog.catalog import Catalog  # noqa: E402
from store.chat.answer_model import Answer, Subject  # noqa: E402
from store.chat.answers import answer  # noqa: E402
from store.chat.mentions import papers_named_in  # noqa: E402
from store.loading.loader import bundled_listing, load_into  # noqa: E402
from tests.chat_corpus.judge import TODAY, Verdict, cases, run  # noqa: E402
from tests.chat_data import write_records  # noqa: E402


def corpus_catalog(folder: Path) -> Catalog:
    """The catalog the corpus was written against: the bundled listing and tests/chat_data.py's records."""
    catalog = Catalog(folder / "corpus.db")
    load_into(catalog, [bundled_listing(), write_records(folder / "extra.jsonl")])
    return catalog


def table(name: str, verdicts: list[Verdict], times: list[float]) -> str:
    counts = collections.Counter(v.verdict for v in verdicts)
    total = len(verdicts)
    lacks = [v for v in verdicts if v.expect["answer"] == "not_have"]
    chit = [v for v in verdicts if v.expect["answer"] == "quiet"]
    lacks_wrong = sum(v.verdict == "wrong_card" for v in lacks)
    chit_wrong = sum(v.verdict == "wrong_card" for v in chit)
    rows = [
        f"{name}: {total} messages",
        f"  right            {counts['right']:4d}  {100 * counts['right'] / total:5.1f}%",
        f"  'do you mean'    {counts['menu']:4d}  {100 * counts['menu'] / total:5.1f}%",
        f"  wrong            {counts['wrong']:4d}  {100 * counts['wrong'] / total:5.1f}%",
        f"  wrong cards for what the catalog lacks  {lacks_wrong} of {len(lacks)}",
        f"  searches for chit-chat                  {chit_wrong} of {len(chit)}",
    ]
    if times:
        times = sorted(times)
        p95 = times[int(0.95 * (len(times) - 1))]
        median = 1000 * statistics.median(times)
        rows.append(f"  answer time: median {median:.1f} ms, p95 {1000 * p95:.1f} ms")
    by_kind: dict[str, list[Verdict]] = collections.defaultdict(list)
    for v in verdicts:
        by_kind[v.expect["answer"] + ("/" + v.expect["facet"] if v.expect.get("facet") else "")].append(v)
    for kind in sorted(by_kind):
        group = by_kind[kind]
        rows.append(f"    {kind:18s} {sum(v.verdict == 'right' for v in group):3d} / {len(group):3d}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--show", choices=["dev", "held", "none"], default="dev", help="whose failures to print"
    )
    args = parser.parse_args(argv)
    all_cases = cases()
    with tempfile.TemporaryDirectory() as folder:
        catalog = corpus_catalog(Path(folder))
        times: dict[str, list[float]] = collections.defaultdict(list)

        def timed(half: str):  # type: ignore[no-untyped-def]
            def ask(text: str, about: Subject | None) -> Answer:
                start = time.perf_counter()
                try:
                    return answer(catalog, text, about, today=TODAY)
                finally:
                    times[half].append(time.perf_counter() - start)

            return ask

        for half in ("dev", "held"):
            chosen = [c for c in all_cases if c.half == half]
            verdicts = list(run(catalog, timed(half), lambda t: papers_named_in(catalog, t), chosen))
            print(table(half, verdicts, times[half]))
            if args.show == half:
                for v in verdicts:
                    if v.verdict != "right":
                        print(f"  ✗ {v.case}#{v.turn} [{v.verdict}] {v.say!r}")
                        print(f"      want {v.expect}\n      got  {v.got}  {v.why}")
        catalog.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
