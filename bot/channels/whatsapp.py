"""WhatsApp Cloud API webhook: Meta handshake and signature, replies via the Graph API.

Every entry and change of a batch is read; status events (sent, delivered, read)
are acknowledged and ignored. Up to three follow-ups become reply buttons.
"""

from __future__ import annotations

from typing import Any, Iterator

from bot.channels import meta, render
from bot.channels.base import DAY, Inbound, Outcome, Turn
from bot.channels.sender import Outbound
from bot.core.models import Reply

MAX_BUTTONS = 3


def incoming(payload: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(phone_number_id, sender wa_id, message) for each user message in a notification."""
    if not isinstance(payload, dict):
        return
    for entry in payload.get("entry") or []:
        for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            phone_id = str((value.get("metadata") or {}).get("phone_number_id") or "")
            for message in value.get("messages") or []:
                if isinstance(message, dict) and message.get("from") and message.get("id"):
                    yield phone_id, str(message["from"]), message


def read_message(message: dict[str, Any]) -> tuple[str, str | None] | None:
    """(text, payload) of a text message or a tapped button; None for media and others."""
    kind = message.get("type")
    if kind == "text":
        body = (message.get("text") or {}).get("body")
        return (body, None) if isinstance(body, str) else None
    if kind == "interactive":
        inter = message.get("interactive") or {}
        picked = inter.get("button_reply") or inter.get("list_reply") or {}
        if isinstance(picked.get("id"), str):
            return str(picked.get("title") or picked["id"]), picked["id"]
    if kind == "button":
        button = message.get("button") or {}
        if isinstance(button.get("payload"), str):
            return str(button.get("text") or button["payload"]), button["payload"]
    return None


def bodies(to: str, reply: Reply, *, reply_to: str | None = None) -> list[dict[str, Any]]:
    """Graph API message bodies: text chunks, then reply buttons when there are 1-3 follow-ups."""
    buttons = reply.quick_replies if 0 < len(reply.quick_replies) <= MAX_BUTTONS else []
    chunks = render.whatsapp_text(reply, render.WHATSAPP_LIMIT, suggestions=not buttons)
    out: list[dict[str, Any]] = []
    for text in chunks:
        out.append({"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
                    "type": "text", "text": {"body": text, "preview_url": False}})
    if reply_to and out:
        out[0]["context"] = {"message_id": reply_to}
    if buttons:
        titles: list[str] = []
        for q in buttons:
            title = render.button_title(q.title)
            while title in titles:  # titles must be unique
                title = render.button_title(title[:-2] + str(len(titles)))
            titles.append(title)
        prompt = f"More about {reply.topic}:" if reply.topic else "You can also ask:"
        out.append({
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "interactive",
            "interactive": {"type": "button", "body": {"text": prompt[: render.WHATSAPP_INTERACTIVE_BODY]},
                            "action": {"buttons": [{"type": "reply", "reply": {"id": q.payload[:256], "title": t}}
                                                   for q, t in zip(buttons, titles)]}},
        })
    return out


class WhatsAppChannel(meta.MetaChannel):
    name = "whatsapp"
    dedupe_ttl = 7 * DAY  # Meta retries for up to 7 days

    def handle_events(self, request: Inbound) -> Outcome:
        payload = request.json()
        for phone_id, user, message in incoming(payload):
            read = read_message(message)
            if read is None:
                continue
            text, data = read
            reply = self.answer(Turn(self.name, user, text, str(message["id"]), payload=data))
            if reply is not None:
                self.send(self._outbound(phone_id, user, reply, str(message["id"])))
        return Outcome(200, {"status": "ok"})

    def _outbound(self, phone_id: str, user: str, reply: Reply, message_id: str) -> list[Outbound]:
        if not self.config.access_token or not phone_id:
            return []
        url = f"{self.config.api_base.rstrip('/')}/{self.config.graph_version}/{phone_id}/messages"
        headers = {"Authorization": f"Bearer {self.config.access_token}"}
        return [Outbound("whatsapp", url, body, headers, action="messages", check=meta.graph_check)
                for body in bodies(user, reply, reply_to=message_id)]
