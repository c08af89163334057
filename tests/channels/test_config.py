"""Channels are enabled by their secrets; disabled ones answer 404."""

from __future__ import annotations

from bot.channels.config import ChannelSettings


def test_env_enables_only_configured_channels():
    env = {
        "HEALTHBOT_TELEGRAM_SECRET_TOKEN": "s", "HEALTHBOT_TELEGRAM_BOT_TOKEN": "t",
        "HEALTHBOT_WHATSAPP_APP_SECRET": "a", "HEALTHBOT_WHATSAPP_VERIFY_TOKEN": "v",
        "HEALTHBOT_WHATSAPP_ACCESS_TOKEN": "x", "HEALTHBOT_WHATSAPP_API_BASE": "http://127.0.0.1:1",
        "HEALTHBOT_SLACK_BOT_TOKEN": "only-a-bot-token",  # no signing secret: stays off
    }
    settings = ChannelSettings.from_env(env)
    assert settings.enabled() == ["telegram", "whatsapp"]
    assert settings.telegram.bot_token == "t"
    assert settings.whatsapp.api_base == "http://127.0.0.1:1" and settings.whatsapp.access_token == "x"
    assert ChannelSettings.from_env({}).enabled() == []
    df = ChannelSettings.from_env({"HEALTHBOT_DIALOGFLOW_HEADER": "X-Key: abc"}).dialogflow
    assert df is not None and df.header_pair == ("X-Key", "abc")


def test_disabled_channels_answer_404(make_app):
    h = make_app(ChannelSettings())
    for path in ("telegram", "whatsapp", "messenger", "twilio", "slack", "dialogflow", "dialogflow-cx", "nope"):
        res = h.client.post(f"/webhooks/{path}", data=b"{}", content_type="application/json")
        assert res.status_code == 404 and res.get_json()["error"]["code"] == "not_found"
