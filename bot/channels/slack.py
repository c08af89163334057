"""Slack Events API: signed requests within five minutes, answers by chat.postMessage.

Slack wants a 2xx within 3 s and retries (immediately, +1 min, +5 min) otherwise,
so the event id is recorded, the reply queued, and the request acknowledged. The
bot's own posts and edits are ignored, or it would answer itself forever.

Follow-up questions are Block Kit buttons. A click comes back as a signed form
post with a ``block_actions`` payload, to the same URL when the app's
Interactivity Request URL points here; it is answered like a typed question.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.channels import render
from bot.channels.base import DAY, BadRequest, Channel, Inbound, Outcome, Turn, Unauthorized
from bot.channels.config import SlackConfig
from bot.channels.sender import Outbound, named_check
from bot.channels.signatures import slack_ok
from bot.core.models import Reply

HANDLED = {"message", "app_mention"}
#: Slack's limits: a section holds 3,000 characters, a button's text 75, an actions block 25 elements.
SECTION_LIMIT = 3000
BUTTON_TEXT_LIMIT = 75
MAX_BUTTONS = 5


@named_check
def _slack_check(data: object) -> str | None:
    if isinstance(data, dict) and data.get("ok") is not True:
        return str(data.get("error") or "not_ok")
    return None


def strip_mention(text: str) -> str:
    """``<@U123> what is a stent`` -> ``what is a stent``."""
    return re.sub(r"<@[A-Z0-9]+(?:\|[^>]*)?>", " ", text).strip()


class SlackChannel(Channel):
    name = "slack"
    dedupe_ttl = DAY  # the last retry comes about 6 minutes after the first delivery

    def __init__(self, config: SlackConfig, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = config

    def handle(self, request: Inbound) -> Outcome:
        now = self.clock() if self.clock else None
        if not slack_ok(request.body, request.headers.get("X-Slack-Request-Timestamp"),
                        request.headers.get("X-Slack-Signature"), self.config.signing_secret, now=now):
            raise Unauthorized(401, "The Slack signature is missing, invalid or too old.")
        interaction = dict(request.form).get("payload")
        if interaction is not None:
            return self.handle_interaction(interaction)
        data = request.json()
        if not isinstance(data, dict):
            return Outcome(200, {})
        if data.get("type") == "url_verification":
            return Outcome(200, str(data.get("challenge", "")), "text/plain; charset=utf-8")
        event = data.get("event")
        if data.get("type") != "event_callback" or not isinstance(event, dict) or not data.get("event_id"):
            return Outcome(200, {})
        bot_users = {a.get("user_id") for a in data.get("authorizations") or []
                     if isinstance(a, dict) and a.get("is_bot")}
        if (event.get("type") not in HANDLED or event.get("bot_id") or event.get("subtype")
                or not event.get("user") or event.get("user") in bot_users or not event.get("channel")):
            return Outcome(200, {})
        text = event.get("text")
        if not isinstance(text, str):
            return Outcome(200, {})
        user = f"{data.get('team_id') or event.get('team') or '-'}:{event['user']}"
        reply = self.answer(Turn(self.name, user, strip_mention(text), str(data["event_id"])))
        if reply is not None:
            thread = event.get("thread_ts") or (event.get("ts") if event.get("channel_type") != "im" else None)
            self.post(reply, event["channel"], thread)
        return Outcome(200, {})

    def handle_interaction(self, raw: str) -> Outcome:
        """A button click (``block_actions``): the button's value is the follow-up's payload."""
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise BadRequest("invalid_json", "The interaction payload is not valid JSON.") from None
        if not isinstance(data, dict) or data.get("type") != "block_actions":
            return Outcome(200, {})
        actions = data.get("actions") if isinstance(data.get("actions"), list) else []
        action = actions[0] if actions and isinstance(actions[0], dict) else {}
        user, channel = data.get("user") or {}, data.get("channel") or {}
        container = data.get("container") or {}
        label = action.get("text")
        value, title = action.get("value"), label.get("text") if isinstance(label, dict) else None
        if not (isinstance(value, str) and value and isinstance(user, dict) and user.get("id")
                and isinstance(channel, dict) and channel.get("id") and isinstance(container, dict)):
            return Outcome(200, {})
        team = (data.get("team") or {}).get("id") if isinstance(data.get("team"), dict) else None
        click = f"{container.get('message_ts', '')}:{action.get('action_ts', '')}:{action.get('action_id', '')}"
        who = f"{team or user.get('team_id') or '-'}:{user['id']}"
        reply = self.answer(Turn(self.name, who, title if isinstance(title, str) else "", click, payload=value))
        thread = container.get("thread_ts")
        if reply is not None:
            self.post(reply, str(channel["id"]), thread if isinstance(thread, str) else None)
        return Outcome(200, {})

    def post(self, reply: Reply, channel: str, thread: str | None) -> None:
        """Queue the reply: mrkdwn chunks, the follow-ups as buttons under the last one."""
        if not self.config.bot_token:
            return
        buttons = _buttons(reply)
        chunks = render.slack_mrkdwn(reply, suggestions=not buttons)
        job = []
        for i, chunk in enumerate(chunks):
            body: dict[str, Any] = {"channel": channel, "text": chunk, "mrkdwn": True,
                                    "unfurl_links": False, "unfurl_media": False}
            if buttons and i == len(chunks) - 1:
                section = chunk if len(chunk) <= SECTION_LIMIT else "You can also ask:"
                body["blocks"] = [{"type": "section", "text": {"type": "mrkdwn", "text": section}},
                                  {"type": "actions", "elements": buttons}]
                if len(chunk) > SECTION_LIMIT:  # keep the long text as its own message
                    job.append(self._call({**body, "blocks": None}, thread))
                    body["text"] = section
            job.append(self._call(body, thread))
        self.send(job)

    def _call(self, body: dict[str, Any], thread: str | None) -> Outbound:
        body = {k: v for k, v in body.items() if v is not None}
        if thread:
            body["thread_ts"] = thread
        return Outbound("slack", f"{self.config.api_base.rstrip('/')}/chat.postMessage", body,
                        {"Authorization": f"Bearer {self.config.bot_token}"},
                        action="chat.postMessage", check=_slack_check)


def _buttons(reply: Reply) -> list[dict[str, Any]]:
    return [{"type": "button", "action_id": f"follow-up-{i}", "value": q.payload[:2000],
             "text": {"type": "plain_text", "text": q.title[:BUTTON_TEXT_LIMIT], "emoji": False}}
            for i, q in enumerate(reply.quick_replies[:MAX_BUTTONS])]
