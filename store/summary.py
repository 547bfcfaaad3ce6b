"""Contribution-first summaries: the sentence where the authors say what *this* paper does.

A card exists so that a reader can decide in seconds whether a paper is worth opening, and an
abstract's opening sentences are usually background. Abstracts announce their contribution
in a small set of phrasings ("In this paper, we…", "We propose…", "This work establishes…"),
so a handful of patterns find it without a model. Summaries are computed when shown, not at
load time, and cached, so loading a catalog costs nothing extra.
"""

from __future__ import annotations

import re
from functools import lru_cache

from store.text import latex_to_text

SUMMARY_LIMIT = 300

_MULTI_SPACE = re.compile(r"\s+")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|vs|cf|Fig|Figs|Eq|Eqs|Sec|Ref|No|approx|resp|al|w\.r\.t|i\.i\.d|Dr|Prof|St)"
    r"|\b[A-Z])\.$"
)
_SENTENCE_END = re.compile(r"[.!?][\"”')\]]*\s+(?=[\"“(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Split prose into sentences without breaking at "e.g.", "et al.", "Fig. 2" or initials.

    Decimals and URLs never break a sentence because a break needs white space after the dot.
    """
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.end()].rstrip()
        if _ABBREVIATIONS.search(candidate):
            continue
        out.append(candidate)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


# --- finding the contribution ------------------------------------------------------------------

# Text that may hold "we" without it being the authors speaking: quotations, parentheses, and
# examples after "e.g." / "such as" up to the next comma.
_MASKS = re.compile(
    r"""\"[^"]*\"|“[^”]*”|‘[^’]*’|\([^()]*\)|\[[^\[\]]*\]"""
    r"""|\b(?:e\.g\.|i\.e\.|such as|for example|for instance)[^,;:]*""",
    re.IGNORECASE,
)
_FRAME = (
    r"(?:this|the present|our|the current) "
    r"(?:paper|work|study|letter|article|note|thesis|report|manuscript)"
)
_METHOD_VERBS = (
    r"propos|introduc|present|develop|design|devis|establish|formulat|construct|deriv|build|creat|"
    r"contribut|put forward|describ|invent|offer"
)
_STRONG_VERBS = (
    rf"{_METHOD_VERBS}|show|prove|find|found|demonstrat|reveal|discover|stud|investigat|analy[sz]|examin|"
    r"explor|characteri[sz]|theoreti[sz]|perform|conduct|report|give|unify|solv"
)
_WEAK_VERBS = (
    r"identif|observ|verif|confirm|obtain|achiev|consider|interpret|attempt|leverag|address|focus|"
    r"tackl|aim|apply|provid|revisit|extend|generali[sz]|move|seek|intend|frame|cast|view|model|learn|"
    r"train|use|employ|combin|adopt|comput|estimat|measur|argu|name|call|refer|take|treat|follow|pursu"
)
_RESULT_VERBS = r"show|prove|find|found|demonstrat|reveal|discover|observ|verif|confirm|obtain|achiev"
# Adverbs that may stand between the subject and its verb ("we, therefore, propose").
_ADVERB = r"(?:\w+ly|therefore|thus|hence|then|also|further|first|here|both|now|and|again|instead)"
_WE = rf"(?:^|[,;:]\s+|\b(?:and|then|so|thus)\s+)we\b(?:,?\s+{_ADVERB}\b,?)*\s+"
_SUBJECT = rf"(?:{_WE}|(?:^|[,;]\s+){_FRAME}\s+(?:(?:\w+ly|also|further)\s+)?)"


def _verbs(verbs: str) -> re.Pattern[str]:
    # "we design experiments" is how a result was checked, not what the paper contributes
    return re.compile(
        rf"{_SUBJECT}(?:{verbs})\w*(?!\s+(?:\w+\s+){{0,3}}?(?:experiments|empirical studies|evaluations))\b"
    )


_FRAMED = re.compile(
    rf"(?:\b(?:in|with|through|throughout) {_FRAME}\b|^{_FRAME}\b|^here(?:in)?\b|(?:^|[,;]\s+){_FRAME}\b)"
)
# Cheap tests that rule the patterns out for most background sentences.
_WE_WORD = re.compile(r"\bwe\b")
_FRAME_HINTS = ("this ", "our ", "the present ", "the current ")
_METHOD = _verbs(_METHOD_VERBS)
_STRONG = _verbs(_STRONG_VERBS)
_RESULT = _verbs(_RESULT_VERBS)
_WEAK = _verbs(_WEAK_VERBS)
# "…, we focus on X and propose Y": the second verb of the authors' own sentence.
_AND_METHOD = re.compile(rf"\bwe\b[^.;]*?\band (?:\w+ly )?(?:{_METHOD_VERBS})")
_PASSIVE = re.compile(
    r"\b(?:is|are) (?:\w+ly )?(?:proposed|introduced|presented|developed|designed|established|derived)\b"
    r"(?! (?:by|in) (?!this))"
)
_OURS = re.compile(
    r"(?:^|[,;]\s+)our (?:\w+ )?(?:method|approach|framework|model|algorithm|system|proposal|results?|"
    r"findings?|analysis|work|experiments|theory|contribution)s?\b"
)
# "ViTE, a novel framework…": the paper's own name opening a sentence.
_APPOSITIVE = re.compile(r"^(?:[A-Z0-9][\w-]*[A-Z0-9][\w()^-]*)(?: \([^()]*\))?,? (?:a|an)\s", re.ASCII)
_RESULT_TEXT = re.compile(
    r"\b(?:outperform\w*|state[- ]of[- ]the[- ]art|improv\w*|achiev\w*|speed-?up|faster|"
    r"experiments?|results|demonstrat\w*|\d+(?:\.\d+)?\s?(?:%|x|×|times))\b",
    re.IGNORECASE,
)

