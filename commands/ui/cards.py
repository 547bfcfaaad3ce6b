"""Summary cards: pure functions from catalog data to Discord embeds and texts.

No client, no network: every card is testable as data (``Embed.to_dict()``), and every one
respects Discord's limits whatever the paper looks like (a 1,000-character title, 500
authors, an empty abstract, markdown or ``@everyone`` in a title).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from urllib.parse import parse_qs, quote_plus, urlsplit

import discord
from discord.utils import escape_markdown, escape_mentions

from store import categories
from store.bibtex import bibtex, surname
from store.catalog.models import AuthorProfile, Paper, PaperMatch, Stats
from store.index.method_names import other_names
from store.index.names import author_key
from store.links import paper_url
from store.text import clip, latex_to_text, plural, year_span

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_LIMIT = 1024
EMBED_TOTAL = 6000
MESSAGE_LIMIT = 2000
CHOICE_NAME_LIMIT = 100
FOOTER_LIMIT = 2048

_PALETTE = (0x5865F2, 0x57F287, 0xFEE75C, 0xEB459E, 0xED4245, 0x3BA55C, 0xFAA61A, 0x9B59B6, 0x1ABC9C)
_ARCHIVE_COLOURS = {"cs": 0x5865F2, "stat": 0x57F287, "eess": 0xFAA61A, "math": 0x9B59B6}


def clean(text: str) -> str:
    """User-visible text from untrusted data: markdown escaped, mentions defused."""
    return escape_mentions(escape_markdown(text))


def page_count(items: int, per_page: int) -> int:
    """How many pages ``items`` fill (at least one, so an empty list still has a page)."""
    return max(1, math.ceil(items / per_page))


def colour_of(category: str) -> discord.Colour:
    """One stable colour per category: the archive's, shifted per subject."""
    archive = category.split(".", 1)[0]
    base = _ARCHIVE_COLOURS.get(archive)
    if base is None or category == archive:
        return discord.Colour(_PALETTE[zlib.crc32(category.encode()) % len(_PALETTE)])
    shift = zlib.crc32(category.encode()) % 5 * 0x080808
    return discord.Colour((base + shift) & 0xFFFFFF)


def author_line(paper: Paper, highlight: str | None = None, limit: int = FIELD_LIMIT) -> str:
    """Authors in order, the looked-up one in bold, "et al." when the list is cut or truncated."""
    names = [clean(n) for n in paper.authors]
    if highlight is not None:
        # by key, so the paper's own spelling ("Edmond S.L. Ho") is bold for "Edmond S. L. Ho"
        wanted = author_key(highlight)
        names = [
            f"**{n}**" if author_key(raw) == wanted else n
            for raw, n in zip(paper.authors, names, strict=True)
        ]
    if not names:
        return "(no authors listed)"
    shown: list[str] = []
    for name in names:
        candidate = ", ".join([*shown, name])
        if len(candidate) + len(" et al.") > limit:
            break
        shown.append(name)
    line = ", ".join(shown)
    if len(shown) < len(names) or paper.authors_truncated:
        line += " et al."
    return line


def paper_embed(paper: Paper, highlight: str | None = None) -> discord.Embed:
    """The summary card of one paper; the names its abstract gives the method, one line."""
    names = other_names(paper.title, paper.abstract, paper.code_url)
    known_as = f"*a.k.a. {clip(clean(', '.join(names)), 180)}*\n" if names else ""
    embed = discord.Embed(
        title=clip(clean(paper.display_title), TITLE_LIMIT),
        url=paper_url(paper),
        description=clip(
            known_as + (clean(paper.summary) or "*No abstract in the catalog.*"), DESCRIPTION_LIMIT
        ),
        colour=colour_of(paper.category),
    )
    embed.add_field(name="Authors", value=author_line(paper, highlight), inline=False)
    embed.add_field(name="Published", value=paper.published.isoformat(), inline=True)
    embed.add_field(
        name="Category", value=clip(clean(categories.label(paper.category)), FIELD_LIMIT), inline=True
    )
    if paper.score is not None:
        embed.add_field(name="Listing score", value=f"{paper.score:g} / 100", inline=True)
    embed.set_footer(text=clip(f"id {paper.id}", FOOTER_LIMIT))
    return embed


def author_embed(profile: AuthorProfile, page: int, per_page: int) -> discord.Embed:
    """An author's card: one page of papers (newest first), years, categories, co-authors."""
    pages = page_count(profile.paper_count, per_page)
    years = year_span(*profile.years) if profile.years else "—"
    embed = discord.Embed(
        title=clip(clean(profile.name), TITLE_LIMIT),
        description=f"{plural(profile.paper_count, 'paper')} · active {years}",
        colour=colour_of(next(iter(profile.categories), "")),
    )
    for number, paper in enumerate(profile.papers, start=page * per_page + 1):
        value = f"{paper.published.isoformat()} · {author_line(paper, profile.name, limit=700)}"
        embed.add_field(
            name=clip(f"{number}. {clean(paper.display_title)}", 256),
            value=clip(value, FIELD_LIMIT),
            inline=False,
        )
    if profile.categories:
        cats = ", ".join(f"{categories.label(c)} ({n})" for c, n in list(profile.categories.items())[:8])
        embed.add_field(name="Categories", value=clip(clean(cats), FIELD_LIMIT), inline=False)
    if profile.coauthors:
        people = ", ".join(f"{clean(c.name)} ({c.count})" for c in profile.coauthors)
        embed.add_field(name="Top co-authors", value=clip(people, FIELD_LIMIT), inline=False)
    embed.set_footer(text=f"page {page + 1} of {pages}")
    return fit(embed)


