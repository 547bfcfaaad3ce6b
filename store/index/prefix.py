"""Sorted prefix indexes: completions from the first keystroke, in microseconds at millions of names.

Trigrams need three letters before they say anything, so "z", "zh" or "ma" found nothing. A
prefix is a range in a sorted array instead: two binary searches find every entry that starts
with what was typed, however many there are. Each entry carries its document's *rank* (authors
are numbered most prolific first, titles newest first), so the best of a range are its smallest
ranks: a partial sort of the range, or a cached answer for the one- and two-letter ranges, which
are the big ones. A name as written comes before a rotation of it (see ``lookup``).

An author has one entry per word it can be typed from: the name as written, each rotation
(``zhu zhanxing``, surname first) and its initials form (``z zhu``). A title has one entry: its
folded text. Entries are cut to ``WIDTH`` bytes; a longer prefix is checked against the full
text by the caller.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import sqlite_utils

from store.index.names import initials_form
from store.index.packed import Piece, allocate, pack, read_stored, unpack

WIDTH = 20
FORMAT = b"paperbot-prefix-2"
# One- and two-letter answers are cached: their ranges are the widest (a tenth of all names).
_CACHED_LENGTH = 2
_CACHED_MOST = 64
_TOP = b"\xff"  # sorts after every UTF-8 byte
_OTHER = np.uint32(1 << 31)  # an entry other than the document's first sorts after every first
_RANK_MASK = np.uint32(_OTHER - 1)
_BATCH = 100_000  # authors whose entries are made at a time


Group = tuple[np.ndarray, np.ndarray]  # keys, orders


def entries(texts: Sequence[str], ranks: np.ndarray, first: bool) -> tuple[np.ndarray, np.ndarray]:
    """Keys and orders of ``texts``, the entries of documents ``ranks``; ``first``: whether
    each is its document's first entry."""
    keys = np.array([t.encode("utf-8")[:WIDTH] for t in texts], dtype=f"S{WIDTH}")
    orders = np.asarray(ranks, dtype=np.uint32)
    return keys, orders if first else orders | _OTHER


def _author_batch(keys: Sequence[str], base: int) -> tuple[Group, Group]:
    """The entries of ``author_entries`` for authors ``base``, ``base + 1``, … named ``keys``:
    their first entries, and the others, each group in ascending order."""
    split = [key.split() for key in keys]
    firsts = entries(keys, np.arange(base, base + len(keys)), True)
    others = []
    longest = max((len(t) for t in split), default=0)
    for shift in range(1, longest):
        ranks = [n for n, t in enumerate(split) if len(t) > shift]
        texts = [" ".join(split[n][shift:] + split[n][:shift]) for n in ranks]
        others.append(entries(texts, np.array(ranks, dtype=np.int64) + base, False))
    ranks = [n for n, t in enumerate(split) if len(t) > 1 and any(len(w) > 1 for w in t[:-1])]
    texts = [" ".join([*(w[0] for w in split[n][:-1]), split[n][-1]]) for n in ranks]
    others.append(entries(texts, np.array(ranks, dtype=np.int64) + base, False))
    other_keys = np.concatenate([k for k, _ in others])
    other_orders = np.concatenate([o for _, o in others])
    by_order = np.argsort(other_orders, kind="stable")
    return firsts, (other_keys[by_order], other_orders[by_order])


def _author_entries(keys: Sequence[str]) -> Group:
    """Every author's entries in ascending order: all first entries, then all others.

    Written a batch at a time into arrays big enough for any names (a name has at most one
    entry per word, and its initials): pages never written cost no memory.
    """
    most = len(keys) + sum(key.count(" ") + 1 for key in keys)
    key_array = np.empty(most, dtype=f"S{WIDTH}")
    order_array = np.empty(most, dtype=np.uint32)
    end = len(keys)  # the others go after every first entry
    for start in range(0, len(keys), _BATCH):
        (first_keys, first_orders), (other_keys, other_orders) = _author_batch(
            keys[start : start + _BATCH], start
        )
        key_array[start : start + first_keys.size] = first_keys
        order_array[start : start + first_keys.size] = first_orders
        key_array[end : end + other_keys.size] = other_keys
        order_array[end : end + other_keys.size] = other_orders
        end += other_keys.size
    return key_array[:end], order_array[:end]


def author_entries(key: str) -> list[str]:
    """Every way the person ``key`` names can be typed from its start."""
    tokens = key.split()
    entries = [" ".join(tokens[i:] + tokens[:i]) for i in range(len(tokens))]
    initials = initials_form(key)
    if initials not in entries:
        entries.append(initials)
    return entries


