"""Twilio Messaging webhook (SMS and WhatsApp via Twilio): the reply is TwiML.

Twilio signs the public URL it called plus the sorted form parameters; behind a
proxy set ``HEALTHBOT_TWILIO_PUBLIC_URL`` so the URL matches. Answers are plain
text with numbered links, split into ``<Message>`` elements of ≤ 1600 characters.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from bot.channels import render
from bot.channels.base import DAY, Channel, Inbound, Outcome, Turn, Unauthorized
from bot.channels.config import TwilioConfig
from bot.channels.signatures import twilio_ok
from bot.core.models import Reply

SIGNATURE_HEADER = "X-Twilio-Signature"
TWIML = "text/xml; charset=utf-8"
#: At most this many messages per answer: SMS is paid per segment.
MAX_MESSAGES = 3


def twiml(texts: list[str]) -> str:
    """A TwiML response with one ``<Message>`` per text, XML-escaped."""
    if not texts:
        return '<?xml version="1.0" encoding="UTF-8"?><Response/>'
    body = "".join(f"<Message>{escape(t)}</Message>" for t in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'


def texts(reply: Reply) -> list[str]:
    chunks = render.plain(reply, render.TWILIO_LIMIT)
    if len(chunks) > MAX_MESSAGES:
        chunks = chunks[: MAX_MESSAGES - 1] + [chunks[-1]]  # keep the sources, the last chunk
    return chunks


class TwilioChannel(Channel):
    name = "twilio"
    dedupe_ttl = 2 * DAY

    def __init__(self, config: TwilioConfig, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = config

    def url_for(self, request: Inbound) -> str:
        if not self.config.public_url:
            return request.url
        query = request.url.partition("?")[2]
        return self.config.public_url + (("&" if "?" in self.config.public_url else "?") + query if query else "")

    def handle(self, request: Inbound) -> Outcome:
        params = request.form if request.method == "POST" else []
        signature = request.headers.get(SIGNATURE_HEADER)
        if not twilio_ok(self.url_for(request), params, signature, self.config.auth_token, request.body):
            raise Unauthorized(403, "The X-Twilio-Signature is missing or invalid.")
        fields = dict(params) if params else dict(request.args)
        sid = fields.get("MessageSid") or fields.get("SmsMessageSid")
        sender = fields.get("From")
        payload = fields.get("ButtonPayload") or None
        text = fields.get("Body") or fields.get("ButtonText") or payload or ""
        if not sid or not sender:
            return Outcome(200, twiml([]), TWIML)
        reply = self.answer(Turn(self.name, sender, text, sid, payload=payload))
        return Outcome(200, twiml(texts(reply) if reply is not None else []), TWIML)
