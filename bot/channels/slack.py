"""Slack Events API: signed requests within five minutes, answers by chat.postMessage.

Slack wants a 2xx within 3 s and retries (immediately, +1 min, +5 min) otherwise,
so the event id is recorded, the reply queued, and the request acknowledged. The
bot's own posts and edits are ignored, or it would answer itself forever.
"""

from __future__ import annotations

import re
from typing import Any

from bot.channels import render
from bot.channels.base import DAY, Channel, Inbound, Outcome, Turn, Unauthorized
from bot.channels.config import SlackConfig
from bot.channels.sender import Outbound
from bot.channels.signatures import slack_ok

HANDLED = {"message", "app_mention"}


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
        if reply is not None and self.config.bot_token:
            thread = event.get("thread_ts") or (event.get("ts") if event.get("channel_type") != "im" else None)
            job = []
            for chunk in render.slack_mrkdwn(reply):
                body: dict[str, Any] = {"channel": event["channel"], "text": chunk, "mrkdwn": True,
                                        "unfurl_links": False, "unfurl_media": False}
                if thread:
                    body["thread_ts"] = thread
                job.append(Outbound("slack", f"{self.config.api_base.rstrip('/')}/chat.postMessage", body,
                                    {"Authorization": f"Bearer {self.config.bot_token}"},
                                    action="chat.postMessage", check=_slack_check))
            self.send(job)
        return Outcome(200, {})
