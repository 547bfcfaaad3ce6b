"""The fake's REST API v10: the routes discord.py 2.7 calls for this bot, recorded one by one.

Each route answers like Discord does, errors included: a callback after 3 seconds is "Unknown
interaction" (10062), a second one "already acknowledged" (40060), a body Discord would refuse
is a 400 with code 50035, a bot route without the token is a 401, an unknown route a 404 that
the fixtures report. A deferred "thinking" response is a loading message that the first
follow-up fills in, keeping the deferral's ephemerality, as in the real client.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from tests.e2e import limits
from tests.e2e.payloads import EPHEMERAL, LOADING, World, iso_now, message, snowflake
from tests.e2e.records import DEADLINE, Interaction, RecordedRequest

API = "/api/v10"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


RECORD = web.RequestKey("record", RecordedRequest)


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


def _check(problems: list[str]) -> None:
    if problems:
        raise ApiError(400, 50035, "Invalid Form Body", problems)


class RestApi:
    """Routes and the state they share: commands, messages, interactions, every request."""

    def __init__(self, world: World, token: str, changed: Callable[[], None]) -> None:
        self.world = world
        self.token = token
        self.changed = changed
        self.gateway_url = ""
        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []
        self.commands: dict[int | None, list[dict[str, Any]]] = {}  # scope (guild id or None) → commands
        self.syncs: list[tuple[int | None, list[dict[str, Any]]]] = []  # every PUT, as sent
        self.messages: dict[int, dict[str, Any]] = {}
        self.posts: dict[int, list[int]] = {}  # channel id → messages the bot posted itself
        self.interactions: dict[int, Interaction] = {}
        self.rate_limits: dict[str, list[float]] = {}  # route template → retry_after of coming 429s

    # --- plumbing ------------------------------------------------------------------------------

    def routes(self) -> list[tuple[str, str, Handler, bool]]:
        """(method, path, handler, needs the bot token)."""
        return [
            ("GET", "/gateway", self.get_gateway, False),
            ("GET", "/gateway/bot", self.get_gateway_bot, True),
            ("GET", "/users/@me", self.get_me, True),
            ("GET", "/oauth2/applications/@me", self.get_application, True),
            ("GET", "/applications/@me", self.get_application, True),
            ("GET", "/applications/{app}/commands", self.get_commands, True),
            ("PUT", "/applications/{app}/commands", self.put_commands, True),
            ("GET", "/applications/{app}/guilds/{guild}/commands", self.get_commands, True),
            ("PUT", "/applications/{app}/guilds/{guild}/commands", self.put_commands, True),
            ("POST", "/interactions/{interaction}/{token}/callback", self.callback, False),
            ("POST", "/webhooks/{app}/{token}", self.followup, False),
            ("GET", "/webhooks/{app}/{token}/messages/{message}", self.webhook_message, False),
            ("PATCH", "/webhooks/{app}/{token}/messages/{message}", self.webhook_message, False),
            ("DELETE", "/webhooks/{app}/{token}/messages/{message}", self.webhook_message, False),
            ("GET", "/channels/{channel}", self.get_channel, True),
            ("POST", "/channels/{channel}/messages", self.create_message, True),
            ("GET", "/channels/{channel}/messages/{message}", self.channel_message, True),
            ("PATCH", "/channels/{channel}/messages/{message}", self.channel_message, True),
        ]

    def add_routes(self, app: web.Application) -> None:
        for method, path, handler, needs_token in self.routes():
            app.router.add_route(method, API + path, self._guard(method, path, handler, needs_token))

    def _guard(self, method: str, path: str, handler: Handler, needs_token: bool) -> Handler:
        route = f"{method} {path}"

        async def guarded(request: web.Request) -> web.StreamResponse:
            record = request[RECORD]
            record.route = route
            if needs_token and request.headers.get("Authorization") != f"Bot {self.token}":
                raise ApiError(401, 0, "401: Unauthorized")
            if self.rate_limits.get(route):
                return self._too_many_requests(self.rate_limits[route].pop(0))
            return await handler(request)

        return guarded

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Record every request and its answer; errors become Discord-shaped JSON."""
        if not request.path.startswith(API):
            return await handler(request)  # the gateway's websocket
        body: Any = None
        if request.content_type == "multipart/form-data":
            form = await request.post()
            body = json.loads(str(form.get("payload_json", "null")))
        elif request.can_read_body:
            body = await request.json()
        record = RecordedRequest(request.method, request.path[len(API) :], "", dict(request.query), body)
        request[RECORD] = record
        self.requests.append(record)
        try:
            response = await handler(request)
        except ApiError as error:
            response = error.response()
        except web.HTTPNotFound:
            response = ApiError(404, 0, "404: Not Found").response()
            self.unhandled.append(record)
        record.status = response.status
        self.changed()
        return response

    @staticmethod
    def _too_many_requests(retry_after: float) -> web.Response:
        """A per-route 429 exactly as Discord sends one (discord.py checks the Via header)."""
        headers = {
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": "d4c4b6a2e5f1c0e0b8a7f3c1e2d9a6b5",
            "X-RateLimit-Scope": "user",
            "Via": "1.1 google",
        }
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
        return json_response(body, status=429, headers=headers)

    # --- identity and commands ---------------------------------------------------------------

    async def get_gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.gateway_url})

    async def get_gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def get_me(self, request: web.Request) -> web.Response:
        return json_response({**self.world.bot.user(), "verified": True, "mfa_enabled": False})

    async def get_application(self, request: web.Request) -> web.Response:
        return json_response(self.world.application())

    def _scope(self, request: web.Request) -> int | None:
        if int(request.match_info["app"]) != self.world.application_id:
            raise ApiError(403, 50001, "Missing Access")
        guild = request.match_info.get("guild")
        if guild is not None and int(guild) != self.world.guild_id:
            raise ApiError(403, 50001, "Missing Access")
        return None if guild is None else int(guild)

    async def get_commands(self, request: web.Request) -> web.Response:
        return json_response(self.commands.get(self._scope(request), []))

    async def put_commands(self, request: web.Request) -> web.Response:
        """Bulk overwrite: keeps the ids of commands that keep their name, like Discord."""
        scope = self._scope(request)
        sent: list[dict[str, Any]] = request[RECORD].body
        self.syncs.append((scope, sent))
        old = {c["name"]: c["id"] for c in self.commands.get(scope, [])}
        registered = []
        for command in sent:
            extra = {"guild_id": str(scope)} if scope is not None else {}
            registered.append(
                {
                    "id": old.get(command["name"], str(snowflake())),
                    "application_id": str(self.world.application_id),
                    "version": str(snowflake()),
                    "type": 1,
                    "default_member_permissions": None,
                    "nsfw": False,
                    **command,
                    **extra,
                }
            )
        self.commands[scope] = registered
        return json_response(registered)

    # --- interactions --------------------------------------------------------------------------

    def _new_message(self, channel_id: int, body: dict[str, Any], flags: int, by: Interaction | None) -> int:
        meta = None
        if by is not None:
            meta = {
                "id": str(by.id),
                "type": by.kind,
                "user": by.user.user(),
                "authorizing_integration_owners": {"0": str(self.world.guild_id)},
            }
        message_id = snowflake()
        self.messages[message_id] = message(
            message_id=message_id,
            channel_id=channel_id,
            author=self.world.bot.user(),
            body=body,
            flags=flags,
            application_id=None if by is None else self.world.application_id,
            interaction=meta,
        )
        if by is not None:
            by.message_ids.append(message_id)
        return message_id

    def _edit(self, message_id: int, body: dict[str, Any]) -> dict[str, Any]:
        data = self.messages[message_id]
        for key in ("content", "embeds", "components"):
            if key in body:
                data[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        data["flags"] &= ~LOADING
        data["edited_timestamp"] = iso_now()
        return data

    async def callback(self, request: web.Request) -> web.Response:
        now = asyncio.get_running_loop().time()
        record = self.interactions.get(int(request.match_info["interaction"]))
        if record is None or record.token != request.match_info["token"]:
            raise ApiError(404, 10062, "Unknown interaction")
        if record.callback_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if now - record.dispatched_at > DEADLINE:
            record.late = True
            raise ApiError(404, 10062, "Unknown interaction")
        body = request[RECORD].body
        kind, data = body["type"], body.get("data") or {}
        allowed = {2: (4, 5), 3: (4, 5, 6, 7), 4: (8,)}[record.kind]
        if kind not in allowed:
            raise ApiError(
                400, 50035, f"callback type {kind} is not valid for interaction type {record.kind}"
            )
        if kind == 8:
            _check(limits.choice_problems(data.get("choices", [])))
            record.choices = data.get("choices", [])
        elif kind == 4:
            _check(limits.message_problems(data, creating=True))
            record.original_id = self._new_message(
                record.channel_id, data, data.get("flags", 0) & EPHEMERAL, record
            )
        elif kind == 5:
            flags = LOADING | (data.get("flags", 0) & EPHEMERAL)
            record.original_id = self._new_message(record.channel_id, {}, flags, record)
            record.loading = True
        else:  # 6 and 7 act on the message the component is on
            assert record.component_message_id is not None
            record.original_id = record.component_message_id
            if kind == 7:
                _check(limits.message_problems(data, creating=False))
                self._edit(record.component_message_id, data)
        record.callback_type, record.answered_at = kind, now
        if request.query.get("with_response") not in ("1", "true"):
            return web.Response(status=204)
        return json_response(self._callback_response(record))

    def _callback_response(self, record: Interaction) -> dict[str, Any]:
        interaction: dict[str, Any] = {
            "id": str(record.id),
            "type": record.kind,
            "activity_instance_id": None,
        }
        resource: dict[str, Any] = {"type": record.callback_type}
        if record.original_id is not None and record.callback_type != 6:
            original = self.messages[record.original_id]
            interaction["response_message_id"] = original["id"]
            interaction["response_message_loading"] = record.loading
            interaction["response_message_ephemeral"] = bool(original["flags"] & EPHEMERAL)
            resource["message"] = original
        return {"interaction": interaction, "resource": resource}

    def _by_token(self, request: web.Request) -> Interaction:
        token = request.match_info["token"]
        found = [i for i in self.interactions.values() if i.token == token]
        if int(request.match_info["app"]) != self.world.application_id or not found:
            raise ApiError(404, 10015, "Unknown Webhook")
        if found[0].callback_type is None:
            raise ApiError(404, 10015, "Unknown Webhook")  # no follow-up before the answer
        return found[0]

    async def followup(self, request: web.Request) -> web.Response:
        record = self._by_token(request)
        body = request[RECORD].body
        _check(limits.message_problems(body, creating=True))
        if record.loading and record.original_id is not None:  # the first follow-up fills the deferral
            data = self._edit(record.original_id, body)
            record.loading = False
        else:
            data = self.messages[
                self._new_message(record.channel_id, body, body.get("flags", 0) & EPHEMERAL, record)
            ]
        if request.query.get("wait") not in ("1", "true"):
            return web.Response(status=204)
        return json_response(data)

    async def webhook_message(self, request: web.Request) -> web.Response:
        record = self._by_token(request)
        raw = request.match_info["message"]
        message_id = record.original_id if raw == "@original" else int(raw)
        if message_id not in self.messages or (
            message_id not in record.message_ids and message_id != record.original_id
        ):
            raise ApiError(404, 10008, "Unknown Message")
        if request.method == "DELETE":
            del self.messages[message_id]
            if message_id == record.original_id:
                record.loading = False  # deleting a deferral stops the "thinking"; follow-ups are new
            return web.Response(status=204)
        if request.method == "PATCH":
            body = request[RECORD].body
            _check(limits.message_problems(body, creating=False))
            self._edit(message_id, body)
            if message_id == record.original_id:
                record.loading, record.edited = False, True
        return json_response(self.messages[message_id])

    # --- channels ------------------------------------------------------------------------------

    def _channel(self, request: web.Request) -> int:
        channel_id = int(request.match_info["channel"])
        if channel_id not in (self.world.channel_id, self.world.daily_channel_id):
            raise ApiError(404, 10003, "Unknown Channel")
        return channel_id

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(self.world.channel(self._channel(request)))

    async def create_message(self, request: web.Request) -> web.Response:
        channel_id = self._channel(request)
        body = request[RECORD].body
        _check(limits.message_problems(body, creating=True))
        message_id = self._new_message(channel_id, body, 0, None)
        self.posts.setdefault(channel_id, []).append(message_id)
        return json_response(self.messages[message_id])

    async def channel_message(self, request: web.Request) -> web.Response:
        channel_id = self._channel(request)
        message_id = int(request.match_info["message"])
        data = self.messages.get(message_id)
        if data is None or int(data["channel_id"]) != channel_id or data["flags"] & EPHEMERAL:
            raise ApiError(404, 10008, "Unknown Message")
        if request.method == "PATCH":
            body = request[RECORD].body
            _check(limits.message_problems(body, creating=False))
            self._edit(message_id, body)
        return json_response(data)
