"""The CLI's public JSON contract, written once for every test that checks it (see README)."""

PAPER_KEYS = [
    "id",
    "title",
    "authors",
    "authors_truncated",
    "published",
    "category",
    "score",
    "has_code",
    "code_url",
    "abstract",
    "summary",
]
AUTHOR_KEYS = ["name", "paper_count", "papers", "coauthors", "years", "match"]
STATS_KEYS = ["papers", "authors", "categories", "years"]
