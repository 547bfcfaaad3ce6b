"""The chat assistant through the real ``paperbot run``: mentions, DMs, replies, the message menu.

The fake sends a message's text only where Discord would (a mention of the bot, a DM, a
reply to one of its messages), so these tests fail if the bot relies on a privileged intent.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.bundled_titles import MONOFLOW, YOPO
from tests.e2e.fake_discord import FakeDiscord, NotOffered
from tests.e2e.records import Message

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("bot")]

MENU = "Find papers in this message"
NO_PINGS = {"parse": [], "replied_user": False}


def allowed_mentions(fake: FakeDiscord, message: Message) -> object:
    return fake.bodies[message.id].get("allowed_mentions")


async def test_a_burst_of_questions_gets_five_answers_then_silence(fake: FakeDiscord) -> None:
    person = fake.world.carol  # first in the module: nobody has asked yet
    for _ in range(5):
        answer = await fake.reply_to(await fake.say("yopo?", mention_bot=True, user=person))
        assert answer.embed["title"] == YOPO
    await fake.no_reply_to(await fake.say("yopo?", mention_bot=True, user=person))
    other = await fake.say("yopo?", mention_bot=True, user=fake.world.alice)  # others still may ask
    assert (await fake.reply_to(other)).embed["title"] == YOPO


async def test_a_mention_is_answered_by_a_reply_with_the_card_and_pings_nobody(fake: FakeDiscord) -> None:
    question = await fake.say("who wrote YOPO? @everyone", mention_bot=True, user=fake.world.bob)
    answer = await fake.reply_to(question)
    assert answer.embed["title"] == YOPO
    assert "Dinghuai Zhang" in answer.content and "@everyone" not in answer.content
    assert answer.labels()[:2] == ["Abstract", "BibTeX"]
    assert allowed_mentions(fake, answer) == NO_PINGS
    assert answer.mention_ids() == []
    assert fake.invalid_requests() == []


async def test_a_reply_to_an_answer_is_about_that_paper(fake: FakeDiscord) -> None:
    question = await fake.say("what is monoflow about", mention_bot=True)
    answer = await fake.reply_to(question)
    assert answer.embed["title"] == MONOFLOW
    follow_up = await fake.say("bibtex?", reply_to=answer)  # no mention: a reply to the bot is enough
    bibtex = await fake.reply_to(follow_up)
    assert bibtex.content.startswith("```bibtex\n@misc{") and "MonoFlow" in bibtex.content
    who = await fake.say("who wrote it", reply_to=answer)
    authors = await fake.reply_to(who)
    assert authors.embed["title"] == MONOFLOW and "is by" in authors.content


async def test_a_reply_without_its_ping_is_not_seen_but_the_same_reply_with_it_is(fake: FakeDiscord) -> None:
    # A reply with its ping switched off mentions nobody: Discord withholds its text (README).
    grace = fake.world.grace
    answer = await fake.reply_to(await fake.say("what is monoflow about", mention_bot=True, user=grace))
    quiet = await fake.say("code?", reply_to=answer, reply_ping=False, user=grace)
    await fake.no_reply_to(quiet)
    assert fake.delivered[quiet.id]["content"] == ""  # what the bot got: no text to answer
    loud = await fake.say("code?", reply_to=answer, user=grace)  # the control: same words, ping on
    assert "no code for “MonoFlow" in (await fake.reply_to(loud)).content


async def test_thanks_in_reply_to_an_answer_gets_silence_not_help(fake: FakeDiscord) -> None:
    frank = fake.world.frank
    answer = await fake.reply_to(await fake.say("yopo", mention_bot=True, user=frank))
    thanks = await fake.say("thanks!", reply_to=answer, user=frank)
    await fake.no_reply_to(thanks)
    # the control: a question in reply to the same answer, by the same person, is answered
    who = await fake.reply_to(await fake.say("who wrote it", reply_to=answer, user=frank))
    assert "is by" in who.content


async def test_a_question_deleted_before_the_answer_still_gets_it(fake: FakeDiscord) -> None:
    # Discord refuses a reply to a deleted message (Unknown message) unless the reference says
    # not to fail: then the answer is posted as a plain message.
    question = await fake.say("who wrote yopo?", mention_bot=True, user=fake.world.grace, deleted=True)
    await fake.settle()
    for _ in range(50):
        if fake.bot_messages_after(question):
            break
        await asyncio.sleep(0.1)
    (answer,) = fake.bot_messages_after(question)
    assert answer.embed["title"] == YOPO and "is by" in answer.content
    assert fake.invalid_requests() == []


async def test_a_dm_is_answered_without_a_mention(fake: FakeDiscord) -> None:
    question = await fake.say("papers by Zhanxing Zhu", dm=True, user=fake.world.bob)
    answer = await fake.reply_to(question)
    assert answer.embed["title"] == "Zhanxing Zhu" and answer.labels()[:2] == ["Previous", "Next"]
    page = await fake.click(answer, answer.custom_id("Next"), user=fake.world.bob)
    assert page.embed["footer"]["text"].startswith("page 2 of")


async def test_arxiv_links_not_in_the_catalog_get_an_honest_answer(fake: FakeDiscord) -> None:
    question = await fake.say("seen https://arxiv.org/abs/2106.01234v3 ?", mention_bot=True)
    answer = await fake.reply_to(question)
    assert "not in" in answer.content and "2106.01234" in answer.content
    assert answer.embeds == []


async def test_an_empty_mention_gets_short_help(fake: FakeDiscord) -> None:
    question = await fake.say("", mention_bot=True, user=fake.world.bob)
    answer = await fake.reply_to(question)
    assert "who wrote" in answer.content.lower()


@pytest.mark.parametrize("who", ["bot", "webhook"])
async def test_bots_and_webhooks_are_never_answered(fake: FakeDiscord, who: str) -> None:
    question = await fake.say(
        "who wrote yopo?", mention_bot=True, author_is_bot=who == "bot", webhook=who == "webhook"
    )
    await fake.no_reply_to(question)


async def test_a_channel_the_bot_may_not_post_in_gets_silence_not_403s(fake: FakeDiscord) -> None:
    # A person with budget to spare, checked by a control in a channel where the bot may post,
    # so the silence below is the permission check's and not the rate limit's.
    person = fake.world.erin
    control = await fake.say(
        "who wrote yopo?", mention_bot=True, user=person, channel_id=fake.world.daily_channel_id
    )
    assert (await fake.reply_to(control)).embed["title"] == YOPO
    question = await fake.say(
        "who wrote yopo?", mention_bot=True, user=person, channel_id=fake.world.readonly_channel_id
    )
    await fake.no_reply_to(question)
    assert fake.invalid_requests() == []


async def test_the_message_menu_finds_papers_and_shares_them(fake: FakeDiscord) -> None:
    note = await fake.say("read YOPO and arXiv:9999.99999 before Friday", user=fake.world.bob)
    found = await fake.message_command(MENU, note)
    assert found.ephemeral and found.embed["title"] == YOPO
    assert found.msg.labels()[-1] == "Share"
    shared = await fake.click(found.msg, found.msg.custom_id("Share"))
    assert not shared.ephemeral and shared.embed["title"] == YOPO
    assert "Share" not in shared.msg.labels() and shared.msg.labels()[:2] == ["Abstract", "BibTeX"]
    both = await fake.say("MonoFlow and YOPO are on the list", user=fake.world.bob)
    listed = await fake.message_command(MENU, both)
    assert listed.ephemeral and listed.msg.labels() == ["Open a paper…", "Share"]
    assert len(listed.embed["fields"]) == 2


async def test_a_user_install_in_a_group_chat_answers_through_the_interaction(fake: FakeDiscord) -> None:
    note = await fake.say("what do you think of MonoFlow?", channel_id=fake.world.group_dm_id)
    before = len(fake.requests)
    found = await fake.message_command(MENU, note, context=2)
    assert found.ephemeral and found.embed["title"] == MONOFLOW
    shared = await fake.click(found.msg, found.msg.custom_id("Share"))
    assert not shared.ephemeral and shared.msg.channel_id == fake.world.group_dm_id
    card = await fake.slash("paper", query="yopo", private=True, context=2)
    assert card.ephemeral and card.msg.labels()[-1] == "Share"
    assert [r.route for r in fake.requests[before:] if r.route.startswith("POST /channels")] == []
    assert fake.invalid_requests() == []
    with pytest.raises(NotOffered):
        await fake.slash("daily status", context=2)


@pytest.mark.parametrize(
    "text",
    [
        "😀🎉👍",
        "graph " * 800,
        "请问有关于图神经网络的论文吗",
        "```py\nprint('yopo')\n```",
        "@everyone @here look",
    ],
    ids=["emoji", "4000 characters", "chinese", "code block", "everyone"],
)
async def test_bad_input_gets_a_short_answer_or_silence_and_never_a_ping(
    fake: FakeDiscord, text: str
) -> None:
    question = await fake.say(
        text, mention_bot=True, user=fake.world.dave, mention_everyone="@everyone" in text
    )
    try:
        answers = [await fake.reply_to(question, timeout=2.0)]
    except AssertionError:
        answers = []  # silence is a fine answer to noise
    for answer in answers:
        assert len(answer.content) <= 2000 and answer.mention_ids() == []
        assert allowed_mentions(fake, answer) == NO_PINGS
        assert "@everyone" not in answer.content and "Traceback" not in answer.content
    assert fake.invalid_requests() == []