def search_url(query: str) -> str:
    """arXiv's own search for the same words: the search card's title links there.

    The link also carries the query with the card, so paging a search needs no server-side
    state and keeps working after a restart (``commands/ui/paging.py`` reads it back).
    """
    return f"https://arxiv.org/search/?query={quote_plus(query)}&searchtype=all"


def query_of_search_url(url: str | None) -> str | None:
    if not url:
        return None
    values = parse_qs(urlsplit(url).query).get("query")
    return values[0] if values else None


def search_embed(
    query: str, matches: Sequence[PaperMatch], page: int, per_page: int, more: bool = False
) -> discord.Embed:
    """One page of full-text results; ``more`` when a next page exists."""
    embed = discord.Embed(
        title=clip(f"Search: {clean(query)}", TITLE_LIMIT),
        url=search_url(query),
        colour=discord.Colour.blurple(),
    )
    for number, match in enumerate(matches, start=page * per_page + 1):
        paper = match.paper
        value = f"{author_line(paper, limit=400)} · {paper.published.year} · {paper.category}"
        embed.add_field(
            name=clip(f"{number}. {clean(paper.display_title)}", 256),
            value=clip(value, FIELD_LIMIT),
            inline=False,
        )
    embed.set_footer(text=f"page {page + 1}" + (" · more on the next page" if more else ""))
    return fit(embed)


def list_embed(lead: str, papers: Sequence[Paper]) -> discord.Embed:
    """A short list of papers (several answers to one question), to open one from a menu."""
    embed = discord.Embed(title=clip(clean(lead), TITLE_LIMIT), colour=discord.Colour.blurple())
    for number, paper in enumerate(papers, start=1):
        value = f"{author_line(paper, limit=400)} · {paper.published.year} · {paper.category}"
        embed.add_field(
            name=clip(f"{number}. {clean(paper.display_title)}", 256),
            value=clip(value, FIELD_LIMIT),
            inline=False,
        )
    return fit(embed)


def stats_embed(stats: Stats) -> discord.Embed:
    embed = discord.Embed(
        title="What is in the catalog",
        description=f"{plural(stats.papers, 'paper')} by {plural(stats.authors, 'author')}",
        colour=discord.Colour.blurple(),
    )
    cats = "\n".join(f"{categories.label(c)}: {n:,}" for c, n in list(stats.categories.items())[:15])
    embed.add_field(name="Categories", value=clip(clean(cats) or "—", FIELD_LIMIT), inline=True)
    years = "\n".join(f"{y}: {n:,}" for y, n in list(stats.years.items())[-15:])
    embed.add_field(name="Years (latest)", value=clip(years or "—", FIELD_LIMIT), inline=True)
    return fit(embed)


def help_embed() -> discord.Embed:
    embed = discord.Embed(
        title="paperbot — talk about papers",
        description="Ask about a paper by a half-remembered title, an author by a misspelt name, "
        "or get a random paper. Cards are posted for discussion; add `private: True` to see one alone.",
        colour=discord.Colour.blurple(),
    )
    for name, value in (
        ("/paper", "`/paper query: yopo` · typos, acronyms and partial titles are fine; pick from the list"),
        ("/author", "`/author name: Zhu Zhanxing` · reversed names, initials (`Z. Zhu`) and accents work"),
        ("/random", "`/random category: cs.LG year_from: 2019` · a random paper, with an Another button"),
        ("/search", "`/search text: adversarial training` · words in titles and abstracts"),
        ("/stats", "what is in the catalog"),
        (
            "Just ask",
            "Mention me, DM me or reply to my answers: `@paperbot who wrote YOPO?`, "
            "`papers by Zhu since 2020`, `bibtex?` (as a reply), or paste an arXiv link",
        ),
        ("Find papers in this message", "Right-click a message → Apps: the papers it names, privately"),
        (
            "/daily",
            "`/daily set channel: #papers time: 09:00` · a random paper there every day; also `off`, "
            "`status`, `preview`. All four need *Manage Server*, unless a server admin allows /daily "
            "for other roles or members in Server Settings → Integrations",
        ),
    ):
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text="Buttons under a card: Abstract, BibTeX and Code.")
    return embed


def fit(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields until the embed is within Discord's 6,000-character total."""
    while len(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def abstract_embed(paper: Paper) -> discord.Embed:
    """The whole abstract, readable, in one message; a very long one is clipped with a link.

    One message, because an interaction from a user install may send only five.
    """
    url = paper_url(paper)
    text = clean(latex_to_text(paper.abstract)) or "*No abstract in the catalog.*"
    more = f"\n\n[Read the full abstract]({url})"
    if len(text) > DESCRIPTION_LIMIT:
        text = clip(text, DESCRIPTION_LIMIT - len(more)) + more
    return discord.Embed(
        title=clip(clean(paper.display_title), TITLE_LIMIT),
        url=url,
        description=text,
        colour=colour_of(paper.category),
    )


def bibtex_message(paper: Paper) -> str:
    """The paper's BibTeX entry as one message, in a code block."""
    fence, end = "```bibtex\n", "\n```"
    return fence + bibtex(paper, MESSAGE_LIMIT - len(fence) - len(end)) + end


def choice_name(paper: Paper) -> str:
    """An autocomplete choice: title, first author and year, so similar titles can be told apart."""
    first = surname(paper.authors[0]) if paper.authors else "?"
    if len(paper.authors) == 2 and not paper.authors_truncated:
        first = f"{first} and {surname(paper.authors[1])}"
    elif len(paper.authors) > 1 or paper.authors_truncated:
        first += " et al."
    suffix = f" — {first}, {paper.year}"
    room = CHOICE_NAME_LIMIT - len(suffix)
    if room < 20:
        suffix = f" — {paper.year}"
        room = CHOICE_NAME_LIMIT - len(suffix)
    return clip(paper.display_title, room) + suffix
