"""Where a paper lives on the web: arXiv's page for an arXiv id, else arXiv's title search."""

from __future__ import annotations

import re
from urllib.parse import quote_plus

from store.catalog.models import Paper

# New-style (2106.01234) and old-style (hep-th/9901001, math.GT/0309136) arXiv ids.
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


def paper_url(paper: Paper) -> str:
    """arXiv's page for arXiv ids, else an arXiv title search."""
    if ARXIV_ID.match(paper.id):
        return f"https://arxiv.org/abs/{paper.id}"
    return f"https://arxiv.org/search/?query={quote_plus(paper.title[:200])}&searchtype=title"
