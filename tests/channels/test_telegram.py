"""Telegram: secret-token header, HTML answers with links, inline keyboard, callbacks."""

from __future__ import annotations

import json

import pytest

from bot.channels.config import ChannelSettings, TelegramConfig
from bot.channels.telegram import messages, webhook_reply
from bot.core.models import Reply, TextPart
from tests.channels.conftest import HOW_DONE, WHAT_IS
from tests.channels.test_render import TelegramHtmlChecker

SECRET = "abc_DEF-123"
TOKEN = "123456:TEST-token"


def update(update_id: int, text: str, chat: int = 42, **extra) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1700000000, "text": text,
        "from": {"id": chat, "is_bot": False, "first_name": "Ana"},
        "chat": {"id": chat, "type": "private"}, **extra}}


def post(client, body, secret=SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post("/webhooks/telegram", data=json.dumps(body), headers=headers, content_type="application/json")


@pytest.fixture
def inline(make_app):
    return make_app(ChannelSettings(telegram=TelegramConfig(SECRET)))


@pytest.fixture
def by_api(make_app, api):
    return make_app(ChannelSettings(telegram=TelegramConfig(SECRET, TOKEN, api.url)))


def test_spec_webhook_reply_vector():
    params = messages(42, Reply("answer", [TextPart("a<b & c")]))
    assert webhook_reply(42, params[0]["text"]) == {
        "method": "sendMessage", "chat_id": 42, "text": "a&lt;b &amp; c", "parse_mode": "HTML"}


def test_answer_in_response_body_with_citation_link_and_keyboard(inline):
    res = post(inline.client, update(1, "what is angioplasty?"))
    assert res.status_code == 200
    body = res.get_json()
    assert body["method"] == "sendMessage" and body["chat_id"] == 42 and body["parse_mode"] == "HTML"
    assert WHAT_IS[:60] in body["text"]
    assert '<a href="https://www.nhlbi.nih.gov/health/stents?tab=during&amp;lang=en">' in body["text"]
    assert "Stents: What to Expect &lt;During&gt; &amp; After</a>" in body["text"]
    checker = TelegramHtmlChecker()
    checker.feed(body["text"])
    assert checker.stack == []
    buttons = [row[0]["callback_data"] for row in body["reply_markup"]["inline_keyboard"]]
    assert "ask:how_done:angioplasty" in buttons


@pytest.mark.parametrize("secret", [None, "abc_def-123", "abc_DEF-123 ", "wrong"])
def test_bad_secret_is_refused_and_not_processed(inline, secret):
    res = post(inline.client, update(2, "what is angioplasty?"), secret=secret)
    assert res.status_code == 403
    assert res.get_json()["error"]["code"] == "forbidden"
    assert inline.store.load("telegram:42") is None


def test_same_update_twice_answers_once(inline):
    first = post(inline.client, update(3, "what is angioplasty?")).get_json()
    second = post(inline.client, update(3, "what is angioplasty?"))
    assert first["method"] == "sendMessage"
    assert second.status_code == 200 and second.get_json() == {}


def test_bots_edits_and_non_text_are_acknowledged_and_ignored(inline):
    bot = update(4, "what is angioplasty?")
    bot["message"]["from"]["is_bot"] = True
    edited = {"update_id": 5, "edited_message": update(5, "x")["message"]}
    photo = {"update_id": 6, "message": {k: v for k, v in update(6, "x")["message"].items() if k != "text"}}
    for body in (bot, edited, photo, {"update_id": 7, "my_chat_member": {}}):
        res = post(inline.client, body)
        assert res.status_code == 200 and res.get_json() == {}
    assert inline.store.load("telegram:42") is None


def test_invalid_json_after_valid_secret_is_a_clear_400(inline):
    res = inline.client.post("/webhooks/telegram", data=b"{nope", content_type="application/json",
                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert res.status_code == 400 and res.get_json()["error"]["code"] == "invalid_json"


def test_two_turns_keep_the_topic(inline):
    post(inline.client, update(10, "what is angioplasty?", chat=77))
    body = post(inline.client, update(11, "how is it done?", chat=77)).get_json()
    assert HOW_DONE[:60] in body["text"]


def test_user_markup_is_escaped(inline):
    body = post(inline.client, update(12, "what is <b>angioplasty</b> & a stent?")).get_json()
    checker = TelegramHtmlChecker()
    checker.feed(body["text"])
    assert checker.stack == []


def test_replies_by_api_and_callback_queries_are_answered(by_api, api):
    res = post(by_api.client, update(20, "what is angioplasty?", chat=99))
    assert res.status_code == 200 and res.get_json() == {}
    by_api.flush()
    assert [c.path for c in api.calls] == [f"/bot{TOKEN}/sendMessage"]
    sent = api.calls[0].body
    assert sent["chat_id"] == 99 and WHAT_IS[:40] in sent["text"]
    keyboard = sent["reply_markup"]["inline_keyboard"]
    tap = {"update_id": 21, "callback_query": {
        "id": "cbq-1", "from": {"id": 99, "is_bot": False}, "chat_instance": "x", "data": "ask:how_done:angioplasty",
        "message": {"message_id": 5, "chat": {"id": 99, "type": "private"}, "reply_markup": {"inline_keyboard": keyboard}}}}
    post(by_api.client, tap)
    post(by_api.client, tap)  # redelivered: one answer only
    by_api.flush()
    paths = [c.path.rsplit("/", 1)[1] for c in api.calls[1:]]
    assert sorted(paths) == ["answerCallbackQuery", "answerCallbackQuery", "sendMessage"]
    answer = next(c.body for c in api.calls[1:] if c.path.endswith("sendMessage"))
    assert HOW_DONE[:40] in answer["text"]
    assert {c.body["callback_query_id"] for c in api.calls if c.path.endswith("answerCallbackQuery")} == {"cbq-1"}


def test_a_flooding_chat_is_told_once_to_slow_down_then_ignored_for_the_minute(make_app, monkeypatch):
    """The per-user limit covers platforms too; over it, the update is acknowledged, never refused."""
    import time as time_module

    frozen = (time_module.time() // 60) * 60 + 10  # well inside one minute's window
    monkeypatch.setattr(time_module, "time", lambda: frozen)
    app = make_app(ChannelSettings(telegram=TelegramConfig(SECRET)), settings_extra={"rate_limit_per_minute": 2})
    first, second = (post(app.client, update(20 + i, "what is angioplasty?", chat=5)).get_json() for i in range(2))
    assert WHAT_IS[:60] in first["text"] and WHAT_IS[:60] in second["text"]
    third = post(app.client, update(22, "what is angioplasty?", chat=5))
    assert third.status_code == 200 and "faster than I can answer" in third.get_json()["text"]
    fourth = post(app.client, update(23, "what is angioplasty?", chat=5))
    assert fourth.status_code == 200 and fourth.get_json() == {}
    other_chat = post(app.client, update(24, "what is angioplasty?", chat=6)).get_json()
    assert WHAT_IS[:60] in other_chat["text"]
    metrics = app.client.get("/metrics").get_data(as_text=True)
    assert 'healthbot_rate_limited_total{scope="user"} 2.0' in metrics
