"""A list bound as one SQL parameter: ``column in (select value from json_each(?))``.

SQLite caps the number of ``?`` in a statement, so a list of any length goes in as one JSON
array instead of being cut into parts with a placeholder per item.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson

IN_LIST = "in (select value from json_each(?))"


def json_list(values: Iterable[object]) -> str:
    """The values as the JSON array ``IN_LIST`` reads."""
    return orjson.dumps(list(values)).decode()
