"""What the fake's REST routes share: Discord-shaped errors, the server's state and its clock."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.e2e import chat
from tests.e2e.payloads import EPHEMERAL, LOADING, MENTION_EVERYONE, iso_now, message, snowflake
from tests.e2e.records import Interaction, RecordedRequest
from tests.e2e.world import World

API = "/api/v10"
RECORD = web.RequestKey("record", RecordedRequest)
INVALID = (401, 403, 429)  # Discord bans apps that send 10,000 of these in 10 minutes


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON exactly as Discord labels it: discord.py parses only ``application/json``, no charset."""
    data = json.dumps(body).encode()
    return web.Response(
        body=data, status=status, headers={**(headers or {}), "Content-Type": "application/json"}
    )


class ApiError(Exception):
    """An error answer in Discord's shape: ``{"message": ..., "code": ...}``."""

    def __init__(self, status: int, code: int, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.errors = status, code, errors or []

    def response(self) -> web.Response:
        body: dict[str, Any] = {"message": str(self), "code": self.code}
        if self.errors:
            body["errors"] = {"_errors": [{"code": "BASE_TYPE_BAD", "message": e} for e in self.errors]}
        return json_response(body, status=self.status)


MISSING_ACCESS = (403, 50001, "Missing Access")
MISSING_PERMISSIONS = (403, 50013, "Missing Permissions")
UNKNOWN_MESSAGE = (404, 10008, "Unknown Message")


def check(problems: list[str]) -> None:
    if problems:
        raise ApiError(400, 50035, "Invalid Form Body", problems)


class RestState:
    """Commands, messages, interactions and every request; the clock interaction tokens age on."""

    def __init__(self, world: World, token: str, changed: Callable[[], None]) -> None:
        self.world = world
        self.token = token
        self.changed = changed
        self.gateway_url = ""
        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []
        self.commands: dict[int | None, list[dict[str, Any]]] = {}  # scope (guild id or None) → commands
        self.syncs: list[tuple[int | None, list[dict[str, Any]]]] = []  # every PUT, as sent
        self.messages: dict[int, dict[str, Any]] = {}  # every message, as Discord stores it
        self.bodies: dict[int, dict[str, Any]] = {}  # message id → the bot's request body creating it
        self.posts: dict[int, list[int]] = {}  # channel id → messages the bot posted itself
        self.delivered: dict[int, dict[str, Any]] = {}  # message id → the MESSAGE_CREATE sent
        self.interactions: dict[int, Interaction] = {}
        self.rate_limits: dict[str, list[float]] = {}  # route template → retry_after of coming 429s
        self.clock_offset = 0.0  # added to the event loop's clock by ``advance``

    def now(self) -> float:
        """The fake's clock: real time plus ``advance``; interaction tokens expire on it."""
        return asyncio.get_running_loop().time() + self.clock_offset

    def invalid_requests(self) -> list[RecordedRequest]:
        """The bot's requests answered 401, 403 or 429 (they count towards Discord's IP ban)."""
        return [r for r in self.requests if r.status in INVALID]

    def new_message(
        self,
        channel_id: int,
        body: dict[str, Any],
        flags: int,
        by: Interaction | None,
        reply_to: dict[str, Any] | None = None,
    ) -> int:
        """Store a message the bot created (an interaction answer when ``by`` is given)."""
        meta = None
        if by is not None:
            meta = {
                "id": str(by.id),
                "type": by.kind,
                "user": by.user.user(),
                "authorizing_integration_owners": dict(by.owners),
            }
        message_id = snowflake()
        data = message(
            message_id=message_id,
            channel_id=channel_id,
            author=self.world.bot.user(),
            body=body,
            flags=flags,
            application_id=None if by is None else self.world.application_id,
            interaction=meta,
            guild_id=self.world.guild_of(channel_id) if by is None else None,
        )
        replied = None
        if reply_to is not None:
            data["type"] = chat.REPLY
            data["message_reference"] = {
                "type": 0,
                "message_id": reply_to["id"],
                "channel_id": str(channel_id),
            }
            if "guild_id" in data:
                data["message_reference"]["guild_id"] = data["guild_id"]
            data["referenced_message"] = reply_to
            if "webhook_id" not in reply_to:
                replied = reply_to["author"]
        may_ping_everyone = bool(self.world.bot_permissions(channel_id) & MENTION_EVERYONE)
        chat.resolve_mentions(self.world, data, body.get("allowed_mentions"), replied, may_ping_everyone)
        self.messages[message_id] = data
        self.bodies[message_id] = body
        if by is not None:
            by.message_ids.append(message_id)
        return message_id

    def edit(self, message_id: int, body: dict[str, Any]) -> dict[str, Any]:
        data = self.messages[message_id]
        for key in ("content", "embeds", "components"):
            if key in body:
                data[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        data["flags"] &= ~LOADING
        data["edited_timestamp"] = iso_now()
        return data

    @staticmethod
    def ephemeral(data: dict[str, Any]) -> bool:
        return bool(data["flags"] & EPHEMERAL)
