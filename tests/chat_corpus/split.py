"""Give every case in cases.jsonl a "half": "dev" (to tune the chat against) or "held" (to measure it).

The halves are chosen once: the ids of the cases that have no half yet are sorted, shuffled with
random.Random(20261206) and cut in half, and the file is written back in its own order. A case that
already has a half keeps it, so running this again changes nothing, and cases added later are split
among themselves without moving the old ones.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

CASES = Path(__file__).with_name("cases.jsonl")
SEED = 20261206


def split(path: Path = CASES) -> dict[str, int]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases: list[dict[str, object]] = [json.loads(line) for line in lines]
    fresh = sorted(str(case["id"]) for case in cases if "half" not in case)
    random.Random(SEED).shuffle(fresh)
    dev = set(fresh[: len(fresh) // 2])
    for case in cases:
        if "half" not in case:
            case["half"] = "dev" if case["id"] in dev else "held"
    text = "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases)
    path.write_text(text, encoding="utf-8")
    counts = {"dev": 0, "held": 0}
    for case in cases:
        counts[str(case["half"])] += 1
    return counts


if __name__ == "__main__":
    print(split())
