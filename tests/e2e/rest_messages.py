"""Channel routes: what the bot reads, posts, replies, edits and reacts to outside interactions.

Access is checked as Discord does, before anything else: a channel the bot cannot see, a
private channel it is not in, or a guild it is not a member of is 403 Missing Access (50001);
a visible channel where a permission is missing (Send Messages; Read Message History for a
reply or a reaction; Add Reactions) is 403 Missing Permissions (50013). Ephemeral messages do
not exist for channel routes (404 Unknown Message, 10008); a message by someone else cannot be
edited (403, 50005). The bot's DM with a person is opened with ``POST /users/@me/channels``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.e2e import limits
from tests.e2e.payloads import ADD_REACTIONS, READ_MESSAGE_HISTORY, SEND_MESSAGES
from tests.e2e.rest_base import (
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    RECORD,
    UNKNOWN_MESSAGE,
    ApiError,
    RestState,
    check,
    json_response,
)


class ChannelRoutes(RestState):
    def _channel(self, request: web.Request, needs: int = 0) -> int:
        """The channel of the route, if the bot may reach it and holds the permissions ``needs``."""
        channel_id = int(request.match_info["channel"])
        try:
            self.world.context_of(channel_id)
        except AssertionError:
            raise ApiError(404, 10003, "Unknown Channel") from None
        have = self.world.bot_permissions(channel_id)
        if not have:
            raise ApiError(*MISSING_ACCESS)
        if have & needs != needs:
            raise ApiError(*MISSING_PERMISSIONS)
        return channel_id

    def _message(self, channel_id: int, raw: str) -> dict[str, Any]:
        data = self.messages.get(int(raw))
        if data is None or int(data["channel_id"]) != channel_id or self.ephemeral(data):
            raise ApiError(*UNKNOWN_MESSAGE)
        return data

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(self.world.channel(self._channel(request)))

    async def create_message(self, request: web.Request) -> web.Response:
        body = request[RECORD].body
        reference = body.get("message_reference")
        needs = SEND_MESSAGES | (READ_MESSAGE_HISTORY if reference else 0)
        channel_id = self._channel(request, needs)
        check(limits.message_problems(body, creating=True))
        replied = None
        if reference:
            replied = self.messages.get(int(reference["message_id"]))
            if replied is None or int(replied["channel_id"]) != channel_id or self.ephemeral(replied):
                if reference.get("fail_if_not_exists", True):
                    raise ApiError(400, 50035, "Invalid Form Body", ["message_reference: Unknown message"])
                replied = None
        message_id = self.new_message(channel_id, body, 0, None, reply_to=replied)
        self.posts.setdefault(channel_id, []).append(message_id)
        return json_response(self.messages[message_id])

    async def channel_message(self, request: web.Request) -> web.Response:
        channel_id = self._channel(request, READ_MESSAGE_HISTORY)
        data = self._message(channel_id, request.match_info["message"])
        if request.method == "PATCH":
            if data["author"]["id"] != str(self.world.bot.id):
                raise ApiError(403, 50005, "Cannot edit a message authored by another user")
            body = request[RECORD].body
            check(limits.message_problems(body, creating=False))
            self.edit(int(data["id"]), body)
        return json_response(data)

    async def reaction(self, request: web.Request) -> web.Response:
        """``PUT``/``DELETE /channels/{c}/messages/{m}/reactions/{emoji}/@me``: the bot's own reaction."""
        emoji = request.match_info["emoji"]
        channel_id = self._channel(request, READ_MESSAGE_HISTORY)
        reactions = self._message(channel_id, request.match_info["message"]).setdefault("reactions", [])
        existing = next((r for r in reactions if r["emoji"]["name"] == emoji), None)
        if request.method == "DELETE":
            if existing is not None and existing["me"]:
                existing["me"], existing["count"] = False, existing["count"] - 1
                if existing["count"] == 0:
                    reactions.remove(existing)
            return web.Response(status=204)
        if existing is None:  # a new reaction needs Add Reactions; joining one does not
            self._channel(request, READ_MESSAGE_HISTORY | ADD_REACTIONS)
            existing = {
                "emoji": {"id": None, "name": emoji},
                "count": 0,
                "count_details": {"burst": 0, "normal": 0},
                "me": False,
                "me_burst": False,
                "burst_colors": [],
            }
            reactions.append(existing)
        if not existing["me"]:
            existing["me"], existing["count"] = True, existing["count"] + 1
            existing["count_details"]["normal"] += 1
        return web.Response(status=204)

    async def create_dm(self, request: web.Request) -> web.Response:
        """``POST /users/@me/channels``: the bot's DM channel with a person (always the same one)."""
        body = request[RECORD].body or {}
        try:
            person = self.world.person(int(body.get("recipient_id", 0)))
        except (KeyError, ValueError):
            raise ApiError(400, 50035, "Invalid Form Body", ["recipient_id: Unknown user"]) from None
        if person not in self.world.people:
            raise ApiError(400, 50007, "Cannot send messages to this user")
        return json_response(self.world.channel(self.world.dm_channel_id(person)))
