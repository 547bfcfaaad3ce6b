"""An in-memory trigram index: typo-tolerant candidates in milliseconds at millions of strings.

Scanning every title with rapidfuzz costs seconds at 1M papers (see shared notes); instead the
query's *rarest* trigrams pick a few hundred candidates, which rapidfuzz then re-ranks. The
index is a CSR matrix in numpy (gram → sorted doc numbers), built once per load and stored
inside the catalog, so start-up only reads it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Folded text holds a–z, 0–9 and spaces; anything else (other scripts) shares one symbol.
_SEPARATOR = 38
BASE = 39
N_GRAMS = BASE**3
_LUT = np.full(256, 37, dtype=np.uint8)
_LUT[ord(" ")] = 0
for _i, _c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789"):
    _LUT[ord(_c)] = _i + 1
_LUT[0] = _SEPARATOR
_BUILD_CHUNK = 200_000
# Stored indexes carry their format; an index in any other is rebuilt from the rows.
FORMAT = b"paperbot-trigram-1"
# How many postings one lookup reads at most (about 3 ms of counting).
POSTINGS_BUDGET = 400_000


def _symbols(texts: Sequence[str]) -> np.ndarray:
    joined = "\x00".join(f" {t} " for t in texts).encode("utf-8")
    return _LUT[np.frombuffer(joined, dtype=np.uint8)]


def _grams(sym: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All trigram codes of a symbol stream, and which of them cross a record boundary."""
    if sym.size < 3:
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=bool)
    a, b, c = sym[:-2].astype(np.int32), sym[1:-1].astype(np.int32), sym[2:].astype(np.int32)
    valid = (a != _SEPARATOR) & (b != _SEPARATOR) & (c != _SEPARATOR)
    return a * BASE * BASE + b * BASE + c, valid


def query_grams(text: str) -> np.ndarray:
    """The distinct trigram codes of a folded query (padded like the indexed texts)."""
    grams, valid = _grams(_symbols([text]))
    return np.unique(grams[valid])


@dataclass(frozen=True)
class TrigramIndex:
    """Posting lists of trigram → document numbers, and each document's external id."""

    offsets: np.ndarray  # int64, N_GRAMS + 1
    postings: np.ndarray  # uint32 document numbers, sorted within each gram
    ids: np.ndarray  # int64 external id (paper rowid, author id) of each document number

    @classmethod
    def build(cls, ids: Sequence[int] | np.ndarray, texts: Sequence[str]) -> TrigramIndex:
        """Index folded ``texts`` in linear time.

        Trigram codes fit in 16 bits, for which numpy's stable sort is a radix sort: one pass
        groups the postings by trigram with documents still in order within each group, and
        a document's repeated trigram then sits next to itself, ready to be dropped.
        """
        grams_parts: list[np.ndarray] = []
        docs_parts: list[np.ndarray] = []
        for start in range(0, len(texts), _BUILD_CHUNK):
            sym = _symbols(texts[start : start + _BUILD_CHUNK])
            grams, valid = _grams(sym)
            doc = np.cumsum(sym == _SEPARATOR, dtype=np.uint32)[:-2] + np.uint32(start)
            grams_parts.append(grams[valid].astype(np.uint16))
            docs_parts.append(doc[valid])
        if not grams_parts:
            return cls(
                np.zeros(N_GRAMS + 1, dtype=np.int64),
                np.empty(0, dtype=np.uint32),
                np.asarray(ids, dtype=np.int64),
            )
        order = np.argsort(np.concatenate(grams_parts), kind="stable")
        grams_sorted = np.concatenate(grams_parts)[order]
        docs_sorted = np.concatenate(docs_parts)[order]
        del order, grams_parts, docs_parts
        keep = np.ones(grams_sorted.size, dtype=bool)
        keep[1:] = (grams_sorted[1:] != grams_sorted[:-1]) | (docs_sorted[1:] != docs_sorted[:-1])
        postings = docs_sorted[keep]
        counts = np.bincount(grams_sorted[keep], minlength=N_GRAMS)
        offsets = np.zeros(N_GRAMS + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(offsets, postings, np.asarray(ids, dtype=np.int64))

    def __len__(self) -> int:
        return int(self.ids.size)

    def candidates(
        self, text: str, limit: int = 200, max_grams: int = 12, budget: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Ids of the documents that best share the query's rarest trigrams, best first.

        Rare trigrams are the informative ones: each counts by its IDF, so an old paper holding
        the query's rare trigrams beats recent ones that share only common ones. The work is
        bounded whatever the catalog's size: at most ``max_grams`` trigrams and ``budget``
        postings in all, shared out rarest first, so a common trigram contributes only its
        first documents, which are the newest (titles) or most prolific (authors): documents
        are numbered in that order.
        """
        empty = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        if budget is None:
            # Short text has only common trigrams: its answer is a recency-ranked guess anyway.
            budget = POSTINGS_BUDGET if len(text) >= 10 else POSTINGS_BUDGET // 4
        grams = query_grams(text)
        if grams.size == 0 or self.ids.size == 0:
            return empty
        df = self.offsets[grams + 1] - self.offsets[grams]
        present = df > 0
        grams, df = grams[present], df[present]
        if grams.size == 0:
            return empty
        order = np.argsort(df, kind="stable")[:max_grams]
        chosen, chosen_df = grams[order], df[order]
        take = np.empty_like(chosen_df)
        left = budget
        for i, count in enumerate(chosen_df.tolist()):
            take[i] = min(count, max(left // (chosen_df.size - i), 1))
            left -= take[i]
        starts = self.offsets[chosen]
        ends = starts + take
        idf = np.log((self.ids.size + 1) / chosen_df)
        docs = np.concatenate([self.postings[s:e] for s, e in zip(starts, ends, strict=True)])
        scores = np.bincount(docs, weights=np.repeat(idf, take))
        found = np.flatnonzero(scores > 0)  # 5x faster than flatnonzero on the floats
        weight = scores[found]
        if found.size > limit:
            keep = np.argpartition(-weight, limit - 1)[:limit]
            found, weight = found[keep], weight[keep]
        best = np.lexsort((found, -weight))  # ties: the lower document number (newer, more prolific)
        return self.ids[found[best]], weight[best]

    def to_bytes(self) -> bytes:
        """A header line (dtypes and lengths) followed by the three arrays' raw bytes."""
        arrays = (self.offsets, self.postings, self.ids)
        header = FORMAT + b";" + ";".join(f"{a.dtype.str}:{a.size}" for a in arrays).encode("ascii") + b"\n"
        return b"".join([header, *(np.ascontiguousarray(a).tobytes() for a in arrays)])

    @classmethod
    def from_bytes(cls, data: bytes) -> TrigramIndex:
        """Views straight onto ``data`` (no copy): a 1M-paper index is read in well under a second."""
        header, _, _ = data[:200].partition(b"\n")
        fmt, _, specs = header.partition(b";")
        if fmt != FORMAT:
            raise ValueError("search index was written in another format")
        position = len(header) + 1
        arrays = []
        for spec in specs.decode("ascii").split(";"):
            dtype, size = spec.split(":")
            array = np.frombuffer(data, dtype=np.dtype(dtype), count=int(size), offset=position)
            arrays.append(array)
            position += array.nbytes
        return cls(*arrays)
