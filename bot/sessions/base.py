"""The session-store contract shared by memory, SQLite and Redis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


_FIELDS = ("topic", "intent", "pending", "pending_intent", "turns", "offered", "shown", "asked", "compared")
_LIST_FIELDS = ("pending", "offered", "compared")


@dataclass(slots=True)
class SessionState:
    """What the bot remembers about one conversation."""

    topic: str | None = None  # topic id
    intent: str | None = None
    #: A pending clarification: the options offered, as payloads.
    pending: list[str] = field(default_factory=list)
    #: The original text's intent while we wait for the patient to pick a topic.
    pending_intent: str | None = None
    turns: int = 0
    #: The quick replies offered last turn, as payloads: a text-only patient answers "2".
    offered: list[str] = field(default_factory=list)
    #: Fingerprints (never the text) of the last answer shown and of the question that got it.
    shown: str | None = None
    asked: str | None = None
    #: The topics of the last side-by-side answer, the first being ``topic``: "which one is worse?" asks of both.
    compared: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        # Written out (not dataclasses.asdict): this runs on every turn.
        return {"topic": self.topic, "intent": self.intent, "pending": list(self.pending),
                "pending_intent": self.pending_intent, "turns": self.turns, "offered": list(self.offered),
                "shown": self.shown, "asked": self.asked, "compared": list(self.compared)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "SessionState":
        if not isinstance(data, dict):
            return cls()
        known = {k: data[k] for k in _FIELDS if k in data}
        for k in _LIST_FIELDS:  # a damaged or foreign record must not break a turn later
            if k in known and not isinstance(known[k], list):
                del known[k]
        try:
            return cls(**known)
        except TypeError:
            return cls()


class SessionStore(Protocol):
    """Conversation state plus two small shared primitives for channels and limits."""

    def load(self, session_id: str) -> SessionState | None:
        """The state of a conversation, or None when new or expired."""

    def save(self, session_id: str, state: SessionState, ttl: int) -> None:
        """Store the state; it expires ``ttl`` seconds after the last save."""

    def delete(self, session_id: str) -> None: ...

    def first_time(self, key: str, ttl: int) -> bool:
        """True once per key within ``ttl`` seconds: message dedupe across workers."""

    def hit(self, key: str, window: int) -> int:
        """Count one event under ``key`` in a fixed window of ``window`` seconds; return the count."""

    def ping(self) -> bool:
        """Whether the store is reachable (for readiness checks)."""
