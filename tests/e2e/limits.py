"""Discord's form-body checks on what a bot sends: breaking one is a 400 in production.

The unit tests check the cards against these limits as data; here the fake server refuses an
over-long embed, a sixth button or a 26th choice the way Discord does (400, code 50035), so a
payload that only the real API would reject cannot slip through the end-to-end tests either.
"""

from __future__ import annotations

from typing import Any


def _too_long(problems: list[str], where: str, value: Any, limit: int, required: bool = False) -> None:
    if value is None:
        if required:
            problems.append(f"{where}: required")
        return
    if not isinstance(value, str):
        problems.append(f"{where}: not a string")
    elif len(value) > limit:
        problems.append(f"{where}: {len(value)} > {limit} characters")
    elif required and not value:
        problems.append(f"{where}: empty")


def embed_problems(embeds: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(embeds) > 10:
        problems.append(f"embeds: {len(embeds)} > 10")
    total = 0
    for i, embed in enumerate(embeds):
        where = f"embeds.{i}"
        _too_long(problems, f"{where}.title", embed.get("title"), 256)
        _too_long(problems, f"{where}.description", embed.get("description"), 4096)
        footer = (embed.get("footer") or {}).get("text")
        _too_long(problems, f"{where}.footer.text", footer, 2048)
        author = (embed.get("author") or {}).get("name")
        _too_long(problems, f"{where}.author.name", author, 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            problems.append(f"{where}.fields: {len(fields)} > 25")
        for j, field in enumerate(fields):
            _too_long(problems, f"{where}.fields.{j}.name", field.get("name"), 256, required=True)
            _too_long(problems, f"{where}.fields.{j}.value", field.get("value"), 1024, required=True)
        texts = [embed.get("title"), embed.get("description"), footer, author]
        texts += [f.get(k) for f in fields for k in ("name", "value")]
        total += sum(len(t) for t in texts if isinstance(t, str))
    if total > 6000:
        problems.append(f"embeds: {total} > 6000 characters in total")
    return problems


def _component_problems(problems: list[str], where: str, item: dict[str, Any], seen: set[str]) -> None:
    custom_id = item.get("custom_id")
    if custom_id is not None:
        _too_long(problems, f"{where}.custom_id", custom_id, 100)
        if custom_id in seen:
            problems.append(f"{where}.custom_id: duplicate {custom_id!r}")
        seen.add(custom_id)
    if item.get("type") == 2:  # button
        _too_long(problems, f"{where}.label", item.get("label"), 80)
        if item.get("style") == 5:
            if not item.get("url") or custom_id is not None:
                problems.append(f"{where}: a link button needs a url and no custom_id")
        elif custom_id is None:
            problems.append(f"{where}.custom_id: required")
    elif item.get("type") == 3:  # string select
        _too_long(problems, f"{where}.custom_id", custom_id, 100, required=True)
        _too_long(problems, f"{where}.placeholder", item.get("placeholder"), 150)
        options = item.get("options") or []
        if not 1 <= len(options) <= 25:
            problems.append(f"{where}.options: {len(options)} not in 1..25")
        for k, option in enumerate(options):
            _too_long(problems, f"{where}.options.{k}.label", option.get("label"), 100, required=True)
            _too_long(problems, f"{where}.options.{k}.value", option.get("value"), 100, required=True)
            _too_long(problems, f"{where}.options.{k}.description", option.get("description"), 100)
    else:
        problems.append(f"{where}.type: {item.get('type')} is not a button or a string select")


def component_problems(rows: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(rows) > 5:
        problems.append(f"components: {len(rows)} > 5 action rows")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        children = row.get("components") or []
        if row.get("type") != 1 or not children:
            problems.append(f"components.{i}: not a non-empty action row")
            continue
        selects = sum(1 for c in children if c.get("type") == 3)
        if len(children) > 5 or (selects and len(children) > 1):
            problems.append(f"components.{i}: at most 5 buttons or one select per row")
        for j, item in enumerate(children):
            _component_problems(problems, f"components.{i}.components.{j}", item, seen)
    return problems


def message_problems(body: dict[str, Any], creating: bool) -> list[str]:
    """What Discord would reject in a message create (``creating``) or edit body."""
    problems: list[str] = []
    _too_long(problems, "content", body.get("content"), 2000)
    problems += embed_problems(body.get("embeds") or [])
    problems += component_problems(body.get("components") or [])
    if creating and not (body.get("content") or body.get("embeds") or body.get("components")):
        problems.append("Cannot send an empty message")
    return problems


def choice_problems(choices: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(choices) > 25:
        problems.append(f"choices: {len(choices)} > 25")
    for i, choice in enumerate(choices):
        _too_long(problems, f"choices.{i}.name", choice.get("name"), 100, required=True)
        value = choice.get("value")
        if isinstance(value, str):
            _too_long(problems, f"choices.{i}.value", value, 100)
    return problems
