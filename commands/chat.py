"""The chat assistant: answers to messages that mention the bot, DMs, and replies to its answers.

Needs no privileged intent. Without ``message_content`` Discord sends the text of exactly the
messages the bot may answer (a mention of it, a DM, a reply to it) and an empty text for every
other message, so those are dropped on the first check, before any work.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import discord
from discord.ext import tasks
from discord.ext.commands import Bot, Cog

from commands.ui.chat_cards import CHAT_HELP, ChatReply, read_reply, render_reply
from commands.ui.chat_limits import ChatLimits
from commands.ui.custom_ids import author_on, papers_on
from commands.ui.respond import Card
from commands.ui.shared import Clock, off_loop, services_of
from store.catalog.catalog import Catalog
from store.chat.answer_model import Answer, AnswerKind, Subject
from store.chat.answers import answer
from store.chat.memory import AnswerMemory

log = logging.getLogger(__name__)
ANSWERABLE = (discord.MessageType.default, discord.MessageType.reply)
MAX_TEXT = 2000  # a question longer than a Discord message is a paste, not a question


def needed_permissions(channel: Any) -> discord.Permissions:
    """What answering by a reply takes in a channel (threads have their own send permission)."""
    needed = discord.Permissions(view_channel=True, embed_links=True, read_message_history=True)
    if isinstance(channel, discord.Thread):
        needed.send_messages_in_threads = True
    else:
        needed.send_messages = True
    return needed


def shown_in(message: discord.Message) -> Subject | None:
    """What one of the bot's messages shows, read from its controls' custom_ids.

    Stands in when the memory has no row for it yet (a reply typed before the answer was
    recorded) or any more.
    """
    papers, author_id = papers_on(message), author_on(message)
    if not papers and author_id is None:
        return None
    return Subject(tuple(papers), author_id)


class Chat(Cog):
    """Listens to messages; answers only those addressed to the bot, within rate limits."""

    def __init__(
        self,
        me: Callable[[], discord.abc.User | None],
        catalog: Catalog,
        clock: Clock,
        limits: ChatLimits | None = None,
    ) -> None:
        self.me = me
        self.catalog = catalog
        self.memory = AnswerMemory(catalog)
        self.clock = clock
        self.limits = limits or ChatLimits()
        self._muted_channels: set[int] = set()

    async def cog_load(self) -> None:
        self.forget_old_answers.start()

    async def cog_unload(self) -> None:
        self.forget_old_answers.cancel()

    @tasks.loop(hours=6)
    async def forget_old_answers(self) -> None:
        """Answers older than 30 days are no longer a conversation: drop them from the file."""
        try:
            forgotten = await off_loop(self.memory.prune, self.clock())
        except Exception:  # a catalog busy with a long load: try again next time
            log.warning("could not prune old chat answers", exc_info=True)
            return
        if forgotten:
            log.info("forgot %d chat answers older than 30 days", forgotten)

    def addressed(self, message: discord.Message) -> bool:
        """A DM to the bot, a message mentioning it by name, or a reply to one of its messages."""
        me = self.me()
        if me is None or not message.content or message.author.bot or message.webhook_id is not None:
            return False
        if message.author.id == me.id or message.type not in ANSWERABLE:
            return False
        if message.guild is None:
            return True
        if re.search(rf"<@!?{me.id}>", message.content):
            return True
        return self.replied_to(message) is not None

    def replied_to(self, message: discord.Message) -> discord.Message | None:
        """The bot's message this one replies to, if it does."""
        me = self.me()
        reference = message.reference
        if me is None or reference is None:
            return None
        resolved = reference.resolved
        if isinstance(resolved, discord.Message) and resolved.author.id == me.id:
            return resolved
        return None

    def may_answer_in(self, message: discord.Message) -> bool:
        """Whether the bot may reply there; a missing permission is logged once per channel."""
        if message.guild is None:
            return True
        channel = message.channel
        missing = [
            name
            for name, value in needed_permissions(channel)
            if value and not getattr(channel.permissions_for(message.guild.me), name)
        ]
        if not missing:
            self._muted_channels.discard(channel.id)
            return True
        if channel.id not in self._muted_channels:
            self._muted_channels.add(channel.id)
            log.warning("not answering in channel %s: missing %s", channel.id, ", ".join(missing))
        return False

    @Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not self.addressed(message):
            return
        if not self.limits.allow(message.author.id, message.channel.id):
            log.debug("rate limit: not answering %s in %s", message.author.id, message.channel.id)
            return
        if not self.may_answer_in(message):
            return
        try:
            await self.reply(message)
        except discord.Forbidden:
            self._muted_channels.add(message.channel.id)
            log.warning("Discord refused an answer in channel %s", message.channel.id)
        except discord.HTTPException as error:
            log.warning("could not answer in channel %s: %s", message.channel.id, error)
        except Exception:
            log.exception("failed to answer a message in channel %s", message.channel.id)

    async def reply(self, message: discord.Message) -> None:
        replied = self.replied_to(message)
        now = self.clock()

        def work() -> tuple[Answer, ChatReply]:
            about: Subject | None = None
            if replied is not None:
                about = self.memory.recall(replied.id, now) or shown_in(replied)
            found = answer(self.catalog, message.content[:MAX_TEXT], about, today=now.date())
            return found, read_reply(self.catalog, found)

        found, chat_reply = await off_loop(work)
        card = render_reply(chat_reply, message.author.id)
        if replied is not None and found.kind is AnswerKind.ACK:
            return  # thanks in a reply to an answer: silence, not even a short line
        if card is None:
            if replied is not None:
                return  # "thanks!" to an answer needs no answer
            card = Card(content=CHAT_HELP)  # addressed, but no question in it: say what works
        # A question deleted meanwhile still gets its answer, as a plain message (Discord refuses a
        # reply to a message that is gone unless told not to fail).
        sent = await message.channel.send(
            reference=message.to_reference(fail_if_not_exists=False),
            mention_author=False,
            **card.message_kwargs(),
        )
        if found.subject is not None:
            await off_loop(self.memory.remember, sent.id, found.subject, now)


async def setup(bot: Bot) -> None:
    services = services_of(bot)
    await bot.add_cog(Chat(lambda: bot.user, services.catalog, services.clock))