# Lead-ins that add nothing on a card, or point back at background the card does not show.
_LEAD_INS = re.compile(
    "^(?:"
    + "|".join(
        (
            rf"(?:in|with|through) {_FRAME},?",
            r"here(?:in)?,?",
            r"\(?(?:\d|[ivx]+)\)",
            r"to (?:this|that) end,",
            r"(?:to|in order to) [^,]{0,80}?\b(?:this|these|those|such|above|aforementioned)\b[^,]{0,60},",
            r"(?:motivated|inspired|driven) by (?:this|these|those|that|such|the above)\b[^,]{0,80},",
            r"(?:following|based on|building (?:up)?on|guided by|along) (?:this|these|those|that|such|the)"
            r"\b[^,]{0,60},",
            r"(?:while|whereas|although|though|despite|unlike|different from|compared (?:with|to)) "
            r"[^.;]{0,200}?,(?=\s*(?:we|our)\b)",
            r"(?:as a (?:concrete )?(?:example|result|remedy|solution)|in response(?: to [^,]{0,60})?),",
            r"(?:therefore|thus|hence|consequently|accordingly|moreover|furthermore|additionally|"
            r"in addition|besides|specifically|in particular|particularly|notably|finally|first(?:ly)?|"
            r"second(?:ly)?|third(?:ly)?|then|overall|instead|importantly|in summary|in short|"
            r"all in all|in conclusion|concretely|altogether),?",
        )
    )
    + r")\s+",
    re.IGNORECASE,
)
_WE_ADVERB = re.compile(
    r"^(we)(?:,\s*(?:therefore|thus|hence),|(?:\s+(?:therefore|thus|hence|then|also|further))+)\s+",
    re.IGNORECASE,
)


def _masked(sentence: str) -> str:
    return _MASKS.sub(" ", sentence)


def contribution_rank(sentence: str) -> int:
    """How plainly a sentence states what the paper does, from 6 (best) to 0 (background).

    "In this paper, we propose/show/study…" ranks first; the authors' own method ("We
    propose…") next, above a framed but weak verb ("In this paper, we consider…"), which
    often only restates the problem; then results, other things the authors do, and last
    sentences that merely name "our method" or the paper's system.
    """
    text = _masked(sentence).strip()
    low = text.lower()
    framed = (low.startswith("here") or any(h in low for h in _FRAME_HINTS)) and _FRAMED.search(
        low
    ) is not None
    spoken = framed or _WE_WORD.search(low) is not None
    method = spoken and (_METHOD.search(low) is not None or _AND_METHOD.search(low) is not None)
    passive = (" is " in low or " are " in low) and _PASSIVE.search(low) is not None
    if framed and (method or passive or _STRONG.search(low)):
        return 6
    if method:
        return 5
    if framed:
        return 4
    if spoken and _RESULT.search(low):
        return 3
    if spoken and (_WEAK.search(low) or _STRONG.search(low)):
        return 2
    if passive or ("our " in low and _OURS.search(low)) or _APPOSITIVE.match(text):
        return 1
    return 0


def trim_lead_in(sentence: str) -> str:
    """``To this end, we propose X`` → ``We propose X``: only empty or back-pointing lead-ins go."""
    text = sentence
    for _ in range(3):  # "In this paper, to address this, we…"
        trimmed = _LEAD_INS.sub("", text, count=1)
        if trimmed == text or not trimmed:
            break
        text = trimmed
    text = _WE_ADVERB.sub(r"\1 ", text)
    return text[:1].upper() + text[1:] if text else text


def _cut(text: str, limit: int) -> str:
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"


@lru_cache(maxsize=8192)
def summarize(abstract: str, limit: int = SUMMARY_LIMIT) -> str:
    """What the paper does, in at most ``limit`` characters, then its main result if room remains.

    The sentence that states the contribution most plainly (earliest on a tie) leads; a
    result sentence after it follows when both fit. An abstract with no such sentence is
    summarised by its opening sentences. Cut at a sentence end, or at a word with "…".
    """
    plain = _MULTI_SPACE.sub(" ", latex_to_text(abstract)).strip()
    if not plain:
        return ""
    parts = sentences(plain)
    ranks = [contribution_rank(s) for s in parts]
    best = max(range(len(parts)), key=lambda i: (ranks[i], -i))
    if ranks[best] == 0:
        lead, rest = parts[0], parts[1:2]
    else:
        lead = trim_lead_in(parts[best])
        later = range(best + 1, len(parts))
        chosen = [i for i in later if ranks[i] == 3 or _RESULT_TEXT.search(parts[i])]
        chosen += [i for i in later[:1] if i not in chosen and ranks[i] > 0]
        rest = [parts[i] for i in chosen]
    if len(lead) > limit:
        return _cut(lead, limit)
    for candidate in rest:
        extra = trim_lead_in(candidate) if ranks[best] else candidate
        if len(lead) + 1 + len(extra) <= limit:
            return f"{lead} {extra}"
    return lead
