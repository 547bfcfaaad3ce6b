"""Discord's platform rules as they apply to the bot today: intents, who sees /daily, where lookups work.

The fake refuses what Discord refuses (privileged intents, commands outside their registered
contexts, /daily for members without Manage Server, channel routes the bot lacks access to),
so each test here fails if the bot's registration or behaviour drifts from what the README
promises: no privileged intent, /daily for server managers only, lookups in DMs and through a
user install without posting into channels the bot is not in.
"""

from __future__ import annotations

import pytest

from tests.bundled_titles import YOPO
from tests.e2e.fake_discord import FakeDiscord, NotOffered
from tests.e2e.gateway import DIRECT_MESSAGES, GUILD_MESSAGES, GUILDS
from tests.e2e.payloads import MANAGE_GUILD

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("bot")]


async def test_the_bot_asks_for_no_privileged_intent_and_ignores_what_is_not_for_it(
    fake: FakeDiscord,
) -> None:
    await fake.wait_connected()
    assert fake.gateway.intents == GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES  # no message content
    chatter = await fake.say("who wrote yopo?", user=fake.world.bob)  # not addressed to the bot
    assert fake.delivered[chatter.id]["content"] == ""  # Discord withholds the text
    await fake.no_reply_to(chatter)
    assert fake.invalid_requests() == []


@pytest.mark.parametrize("who", ["bob", "carol"])
async def test_daily_is_hidden_from_members_without_manage_server(fake: FakeDiscord, who: str) -> None:
    assert fake.registered("daily")["default_member_permissions"] == str(MANAGE_GUILD)
    member = getattr(fake.world, who)
    for subcommand in ("daily status", "daily preview"):
        with pytest.raises(NotOffered, match="hides"):
            await fake.slash(subcommand, user=member)
    status = await fake.slash("daily status")  # the owner sees it
    assert status.ephemeral


async def test_daily_is_not_offered_in_the_bots_dm(fake: FakeDiscord) -> None:
    with pytest.raises(NotOffered, match="context 1"):
        await fake.slash("daily status", context=1)


async def test_a_lookup_answers_in_the_bots_dm(fake: FakeDiscord) -> None:
    reply = await fake.slash("paper", query="yopo", context=1, user=fake.world.carol)
    assert reply.embed["title"] == YOPO
    assert reply.msg.channel_id == fake.world.dm_channel_id(fake.world.carol)
    abstract = await fake.click(reply.msg, reply.msg.custom_id("Abstract"), user=fake.world.carol)
    assert abstract.ephemeral and abstract.embed["title"] == YOPO
    assert fake.invalid_requests() == []


async def test_a_user_install_answers_through_the_interaction_where_the_bot_is_not(fake: FakeDiscord) -> None:
    before = len(fake.requests)
    reply = await fake.slash("paper", query="yopo", channel_id=fake.world.foreign_channel_id)
    assert reply.embed["title"] == YOPO and not reply.ephemeral
    bibtex = await fake.click(reply.msg, reply.msg.custom_id("BibTeX"), user=fake.world.bob)
    assert bibtex.ephemeral and bibtex.content.startswith("```bibtex\n@misc{")
    channel_routes = [
        r.route for r in fake.requests[before:] if r.route.startswith(("GET /channels", "POST /channels"))
    ]
    assert channel_routes == []  # everything went through the interaction token
    assert fake.invalid_requests() == []
