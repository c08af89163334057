"""Replies sent by platform APIs survive a 429 and a 500, and a permanent 400 is given up and logged."""

from __future__ import annotations

import json
import logging

import pytest

from bot.channels.config import ChannelSettings, MetaConfig, SlackConfig, TelegramConfig
from bot.channels.signatures import meta_signature, slack_signature
from tests.channels.conftest import WHAT_IS
from tests.channels.test_meta import fb_text, wa_body
from tests.channels.test_signatures import META_SECRET, SLACK_SECRET
from tests.channels.test_slack import NOW, event
from tests.channels.test_telegram import SECRET, update


def send_what_is(platform: str, client) -> None:
    if platform == "telegram":
        client.post("/webhooks/telegram", data=json.dumps(update(1, "what is angioplasty?")),
                    content_type="application/json", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    elif platform in ("whatsapp", "messenger"):
        raw = wa_body("what is angioplasty?", "wamid.R") if platform == "whatsapp" else fb_text("what is angioplasty?", "mid.R")
        client.post(f"/webhooks/{platform}", data=raw, content_type="application/json",
                    headers={"X-Hub-Signature-256": meta_signature(raw, META_SECRET)})
    else:
        raw = event("what is angioplasty?", "EvR")
        client.post("/webhooks/slack", data=raw, content_type="application/json",
                    headers={"X-Slack-Request-Timestamp": str(NOW), "X-Slack-Signature": slack_signature(raw, str(NOW), SLACK_SECRET)})


def settings_for(platform: str, base: str) -> ChannelSettings:
    return {
        "telegram": ChannelSettings(telegram=TelegramConfig(SECRET, "1:tok", base)),
        "whatsapp": ChannelSettings(whatsapp=MetaConfig(META_SECRET, "v", "tok", base)),
        "messenger": ChannelSettings(messenger=MetaConfig(META_SECRET, "v", "tok", base)),
        "slack": ChannelSettings(slack=SlackConfig(SLACK_SECRET, "xoxb", base), clock=lambda: NOW),
    }[platform]


def answer_text(call) -> str:
    body = call.body
    return json.dumps(body)


PLATFORMS = ["telegram", "whatsapp", "messenger", "slack"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_429_and_500_are_retried(make_app, api, platform):
    api.script = [(429, {"Retry-After": "2"}, {"ok": False}), (500, {}, {"ok": False})]
    h = make_app(settings_for(platform, api.url))
    send_what_is(platform, h.client)
    h.flush()
    first = [c for c in api.calls if WHAT_IS[:40] in answer_text(c)]
    assert len(first) == 3  # the same request: 429, 500, then delivered
    assert h.slept[0] == 2.0 and len(h.slept) == 2
    assert h.sender.stats.failed == 0 and h.sender.stats.sent >= 1


@pytest.mark.parametrize("platform", PLATFORMS)
def test_permanent_400_is_given_up_and_logged(make_app, api, platform, caplog):
    api.script = [(400, {}, {"ok": False, "error": {"message": "bad", "code": 100}})]
    h = make_app(settings_for(platform, api.url))
    with caplog.at_level(logging.ERROR, logger="healthbot.channels.sender"):
        send_what_is(platform, h.client)
        h.flush()
    assert len(api.calls) == 1 and h.slept == []
    assert h.sender.stats.failed == 1
    assert f"outbound {platform}" in caplog.text and "status=400" in caplog.text
    assert "angioplasty" not in caplog.text.lower()  # no patient or answer text in logs
