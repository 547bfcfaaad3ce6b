"""What the fake server remembers, and what the driver hands to the tests.

Tests read messages as Discord would show them (a ``Message`` is a snapshot of the message
object at the time of the answer, so a later edit cannot change what an assertion saw), and
find buttons by label the way a person would.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from tests.e2e.payloads import EPHEMERAL, LOADING, Person

DEADLINE = 3.0  # Discord drops an interaction not acknowledged within 3 seconds
TOKEN_LIFETIME = 15 * 60.0  # an interaction token then works for follow-ups and edits this long
USER_INSTALL_FOLLOWUPS = 5  # follow-ups allowed when only a user install authorised it


@dataclass
class RecordedRequest:
    method: str
    path: str  # below the API base, e.g. /interactions/123/tok/callback
    route: str  # the route template, e.g. POST /interactions/{interaction}/{token}/callback
    query: dict[str, str]
    body: Any
    status: int = 0


@dataclass(frozen=True)
class Message:
    """A snapshot of a message object (the JSON Discord returns and clients render)."""

    data: dict[str, Any]

    @classmethod
    def snapshot(cls, data: dict[str, Any]) -> Message:
        return cls(copy.deepcopy(data))

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def channel_id(self) -> int:
        return int(self.data["channel_id"])

    @property
    def content(self) -> str:
        return str(self.data["content"])

    @property
    def flags(self) -> int:
        return int(self.data["flags"])

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

    @property
    def author_id(self) -> int:
        return int(self.data["author"]["id"])

    @property
    def reference_id(self) -> int | None:
        """The id of the message this one replies to, if it is a reply."""
        reference = self.data.get("message_reference")
        return None if reference is None else int(reference["message_id"])

    def mention_ids(self) -> list[int]:
        """Who this message pings (Discord's ``mentions``, after ``allowed_mentions``)."""
        return [int(m["id"]) for m in self.data["mentions"]]

    def reactions(self) -> list[str]:
        """The emoji of the reactions on the message, in order."""
        return [r["emoji"]["name"] for r in self.data.get("reactions", [])]

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.data["embeds"])

    @property
    def embed(self) -> dict[str, Any]:
        """The one embed of a card (fails when there is not exactly one)."""
        (embed,) = self.embeds
        return embed

    def fields(self) -> dict[str, str]:
        return {f["name"]: f["value"] for f in self.embed.get("fields", [])}

    def components(self) -> list[dict[str, Any]]:
        """Buttons and menus, flattened out of their action rows."""
        return [item for row in self.data["components"] for item in row.get("components", [])]

    def labels(self) -> list[str]:
        return [c.get("label") or c.get("placeholder") or "" for c in self.components()]

    def component(self, label: str) -> dict[str, Any]:
        """The button with this label, or the menu with this placeholder."""
        found = [c for c in self.components() if label in (c.get("label"), c.get("placeholder"))]
        assert len(found) == 1, f"no single component {label!r} in {self.labels()}"
        return found[0]

    def custom_id(self, label: str) -> str:
        return str(self.component(label)["custom_id"])


@dataclass(eq=False)
class Interaction:
    """One INTERACTION_CREATE the driver sent, and everything the bot did with its token."""

    id: int
    token: str
    kind: int  # 2 command, 3 component, 4 autocomplete
    name: str  # the command or custom_id, for messages
    channel_id: int
    user: Person
    component_message_id: int | None = None
    owners: dict[str, str] = field(default_factory=dict)  # authorizing_integration_owners
    context: int = 0  # 0 guild, 1 the bot's DM, 2 a private channel
    dispatched_at: float = 0.0  # real time: the 3-second deadline
    issued_at: float = 0.0  # the fake's clock (``FakeDiscord.advance``): the token's 15 minutes
    followups: int = 0  # successful POSTs to the follow-up endpoint
    answered_at: float | None = None
    callback_type: int | None = None
    original_id: int | None = None
    loading: bool = False  # deferred with "thinking" and not filled in yet
    edited: bool = False  # the original was edited after the answer
    message_ids: list[int] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None
    late: bool = False

    @property
    def user_install_only(self) -> bool:
        """Authorised by a user install alone (the app is not installed where it was used)."""
        return set(self.owners) == {"1"}

    @property
    def answer_seconds(self) -> float | None:
        return None if self.answered_at is None else self.answered_at - self.dispatched_at


@dataclass(frozen=True)
class Reply:
    """The bot's answer to one interaction, once a person would see it."""

    interaction: Interaction
    callback_type: int
    message: Message | None = None
    choices: list[dict[str, Any]] | None = None

    @property
    def msg(self) -> Message:
        assert self.message is not None, f"callback type {self.callback_type} carries no message"
        return self.message

    @property
    def ephemeral(self) -> bool:
        return self.msg.ephemeral

    @property
    def content(self) -> str:
        return self.msg.content

    @property
    def embed(self) -> dict[str, Any]:
        return self.msg.embed
