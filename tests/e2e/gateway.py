"""The fake's gateway: the websocket side of Discord, as much as a sharded bot with one shard uses.

HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats and their ACKs, RESUME → RESUMED (or
INVALID_SESSION for a session it no longer knows), and dispatches from the test driver.
IDENTIFY's intents are kept with the session: asking for a privileged intent the app was not
granted in the Developer Portal (none is, unless ``privileged_allowed`` says so) closes the
connection with 4014 "Disallowed intent(s)", as Discord does, and events are only sent when
their intent was asked for (``wants``). It
speaks the transport compression the client asks for in the ``compress`` query parameter
(discord.py asks for ``zstd-stream`` when a zstd module is installed, else ``zlib-stream``),
because a fake that ignored it would only pass with one build of the library.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.e2e.world import World

HEARTBEAT_INTERVAL_MS = 41_250  # what Discord sends
# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents)
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
COMPRESSIONS = ("zlib-stream", "zstd-stream")


def _compressor(kind: str | None) -> Callable[[bytes], bytes] | None:
    """One streaming compressor per connection, flushed after every payload, as Discord does."""
    if kind == "zlib-stream":
        stream = zlib.compressobj()
        return lambda data: stream.compress(data) + stream.flush(zlib.Z_SYNC_FLUSH)
    if kind == "zstd-stream":
        try:
            import zstandard  # type: ignore[import-not-found]

            zstream = zstandard.ZstdCompressor().compressobj()
            return lambda data: zstream.compress(data) + zstream.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
        except ImportError:
            from compression import zstd  # type: ignore[import-not-found]  # Python 3.14+

            compressor = zstd.ZstdCompressor()
            return lambda data: compressor.compress(data, zstd.ZstdCompressor.FLUSH_BLOCK)
    return None


@dataclass
class Session:
    id: str
    intents: int = 0  # what IDENTIFY asked for; a RESUME keeps them
    seq: int = 0


@dataclass(eq=False)
class Connection:
    """One websocket; sends are serialised because the compression stream is shared state."""

    request: web.Request
    ws: web.WebSocketResponse
    compression: str | None
    session: Session | None = None
    heartbeats: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self._compress = _compressor(self.compression)

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload, separators=(",", ":"))
        async with self.lock:
            if self._compress is None:
                await self.ws.send_str(text)
            else:
                await self.ws.send_bytes(self._compress(text.encode()))


class Gateway:
    """Sessions, the live connection, and a log of every payload the bot sent."""

    def __init__(self, world: World, token: str, changed: Callable[[], None]) -> None:
        self.world = world
        self.token = token
        self.changed = changed  # wakes the driver's waiters
        self.url = ""  # set once the server listens
        self.sessions: dict[str, Session] = {}
        self.live: Connection | None = None
        self.received: list[dict[str, Any]] = []  # every payload from the bot (tokens masked)
        self.invalidate_next_resume = False
        self.privileged_allowed = 0  # privileged intents switched on in the Developer Portal

    @property
    def intents(self) -> int | None:
        """The intents of the live session (None while there is none)."""
        live = self.live
        return None if live is None or live.session is None else live.session.intents

    def wants(self, intent: int) -> bool:
        """Whether the live session identified with ``intent`` (so Discord would send its events)."""
        return bool((self.intents or 0) & intent)

    def ops(self, op: int) -> list[dict[str, Any]]:
        return [p for p in self.received if p.get("op") == op]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        compression = query.get("compress")
        if (
            query.get("v") != "10"
            or query.get("encoding") != "json"
            or compression not in (None, *COMPRESSIONS)
        ):
            return web.Response(status=400, text=f"unsupported gateway query {dict(query)}")
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        connection = Connection(request, ws, compression)
        await connection.send(
            {"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}, "s": None, "t": None}
        )
        try:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._received(connection, json.loads(message.data))
        finally:
            if ws.close_code in (1000, 1001) and connection.session is not None:
                self.sessions.pop(connection.session.id, None)  # a clean close ends the session
            if self.live is connection:
                self.live = None
            self.changed()
        return ws

    async def _received(self, connection: Connection, payload: dict[str, Any]) -> None:
        data = payload.get("d")
        if isinstance(data, dict) and "token" in data:
            self.received.append(
                {**payload, "d": {**data, "token": "<masked>"}, "token_ok": data["token"] == self.token}
            )
        else:
            self.received.append(payload)
        op = payload.get("op")
        if op == 1:
            connection.heartbeats += 1
            await connection.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(connection, data)
        elif op == 6:
            await self._resume(connection, data)
        self.changed()

    async def _identify(self, connection: Connection, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard = data.get("shard", [0, 1])
        if not isinstance(data.get("intents"), int) or shard != [0, 1]:
            await connection.ws.close(
                code=4013 if "intents" not in data else 4010, message=b"Invalid identify."
            )
            return
        intents = data["intents"]
        if intents & PRIVILEGED & ~self.privileged_allowed:
            await connection.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        session = Session(secrets.token_hex(16), intents)
        self.sessions[session.id] = session
        connection.session = session
        await self._dispatch(connection, "READY", self.world.ready(session.id, self.url))
        await self._dispatch(connection, "GUILD_CREATE", self.world.guild_create())
        self.live = connection

    async def _resume(self, connection: Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or data.get("token") != self.token or self.invalidate_next_resume:
            self.invalidate_next_resume = False
            if session is not None:
                del self.sessions[session.id]
            await connection.send({"op": 9, "d": False, "s": None, "t": None})  # not resumable
            return
        connection.session = session
        await self._dispatch(connection, "RESUMED", {})
        self.live = connection

    async def _dispatch(self, connection: Connection, event: str, data: dict[str, Any]) -> None:
        assert connection.session is not None
        connection.session.seq += 1
        await connection.send({"op": 0, "t": event, "s": connection.session.seq, "d": data})

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event on the live connection (the caller waits for one first)."""
        if self.live is None:
            raise RuntimeError("no live gateway connection")
        await self._dispatch(self.live, event, data)

    async def request_heartbeat(self) -> int:
        """Ask the bot for a heartbeat (op 1); returns the count to wait past for its answer."""
        if self.live is None:
            raise RuntimeError("no live gateway connection")
        before = self.live.heartbeats
        await self.live.send({"op": 1, "d": None, "s": None, "t": None})
        return before

    def drop(self) -> None:
        """Cut the live connection without a close frame, as a network failure would."""
        if self.live is None:
            raise RuntimeError("no live gateway connection")
        transport = self.live.request.transport
        assert transport is not None
        transport.abort()
        self.live = None
        self.changed()
