"""A local Discord for end-to-end tests: REST + gateway on 127.0.0.1, and a driver for the tests.

The driver plays the Discord client: ``slash``, ``autocomplete``, ``click`` and ``select`` send
an INTERACTION_CREATE built from what the bot registered, then wait until a person would see
the answer. Every interaction must be acknowledged within Discord's 3 seconds (checked here,
and the server refuses a late callback as Discord does), so no test can pass with a bot that
would show "The application did not respond".
"""

from __future__ import annotations

import asyncio
import copy
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web

from tests.e2e import contexts
from tests.e2e.chat_driver import ChatDriver
from tests.e2e.contexts import NotOffered
from tests.e2e.gateway import Gateway
from tests.e2e.payloads import Person
from tests.e2e.records import DEADLINE, Interaction, Message, Reply
from tests.e2e.rest import API, RestApi
from tests.e2e.world import BOT_DM, GUILD, PRIVATE_CHANNEL, World

T = TypeVar("T")
SUBCOMMAND, GROUP, CHANNEL = 1, 2, 7
SLASH, MESSAGE_COMMAND = 1, 3
__all__ = ["FakeDiscord", "NotOffered"]


class FakeDiscord(ChatDriver, RestApi):
    """Start it, point ``DISCORD_API_BASE`` at ``api_base``, then drive the bot through it."""

    def __init__(self, token: str, world: World | None = None) -> None:
        self._change = asyncio.Event()
        world = world or World()
        super().__init__(world, token, self._changed)
        self.gateway = Gateway(world, token, self._changed)
        self._runner: web.AppRunner | None = None
        self.api_base = ""

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self.middleware])
        self.add_routes(app)
        app.router.add_get("/", self.gateway.handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)  # a free port, loopback only
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.api_base = f"http://{host}:{port}{API}"
        self.gateway_url = self.gateway.url = f"ws://{host}:{port}/"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _changed(self) -> None:
        self._change.set()
        self._change = asyncio.Event()

    async def wait_for(self, check: Callable[[], T | None], what: str, timeout: float) -> T:
        """Wait (on state changes, no polling) until ``check()`` is truthy; fail after ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (value := check()):
            change = self._change
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
            try:
                await asyncio.wait_for(change.wait(), remaining)
            except TimeoutError:
                continue
        return value

    async def wait_connected(self, timeout: float = 20.0) -> None:
        await self.wait_for(lambda: self.gateway.live is not None, "a live gateway session", timeout)

    async def wait_identified(self, count: int, timeout: float = 20.0) -> None:
        """Wait for the ``count``-th IDENTIFY to have opened the live session (a new process)."""
        await self.wait_for(
            lambda: len(self.gateway.ops(2)) >= count and self.gateway.live is not None,
            f"IDENTIFY number {count}",
            timeout,
        )

    # --- the driver: application commands ----------------------------------------------------

    def registered(self, name: str, kind: int = SLASH) -> dict[str, Any]:
        """The command as Discord stored it (``kind`` 1 slash, 3 message), global or guild."""
        for command in self.commands.get(None, []) + self.commands.get(self.world.guild_id, []):
            if command["name"] == name and command.get("type", SLASH) == kind:
                return command
        raise AssertionError(f"{name!r} (type {kind}) is not registered (registered: {self.command_names()})")

    def command_names(self) -> list[str]:
        return sorted(c["name"] for scope in self.commands.values() for c in scope)

    def _command_data(
        self, name: str, options: dict[str, Any], focused: str | None, user: Person
    ) -> dict[str, Any]:
        """Interaction data as the client builds it from the registered command and what was typed."""
        top, *path = name.split()
        command = self.registered(top)
        schema: dict[str, Any] = command
        for part in path:
            schema = next(o for o in schema.get("options", []) if o["name"] == part)
        specs = {o["name"]: o for o in schema.get("options", [])}
        resolved: dict[str, Any] = {}
        built: list[dict[str, Any]] = []
        for key, value in options.items():
            assert key in specs, f"/{name} has no option {key!r} (it has {sorted(specs)})"
            spec = specs[key]
            if key != focused:
                _check_option(name, spec, value)
            if spec["type"] == CHANNEL:
                resolved.setdefault("channels", {})[str(value)] = self.world.interaction_channel(value, user)
                value = str(value)
            entry = {"name": key, "type": spec["type"], "value": value}
            if key == focused:
                entry["focused"] = True
            built.append(entry)
        if focused is None:
            missing = [k for k, s in specs.items() if s.get("required") and k not in options]
            assert not missing, f"the client would not send /{name} without {missing}"
        for part in reversed(path):
            kind = SUBCOMMAND if part == path[-1] else GROUP
            built = [{"name": part, "type": kind, "options": built}]
        data: dict[str, Any] = {"id": command["id"], "name": top, "type": SLASH}
        if built:
            data["options"] = built
        if resolved:
            data["resolved"] = resolved
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        return data

    def where(self, user: Person, channel_id: int | None, context: int | None) -> int:
        """The channel a command is sent from: ``channel_id``, else the default of ``context``.

        Context 0 (or None): #papers; 1: the person's DM with the bot; 2: the group DM.
        """
        if channel_id is None:
            channel_id = {
                None: self.world.channel_id,
                GUILD: self.world.channel_id,
                BOT_DM: self.world.dm_channel_id(user),
                PRIVATE_CHANNEL: self.world.group_dm_id,
            }[context]
        if context is not None:
            actual = self.world.context_of(channel_id)
            assert actual == context, f"channel {channel_id} is context {actual}, not {context}"
        return channel_id

    async def slash(
        self,
        command: str,
        /,
        *,
        user: Person | None = None,
        channel_id: int | None = None,
        context: int | None = None,
        **options: Any,
    ) -> Reply:
        """Run ``/command option=value…`` (``"daily set"`` for a subcommand); the answer as seen.

        Sent from ``channel_id`` or the default channel of ``context`` (see ``where``); raises
        ``NotOffered`` where the client would not show the command (its ``contexts``,
        ``integration_types``, ``default_member_permissions`` for this person).
        """
        person = user or self.world.alice
        channel = self.where(person, channel_id, context)
        data = self._command_data(command, options, None, person)
        owners = contexts.placement(self.world, self.registered(data["name"]), channel, person)
        return await self._interact(2, data, command, person, channel, owners)

    async def autocomplete(
        self,
        command: str,
        option: str,
        current: str,
        /,
        *,
        user: Person | None = None,
        channel_id: int | None = None,
        context: int | None = None,
        **options: Any,
    ) -> list[dict[str, Any]]:
        """The choices offered while typing ``current`` into ``option`` of ``/command``."""
        person = user or self.world.alice
        channel = self.where(person, channel_id, context)
        data = self._command_data(command, {**options, option: current}, option, person)
        owners = contexts.placement(self.world, self.registered(data["name"]), channel, person)
        reply = await self._interact(4, data, f"{command} ({option} autocomplete)", person, channel, owners)
        assert reply.choices is not None
        return reply.choices

    async def message_command(
        self, name: str, target: Message, *, user: Person | None = None, context: int | None = None
    ) -> Reply:
        """Use the message context-menu command ``name`` on ``target``, where ``target`` is.

        The interaction carries the whole message in ``resolved.messages`` (content included:
        message commands need no intent). ``context`` only asserts where the target is.
        """
        person = user or self.world.alice
        current = self.messages.get(target.id)
        assert current is not None, f"message {target.id} is gone"
        if self.ephemeral(current):
            owner = current["interaction_metadata"]["user"]["id"]
            assert owner == str(person.id), f"{person.name} cannot see message {target.id}"
        channel = self.where(person, target.channel_id, context)
        command = self.registered(name, MESSAGE_COMMAND)
        owners = contexts.placement(self.world, command, channel, person)
        data: dict[str, Any] = {
            "id": command["id"],
            "name": name,
            "type": MESSAGE_COMMAND,
            "target_id": str(target.id),
            "resolved": {"messages": {str(target.id): copy.deepcopy(current)}},
        }
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        return await self._interact(2, data, name, person, channel, owners)

    async def click(self, message: Message, custom_id: str, *, user: Person | None = None) -> Reply:
        """Press a button of a message (as it is now, not as in the snapshot)."""
        return await self._component(message, custom_id, {"component_type": 2}, user)

    async def select(
        self, message: Message, custom_id: str, values: list[str], *, user: Person | None = None
    ) -> Reply:
        """Pick ``values`` in a string select menu of a message."""
        return await self._component(message, custom_id, {"component_type": 3, "values": values}, user)

    async def _component(
        self, message: Message, custom_id: str, extra: dict[str, Any], user: Person | None
    ) -> Reply:
        person = user or self.world.alice
        current = self.messages.get(message.id)
        assert current is not None, f"message {message.id} is gone"
        component = next((c for c in Message(current).components() if c.get("custom_id") == custom_id), None)
        assert component is not None, f"no component {custom_id!r} on message {message.id}"
        assert not component.get("disabled"), f"{custom_id!r} is disabled"
        if extra["component_type"] == 3:
            offered = {o["value"] for o in component["options"]}
            assert set(extra["values"]) <= offered, f"{extra['values']} not among {offered}"
        meta = current.get("interaction_metadata")
        origin = self.interactions.get(int(meta["id"])) if meta else None
        if self.ephemeral(current):
            assert origin is not None and origin.user == person, f"{person.name} cannot see this message"
        # a component keeps the installations that authorised the message it is on
        channel = message.channel_id
        owners = origin.owners if origin else contexts.owners(self.world, channel, person, [0, 1])
        data = {"custom_id": custom_id, **extra}
        return await self._interact(3, data, custom_id, person, channel, owners, current)

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any],
        name: str,
        user: Person,
        channel_id: int,
        owners: dict[str, str],
        message: dict[str, Any] | None = None,
        timeout: float = 10.0,
    ) -> Reply:
        await self.wait_connected()
        await self.settle()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)  # opaque, like Discord's
        payload = self.world.interaction(
            kind=kind,
            data=data,
            user=user,
            channel_id=channel_id,
            token=token,
            owners=owners,
            message=message,
        )
        record = Interaction(
            int(payload["id"]), token, kind, name, channel_id, user, message and int(message["id"]),
            owners=owners, context=payload["context"],
        )  # fmt: skip
        self.interactions[record.id] = record
        record.dispatched_at = asyncio.get_running_loop().time()
        record.issued_at = self.now()
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        await self.wait_for(
            lambda: record.answered_at, f"the bot to acknowledge {name!r} within 3 s", DEADLINE
        )
        assert record.answer_seconds is not None and record.answer_seconds <= DEADLINE
        if record.callback_type == 8:
            return Reply(record, 8, choices=record.choices)
        answer = await self.wait_for(lambda: self._answer(record), f"the answer to {name!r}", timeout)
        assert record.callback_type is not None
        return Reply(record, record.callback_type, Message.snapshot(self.messages[answer]))

    def _answer(self, record: Interaction) -> int | None:
        """The message a person sees as the answer, once there is one."""
        if record.callback_type == 5 and record.loading:
            return None  # still "thinking…"
        if record.callback_type == 6 and not record.edited:
            return None
        if record.original_id in self.messages:
            return record.original_id
        # the deferral was deleted: the answer is the next message (a follow-up of its own)
        return next((m for m in record.message_ids if m in self.messages), None)

    def advance(self, seconds: float) -> None:
        """Move the fake's clock on: interaction tokens expire 15 minutes after their interaction.

        Only the token lifetime reads this clock; the 3-second deadline stays on real time.
        """
        self.clock_offset += seconds

    async def settle(self) -> None:
        """A round trip through the bot's event loop (it answers a heartbeat request at once).

        Anything the server sent before (an HTTP answer whose view the bot is about to store)
        has then been read by the bot, so a click right after a reply cannot overtake it.
        """
        before = await self.gateway.request_heartbeat()
        live = self.gateway.live
        await self.wait_for(lambda: live is not None and live.heartbeats > before, "a heartbeat", 5.0)

    async def followups(self, reply: Reply, count: int, timeout: float = 10.0) -> list[Message]:
        """Wait until the interaction produced ``count`` messages; all of them, oldest first."""
        record = reply.interaction
        await self.wait_for(
            lambda: len(record.message_ids) >= count, f"{count} messages for {record.name!r}", timeout
        )
        return [Message.snapshot(self.messages[i]) for i in record.message_ids]

    async def posts_in(self, channel_id: int, count: int, timeout: float = 10.0) -> list[Message]:
        """Wait until the bot posted ``count`` messages in the channel (not as answers); all of them."""
        posted = self.posts.setdefault(channel_id, [])
        await self.wait_for(lambda: len(posted) >= count, f"{count} post(s) in channel {channel_id}", timeout)
        return [Message.snapshot(self.messages[i]) for i in posted]

    def message(self, message_id: int) -> Message:
        return Message.snapshot(self.messages[message_id])

    # --- faults --------------------------------------------------------------------------------

    def rate_limit_once(self, route: str, retry_after: float) -> None:
        """Answer the next request to ``route`` ("POST /interactions/…/callback") with a 429."""
        assert route in {f"{m} {p}" for m, p, _, _ in self.routes()}, f"unknown route {route!r}"
        self.rate_limits.setdefault(route, []).append(retry_after)

    def late_interactions(self) -> list[Interaction]:
        return [i for i in self.interactions.values() if i.late or i.answered_at is None]


def _check_option(name: str, spec: dict[str, Any], value: Any) -> None:
    """What the Discord client enforces before sending: types, lengths, ranges."""
    kind = spec["type"]
    expected = {3: str, 4: int, 5: bool, CHANNEL: int}.get(kind)
    assert expected is not None and type(value) is expected, (
        f"/{name} {spec['name']}: {value!r} for type {kind}"
    )
    if kind == 3:
        assert spec.get("min_length", 0) <= len(value) <= spec.get("max_length", 6000), (name, spec, value)
    if kind == 4:
        assert spec.get("min_value", value) <= value <= spec.get("max_value", value), (name, spec, value)
