"""The fake's REST API v10: the routes discord.py 2.7 calls for this bot, recorded one by one.

Each route answers like Discord does, errors included (see ``rest_interactions`` and
``rest_messages``): a body Discord would refuse is a 400 with code 50035, a bot route without
the token is a 401, an unknown route a 404 that the fixtures report. A command sync is stored
as Discord stores it: ``default_member_permissions`` as a string, ``integration_types``
filled in from the app's installation settings when omitted, ``contexts`` left null.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from tests.e2e.payloads import snowflake
from tests.e2e.records import RecordedRequest
from tests.e2e.rest_base import API, RECORD, ApiError, json_response
from tests.e2e.rest_interactions import InteractionRoutes
from tests.e2e.rest_messages import ChannelRoutes

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MESSAGE_COMMAND = 3
MESSAGE_COMMANDS_PER_APP = 15  # and as many user commands (change log, 2026-03-03)


class RestApi(InteractionRoutes, ChannelRoutes):
    """Every route, recorded; the state they share lives in ``RestState``."""

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
            ("PUT", "/channels/{channel}/messages/{message}/reactions/{emoji}/@me", self.reaction, True),
            ("DELETE", "/channels/{channel}/messages/{message}/reactions/{emoji}/@me", self.reaction, True),
            ("POST", "/users/@me/channels", self.create_dm, True),
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
        _check_commands(sent)
        old = {(c["type"], c["name"]): c["id"] for c in self.commands.get(scope, [])}
        registered = []
        for command in sent:
            kind = command.get("type", 1)
            stored = {
                "id": old.get((kind, command["name"]), str(snowflake())),
                "application_id": str(self.world.application_id),
                "version": str(snowflake()),
                "nsfw": False,
                "dm_permission": True,
                **command,
                "type": kind,
                "default_member_permissions": _permissions_string(command.get("default_member_permissions")),
            }
            if scope is not None:
                stored["guild_id"] = str(scope)
                stored.pop("integration_types", None)  # only global commands have installs and contexts
                stored.pop("contexts", None)
            else:  # Discord fills in the app's installation contexts; ``contexts`` stays null
                stored["integration_types"] = command.get("integration_types") or self.world.install_types
                stored.setdefault("contexts", None)
            if kind == MESSAGE_COMMAND:
                stored["description"] = ""
            registered.append(stored)
        self.commands[scope] = registered
        return json_response(registered)


def _permissions_string(value: Any) -> str | None:
    """Discord stores ``default_member_permissions`` as a string (discord.py sends an int)."""
    return None if value is None else str(int(value))


def _check_commands(commands: list[dict[str, Any]]) -> None:
    """What Discord refuses in a bulk overwrite: duplicate names, bad message commands."""
    problems = []
    seen: set[tuple[int, str]] = set()
    for i, command in enumerate(commands):
        kind, name = command.get("type", 1), command.get("name", "")
        if (kind, name) in seen:
            problems.append(f"{i}.name: duplicate {name!r}")
        seen.add((kind, name))
        if not 1 <= len(name) <= 32:
            problems.append(f"{i}.name: {len(name)} characters, not 1..32")
        if kind == MESSAGE_COMMAND and command.get("options"):
            problems.append(f"{i}.options: a message command takes none")
    if sum(1 for c in commands if c.get("type", 1) == MESSAGE_COMMAND) > MESSAGE_COMMANDS_PER_APP:
        problems.append(f"more than {MESSAGE_COMMANDS_PER_APP} message commands")
    if problems:
        raise ApiError(400, 50035, "Invalid Form Body", problems)
