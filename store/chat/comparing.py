"""Answers about several papers at once: which is newer or older, whom they share, which has code."""

from __future__ import annotations

from store.catalog.models import Paper
from store.chat.answer_model import Answer, papers_answer, title_of
from store.chat.reading import Reading
from store.text import fold


def compare(r: Reading, papers: list[Paper]) -> Answer:
    """Answer what is asked of several papers together: which is newer, shared authors, code."""
    text = fold(r.text)
    said: list[str] = []
    ordered = sorted(papers, key=lambda p: p.published)
    if any(w in text.split() for w in ("newer", "older", "earlier", "later", "first", "recent")):
        if ordered[0].published == ordered[-1].published:
            said.append(f"They were published the same day ({ordered[0].published.isoformat()}).")
        elif "older" in text or "earlier" in text or "first" in text:
            said.append(
                f"{title_of(ordered[0])} is older ({ordered[0].published.isoformat()}) than "
                + ", ".join(f"{title_of(p)} ({p.published.isoformat()})" for p in ordered[1:])
                + "."
            )
        else:
            said.append(
                f"{title_of(ordered[-1])} is newer ({ordered[-1].published.isoformat()}) than "
                + ", ".join(f"{title_of(p)} ({p.published.isoformat()})" for p in ordered[:-1])
                + "."
            )
    if "author" in text or "people" in text or "common" in text or "same" in text:
        keys = [{fold(a): a for a in p.authors} for p in papers]
        shared = set(keys[0]).intersection(*keys[1:])
        if shared:
            said.append("They share " + ", ".join(name for k, name in keys[0].items() if k in shared) + ".")
        else:
            said.append("They share no authors" + (" (among the authors listed)." if any(
                p.authors_truncated for p in papers) else "."))  # fmt: skip
    if "code" in text or "repo" in text or "github" in text:
        with_code = [p for p in papers if p.has_code]
        if not with_code:
            said.append("None of them has code that I know of.")
        else:
            said.append(
                "Code: "
                + "; ".join(f"{title_of(p)}: {p.code_url or 'marked, no link'}" for p in with_code)
                + "."
            )
    if not said:
        said.append(
            "; ".join(
                f"{title_of(p)} ({p.published.isoformat()}, {', '.join(p.authors[:3])})" for p in ordered
            )
            + "."
        )
    return papers_answer(" ".join(said), papers)
