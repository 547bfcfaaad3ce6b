"""Every kind of chat answer becomes a message within Discord's limits, with the slash commands' cards."""

from __future__ import annotations

import discord
import pytest

from commands.chat import shown_in
from commands.ui.chat_cards import read_reply, render_reply
from commands.ui.respond import Card
from store.catalog.catalog import Catalog
from store.chat.answer_model import AnswerKind, Subject
from store.chat.answers import answer
from tests.bot.conftest import FakeMessage

OWNER = 1001


def labels(card: Card) -> list[str]:
    view = card.view
    if view is None:
        return []
    return [
        getattr(getattr(i, "item", i), "label", None) or getattr(i.item, "placeholder", "")
        for i in view.children
    ]


@pytest.mark.parametrize(
    ("question", "kind", "expect"),
    [
        (
            "who wrote yopo?",
            AnswerKind.WHO_WROTE,
            {"content": "Dinghuai Zhang", "title": "You Only Propagate Once"},
        ),
        (
            "is there code for yopo",
            AnswerKind.CODE,
            {"content": "github.com", "labels": ["Abstract", "BibTeX", "Code"]},
        ),
        ("bibtex for monoflow", AnswerKind.BIBTEX, {"content": "```bibtex\n@misc{"}),
        (
            "what is monoflow about",
            AnswerKind.ABSTRACT,
            {"title": "MonoFlow", "labels": ["Abstract", "BibTeX"]},
        ),
        (
            "papers by Zhanxing Zhu",
            AnswerKind.AUTHOR,
            {"title": "Zhanxing Zhu", "labels": ["Previous", "Next"]},
        ),
        (
            "papers by zhu since 2024",
            AnswerKind.AUTHOR,
            {"title": "papers by Zhanxing Zhu since 2024", "labels": ["Open a paper…"]},
        ),
        ("Zhang", AnswerKind.AUTHORS, {"content": "Zhang", "labels": ["Which one?"]}),
        ("a random stat.ML paper", AnswerKind.RANDOM, {"labels": ["Another", "Abstract", "BibTeX"]}),
        (
            "how many papers do you know",
            AnswerKind.STATS,
            {"content": "50 papers", "title": "What is in the catalog"},
        ),
        (
            "arxiv.org/abs/2106.01234",
            AnswerKind.NOT_IN_CATALOG,
            {"content": "<https://arxiv.org/abs/2106.01234>"},
        ),
        ("papers by Geoffrey Hinton", AnswerKind.NOT_FOUND, {"content": "Hinton"}),
        ("help", AnswerKind.HELP, {"content": "Find papers in this message"}),
    ],
)
def test_each_kind_of_answer_renders(
    catalog: Catalog, question: str, kind: AnswerKind, expect: dict[str, object]
) -> None:
    found = answer(catalog, question)
    assert found.kind is kind
    card = render_reply(read_reply(catalog, found), OWNER)
    assert card is not None
    if "content" in expect:
        assert card.content is not None and str(expect["content"]) in card.content
    if "title" in expect:
        assert card.embed is not None and str(expect["title"]) in (card.embed.title or "")
    if "labels" in expect:
        assert labels(card)[: len(expect["labels"])] == expect["labels"]  # type: ignore[arg-type]
    if card.content is not None:
        assert len(card.content) <= 2000 and "@everyone" not in card.content and ".." not in card.content
    if card.embed is not None:
        assert len(card.embed) <= 6000


def test_nothing_to_say_renders_nothing(catalog: Catalog) -> None:
    assert render_reply(read_reply(catalog, answer(catalog, "👍")), OWNER) is None


def test_user_text_in_a_lead_cannot_ping(catalog: Catalog) -> None:
    card = render_reply(read_reply(catalog, answer(catalog, "papers by @everyone Qwxyz")), OWNER)
    assert card is not None and card.content is not None
    assert "@everyone" not in card.content


def test_what_a_message_shows_is_read_from_its_controls(catalog: Catalog) -> None:
    card = render_reply(read_reply(catalog, answer(catalog, "papers by Zhanxing Zhu")), OWNER)
    assert card is not None
    remembered = shown_in(FakeMessage(view=card.view))  # type: ignore[arg-type]
    assert remembered is not None and remembered.author_id == catalog.find_authors("Zhanxing Zhu", 1)[0].id
    assert len(remembered.paper_ids) == 5
    paper = catalog.find_papers("yopo", 1)[0].paper
    one = render_reply(read_reply(catalog, answer(catalog, "yopo")), OWNER)
    assert one is not None
    assert shown_in(FakeMessage(view=one.view)) == Subject((paper.id,), None)  # type: ignore[arg-type]
    assert shown_in(FakeMessage(view=discord.ui.View())) is None  # type: ignore[arg-type]
