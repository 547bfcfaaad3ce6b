"""The text-only half of the chat: noise, arXiv ids, years and intents, no catalog involved."""

from __future__ import annotations

import pytest

from store.chat.message_text import ArxivRef, arxiv_refs, strip_noise, years
from store.chat.questions import Intent, parse


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        ("2106.01234", [ArxivRef("2106.01234")]),
        ("see 2106.01234v3.", [ArxivRef("2106.01234", "v3")]),
        ("arXiv:2106.01234", [ArxivRef("2106.01234")]),
        ("arxiv: 1501.00001", [ArxivRef("1501.00001")]),
        ("https://arxiv.org/abs/2106.01234", [ArxivRef("2106.01234")]),
        ("<https://arxiv.org/pdf/2106.01234v2.pdf>", [ArxivRef("2106.01234", "v2")]),
        ("arxiv.org/html/2401.12345v1", [ArxivRef("2401.12345", "v1")]),
        ("hep-th/9901001", [ArxivRef("hep-th/9901001")]),
        ("https://arxiv.org/abs/math.gt/0309136v2", [ArxivRef("math.GT/0309136", "v2")]),
        ("2106.01234 and again arXiv:2106.01234v2", [ArxivRef("2106.01234")]),
        ("python 3.11.2, version 2106.1, 21061.23456, 2113.01234, 12106.01234", []),
        ("price 1234.5678 or x2106.01234", []),
        ("foo/9901001", []),
    ],
)
def test_arxiv_ids_anywhere(text: str, refs: list[ArxivRef]) -> None:
    assert arxiv_refs(text) == refs


def test_an_arxiv_link_points_at_the_version_asked_for() -> None:
    assert ArxivRef("2106.01234", "v3").link == "https://arxiv.org/abs/2106.01234v3"
    assert ArxivRef("hep-th/9901001").link == "https://arxiv.org/abs/hep-th/9901001"


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("papers since 2020", (2020, None)),
        ("from 2019 onwards", (2019, None)),
        ("in 2019", (2019, 2019)),
        ("from 2019", (2019, 2019)),
        ("2018-2020", (2018, 2020)),
        ("2020 – 2018", (2018, 2020)),
        ("between 2018 and 2020", (2018, 2020)),
        ("from 2018 to 2020", (2018, 2020)),
        ("before 2021", (None, 2020)),
        ("after 2024", (2025, None)),
        ("until 2021", (None, 2021)),
        ("zhu 2019", (2019, 2019)),
        ("no year here", (None, None)),
        ("2019 and 2021 both bare", (None, None)),
        ("since 2150", (None, None)),
    ],
)
def test_years(text: str, bounds: tuple[int | None, int | None]) -> None:
    assert years(text)[:2] == bounds


def test_noise_is_stripped() -> None:
    text = "<@123> hi <@!4> <@&5> <#6> @everyone @here <:blob:789> 🤔 ```code\nwho wrote x``` `yopo`\n> quoted\nok"
    assert strip_noise(text) == "hi yopo ok"


@pytest.mark.parametrize(
    ("text", "intent", "subject"),
    [
        ("who wrote AdaGCN?", Intent.WHO_WROTE, "AdaGCN"),
        ("is there code for MonoFlow", Intent.CODE, "MonoFlow"),
        ("bibtex for yopo please", Intent.BIBTEX, "yopo"),
        ("what is the yopo paper about?", Intent.ABSTRACT, "yopo"),
        ("the ST-UNet paper", Intent.LOOKUP, "ST-UNet"),
        ("can you show me spherical motion dynamics", Intent.LOOKUP, "spherical motion dynamics"),
        ("You Only Propagate Once", Intent.LOOKUP, "You Only Propagate Once"),
        ("anything on traffic forecasting with graphs?", Intent.TOPIC, "traffic forecasting with graphs"),
        ("papers by Zhanxing Zhu since 2020", Intent.AUTHOR, "Zhanxing Zhu"),
        ("Zhanxing Zhu's latest", Intent.LATEST, "Zhanxing Zhu"),
        ("a random cs.CV paper", Intent.RANDOM, ""),
        ("how many papers do you know", Intent.STATS, ""),
        ("help", Intent.HELP, ""),
        ("who wrote it?", Intent.WHO_WROTE, ""),
        ("more by the first author", Intent.MORE_BY_AUTHOR, ""),
        ("more like this", Intent.SIMILAR, ""),
        ("", Intent.NOTHING, ""),
        ("🙂", Intent.NOTHING, ""),
    ],
)
def test_intent_and_subject(text: str, intent: Intent, subject: str) -> None:
    q = parse(text)
    assert (q.intent, q.subject) == (intent, subject)


def test_slots() -> None:
    q = parse("Zhanxing Zhu's papers on adversarial training since 2019")
    assert (q.names, q.topic, q.year_from, q.year_to) == (
        ("Zhanxing Zhu",),
        "adversarial training",
        2019,
        None,
    )
    q = parse("papers on graphs by Ke Sun and Zhouchen Lin")
    assert (q.intent, q.names, q.topic) == (Intent.AUTHOR, ("Ke Sun", "Zhouchen Lin"), "graphs")
    q = parse("random graphics paper from 2019")
    assert (q.category, q.year_from, q.year_to) == ("cs.GR", 2019, 2019)
    q = parse("who wrote the second one?")
    assert (q.refers_back, q.ordinal) == (True, 1)
    assert parse("more by the last author").last_author


def test_long_messages_are_cut() -> None:
    q = parse("who wrote " + "word " * 2000)
    assert len(q.text) <= 500 and len(q.subject) <= 500
