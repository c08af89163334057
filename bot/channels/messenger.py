"""Facebook Messenger webhook: Meta handshake and signature, replies via the Send API.

Echoes of the Page's own messages, deliveries and reads are acknowledged and
ignored. Follow-ups become quick replies on the last message.
"""

from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import quote

from bot.channels import meta, render
from bot.channels.base import DAY, Inbound, Outcome, Turn
from bot.channels.sender import Outbound
from bot.core.models import Reply

MAX_QUICK_REPLIES = 13


def events(payload: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(payload, dict) or payload.get("object") != "page":
        return
    for entry in payload.get("entry") or []:
        for event in (entry.get("messaging") or []) if isinstance(entry, dict) else []:
            if isinstance(event, dict):
                yield event


def read_event(event: dict[str, Any]) -> tuple[str, str, str, str | None] | None:
    """(psid, mid, text, payload) of a user message or postback; None for everything else."""
    psid = (event.get("sender") or {}).get("id")
    message, postback = event.get("message"), event.get("postback")
    if not psid:
        return None
    if isinstance(message, dict) and not message.get("is_echo") and message.get("mid"):
        payload = (message.get("quick_reply") or {}).get("payload")
        text = message.get("text")
        if isinstance(text, str) or isinstance(payload, str):
            return str(psid), str(message["mid"]), text or "", payload if isinstance(payload, str) else None
    if isinstance(postback, dict) and isinstance(postback.get("payload"), str):
        mid = postback.get("mid") or f"postback:{psid}:{event.get('timestamp')}"
        return str(psid), str(mid), str(postback.get("title") or postback["payload"]), postback["payload"]
    return None


def bodies(psid: str, reply: Reply) -> list[dict[str, Any]]:
    """Send API bodies: one per chunk (≤ 2000 chars), quick replies on the last."""
    chunks = render.whatsapp_text(reply, render.MESSENGER_LIMIT)
    out = [{"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"text": text}} for text in chunks]
    if out and reply.quick_replies:
        out[-1]["message"]["quick_replies"] = [
            {"content_type": "text", "title": render.button_title(q.title), "payload": q.payload[:1000]}
            for q in reply.quick_replies[:MAX_QUICK_REPLIES]
        ]
    return out


class MessengerChannel(meta.MetaChannel):
    name = "messenger"
    dedupe_ttl = 7 * DAY

    def handle_events(self, request: Inbound) -> Outcome:
        for event in events(request.json()):
            read = read_event(event)
            if read is None:
                continue
            psid, mid, text, data = read
            reply = self.answer(Turn(self.name, psid, text, mid, payload=data))
            if reply is not None and self.config.access_token:
                url = (f"{self.config.api_base.rstrip('/')}/{self.config.graph_version}/me/messages"
                       f"?access_token={quote(self.config.access_token, safe='')}")
                self.send([Outbound("messenger", url, body, action="send_api", check=meta.graph_check)
                           for body in bodies(psid, reply)])
        return Outcome(200, {"status": "ok"})