@dataclass(frozen=True)
class PrefixIndex:
    """Entries sorted bytewise, each with the rank (and external id) of its document."""

    keys: np.ndarray  # S{WIDTH}, sorted
    orders: np.ndarray  # uint32: the document number of each entry, plus _OTHER if not its first
    ids: np.ndarray  # int64: external id (author id, paper rowid) of each document number
    packed: bytearray | None = field(default=None, compare=False, repr=False)  # the arrays' buffer
    _cache: dict[bytes, np.ndarray] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, ids: Sequence[int] | np.ndarray, keys: np.ndarray, orders: np.ndarray) -> PrefixIndex:
        """Entries (keys from ``entries`` and their orders, ascending); document ``n`` is ranked
        ``n`` (best first) and has external id ``ids[n]``.

        With the orders ascending, a stable sort by key leaves equal keys by order; the sorted
        index is written straight into the buffer it is stored from.
        """
        if orders.size and bool(np.any(orders[1:] < orders[:-1])):
            raise ValueError("prefix entries must come in ascending order")
        order = np.argsort(keys, kind="stable")
        size = keys.size
        packed, (key_bytes, sorted_orders, id_view) = allocate(
            FORMAT,
            [(np.dtype(np.uint8), size * WIDTH), (np.dtype(np.uint32), size), (np.dtype(np.int64), len(ids))],
        )
        sorted_keys = key_bytes.view(f"S{WIDTH}")
        np.take(keys, order, out=sorted_keys)
        np.take(orders, order, out=sorted_orders)
        id_view[:] = np.asarray(ids, dtype=np.int64)
        return cls(sorted_keys, sorted_orders, id_view, packed)

    @classmethod
    def for_titles(cls, ids: Sequence[int] | np.ndarray, texts: Sequence[str]) -> PrefixIndex:
        """Titles (folded, best ranked first): one entry each, the title's start."""
        return cls.build(ids, *entries(texts, np.arange(len(texts)), True))

    @classmethod
    def for_authors(cls, ids: Sequence[int] | np.ndarray, keys: Sequence[str]) -> PrefixIndex:
        """Author keys (most prolific first): the entries of ``author_entries``.

        Built a rotation at a time over a batch of names rather than name by name (a third of
        the time), and a batch at a time, so only one batch's strings are ever held.
        """
        return cls.build(ids, *_author_entries(keys))

    def _range(self, start: bytes, end: bytes | None) -> tuple[int, int]:
        lo = int(np.searchsorted(self.keys, start, side="left"))
        hi = int(np.searchsorted(self.keys, end, side="left")) if end is not None else None
        if hi is None:
            hi = int(np.searchsorted(self.keys, start, side="right"))
        return lo, hi

    def _best(self, lo: int, hi: int, most: int) -> np.ndarray:
        """The ``most`` best distinct documents in ``[lo, hi)``, best first."""
        orders = self.orders[lo:hi]
        if orders.size > most * 4:
            orders = np.partition(orders, most * 4 - 1)[: most * 4]
        ranks = np.sort(orders) & _RANK_MASK
        # One person has several entries: keep each one's best.
        _, first = np.unique(ranks, return_index=True)
        best: np.ndarray = ranks[np.sort(first)][:most]
        return best

    def lookup(self, prefix: str, limit: int) -> np.ndarray:
        """Ids of the documents with an entry starting with ``prefix``, best first.

        A document matched by its first entry (a name as written, a title) comes before one
        matched by another (surname first, initials); then the best ranked. As the prefix
        grows, a document can only lose entries, so the ones still listed keep their order:
        a choice shown stays shown while it is still the prefix. A prefix longer than
        ``WIDTH`` bytes matches on its first ``WIDTH`` only: the caller checks the full text.
        """
        typed = prefix.encode("utf-8")
        if not typed or self.keys.size == 0:
            return np.empty(0, dtype=np.int64)
        cut = typed[:WIDTH]
        cache_key = cut + b"|" + str(limit).encode()
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        lo, hi = self._range(cut, None if len(typed) >= WIDTH else cut + _TOP)
        found = self.ids[self._best(lo, hi, limit).astype(np.int64)]
        if len(cut) <= _CACHED_LENGTH and limit <= _CACHED_MOST:
            self._cache[cache_key] = found
        return found

    def pieces(self) -> Iterator[Piece]:
        """The stored form, as ``store_index`` takes it (one piece: it is built in its buffer)."""
        yield self.to_bytes()

    def to_bytes(self) -> bytearray:
        if self.packed is not None:
            return self.packed
        return pack(FORMAT, (self.keys.view(np.uint8), self.orders, self.ids))

    @classmethod
    def from_bytes(cls, data: bytes) -> PrefixIndex:
        """Views onto ``data``, no copy (like ``TrigramIndex.from_bytes``)."""
        arrays = unpack(FORMAT, data)
        keys, orders, ids = arrays
        return cls(keys.view(f"S{WIDTH}"), orders, ids)


def read_prefix_index(db: sqlite_utils.Database, name: str) -> PrefixIndex | None:
    """The stored index, or None if there is none or it is in a format this version can't read."""
    data = read_stored(db, name)
    try:
        return None if data is None else PrefixIndex.from_bytes(data)
    except ValueError:
        return None
