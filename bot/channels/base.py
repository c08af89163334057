"""What every adapter shares: the HTTP exchange without a framework, and one turn.

``Inbound`` is the request as received (raw bytes first, so signatures are over
what the platform sent); ``Outcome`` is what to answer. A turn is dedupe, then
the engine: the platform's message id is recorded *before* answering, so a retry
that arrives while the first delivery is still running is already a duplicate.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from bot.channels.sender import Outbound, Sender
from bot.core.models import Message, Reply, TextPart

log = logging.getLogger("healthbot.channels")

DAY = 24 * 3600
#: Said once per minute to a conversation over its message limit; later messages that minute get nothing.
SLOW_DOWN = "You are sending messages faster than I can answer. Please wait a minute, then ask again."


class Headers:
    """Case-insensitive header lookup over any mapping or list of pairs."""

    def __init__(self, items: Mapping[str, str] | list[tuple[str, str]] | None = None) -> None:
        pairs = items.items() if isinstance(items, Mapping) else (items or [])
        self._data = {k.lower(): v for k, v in pairs}

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._data.get(name.lower(), default)


@dataclass
class Inbound:
    method: str
    url: str
    body: bytes = b""
    headers: Headers = field(default_factory=Headers)
    #: Query-string parameters (first value of each).
    args: Mapping[str, str] = field(default_factory=dict)
    #: Form fields as received, repeats kept, for Twilio's signature.
    form: list[tuple[str, str]] = field(default_factory=list)

    def json(self) -> Any:
        """Decode the body; raises :class:`BadRequest` with a clear message."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise BadRequest("invalid_json", "The body is not valid JSON.") from None


@dataclass
class Outcome:
    status: int = 200
    body: str | bytes | dict | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class BadRequest(Exception):
    """The platform sent something we cannot read (after a valid signature): 400."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class Unauthorized(Exception):
    """Missing or wrong signature/secret: refuse before reading the body."""

    def __init__(self, status: int = 401, message: str = "The request signature is missing or invalid.") -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Turn:
    """One platform message for the engine."""

    platform: str
    user: str  # the platform's user/chat id, the conversation key
    text: str
    message_id: str  # the platform's id for dedupe; empty when it sends none
    payload: str | None = None


class Channel:
    """Base adapter: dedupe against the session store, then ask the engine."""

    name = "channel"
    #: How long a message id is remembered: the platform's redelivery horizon.
    dedupe_ttl = 7 * DAY
    max_text = 1000

    def __init__(self, engine: Any, store: Any, sender: Sender, *, max_text_chars: int = 1000,
                 clock: Callable[[], float] | None = None,
                 limiter: Callable[[str], int | None] | None = None) -> None:
        self.engine = engine
        self.store = store
        self.sender = sender
        self.max_text = max_text_chars
        self.clock = clock
        #: Counts one message for a conversation key; returns seconds to wait when over the limit.
        self.limiter = limiter

    def first_time(self, key: str) -> bool:
        """True the first time a platform id is seen; a store outage fails open (answer)."""
        try:
            return bool(self.store.first_time(f"dedupe:{self.name}:{key}", self.dedupe_ttl))
        except Exception:
            log.warning("dedupe unavailable for %s; answering without it", self.name)
            return True

    def answer(self, turn: Turn) -> Reply | None:
        """The engine's reply, or None for a duplicate or an empty message."""
        text = (turn.text or "").strip()[: self.max_text]
        if not text and not turn.payload:
            return None
        if turn.message_id and not self.first_time(turn.message_id):
            log.info("%s duplicate message %s ignored", self.name, turn.message_id)
            return None
        key = f"{self.name}:{turn.user}"
        wait = self.limiter(key) if self.limiter else None
        if wait is not None:
            # Acknowledged, not refused: a platform would redeliver an error, adding to the flood.
            log.info("%s message %s over the per-user limit", self.name, turn.message_id)
            if self.first_time(f"slow-down:{turn.user}:{int(time.time() // 60)}"):
                return Reply("limited", [TextPart(SLOW_DOWN, "meta")])
            return None
        message = Message(
            session_id=f"{self.name}:{turn.user}", text=text or (turn.payload or ""), channel=self.name,
            payload=turn.payload, message_id=turn.message_id,
        )
        reply = self.engine.handle(message)
        log.info("%s message %s answered: kind=%s intent=%s topic=%s", self.name, turn.message_id,
                 reply.kind, reply.intent, reply.topic_id)
        return reply

    def send(self, job: list[Outbound]) -> None:
        if job and not self.sender.submit(job):
            log.error("%s reply not queued (queue full)", self.name)

    def handle(self, request: Inbound) -> Outcome:  # pragma: no cover - overridden
        raise NotImplementedError
