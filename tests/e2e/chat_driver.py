"""The driver's chat side: people write messages; tests wait for the bot's reply or its silence.

``say`` stores the message as Discord would and dispatches MESSAGE_CREATE only where Discord
would send it to this bot: the bot identified with GUILD_MESSAGES (guild channels it can see)
or DIRECT_MESSAGES (its DMs), and with the content emptied unless the bot may read it (see
``chat``). A message in a place the bot is not (a private channel, a guild without the bot)
is stored but never sent; it can still be the target of a message command.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from tests.e2e import chat
from tests.e2e.gateway import DIRECT_MESSAGES, GUILD_MESSAGES, MESSAGE_CONTENT, Gateway
from tests.e2e.payloads import VIEW_CHANNEL, Person, snowflake
from tests.e2e.records import Message
from tests.e2e.rest_base import RestState
from tests.e2e.world import BOT_DM, GUILD

T = TypeVar("T")


class ChatDriver(RestState):
    if TYPE_CHECKING:  # provided by FakeDiscord
        gateway: Gateway

        async def wait_for(self, check: Callable[[], T | None], what: str, timeout: float) -> T: ...
        async def wait_connected(self, timeout: float = 20.0) -> None: ...
        async def settle(self) -> None: ...

    async def say(
        self,
        text: str,
        *,
        user: Person | None = None,
        channel_id: int | None = None,
        mention_bot: bool = False,
        reply_to: Message | None = None,
        reply_ping: bool = True,
        dm: bool = False,
        mention_everyone: bool = False,
        role_mentions: Iterable[int] = (),
        author_is_bot: bool = False,
        webhook: bool = False,
        deleted: bool = False,
    ) -> Message:
        """A message by ``user`` (alice by default) in ``channel_id`` (#papers by default).

        ``mention_bot`` puts ``<@bot>`` in front of the text; ``dm`` sends it in the person's
        DM with the bot; ``reply_to`` makes it a reply (in that message's channel), pinging the
        replied-to author unless ``reply_ping`` is false (Discord's "ping on reply"; a reply to
        an interaction response or webhook message pings nobody). ``mention_everyone`` marks it
        as pinging @everyone (adding the text if missing); ``role_mentions`` adds ``<@&id>``s.
        ``author_is_bot`` sends it as another bot, ``webhook`` as the channel's webhook.
        ``deleted``: the person deletes it right after sending (the bot gets MESSAGE_CREATE for
        a message that is gone by the time it answers).
        Returns the message as stored (full content); the bot got ``delivered[id]``, if anything.
        """
        person = self.world.other_bot if author_is_bot else user or self.world.alice
        if reply_to is not None:
            channel_id = channel_id or reply_to.channel_id
            assert channel_id == reply_to.channel_id, "a reply is in the channel of its message"
        if dm:
            assert not webhook and not author_is_bot, "only people DM the bot here"
            dm_channel = self.world.dm_channel_id(person)
            assert channel_id in (None, dm_channel), f"{person.name}'s DM with the bot is {dm_channel}"
            channel_id = dm_channel
        channel = channel_id or self.world.channel_id
        context = self.world.context_of(channel)
        prefix = [f"<@&{r}>" for r in role_mentions]
        if mention_bot and f"<@{self.world.bot.id}>" not in text:
            prefix.insert(0, f"<@{self.world.bot.id}>")
        if mention_everyone and not chat.EVERYONE.search(text):
            prefix.insert(0, "@everyone")
        content = " ".join([*prefix, text]) if prefix else text
        referenced = None
        if reply_to is not None:
            referenced = self.messages.get(reply_to.id)
            assert referenced is not None, f"message {reply_to.id} is gone"
            assert not self.ephemeral(referenced), "nobody can reply to an ephemeral message"
        data = chat.user_message(
            self.world,
            message_id=snowflake(),
            channel_id=channel,
            author=None if webhook else person,
            text=content,
            reply_to=referenced,
            reply_ping=reply_ping,
            mention_everyone=mention_everyone,
        )
        message_id = int(data["id"])
        if not deleted:
            self.messages[message_id] = data
        await self.wait_connected()
        needed = {GUILD: GUILD_MESSAGES, BOT_DM: DIRECT_MESSAGES}.get(context)
        present = context == BOT_DM or bool(self.world.bot_permissions(channel) & VIEW_CHANNEL)
        if needed is not None and present and self.gateway.wants(needed):
            intents = self.gateway.intents or 0
            self.delivered[message_id] = chat.as_delivered(self.world, data, intents, MESSAGE_CONTENT)
            await self.gateway.dispatch("MESSAGE_CREATE", self.delivered[message_id])
        self.changed()
        return Message.snapshot(data)

    def bot_messages_after(self, message: Message) -> list[Message]:
        """The bot's messages in ``message``'s channel created after it (replies or not)."""
        posted = self.posts.get(message.channel_id, [])
        return [Message.snapshot(self.messages[i]) for i in posted if i > message.id and i in self.messages]

    def _reply(self, message: Message) -> int | None:
        for message_id in self.posts.get(message.channel_id, []):
            reference = self.messages.get(message_id, {}).get("message_reference")
            if reference is not None and int(reference["message_id"]) == message.id:
                return message_id
        return None

    async def reply_to(self, message: Message, timeout: float = 10.0) -> Message:
        """Wait for the bot's reply (a message whose ``message_reference`` is ``message``)."""
        found = await self.wait_for(lambda: self._reply(message), f"a reply to message {message.id}", timeout)
        return Message.snapshot(self.messages[found])

    async def no_reply_to(self, message: Message, within: float = 1.0) -> None:
        """Assert the bot posts nothing in the channel in answer to ``message`` for ``within`` s.

        Settles first (a heartbeat round trip: the bot has read the MESSAGE_CREATE), then waits
        ``within`` seconds and settles again, so silence is not just "too early".
        """
        await self.settle()
        await asyncio.sleep(within)
        await self.settle()
        after = self.bot_messages_after(message)
        assert not after, f"the bot answered message {message.id}: {[m.content or m.embeds for m in after]}"
