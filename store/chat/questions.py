"""What a chat message asks, read from its text alone: an intent and its slots, no catalog.

People write to the bot the way they write to each other: "@paperbot who wrote AdaGCN?",
"papers by zhu since 2020", a pasted arXiv link, "bibtex?" in reply to an earlier answer. Once
``store.chat.message_text`` has taken out the noise, arXiv ids, years and categories, this module
finds the kind of question, cuts filler words and leaves the words that name something. Deciding whether those
words are a title, a person or a topic needs the catalog: that is ``store.chat.answers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from store.chat.message_text import ARXIV, URL, ArxivRef, arxiv_refs, category_in, strip_noise, years

# Longer messages are cut: nobody asks a question in more, and every lookup stays bounded.
MAX_CHARS = 500


class Intent(Enum):
    NOTHING = "nothing"  # no question in the message
    HELP = "help"
    STATS = "stats"
    RANDOM = "random"
    LOOKUP = "lookup"  # a title, a name or a topic: which one is for the catalog to say
    WHO_WROTE = "who_wrote"
    CODE = "code"
    BIBTEX = "bibtex"
    ABSTRACT = "abstract"
    AUTHOR = "author"  # papers by someone (maybe filtered by years / topic, maybe two people)
    LATEST = "latest"  # someone's newest paper
    TOPIC = "topic"  # papers about a subject, in plain words
    MORE_BY_AUTHOR = "more_by_author"  # follow-up: more by the first (or last) author
    SIMILAR = "similar"  # follow-up: more like this


# Intents whose subject is one paper.
PAPER_INTENTS = frozenset({Intent.WHO_WROTE, Intent.CODE, Intent.BIBTEX, Intent.ABSTRACT})


@dataclass(frozen=True, slots=True)
class Question:
    """A message's intent and slots.

    ``subject`` is what the question is about in the user's words (a title, a name, a topic);
    ``topic`` the subject words of "X's papers on <topic>"; ``names`` the people of "papers by
    A and B" when the question says they are people. ``refers_back`` means the subject is "it",
    "this" or nothing: the question is about whatever the message replies to.
    """

    intent: Intent
    text: str = ""
    subject: str = ""
    topic: str = ""
    names: tuple[str, ...] = ()
    arxiv: tuple[ArxivRef, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    category: str | None = None
    refers_back: bool = False
    ordinal: int | None = None  # "the second one": 0-based
    last_author: bool = False  # "more by the last author"
    names_people: bool = False  # the wording says the subject is a person ("by", "'s")


# --- intents -----------------------------------------------------------------------------------

_AUTHOR_MARK = r"(?:'s|’s|s')"


def _rx(*patterns: str) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


# The words that say what is asked, strongest first; the first that matches decides and is cut
# from the text. A weak keyword ("code" alone) counts only when no phrase matched.
_PHRASES: list[tuple[Intent, list[re.Pattern[str]]]] = [
    (
        Intent.MORE_BY_AUTHOR,
        _rx(
            r"\b(?:any\s+|some\s+)?(?:more|others?|else)\b(?:\s+(?:papers?|work))?\s+(?:by|from|of)\s+"
            r"(?:the\s+)?(?P<which>first|lead|last|senior|same)\s+authors?\b",
            r"\b(?:the\s+)?(?P<which>first|lead|last|senior)\s+author" + _AUTHOR_MARK + r"?\s+"
            r"(?:other\s+)?(?:papers?|work)\b",
            r"\b(?:any\s+)?more\s+(?:papers?\s+)?(?:by|from)\s+(?:them|him|her|the\s+authors?|this\s+author|"
            r"that\s+author|these\s+authors)\b",
            r"\bwhat\s+else\s+(?:did|has|have)\s+(?:they|he|she|the\s+authors?)\s+(?:write|written|publish(?:ed)?)\b",
        ),
    ),
    (
        Intent.SIMILAR,
        _rx(
            r"\b(?:more|papers?|anything|something|others?)\s+(?:like|similar\s+to)\s+(?:this|that|it)\b",
            r"\b(?:similar|related)\s+(?:papers?|ones|work)\b",
        ),
    ),
    (
        Intent.WHO_WROTE,
        _rx(
            r"\bwho\s+(?:wrote|authored|writes|made|did|published|is\s+behind|was\s+behind|created)\b",
            r"\bwho(?:'s|’s|\s+is|\s+are|\s+were)\s+(?:the\s+)?(?:authors?|writers?)(?:\s+(?:of|for|on))?\b",
            r"\b(?:the\s+)?(?:authors?|authorship)\s+(?:of|for|on)\b",
            r"\bwritten\s+by\s+whom\b",
            r"\bwhose\s+(?:paper|work)\s+is\b",
        ),
    ),
    (
        Intent.BIBTEX,
        _rx(
            r"\bhow\s+(?:do|should|can|would|to)\s+(?:i\s+|we\s+)?cite\b",
            r"\b(?:the\s+)?bib\s?tex\b(?:\s+(?:entry|citation))?(?:\s+(?:for|of))?",
            r"\b(?:a\s+|the\s+)?(?:citation|bib\s+entry|reference)\s+(?:for|of)\b",
            r"^cite\b",
        ),
    ),
    (
        Intent.CODE,
        _rx(
            r"\b(?:is|are)\s+there\s+(?:a\s+|an\s+|any\s+|some\s+)?(?:github\s+|gitlab\s+|source\s+)?"
            r"(?:code|implementations?|repos?|repository)\b"
            r"(?:\s+(?:for|of|available\s+for))?",
            r"\b(?:does|do)\s+(?P<s>.+?)\s+(?:have|has)\s+(?:any\s+|some\s+)?(?:source\s+)?(?:code|a\s+repo)\b",
            r"\b(?:have|has|got)\s+(?:any\s+|some\s+)?(?:source\s+)?code\b(?:\s+(?:for|of))?",
            r"\bwhere(?:'s|\s+is|\s+can\s+i\s+find)\s+the\s+(?:source\s+)?(?:code|repo|implementation)\b"
            r"(?:\s+(?:for|of))?",
            r"\b(?:the\s+|any\s+)?(?:source\s+)?code\s+(?:for|of|to)\b",
            r"\b(?:the\s+|a\s+)?(?:github\s+|gitlab\s+)?(?:github|gitlab|repo|repository|implementation)\b"
            r"(?:\s+(?:link\s+)?(?:for|of))?",
        ),
    ),
    (
        Intent.ABSTRACT,
        _rx(
            r"^what(?:'s|’s|\s+is|\s+was|\s+are|s)\s+(?P<s>.+?)\s+(?:all\s+)?about\W*$",
            r"^what\s+does\s+(?P<s>.+?)\s+(?:do|say|propose)\W*$",
            r"\b(?:the\s+)?abstract\b(?:\s+(?:of|for))?",
            r"\b(?:a\s+|the\s+)?(?:summary|summari[sz]e|tl;?dr)\b(?:\s+(?:of|for))?",
            r"^(?:explain|describe)\b",
        ),
    ),
    (
        Intent.RANDOM,
        _rx(
            # "a random paper", "random cs.CV paper", "random?"; not "papers on random forests"
            r"\b(?:a|any|some|one|me)\s+random(?:ly\s+(?:chosen|picked))?\b",
            r"\brandom\s+(?:\S+\s+){0,3}?(?:paper|papers|one|article|preprint|pick)\b",
            r"^random\W*$",
            r"\bsurprise\s+me\b",
            r"\b(?:pick|suggest|recommend)\s+(?:me\s+)?(?:a|one|some|something)\b",
            r"\bsomething\s+(?:good\s+)?to\s+read\b",
            r"\bpaper\s+of\s+the\s+day\b",
        ),
    ),
    (
        Intent.STATS,
        _rx(
            r"\bhow\s+many\s+(?:papers|authors|articles|preprints|people|categories)\b",
            r"\bhow\s+(?:big|large)\s+is\s+(?:your|the|this)\s+(?:catalog(?:ue)?|database|library|collection)\b",
            r"^(?:your\s+|the\s+|catalog\s+)?(?:stats|statistics)\W*$",
            r"^what\s+(?:papers\s+)?do\s+you\s+(?:know|have)\W*$",
        ),
    ),
    (
        Intent.LATEST,
        _rx(
            r"\b(?:the\s+)?(?:latest|newest|most\s+recent|last)\b(?:\s+(?:paper|papers|work|preprint|publication|one))?"
            r"(?:\s+(?:by|from|of))?",
        ),
    ),
]
_TOPIC = _rx(
    r"\b(?:anything|something|stuff|papers?|work|research|articles?|preprints?|results?)\s+"
    r"(?:on|about|regarding|concerning|related\s+to|dealing\s+with|around|covering|that\s+(?:use|mention|discuss)s?)\b",
    r"\b(?:search|look)\s+(?:for|up)\b",
    r"^search\b",
    r"^(?:on|about)\b",
)
_AUTHOR = _rx(
    r"\b(?:papers?|works?|publications?|articles?|preprints?|stuff|anything|something)\s+"
    r"(?:(?:written|authored|co-?authored)\s+)?(?:by|from)\b",
    r"\b(?:papers?|works?|publications?)\s+of\b",
    r"\b(?:written|authored|co-?authored)\s+by\b",
    r"^by\b",
    _AUTHOR_MARK + r"\s+(?:papers?|works?|publications?|articles?|stuff)\b",
    r"\bwhat\s+(?:has|did|have)\s+(?P<s>.+?)\s+(?:written|write|published|publish|done)\b",
    r"\b(?:wrote|published|co-?authored)\s+together\b",
    r"\btogether\b",
)
_WEAK: list[tuple[Intent, re.Pattern[str]]] = [
    (Intent.CODE, re.compile(r"\b(?:source\s+)?(?:code|repo|github)\b", re.I)),
    (Intent.BIBTEX, re.compile(r"\b(?:cite|citation|bib)\b", re.I)),
    (Intent.WHO_WROTE, re.compile(r"\bauthors?\b", re.I)),
]
_HELP = re.compile(
    r"^(?:help|help me|\?+|commands|usage|info|what can you do|what do you do|how does (?:this|it) work|"
    r"how do (?:i|you) use (?:this|you|it)|how do you work|hi|hello|hey|yo|hiya|good (?:morning|evening))$"
)
_THANKS = re.compile(r"^(?:thanks?(?: you)?|thx|ty|cheers|nice|cool|great|ok(?:ay)?|lol|good bot|awesome)$")


def _cut(text: str, m: re.Match[str]) -> str:
    return f"{text[: m.start()]} {text[m.end() :]}"


def _intent(text: str) -> tuple[Intent, str, re.Match[str] | None]:
    """The intent, the text with its phrase cut out, and the match (for named groups)."""
    for intent, patterns in _PHRASES:
        for pattern in patterns:
            m = pattern.search(text)
            if m:
                if m.groupdict().get("s"):
                    return intent, m["s"], m
                return intent, _cut(text, m), m
    for pattern in _AUTHOR:
        m = pattern.search(text)
        if m:
            return Intent.AUTHOR, (m["s"] if m.groupdict().get("s") else _cut(text, m)), m
    for pattern in _TOPIC:
        m = pattern.search(text)
        if m:
            return Intent.TOPIC, _cut(text, m), m
    for intent, pattern in _WEAK:
        m = pattern.search(text)
        if m:
            return intent, _cut(text, m), m
    return Intent.LOOKUP, text, None


# --- the subject ---------------------------------------------------------------------------------

_LEADING = re.compile(
    r"^(?:hey|hi|hello|yo|ok|okay|so|um+|uh+|please|pls|plz|bot|paperbot|and|also|again|now|just|did|does|has|have|"
    r"can\s+(?:you|u)|could\s+(?:you|u)|would\s+(?:you|u)|will\s+(?:you|u)|tell\s+me(?:\s+about)?|"
    r"show\s+me|give\s+me|get\s+me|find\s+me|find|fetch|look\s+up|lookup|open|i(?:'m|\s+am)\s+looking\s+for|"
    r"looking\s+for|i\s+(?:want|need)(?:\s+to\s+(?:see|read|know))?|i'?d\s+like(?:\s+to\s+(?:see|read))?|"
    r"do\s+(?:you|u)\s+(?:know|have)|have\s+you\s+got|you\s+know|is\s+there|are\s+there|what(?:'s|’s|\s+is|s)|"
    r"who(?:'s|’s|\s+is)|which|any|some|the|a|an|this|that|these|those|paper|papers|article|preprint|work|"
    r"called|named|titled|entitled|about|on|for|of|me|any\s+papers?|all)\b[\s,:;.!?-]*",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"[\s,:;.!?-]*\b(?:please|pls|plz|thanks|thank\s+you|thx|ty|paper|papers|article|preprint|again|for\s+me|"
    r"anyone|guys|lol|bot|one|then|exists?|write|wrote|written|publish|published|anything|something|ever|"
    r"(?:do\s+)?you\s+(?:have|know)|is|about|that|on\s+arxiv|"
    r"from\s+arxiv|by|of|in|at\s+all|here|there|pdf|link)$",
    re.IGNORECASE,
)
_EDGE_PUNCT = " \t,:;.!?-\"'“”‘’()[]{}*_~<>"
_QUOTED = re.compile(r"[\"“”]([^\"“”]{2,300})[\"“”]")
_REFERS_BACK = frozenset(
    ["it", "its", "it's", "this", "that", "them", "they", "those", "these", "him", "her", "he", "she"]
)
_ORDINALS = {
    "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
    "fifth": 4, "5th": 4, "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6, "8": 7, "9": 8, "10": 9,
}  # fmt: skip
_ORDINAL = re.compile(
    r"^(?:the\s+|number\s+|no\.?\s*|#\s*)?(" + "|".join(_ORDINALS) + r")(?:\s+(?:one|paper|result|link))?$",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\+|\band\b|\bwith\b|\bplus\b)\s*", re.IGNORECASE)
_TOPIC_SPLIT = re.compile(
    r"\s+(?:on|about|regarding|concerning|related\s+to|in\s+the\s+area\s+of|around|covering)\s+",
    re.IGNORECASE,
)
_BY_SPLIT = re.compile(r"\s+(?:by|from)\s+", re.IGNORECASE)


def tidy(text: str) -> str:
    """Cut filler from both ends ("can you show me the ST-UNet paper please" → "ST-UNet")."""
    text = " ".join(text.split()).strip(_EDGE_PUNCT)
    while True:
        before = text
        text = _LEADING.sub("", text).strip(_EDGE_PUNCT)
        text = _TRAILING.sub("", text).strip(_EDGE_PUNCT)
        if text == before:
            return text


def _people(text: str) -> str:
    """A name without its possessive: "Zhanxing Zhu's" → "Zhanxing Zhu"."""
    return re.sub(_AUTHOR_MARK + r"(?=\s|$)", "", text).strip(_EDGE_PUNCT)


def _split_people(subject: str) -> tuple[tuple[str, ...], str]:
    """ "Ke Sun and Zhouchen Lin on graphs" → (("Ke Sun", "Zhouchen Lin"), "graphs")."""
    topic = ""
    by = _BY_SPLIT.search(subject)
    if by:  # "graphs by Ke Sun" (what is left of "papers on graphs by Ke Sun")
        topic, subject = subject[: by.start()], subject[by.end() :]
    else:
        on = _TOPIC_SPLIT.search(subject)
        if on:
            subject, topic = subject[: on.start()], subject[on.end() :]
    names = tuple(n for n in (tidy(_people(part)) for part in _NAME_SPLIT.split(subject)) if n)
    return names, tidy(topic)


def parse(message: str) -> Question:
    """Read one chat message (never raises; anything unreadable is ``Intent.NOTHING``)."""
    text = strip_noise(message or "")
    refs = tuple(arxiv_refs(text))
    text = ARXIV.sub(" ", text)
    text = URL.sub(" ", text)
    text = " ".join(text.split())
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit(" ", 1)[0]
    bare = tidy(text).lower()
    if not refs:
        if not any(ch.isalnum() for ch in text):
            return Question(Intent.NOTHING, text)
        if _HELP.match(bare) or _HELP.match(text.lower().strip(_EDGE_PUNCT)):
            return Question(Intent.HELP, text)
        if _THANKS.match(text.lower().strip(_EDGE_PUNCT)):
            return Question(Intent.NOTHING, text)
    year_from, year_to, rest = years(text)
    before = " ".join(rest.split())
    intent, rest, match = _intent(before)
    category = None
    if intent is Intent.RANDOM:
        category, _ = category_in(before, plain_words=True)  # the phrase cut may hold it
        rest = category_in(rest, plain_words=True)[1]
    elif intent in (Intent.TOPIC, Intent.LOOKUP):
        category, rest = category_in(rest, plain_words=False)
        if category and intent is Intent.LOOKUP and not tidy(rest):
            intent = Intent.RANDOM  # "a cs.CV paper"
    quoted = _QUOTED.search(rest)
    subject = tidy(quoted[1] if quoted else rest)
    names: tuple[str, ...] = ()
    topic = ""
    names_people = intent in (Intent.AUTHOR, Intent.LATEST) or bool(
        re.search(_AUTHOR_MARK + r"(?:\s|$)", subject)
    )
    if intent in (Intent.AUTHOR, Intent.LATEST):
        names, topic = _split_people(subject)
        subject = " ".join(names)
    elif intent is Intent.TOPIC:
        by = _BY_SPLIT.search(subject)
        if by:  # "papers on graphs by Ke Sun"
            intent, names, topic = (
                Intent.AUTHOR,
                _split_people(subject[by.end() :])[0],
                tidy(subject[: by.start()]),
            )
            subject, names_people = " ".join(names), True
    ordinal = None
    ordinal_match = _ORDINAL.match(subject)
    if ordinal_match:
        ordinal, subject = _ORDINALS[ordinal_match[1].lower()], ""
    refers_back = subject.lower() in _REFERS_BACK or not subject
    return Question(
        intent=intent,
        text=text,
        subject="" if refers_back else subject,
        topic=topic,
        names=names,
        arxiv=refs,
        year_from=year_from,
        year_to=year_to,
        category=category,
        refers_back=refers_back,
        ordinal=ordinal,
        last_author=bool(match and match.groupdict().get("which") in ("last", "senior")),
        names_people=names_people,
    )
