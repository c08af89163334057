"""Slack Events API: signed within five minutes, url_verification, chat.postMessage in mrkdwn."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.config import ChannelSettings, SlackConfig
from bot.channels.signatures import slack_signature
from tests.channels.conftest import HOW_DONE, WHAT_IS
from tests.channels.test_signatures import SLACK_CHALLENGE, SLACK_EVENT, SLACK_SECRET

NOW = 1700000000
TOKEN = "xoxb-test"


@pytest.fixture
def sl(make_app, api):
    return make_app(ChannelSettings(slack=SlackConfig(SLACK_SECRET, TOKEN, api.url), clock=lambda: NOW + 30))


def event(text: str, event_id: str, user: str = "U0001", **extra) -> bytes:
    inner = {"type": "message", "channel": "D0001", "user": user, "text": text, "ts": "1700000000.000100",
             "channel_type": "im", **extra}
    return json.dumps({"token": "x", "team_id": "T0001", "api_app_id": "A0001", "event": inner,
                       "type": "event_callback", "event_id": event_id, "event_time": NOW,
                       "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}]}).encode()


def post(client, raw: bytes, ts: str = str(NOW), signature: str | None = None, secret: str = SLACK_SECRET, **headers):
    sig = signature or slack_signature(raw, ts, secret)
    return client.post("/webhooks/slack", data=raw, content_type="application/json",
                       headers={"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig, **headers})


def test_url_verification_vector(sl):
    res = post(sl.client, SLACK_CHALLENGE,
               signature="v0=b2613780c13d6c59c6c7cb009460a7845cffeff7e1d303fbb79948c5d06e045e")
    assert res.status_code == 200
    assert res.get_data(as_text=True) == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"


def test_event_vector_is_acknowledged_and_answered(sl, api):
    res = post(sl.client, SLACK_EVENT, signature="v0=5bda77b3f693dd055ef83ce13a9b18ee9594518b05d0d1bcc744c51838365da4")
    assert res.status_code == 200
    sl.flush()
    assert api.calls[0].path == "/chat.postMessage" and api.calls[0].body["channel"] == "D0001"
    assert api.calls[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_what_is_answer_in_mrkdwn_and_two_turns(sl, api):
    post(sl.client, event("what is angioplasty?", "Ev10"))
    sl.flush()
    text = "\n".join(c.body["text"] for c in api.calls)
    assert WHAT_IS[:50] in text
    assert ("<https://www.nhlbi.nih.gov/health/stents?tab=during&amp;lang=en|"
            "Stents: What to Expect &lt;During&gt; &amp; After>") in text
    assert "thread_ts" not in api.calls[0].body  # DMs answer at top level
    post(sl.client, event("how is it done?", "Ev11"))
    sl.flush()
    assert HOW_DONE[:50] in api.calls[-1].body["text"] or any(HOW_DONE[:50] in c.body["text"] for c in api.calls)


@pytest.mark.parametrize("case", ["stale", "tampered", "wrong_secret", "missing"])
def test_rejected_requests(sl, api, case):
    raw = event("what is angioplasty?", "Ev20")
    if case == "stale":
        res = post(sl.client, raw, ts=str(NOW - 400))
    elif case == "tampered":
        res = post(sl.client, raw.replace(b"angioplasty", b"Angioplasty"), signature=slack_signature(raw, str(NOW), SLACK_SECRET))
    elif case == "wrong_secret":
        res = post(sl.client, raw, secret="another-secret")
    else:
        res = sl.client.post("/webhooks/slack", data=raw, content_type="application/json")
    assert res.status_code == 401
    sl.flush()
    assert api.calls == []


def test_retried_event_is_answered_once(sl, api):
    raw = event("what is angioplasty?", "Ev30")
    assert post(sl.client, raw).status_code == 200
    assert post(sl.client, raw, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}).status_code == 200
    sl.flush()
    assert len([c for c in api.calls if WHAT_IS[:50] in c.body["text"]]) == 1


def test_bot_messages_and_subtypes_are_ignored(sl, api):
    for raw in (event("what is angioplasty?", "Ev40", bot_id="B1"),
                event("what is angioplasty?", "Ev41", user="UBOT"),
                event("what is angioplasty?", "Ev42", subtype="message_changed")):
        assert post(sl.client, raw).status_code == 200
    sl.flush()
    assert api.calls == []


def test_mentions_in_channels_answer_in_thread(sl, api):
    raw = json.loads(event("<@UBOT> what is angioplasty?", "Ev50"))
    raw["event"].update(type="app_mention", channel="C1", channel_type="channel")
    post(sl.client, json.dumps(raw).encode())
    sl.flush()
    assert api.calls[0].body["thread_ts"] == "1700000000.000100" and WHAT_IS[:50] in api.calls[0].body["text"]


def test_user_markup_does_not_break_mrkdwn(sl, api):
    post(sl.client, event("what is <!channel> & <b>angioplasty</b>?", "Ev60"))
    sl.flush()
    for call in api.calls:
        assert "<!channel>" not in call.body["text"]


def click(value: str, title: str, action_ts: str = "1700000031.000200", user: str = "U0001") -> bytes:
    """A block_actions interaction, form-encoded as Slack sends it."""
    from urllib.parse import urlencode

    payload = {"type": "block_actions", "team": {"id": "T0001"}, "user": {"id": user, "team_id": "T0001"},
               "api_app_id": "A0001", "trigger_id": "t1", "channel": {"id": "D0001"},
               "container": {"type": "message", "message_ts": "1700000030.000100", "channel_id": "D0001"},
               "actions": [{"type": "button", "action_id": "follow-up-0", "block_id": "b1", "value": value,
                            "text": {"type": "plain_text", "text": title}, "action_ts": action_ts}]}
    return urlencode({"payload": json.dumps(payload)}).encode()


def post_form(client, raw: bytes, ts: str = str(NOW)):
    return client.post("/webhooks/slack", data=raw, content_type="application/x-www-form-urlencoded",
                       headers={"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": slack_signature(raw, ts, SLACK_SECRET)})


def test_follow_ups_are_buttons_and_a_click_is_answered_once(sl, api):
    post(sl.client, event("what is angioplasty?", "Ev30"))
    sl.flush()
    last = api.calls[-1].body
    section, actions = last["blocks"]
    assert section["text"]["text"] == last["text"] and WHAT_IS[:50] in last["text"]
    assert "Reply with a number" not in last["text"]  # buttons instead of the numbered list
    buttons = {b["value"]: b["text"]["text"] for b in actions["elements"]}
    assert buttons["ask:how_done:angioplasty"] == "How is it done?"
    assert len({b["action_id"] for b in actions["elements"]}) == len(actions["elements"])

    res = post_form(sl.client, click("ask:how_done:angioplasty", "How is it done?"))
    assert res.status_code == 200
    sl.flush()
    assert HOW_DONE[:50] in api.calls[-1].body["text"] and api.calls[-1].body["channel"] == "D0001"
    before = len(api.calls)
    assert post_form(sl.client, click("ask:how_done:angioplasty", "How is it done?")).status_code == 200  # a retry
    sl.flush()
    assert len(api.calls) == before


def test_interactions_are_signed_and_read_carefully(sl, api):
    raw = click("ask:how_done:angioplasty", "How is it done?", action_ts="1700000032.1")
    forged = sl.client.post("/webhooks/slack", data=raw, content_type="application/x-www-form-urlencoded",
                            headers={"X-Slack-Request-Timestamp": str(NOW), "X-Slack-Signature": "v0=" + "0" * 64})
    assert forged.status_code == 401
    bad = post_form(sl.client, b"payload=%7Bnot+json")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_json"
    from urllib.parse import urlencode

    other = post_form(sl.client, urlencode({"payload": json.dumps({"type": "view_closed"})}).encode())
    assert other.status_code == 200 and other.get_json() == {}
    sl.flush()
    assert api.calls == []


def test_a_last_chunk_too_long_for_a_section_keeps_its_text_and_gets_the_buttons_after(sl, api):
    from bot.core.models import QuickReply, Reply, TextPart

    adapter = sl.app.extensions["healthbot.webhooks"].adapters["slack"]
    words = " ".join(f"word{i}" for i in range(600))  # ~4,000 characters: one chunk, too long for a section
    adapter.post(Reply("answer", [TextPart(words)], quick_replies=[QuickReply("Risks?", "ask:risks:x")]), "C1", "17.1")
    sl.flush()
    text_call, button_call = api.calls[-2].body, api.calls[-1].body
    assert "blocks" not in text_call and text_call["text"].startswith("word0") and text_call["thread_ts"] == "17.1"
    assert button_call["blocks"][1]["elements"][0]["value"] == "ask:risks:x"
    assert len(button_call["blocks"][0]["text"]["text"]) <= 3000 and button_call["thread_ts"] == "17.1"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["type", "actions", "user", "channel", "container", "team", "text", "value", "id",
                         "action_ts", "action_id", "message_ts", "thread_ts"]), inner, max_size=6),
    max_leaves=20)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values)
def test_any_signed_interaction_payload_gets_a_clear_answer(sl, body):
    from urllib.parse import urlencode

    if isinstance(body, dict):
        body.setdefault("type", "block_actions")
    res = post_form(sl.client, urlencode({"payload": json.dumps(body)}).encode())
    assert res.status_code == 200, res.get_data(as_text=True)
