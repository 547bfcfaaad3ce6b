"""The words that say *what* a message asks, as data: cues, filler, acknowledgements, abbreviations.

A cue's named groups (``s``, ``s2``) hold words it frames but does not own ("what is <the yopo
paper> about"): they stay content.

A cue is soft: it says which facets a message asks about ("who wrote it and is there code"
asks two), and its words never become part of a title or a topic. It never decides on its
own what the message is about: that is for the catalog to say (``store.chat.answers``). Every
cue carries examples it must read and counter-examples it must not; one test runs them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Facet(Enum):
    WHO = "who"
    WHEN = "when"
    CODE = "code"
    PDF = "pdf"
    CITE = "cite"
    ABSTRACT = "abstract"
    CATEGORY = "category"
    SIMILAR = "similar"
    MORE_BY = "more_by"  # more by the same people
    COAUTHORS = "coauthors"  # whom someone writes with
    COUNT = "count"
    FIRST = "first"  # oldest
    LATEST = "latest"  # newest, lately
    RANDOM = "random"
    HELP = "help"
    STATS = "stats"
    NEXT = "next"  # the next page of a list
    COMPARE = "compare"  # newer / older / shared authors / which has code
    LIST = "list"  # a list is wanted ("papers on", "anything on", "X stuff")
    ONE = "one"  # one paper is meant ("the X paper", "the one that")
    PERSON = "person"  # the words name a person ("by", "'s papers", "what has X written")
    WITH = "with"  # together with someone ("with Ke Sun?")


@dataclass(frozen=True, slots=True)
class Cue:
    facet: Facet
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...] = ()


def _cue(facet: Facet, pattern: str, examples: tuple[str, ...], counter: tuple[str, ...] = ()) -> Cue:
    return Cue(facet, re.compile(pattern, re.IGNORECASE), examples, counter)


# Read on the lower-cased message with typographic apostrophes made plain.
CUES: tuple[Cue, ...] = (
    _cue(
        Facet.WHO,
        r"\bwho(?:'s|s| is| are| were| else)?(?: \w+)?? (?:wrote|write|writes|writing|written|authored"
        r"|made|did|"
        r"published|created|behind|worked on|work on|is on|on it|the authors?)\b"
        r"|\bwho(?:'s| is) (?:on|in) it\b|\bwritten by whom\b|\bwhose (?:paper|work)\b"
        r"|\bauthors?\b(?! \w+ \w+'s)"
        r"|\bauthor list\b|\bco-?authors?\b(?! of \w+ \w+)|\bwho wrote\b",
        (
            "who wrote YOPO?",
            "who's behind it?",
            "authors?",
            "who else worked on it",
            "Who are writing STFGNN?",
        ),
        ("who has ke sun worked with?",),
    ),
    _cue(
        Facet.WHEN,
        r"\bwhen (?:was|were|did|is|it)\b|\bwhat year\b|\bwhich year\b|\bhow old\b|\bpublication date\b"
        r"|\bpublished when\b|\bwhen\?|\b(?:the )?date\b|\bwhen$",
        ("when was that published?", "what year is it from", "date?"),
        ("papers from 2021",),
    ),
    _cue(
        Facet.CODE,
        r"\b(?:source )?code\b|\brepo(?:sitory)?s?\b|\bgithub\b|\bgitlab\b"
        r"|\b(?:an?|any|the|official|public) implementations?\b|\bimplementations? (?:for|of) (?:it|this"
        r"|that)\b",
        ("is there code for monoflow", "github?", "any repo"),
        ("papers on graph implementation",),
    ),
    _cue(
        Facet.PDF,
        r"\bpdfs?\b|\b(?:arxiv )?link\b|\burl\b|\bwhere (?:can|do) i (?:read|get|find|download) it\b"
        r"|\bdownload\b",
        ("pdf?", "link pls", "where can i read it"),
    ),
    _cue(
        Facet.CITE,
        r"\bcit(?:e|ing|ation)\b|\bbib ?tex\b|\bbib entry\b|\bbib\b|\breference for\b",
        ("cite it", "bibtex?", "how do i cite yopo"),
    ),
    _cue(
        Facet.ABSTRACT,
        r"\babstract\b|\bsummar(?:y|i[sz]e)\b(?! statistics)|\btl;?dr\b|\bgist\b"
        r"|\bwhat(?:'s|s| is| was| are)? (?:it|that|this|the paper) (?:all )?(?:about|abt)\b"
        r"|^what(?:'s|s| is| was| are)? (?P<s>.{1,60}?) (?:all )?(?:about|abt)\W*$"
        r"|\bwhat does (?P<s2>[\w-]+(?: paper)?) (?:do|say|propose)\b",
        ("tl;dr?", "what's it about", "abstract of pnm", "whats it abt"),
        ("anything on summary statistics",),
    ),
    _cue(
        Facet.CATEGORY,
        r"\bcategor(?:y|ies)\b|\bwhich (?:field|area|subject)\b|\bwhat (?:field|area|subject)\b",
        ("in which category it is?", "what field is it"),
    ),
    _cue(
        Facet.SIMILAR,
        r"\bsimilar\b|\b(?:papers?|anything|something|others?|more|ones?) (?:like|related to) "
        r"(?:this|that|it|these|those)\b|\brelated (?:papers?|work|ones)\b|\blike (?:this|that) one\b",
        ("others like this?", "anything similar?", "related papers"),
    ),
    _cue(
        Facet.MORE_BY,
        r"\b(?:more|others?|anything else|what else|other (?:papers?|work))\b(?: \w+)?? "
        r"(?:by|from) (?:the )?(?:same (?:authors?|people|group|team)|them|him|her|this author|that author)\b"
        r"|\b(?:his|her|their) other (?:papers?|work|stuff)\b|\bsame (?:authors?|people|group|team) "
        r"(?:have|has|wrote|did) (?:anything|something|other|more)\b|\bwhat else (?:did|has|have) "
        r"(?:they|he|she)\b|\bmore by the (?:first|last|lead|senior) author\b|\b(?:first|last) author'?s?\b",
        ("his other work?", "same authors have anything else?", "more by the first author"),
    ),
    _cue(
        Facet.COAUTHORS,
        r"\b(?:works?|writes?|wrote|worked|collaborat\w*|publish(?:es|ed)?) (?:most )?(?:often )?with\b"
        r"|\busual co-?authors?\b|\bco-?authors? of\b|\bcollaborators?\b"
        r"|\bwho does \w+(?: \w+)? write with\b",
        ("who has lukas brandt worked with?", "who does Zhanxing Zhu write with most often?"),
    ),
    _cue(
        Facet.COUNT,
        r"\bhow many\b|\bnumber of\b|\bhow much\b",
        ("how many?", "how many papers has zhanxing zhu got here?"),
    ),
    _cue(
        Facet.FIRST,
        r"\b(?:oldest|earliest)(?: first)?\b|\bfirst (?:paper|publication|work)\b|\bcame first\b",
        ("Oldest?", "zhu's oldest paper", "jingfeng wu's first paper"),
        ("the first one",),
    ),
    _cue(
        Facet.LATEST,
        r"\b(?:newest|latest|most recent|recent) first\b"
        r"|\b(?:latest|newest|most recent|recent(?:ly)?|lately|these days|been (?:doing|up to|working on))\b"
        r"|\bnew (?:in|on|from|by|papers?|stuff)\b|\banything new\b",
        ("latest by ke sun", "what has ke sun been doing recently", "anything new in graphs"),
    ),
    _cue(
        Facet.RANDOM,
        r"\brandom(?:ly)?(?: (?:[\w.-]+ ){0,2}?(?:paper|ppr|one|pick|article|preprint|thing))?\b(?! \w*"
        r"(?:insertion|forest|smoothing|walk|matri|feature|graph|noise|search|variable|field|init|attack))"
        r"|\bsurprise me\b|\bpaper of the day\b|\bsomething (?:good )?to read\b|\bpick (?:me )?(?:a|one)\b"
        r"|^another\W*$",
        ("random paper", "a random cs.CV paper", "surprise me", "another"),
        ("the paper with the random insertion attack", "randomized smoothing certification"),
    ),
    _cue(
        Facet.HELP,
        r"^(?:help|help me|commands|usage|\?+)\W*$|\bwhat (?:can|do) (?:you|u) do\b|\bhow does (?:this"
        r"|it) work\b"
        r"|\bhow (?:do|can|should) (?:i|we|you) use (?:this|you|it|the bot)\b|\bhow do you work\b",
        ("help", "what can you do?"),
    ),
    _cue(
        Facet.STATS,
        r"\bhow (?:big|large) is (?:your|the|this)\b|^(?:your |the |catalog )?(?:stats|statistics)\W*$"
        r"|\bwhat do you (?:know|have)\W*$|\bhow many (?:papers|authors|articles) (?:do you|are there"
        r"|have you|"
        r"in|you)\b",
        ("how many papers do you know?", "stats"),
    ),
    _cue(
        Facet.NEXT,
        r"^(?:more|next|next page|more please|more pls|show more|the rest|and more|keep going|any more\??|"
        r"what else)\W*$",
        ("more", "next", "show more"),
        ("more by the first author",),
    ),
    _cue(
        Facet.COMPARE,
        r"\b(?:newer|older|earlier|later|more recent)\b|\bcame first\b|\bshare (?:any |an |the )?(?:authors?|"
        r"people)\b|\bsame (?:authors?|people)\b|\b(?:common|shared) authors?\b|\bin common\b"
        r"|\bwhich (?:of (?:these|them|those) |one )?has code\b|\bwhich has code\b|\bvs\.?\b|\bversus\b"
        r"|\bcompare\b",
        ("which is newer, yopo or amata", "do yopo and infodrop share authors", "which of these has code"),
    ),
    _cue(
        Facet.LIST,
        r"\b(?:papers|pprs|anything|something|stuff|work|research|articles|preprints)\s+"
        r"(?:on|about|abt|regarding|around|related to|covering|in)\b|\bwhat (?:do|did) (?:you|we|u) "
        r"(?:have|got|know) (?:on|about|abt|in)\b|\bwhat (?:you|we|u) (?:have|got) (?:on|about|abt)\b"
        r"|\bstuff\b|\bany \w+(?: \w+){0,3} (?:papers|work|stuff|research)\b"
        r"|\b(?:papers|works|publications|preprints|articles|pprs)\b|\bwhat(?:'s| is) new in\b"
        r"|\banything on\b"
        r"|\b(?:list|show)(?: me)? (?:all|every)\b|\beverything (?:on|about|in)\b"
        r"|^(?:search|look|find)(?: for| up)?\b|\bsearch for\b",
        ("gnn stuff?", "what do you have on traffic forecasting", "any diffusion papers?"),
    ),
    _cue(
        Facet.ONE,
        r"\bthe [\w\s'-]{1,60}? (?:paper|ppr|one|article|preprint)\b|\b(?:a|the) (?:paper|ppr|one) "
        r"(?:that|where|which|with|about|on|called|named|titled)\b|\bpaper called\b|\bwhich (?:one"
        r"|paper) (?:was|is) it\b",
        ("the monoflow paper", "the one that uses T-SAE", "the paper where momentum gets a buffer"),
    ),
    _cue(
        Facet.PERSON,
        r"\b(?:papers?|works?|publications?|stuff|articles?) (?:written |authored )?(?:by|from|of)\b"
        r"|\bby\b|(?<!\bwho)(?<!\bwhat)(?<!\bthat)(?<!\bit)(?<!\bthere)(?<!\bhere)(?<!\blet)(?<!\bhe)(?<!\bshe)'s\b"
        r"|\b(?:has|did|have) \w+(?: \w+)? (?:written|write|published|done|been)\b|\bguy\b|\bauthor\b",
        ("papers by zhu since 2024", "Bochen Lyu's papers", "what has ke sun been doing recently"),
    ),
    _cue(
        Facet.WITH,
        r"^(?:and |what about |how about )?(?:with|together with|alongside)\b|\btogether\b|\bjointly\b",
        ("with zhanxing zhu?", "papers ke sun and zhouchen lin wrote together"),
    ),
)

# Words that carry no subject: greetings, politeness, question words, pronouns, "paper".
FILLER = frozenset(
    """a about abt above actually again all also am an and any anybody anyone anything are around article
    articles as ask at be been bot both but by can could did do does doing done dont else even ever
    exist exists find for from get give go got gotta had has have hello help hey hi hii how i i'd
    i'll i'm id if im in interested is isnt it it's its just kind know let like looking lookin me
    mind morning evening afternoon more must my need needs now of oh on one ones or our out paper
    papers paperbot pls plz please ppr pprs preprint preprints pretty quick quickly read reading
    really recall recommend remember say search see seen send share should show so some someone
    something sorry sort stuff sure tell than thank thanks that that's thats the their them then
    there these they thing things this those thx to today told try u um uh up us want wanted was we
    were what what's whats when where which who whom why will with would ya yeah yes yet yo you your
    yours hmm heard mentioned called named titled entitled finally guys folks team everyone anyone
    friend friends check lab group week talk gonna wanna here got its title name nice cool great
    good awesome ok okay published publish released release appeared came out think thought write
    wrote written writing name guess maybe perhaps believe saw once wonder wondering mean meant
    trying recently other others list everything every search look find
    deal deals dealing covers covering discuss discusses discussing mention mentions mentioning talk
    talks talking focus focuses focusing use uses using involve involves involving regarding work works
    research""".split()
)
# What acknowledges an answer or just greets: a message of these alone is not a question.
ACKNOWLEDGEMENTS = frozenset(
    """thanks thank thx ty tysm cheers cool nice great perfect ok okay k kk lol lmao haha hah awesome
    amazing excellent good bot got it never mind nevermind nvm np no problem exactly what needed that's
    thats the one right yes yep yeah sure alright fine wow neat sweet brilliant gotcha understood noted
    sounds appreciated appreciate much very so you a lot love helpful useful morning hello hi hey hiya yo
    gm evening afternoon night all again anyway ah oh i see will do bye later cya helps helped makes sense
    know check out interesting sounds looks seems fair true agreed indeed hehe whoa works worked fixed done
    tonight tomorrow now dope legend hero tyvm merci danke gracias gotit omg ikr yay woo cool beans
    clear makes totally definitely absolutely ace superb fantastic""".split()
)
# Words so common in titles that sharing one says nothing about being the paper meant.
GENERIC = frozenset(
    """model models learning network networks method methods approach approaches analysis deep neural
    data framework study towards toward via using based new efficient improving improved understanding
    problem problems task tasks system systems algorithm algorithms theory""".split()
)
# Words that point back to what a reply replies to.
POINTERS = frozenset("it its this that these those they them their he him his she her its they're".split())

# Abbreviations people use for topics, with what they stand for (the catalog's own
# definitions, "graph neural networks (GNNs)", are found at answer time, see answers.py).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "llm": ("large language model",),
    "llms": ("large language model",),
    "gnn": ("graph neural network", "graph convolutional", "gcn"),
    "gnns": ("graph neural network", "graph convolutional", "gcn"),
    "gcn": ("graph convolutional",),
    "rl": ("reinforcement learning",),
    "nas": ("neural architecture search", "architecture search"),
    "sgd": ("stochastic gradient descent", "sgd"),
    "gan": ("generative adversarial", "gans"),
    "gans": ("generative adversarial", "gan"),
    "vae": ("variational autoencoder",),
    "ntk": ("neural tangent kernel",),
    "pgd": ("projected gradient descent",),
    "sft": ("supervised fine-tuning", "supervised finetuning"),
    "rlhf": ("reinforcement learning from human feedback",),
    "cot": ("chain of thought", "chain-of-thought"),
    "vit": ("vision transformer",),
    "cnn": ("convolutional neural network", "cnns"),
    "cnns": ("convolutional neural network", "cnn"),
    "nlp": ("natural language processing", "language model"),
    "moe": ("mixture of experts", "mixture-of-experts"),
    "kd": ("knowledge distillation",),
    "sae": ("sparse autoencoder",),
    "ode": ("ordinary differential equation",),
    "pde": ("partial differential equation",),
    "dp": ("differential privacy", "differentially private"),
    "ssl": ("self-supervised", "semi-supervised"),
    "adv": ("adversarial",),
    "nets": ("networks",),
    "net": ("network",),
    "nn": ("neural network",),
    "nns": ("neural network",),
    "dnn": ("deep neural network",),
    "dnns": ("deep neural network",),
}
