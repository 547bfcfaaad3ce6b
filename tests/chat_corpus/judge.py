"""Judging the chat's answers against the corpus' expectations (cases.jsonl), the same way for every design.

A verdict is one of:
- ``right``: the answer is what the expectation asks for;
- ``menu``: a "Do you mean / which one?" menu where one answer was expected (reported apart:
  not wrong, not right);
- ``wrong_card``: a card or list shown for something the catalog lacks, or a search for chit-chat;
- ``wrong``: anything else.
A "choose" expectation is right only as a menu holding the options.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from store.catalog.catalog import Catalog
from store.catalog.models import Paper
from store.chat.answer_model import Answer, AnswerKind, Subject
from store.text import fold

CASES = Path(__file__).with_name("cases.jsonl")
# The day the corpus was written against ("last year" is 2025).
TODAY = date(2026, 12, 6)

SINGLE_PAPER = {
    AnswerKind.PAPER,
    AnswerKind.WHO_WROTE,
    AnswerKind.CODE,
    AnswerKind.BIBTEX,
    AnswerKind.ABSTRACT,
}
FACET_KINDS = {
    "card": SINGLE_PAPER,
    "who": {AnswerKind.WHO_WROTE},
    "code": {AnswerKind.CODE},
    "cite": {AnswerKind.BIBTEX},
    "abstract": {AnswerKind.ABSTRACT, AnswerKind.PAPER},
    "when": SINGLE_PAPER,
    "pdf": SINGLE_PAPER,
    "category": SINGLE_PAPER,
}
NOT_HAVE = {AnswerKind.NOT_FOUND, AnswerKind.NOT_IN_CATALOG}


@dataclass(frozen=True)
class Turn:
    say: str
    how: str
    expect: dict[str, Any]


@dataclass(frozen=True)
class Case:
    id: str
    by: str
    half: str
    turns: tuple[Turn, ...]
    note: str = ""


def cases(path: Path = CASES) -> list[Case]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            turns = tuple(Turn(t["say"], t["how"], t["expect"]) for t in raw["turns"])
            out.append(Case(raw["id"], raw["by"], raw["half"], turns, raw.get("note", "")))
    return out


@dataclass
class Verdict:
    case: str
    turn: int
    say: str
    expect: dict[str, Any]
    verdict: str
    got: str
    why: str = ""


@dataclass
class Titles:
    """Exact titles (as the CLI's JSON gives them) to papers."""

    catalog: Catalog
    _cache: dict[str, Paper] = field(default_factory=dict)

    def __call__(self, title: str) -> Paper:
        if title not in self._cache:
            row = self.catalog.db.execute("select id from papers where title = ?", [title]).fetchone()
            assert row is not None, f"the corpus names a title the catalog lacks: {title!r}"
            paper = self.catalog.paper(row[0])
            assert paper is not None
            self._cache[title] = paper
        return self._cache[title]


def is_menu(answer: Answer) -> bool:
    if answer.kind is AnswerKind.AUTHORS:
        return True
    return answer.kind is AnswerKind.PAPERS and answer.lead.rstrip().endswith(("which one?", "?"))


def reachable(answer: Answer) -> list[str]:
    """The ids a person can reach from the answer: shown, or behind its More button."""
    every = getattr(answer, "all_ids", None)
    return list(every) if every else [p.id for p in answer.papers]


def describe(answer: Answer) -> str:
    papers = ", ".join(p.display_title[:40] for p in answer.papers[:4])
    people = ", ".join(a.name for a in answer.authors[:4])
    return f"{answer.kind.value}: {answer.lead[:120]!r} [{papers}] ({people})"


def _short(paper: Paper) -> str:
    title = paper.display_title
    head = title.split(":")[0]
    words = head.split() if ":" in title and len(head.split()) <= 5 else title.split()[:5]
    return fold(" ".join(words))


def _mentions(answer: Answer, text: str) -> bool:
    return fold(text) in fold(answer.lead)


class Judge:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.title = Titles(catalog)

    def author_name(self, answer: Answer) -> str | None:
        if answer.authors:
            return answer.authors[0].name
        if answer.author_id is not None:
            row = self.catalog.db.execute(
                "select name from authors where id = ?", [answer.author_id]
            ).fetchone()
            return row[0] if row else None
        return None

    def papers_of(self, name: str) -> list[Paper]:
        (match,) = [a for a in self.catalog.find_authors(name, limit=5) if a.name == name][:1]
        profile = self.catalog.author_profile(match.id, 500, None, 0)
        assert profile is not None
        return list(profile.papers)

    def verdict(self, expect: dict[str, Any], answer: Answer) -> tuple[str, str]:
        """(verdict, why) for one chat answer."""
        kind = expect["answer"]
        if kind == "quiet":
            if answer.kind is AnswerKind.NOTHING:
                return "right", ""
            quiet = (
                not answer.papers and not answer.authors and answer.kind not in NOT_HAVE | {AnswerKind.HELP}
            )
            return ("right", "") if quiet else ("wrong_card", "searched or answered chit-chat")
        if kind == "not_have":
            if answer.kind in NOT_HAVE and not answer.papers:
                if expect.get("link") and answer.link != expect["link"]:
                    return "wrong", f"link {answer.link} != {expect['link']}"
                return "right", ""
            if is_menu(answer):
                return "menu", "offered candidates for something the catalog lacks"
            return "wrong_card", "showed a card for something the catalog lacks"
        if kind == "help":
            return ("right", "") if answer.kind is AnswerKind.HELP else ("wrong", "not help")
        if kind == "stats":
            return ("right", "") if answer.kind is AnswerKind.STATS else ("wrong", "not stats")
        if kind == "random":
            return self._random(expect, answer)
        if kind == "choose":
            if not is_menu(answer):
                return "wrong", "expected a which-one menu"
            offered = {a.name for a in answer.authors} | {p.title for p in answer.papers}
            missing = [o for o in expect["options"] if o not in offered]
            return ("right", "") if not missing else ("wrong", f"menu lacks {missing}")
        if kind == "paper":
            return self._paper(expect, answer)
        if kind in ("papers", "similar"):
            return self._papers(expect, answer)
        if kind == "author":
            return self._author(expect, answer)
        raise ValueError(f"unknown expectation {kind}")

    def _random(self, expect: dict[str, Any], answer: Answer) -> tuple[str, str]:
        if answer.kind is not AnswerKind.RANDOM or not answer.papers:
            return "wrong", "not a random paper"
        paper = answer.papers[0]
        if expect.get("category") and paper.category != expect["category"]:
            return "wrong", f"category {paper.category}"
        if expect.get("year_from") and paper.year < expect["year_from"]:
            return "wrong", f"year {paper.year}"
        if expect.get("year_to") and paper.year > expect["year_to"]:
            return "wrong", f"year {paper.year}"
        return "right", ""

    def _paper(self, expect: dict[str, Any], answer: Answer) -> tuple[str, str]:
        paper = self.title(expect["paper"])
        facet = expect.get("facet", "card")
        if is_menu(answer) and paper.id in [p.id for p in answer.papers]:
            return "menu", "a menu holding the paper"
        if answer.kind not in FACET_KINDS[facet] or not answer.papers:
            return "wrong", f"kind {answer.kind.value} for facet {facet}"
        if answer.papers[0].id != paper.id:
            return "wrong", "another paper"
        if facet == "when" and str(paper.year) not in answer.lead:
            return "wrong", "the date is not said"
        return "right", ""

    def _papers(self, expect: dict[str, Any], answer: Answer) -> tuple[str, str]:
        ids = reachable(answer)
        if expect["answer"] == "similar":
            source = self.title(expect["paper"])
            if not ids or source.id in ids[:1]:
                return "wrong", "no similar papers"
        elif not ids or (answer.kind in SINGLE_PAPER and len(expect.get("include", [])) > 1):
            return "wrong", f"kind {answer.kind.value}, not a list"
        missing = [t for t in expect.get("include", []) if self.title(t).id not in ids]
        if missing:
            return "wrong", f"missing {len(missing)}: {missing[0][:50]}"
        extra = [t for t in expect.get("exclude", []) if self.title(t).id in ids]
        if extra:
            return "wrong", f"holds {extra[0][:50]}"
        if expect.get("first") and ids[0] != self.title(expect["first"]).id:
            return "wrong", "wrong first paper"
        fact = expect.get("compare_answer")
        if fact:
            return self._compare(fact, answer)
        return "right", ""

    def _compare(self, fact: str, answer: Answer) -> tuple[str, str]:
        key, _, value = fact.partition(":")
        value = value.strip()
        if key in ("has code", "newer", "older"):
            return (
                ("right", "")
                if _mentions(answer, _short(self.title(value)))
                else ("wrong", f"not said: {fact}")
            )
        if key == "shared authors":
            names = [n.strip() for n in value.split(",")]
            ok = all(_mentions(answer, n) for n in names)
            return ("right", "") if ok else ("wrong", f"not said: {fact}")
        if key.startswith("none share"):
            return ("right", "") if re.search(r"\bno\b.*author", fold(answer.lead)) else ("wrong", "not said")
        if key == "same day":
            return ("right", "") if "same day" in fold(answer.lead) else ("wrong", "not said")
        raise ValueError(fact)

    def _author(self, expect: dict[str, Any], answer: Answer) -> tuple[str, str]:
        name = self.author_name(answer)
        if answer.kind is AnswerKind.AUTHORS:
            return "menu", "a which-one menu"
        if name != expect["author"]:
            return "wrong", f"author {name}"
        facet = expect.get("facet", "papers")
        ids = reachable(answer)
        if facet == "count":
            return ("right", "") if str(expect["count"]) in answer.lead else ("wrong", "count not said")
        if facet in ("first", "latest"):
            papers = self.papers_of(expect["author"])
            papers.sort(key=lambda p: p.published)
            want = papers[0] if facet == "first" else papers[-1]
            if expect.get("include"):
                want = self.title(expect["include"][0])
            return ("right", "") if ids[:1] == [want.id] else ("wrong", f"not the {facet} paper first")
        if facet == "coauthors":
            profile_names = [c.name for c in self._coauthors(expect["author"])]
            ok = bool(profile_names) and _mentions(answer, profile_names[0])
            return ("right", "") if ok else ("wrong", "co-authors not said")
        missing = [t for t in expect.get("include", []) if self.title(t).id not in ids]
        if missing:
            return "wrong", f"missing {len(missing)}: {missing[0][:50]}"
        return "right", ""

    def _coauthors(self, name: str) -> list[Any]:
        (match,) = [a for a in self.catalog.find_authors(name, limit=5) if a.name == name][:1]
        profile = self.catalog.author_profile(match.id, 1, None, 0)
        assert profile is not None
        return list(profile.coauthors)


Ask = Callable[[str, "Subject | None"], Answer]
Find = Callable[[str], list[Paper]]


def run(catalog: Catalog, ask: Ask, find: Find, chosen: list[Case]) -> Iterator[Verdict]:
    """Every turn of every chosen case, asked in order (a reply is about the answer before it)."""
    judge = Judge(catalog)
    for case in chosen:
        about: Subject | None = None
        for number, turn in enumerate(case.turns):
            if turn.how == "menu":
                found = find(turn.say)
                yield _menu_verdict(judge, case, number, turn, found)
                continue
            answer = ask(turn.say, about if turn.how == "reply" else None)
            verdict, why = judge.verdict(turn.expect, answer)
            yield Verdict(case.id, number, turn.say, turn.expect, verdict, describe(answer), why)
            about = answer.subject  # a reply answers the message it replies to


def _menu_verdict(judge: Judge, case: Case, number: int, turn: Turn, found: list[Paper]) -> Verdict:
    ids = [p.id for p in found]
    got = ", ".join(p.display_title[:40] for p in found)
    expect = turn.expect
    if expect["answer"] == "none":
        verdict = "right" if not found else "wrong_card"
    else:
        want = [judge.title(t).id for t in expect.get("include", [])] + list(expect.get("ids", []))
        verdict = "right" if all(w in ids for w in want) else "wrong"
    return Verdict(case.id, number, turn.say, expect, verdict, got)
