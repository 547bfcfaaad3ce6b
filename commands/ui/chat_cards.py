"""A chat answer (``store.chat.answers.Answer``) as a message: the same cards as the slash commands.

``read_reply`` does the blocking part (an author card's first page) off the event loop;
``render_reply`` builds the message on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import discord

from commands.ui import cards
from commands.ui.more_button import list_page
from commands.ui.paging import AuthorMenu, author_card
from commands.ui.random_card import random_card
from commands.ui.respond import Card
from commands.ui.views import card_view, paper_card
from store.catalog.catalog import Catalog
from store.catalog.models import AuthorMatch, AuthorProfile
from store.chat.answer_model import Answer, AnswerKind, title_of
from store.text import clip

CHAT_HELP = (
    "Ask me in your own words — mention me, DM me, or reply to one of my answers:\n"
    "• `@paperbot who wrote YOPO?` · `what is MonoFlow about?` · `is there code for AdaGCN?`\n"
    "• `papers by Zhanxing Zhu since 2020` · `Zhu's latest` · `papers by Zhu and Ke Sun`\n"
    "• `anything on traffic forecasting with graphs?` · `a random cs.CV paper from 2025`\n"
    "• paste an arXiv link or id · reply `bibtex`, `code?` or `who wrote it?` to a card\n"
    "Right-click a message → Apps → **Find papers in this message**. Slash commands: `/help`."
)


@dataclass(frozen=True)
class ChatReply:
    answer: Answer
    profile: AuthorProfile | None = None


def _whole_author(answer: Answer) -> bool:
    return (
        answer.kind is AnswerKind.AUTHOR
        and answer.author_id is not None
        and not (answer.topic or answer.year_from or answer.year_to)
    )


def read_reply(catalog: Catalog, answer: Answer) -> ChatReply:
    """The blocking part of an answer's message (run it off the event loop)."""
    if _whole_author(answer):
        assert answer.author_id is not None
        return ChatReply(answer, catalog.author_profile(answer.author_id, 5, None, 0))
    return ChatReply(answer)


def _lead(answer: Answer) -> str | None:
    text = cards.clean(answer.lead) if answer.lead else ""
    return clip(text, cards.MESSAGE_LIMIT) or None


def _no_preview(text: str) -> str:
    """Links in angle brackets: Discord shows no preview card for them."""
    return re.sub(r"(?<![<(])(https?://\S+)", r"<\1>", text)


def author_choices(owner_id: int, authors: tuple[AuthorMatch, ...]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AuthorMenu(owner_id, authors))
    return view


def render_reply(reply: ChatReply, owner_id: int) -> Card | None:
    """The message for an answer; None when there is nothing worth saying."""
    answer = reply.answer
    kind = answer.kind
    papers = answer.papers
    if kind is AnswerKind.NOTHING:
        return None
    if kind is AnswerKind.ACK:
        return Card(content=_lead(answer))
    if kind is AnswerKind.HELP:
        return Card(content=CHAT_HELP)
    if kind is AnswerKind.STATS and answer.stats is not None:
        return Card(content=_lead(answer), embed=cards.stats_embed(answer.stats))
    if reply.profile is not None:
        return author_card(reply.profile, 0, owner_id)
    if kind is AnswerKind.AUTHORS and answer.authors:
        return Card(content=_lead(answer), view=author_choices(owner_id, answer.authors))
    if kind is AnswerKind.BIBTEX and papers:
        return Card(content=cards.bibtex_message(papers[0]))
    if kind is AnswerKind.ABSTRACT and papers:
        return Card(content=_lead(answer), embed=cards.abstract_embed(papers[0]), view=card_view(papers[0]))
    if kind is AnswerKind.RANDOM and papers:
        return random_card(papers[0], owner_id, answer.category, answer.year_from, answer.year_to)
    if kind in (AnswerKind.PAPERS, AnswerKind.AUTHOR) and papers:
        reachable = len(answer.subject.paper_ids) if answer.subject else len(papers)
        return list_page(answer.lead or "Papers", papers, owner_id, len(papers), reachable)
    if papers:  # PAPER, WHO_WROTE, CODE: the lead answers (when it says more than the title), the card cites
        card = paper_card(papers[0])
        plain = kind is AnswerKind.PAPER and answer.lead == f"{title_of(papers[0])} ({papers[0].year}):"
        card.content = None if plain else _lead(answer)
        return card
    text = _lead(answer) or "I found nothing for that in the catalog."
    if answer.suggestions:
        text += "\nDid you mean: " + "; ".join(
            f"*{cards.clean(clip(s, 120))}*" for s in answer.suggestions[:3]
        )
    return Card(content=_no_preview(clip(text, cards.MESSAGE_LIMIT)))
