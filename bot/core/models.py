"""The value objects that cross the engine's boundary.

Channels build a :class:`Message` from a platform payload and render the
:class:`Reply` the engine returns; nothing else flows between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Reply kinds, so a channel can style an emergency differently from an answer.
KINDS = (
    "answer",  # a topic's reviewed answer, with citations
    "emergency",  # safety reply: call the emergency number now
    "advice",  # personal medical advice requested: see a clinician
    "clarify",  # two close candidates: which one did you mean?
    "missing",  # topic known, but it has no answer for this intent
    "abstain",  # topic not covered by the content
    "fallback",  # not understood
    "smalltalk",  # greeting, thanks, goodbye, help
)


@dataclass(frozen=True, slots=True)
class Message:
    """One incoming patient message, platform-neutral."""

    session_id: str
    text: str
    channel: str = "web"
    #: A quick-reply payload the patient tapped, when the platform reports one.
    payload: str | None = None
    #: The platform's message id, used by channels for dedupe; the engine ignores it.
    message_id: str | None = None
    locale: str | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    n: int
    title: str
    publisher: str
    url: str


@dataclass(frozen=True, slots=True)
class QuickReply:
    title: str
    payload: str


@dataclass(frozen=True, slots=True)
class TextPart:
    """One chat bubble. ``role`` lets channels style a notice or an emergency."""

    text: str
    role: str = "answer"  # answer | notice | emergency | meta


@dataclass(slots=True)
class Reply:
    """What the bot says back, before any channel renders it."""

    kind: str
    messages: list[TextPart]
    intent: str | None = None
    topic: str | None = None  # the topic's title
    topic_id: str | None = None
    confidence: float = 0.0
    citations: list[Citation] = field(default_factory=list)
    quick_replies: list[QuickReply] = field(default_factory=list)
    reviewed: str | None = None  # ISO date of the topic's last review
    #: Scores behind the decision, for eval and the unanswered report (never shown).
    debug: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """All bubbles joined, for plain-text channels and tests."""
        return "\n\n".join(part.text for part in self.messages)

    def to_dict(self, *, debug: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "messages": [{"text": p.text, "role": p.role} for p in self.messages],
            "citations": [{"n": c.n, "title": c.title, "publisher": c.publisher, "url": c.url} for c in self.citations],
            "quick_replies": [{"title": q.title, "payload": q.payload} for q in self.quick_replies],
            "intent": self.intent,
            "topic": self.topic,
            "topic_id": self.topic_id,
            "confidence": round(self.confidence, 3),
            "reviewed": self.reviewed,
        }
        if debug:
            data["debug"] = self.debug
        return data
