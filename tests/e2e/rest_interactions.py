"""Interaction routes: the callback, follow-ups, and edits/deletes through the interaction token.

As on Discord: a callback after 3 seconds (real time) is "Unknown interaction" (10062), a
second one "already acknowledged" (40060). The token then works for 15 minutes on the fake's
clock (``FakeDiscord.advance``); after that every webhook route answers 401 "Invalid Webhook
Token" (50027). Where only a user install authorised the interaction, the sixth follow-up is
refused (400, 40094). A deferred "thinking" response is a loading message that the first
follow-up fills in, keeping the deferral's ephemerality, as in the real client.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.e2e import limits
from tests.e2e.payloads import EPHEMERAL, LOADING
from tests.e2e.records import DEADLINE, TOKEN_LIFETIME, USER_INSTALL_FOLLOWUPS, Interaction
from tests.e2e.rest_base import RECORD, UNKNOWN_MESSAGE, ApiError, RestState, check, json_response


class InteractionRoutes(RestState):
    async def callback(self, request: web.Request) -> web.Response:
        now = self.now() - self.clock_offset  # real time: the deadline is not moved by ``advance``
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
            check(limits.choice_problems(data.get("choices", [])))
            record.choices = data.get("choices", [])
        elif kind == 4:
            check(limits.message_problems(data, creating=True))
            record.original_id = self.new_message(
                record.channel_id, data, data.get("flags", 0) & EPHEMERAL, record
            )
        elif kind == 5:
            flags = LOADING | (data.get("flags", 0) & EPHEMERAL)
            record.original_id = self.new_message(record.channel_id, {}, flags, record)
            record.loading = True
        else:  # 6 and 7 act on the message the component is on
            assert record.component_message_id is not None
            record.original_id = record.component_message_id
            if kind == 7:
                check(limits.message_problems(data, creating=False))
                self.edit(record.component_message_id, data)
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
            interaction["response_message_ephemeral"] = self.ephemeral(original)
            resource["message"] = original
        return {"interaction": interaction, "resource": resource}

    def _by_token(self, request: web.Request) -> Interaction:
        token = request.match_info["token"]
        found = [i for i in self.interactions.values() if i.token == token]
        if int(request.match_info["app"]) != self.world.application_id or not found:
            raise ApiError(404, 10015, "Unknown Webhook")
        record = found[0]
        if record.callback_type is None:
            raise ApiError(404, 10015, "Unknown Webhook")  # no follow-up before the answer
        if self.now() - record.issued_at > TOKEN_LIFETIME:
            raise ApiError(401, 50027, "Invalid Webhook Token")
        return record

    async def followup(self, request: web.Request) -> web.Response:
        record = self._by_token(request)
        body = request[RECORD].body
        check(limits.message_problems(body, creating=True))
        if record.user_install_only and record.followups >= USER_INSTALL_FOLLOWUPS:
            raise ApiError(400, 40094, "This interaction has hit the maximum number of follow up messages")
        record.followups += 1
        if record.loading and record.original_id is not None:  # the first follow-up fills the deferral
            data = self.edit(record.original_id, body)
            record.loading = False
        else:
            data = self.messages[
                self.new_message(record.channel_id, body, body.get("flags", 0) & EPHEMERAL, record)
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
            raise ApiError(*UNKNOWN_MESSAGE)
        if request.method == "DELETE":
            del self.messages[message_id]
            if message_id == record.original_id:
                record.loading = False  # deleting a deferral stops the "thinking"; follow-ups are new
            return web.Response(status=204)
        if request.method == "PATCH":
            body = request[RECORD].body
            check(limits.message_problems(body, creating=False))
            self.edit(message_id, body)
            if message_id == record.original_id:
                record.loading, record.edited = False, True
        return json_response(self.messages[message_id])
